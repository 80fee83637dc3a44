/// How a ``CircuitEvaluator`` runs: how many worker threads and how they are pinned. Whatever
/// the options, the results are the same bits.
///
/// ```swift
/// let evaluator = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 4, pin: .none))
/// ```
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
    package var threads: Int?
    /// How workers are pinned to the machine.
    package var pin: PinMode
    /// Lanes per block (1, or a power of two that is a multiple of 8, at most 1024); nil chooses.
    package var laneBlock: Int?
    /// How work is shared among workers.
    package var strategy: Strategy
    /// The most bytes of rows the engine keeps for concurrent blocks before it shrinks the lane
    /// block or falls back to the level strategy.
    package var memoryBudgetBytes: Int

    /// Whether the evaluator will evaluate a single batch and be dropped, as `circuitgrad eval`
    /// does. A circuit that streams from memory then takes lane blocks no wider than lets every
    /// worker run ``EvaluationPolicy/blocksPerWorkerEvaluatingOnce`` of them: a fresh workspace's
    /// pages are slow to touch the first time, and an evaluator used once never gets them back.
    package var evaluatesOnce = false

    /// Work per worker a level needs before it is split (``LevelSchedule/parallelWorkPerWorker``);
    /// tests lower it so that small random circuits exercise split levels.
    var minimumParallelWorkPerWorker = LevelSchedule.parallelWorkPerWorker

    /// Options with `threads` workers (nil: one per allowed core; more than the allowed
    /// processing units are clamped to them), pinned as `pin` says. The engine chooses the lane
    /// block and how work is shared. ``CircuitEvaluator/init(circuit:options:)`` throws a
    /// ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` for fewer than 1 thread.
    public init(threads: Int? = nil, pin: PinMode = .core) {
        self.init(threads: threads, pin: pin, laneBlock: nil, strategy: .auto)
    }

    /// Options with the strategy left to the engine and `laneBlock` samples per block (nil: the
    /// engine chooses).
    package init(threads: Int? = nil, pin: PinMode = .core, laneBlock: Int?) {
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
