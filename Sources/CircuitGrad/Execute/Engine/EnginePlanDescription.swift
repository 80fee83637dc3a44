/// How the engine runs a circuit for one batch size: for `circuitgrad info` and `bench`.
public struct EnginePlanDescription: Sendable, Hashable {
    /// Function nodes.
    public var nodes: Int
    /// Splitters (written and inserted).
    public var splitters: Int
    /// Levels of the circuit.
    public var levels: Int
    /// Nodes in the widest level.
    public var widestLevel: Int
    /// Segments per sweep after merging narrow levels (level strategy).
    public var segments: Int
    /// Segments run by several workers.
    public var parallelSegments: Int
    /// Barriers per forward or backward sweep (0 when no barrier is used).
    public var barriersPerSweep: Int
    /// Workers used.
    public var threads: Int
    /// `serial`, `levels` or `blocks`.
    public var strategy: String
    /// Lanes per block.
    public var laneBlock: Int
    /// Lane blocks the batch is cut into.
    public var blocks: Int
    /// Bytes of plan arrays per function node.
    public var planBytesPerNode: Double
    /// Bytes of value and gradient rows per block.
    public var workspaceBytesPerBlock: Int

    /// Bytes of value and gradient rows per function node and lane (``workspaceBytesPerBlock``
    /// over nodes × lanes; inputs, parameters and splitter sums included).
    public var workspaceBytesPerNodeLane: Double {
        nodes == 0 ? 0 : Double(workspaceBytesPerBlock) / (Double(nodes) * Double(max(laneBlock, 1)))
    }

    /// One line per fact, `name: value`.
    public var text: String {
        """
        nodes: \(nodes)
        splitters: \(splitters)
        levels: \(levels) (widest \(widestLevel) nodes)
        segments per sweep: \(segments) (\(parallelSegments) parallel)
        barriers per sweep: \(barriersPerSweep)
        strategy: \(strategy), \(threads) thread(s), lane block \(laneBlock), \(blocks) block(s)
        plan bytes per node: \(String(Int(planBytesPerNode.rounded())))
        workspace bytes per block: \(workspaceBytesPerBlock)
        workspace bytes per node-lane: \(String(format1(workspaceBytesPerNodeLane)))
        """
    }
}

/// `x` with one decimal (no Foundation).
private func format1(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
