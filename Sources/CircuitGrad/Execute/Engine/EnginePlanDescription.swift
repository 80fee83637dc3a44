/// How the engine runs a circuit for one batch size: for `circuitgrad info` and `bench`.
package struct EnginePlanDescription: Sendable, Hashable {
    /// Function nodes.
    package var nodes: Int
    /// Splitters (written and inserted).
    package var splitters: Int
    /// Levels of the circuit.
    package var levels: Int
    /// Nodes in the widest level.
    package var widestLevel: Int
    /// Segments per sweep after merging narrow levels (level strategy).
    package var segments: Int
    /// Segments run by several workers.
    package var parallelSegments: Int
    /// Barriers per forward or backward sweep (0 when no barrier is used).
    package var barriersPerSweep: Int
    /// Node runs (consecutive nodes one kernel call evaluates) in a forward sweep of a block.
    package var forwardRuns: Int
    /// Node runs in a backward sweep of a block.
    package var backwardRuns: Int
    /// Workers used.
    package var threads: Int
    /// How the evaluation runs: serial, levels or blocks.
    package var strategy: ExecutionStrategy
    /// Lanes per block.
    package var laneBlock: Int
    /// Lane blocks the batch is cut into.
    package var blocks: Int
    /// Bytes of plan arrays per function node.
    package var planBytesPerNode: Double
    /// Bytes of value and gradient rows per block.
    package var workspaceBytesPerBlock: Int

    /// Bytes of value and gradient rows per function node and lane (``workspaceBytesPerBlock``
    /// over nodes × lanes; inputs, parameters and splitter sums included).
    package var workspaceBytesPerNodeLane: Double {
        nodes == 0 ? 0 : Double(workspaceBytesPerBlock) / (Double(nodes) * Double(max(laneBlock, 1)))
    }

    /// One line per fact, `name: value`.
    package var text: String {
        """
        nodes: \(nodes)
        splitters: \(splitters)
        levels: \(levels) (widest \(widestLevel) nodes)
        segments per sweep: \(segments) (\(parallelSegments) parallel)
        barriers per sweep: \(barriersPerSweep)
        runs per sweep: \(forwardRuns) forward, \(backwardRuns) backward
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
