/// How a ``CircuitEvaluator`` runs.
public struct EvaluatorOptions: Sendable, Hashable {
    /// How the work of one evaluation is shared among workers.
    package enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// Choose per batch: whole lane blocks per worker when there are enough blocks and
        /// memory, otherwise levels cut among workers where that is predicted to pay (see
        /// ``LevelSchedule``), otherwise one thread.
        case auto
        /// All workers on one block at a time, each level's nodes cut among them (every level
        /// that pays for a barrier, whatever moving its values between cores costs).
        case levels
        /// Each worker evaluates whole lane blocks in its own rows; no barriers.
        case blocks
    }

    /// Number of workers; nil means one per allowed core. More than the allowed processing
    /// units is clamped to them (see `CircuitEvaluator/teamNote`).
    public var threads: Int?
    /// How workers are pinned to the machine.
    public var pin: PinMode
    /// Lanes per block (1, or a power of two that is a multiple of 8, at most 256); nil chooses.
    public var laneBlock: Int?
    /// How work is shared among workers.
    package var strategy: Strategy
    /// The most bytes of rows the engine keeps for concurrent blocks before it shrinks the lane
    /// block or falls back to the level strategy.
    package var memoryBudgetBytes: Int

    /// Work per worker a level needs before it is split (``LevelSchedule/parallelWorkPerWorker``);
    /// tests lower it so that small random circuits exercise split levels.
    var minimumParallelWorkPerWorker = LevelSchedule.parallelWorkPerWorker

    /// Options with the strategy left to the engine: `threads` workers (nil: one per allowed
    /// core), pinned as `pin` says, `laneBlock` samples per block (nil: the engine chooses).
    ///
    /// ```swift
    /// let evaluator = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 4))
    /// ```
    public init(threads: Int? = nil, pin: PinMode = .core, laneBlock: Int? = nil) {
        self.init(threads: threads, pin: pin, laneBlock: laneBlock, strategy: .auto)
    }

    /// Options with a fixed strategy (tests and measurements compare the strategies this way).
    package init(threads: Int? = nil, pin: PinMode = .core, laneBlock: Int? = nil, strategy: Strategy,
                memoryBudgetBytes: Int = 2 << 30) {
        self.threads = threads
        self.pin = pin
        self.laneBlock = laneBlock
        self.strategy = strategy
        self.memoryBudgetBytes = memoryBudgetBytes
    }
}

/// Wall-clock seconds of the parts of one evaluation.
package struct EvaluationTiming: Sendable, Hashable {
    /// Time in forward sweeps (worker 0's clock, summed over its blocks).
    package var forwardSeconds: Double = 0
    /// Time in backward sweeps, splitter sums and gradient extraction included (worker 0's clock).
    package var backwardSeconds: Double = 0
    /// Whole evaluation, from call to return.
    package var totalSeconds: Double = 0

    /// All zero.
    package init() {}
}

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
    /// Workers used.
    package var threads: Int
    /// `serial`, `levels` or `blocks`.
    package var strategy: String
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
