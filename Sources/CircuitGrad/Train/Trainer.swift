/// Gradient-descent training of a circuit's parameters: the circuit's output is the
/// per-sample loss (targets are input wires), and each step moves the parameters by an
/// ``Optimizer`` applied to a minibatch's mean parameter gradient.
///
/// ```swift
/// let evaluator = try CircuitEvaluator(circuit: circuit)
/// let trainer = try Trainer(evaluator: evaluator, data: data,
///                           optimizer: .chain([.scaleByAdam(), .scale(-0.01)]), batchSize: 32)
/// try trainer.run(epochs: 100) { step in
///     if step.step % 100 == 0 { print(step.epoch, step.loss) }
///     return step.loss.isFinite                 // false stops after this step
/// }
/// let trained = try circuit.withParameterValues(trainer.parameters)
/// ```
///
/// The loop does not evaluate anything itself: it asks a `MinibatchGradient` function for a
/// minibatch's *sums* (loss and parameter gradient summed over its samples) at the current
/// parameters. The public initializer uses the parallel engine (`EngineMinibatchGradient`);
/// inside the package a distributed run plugs in a function that reduces sums across processes.
///
/// Per step, in this order: sums = gradient(samples, parameters); mean loss `L = Σloss / n`;
/// mean gradient `gᵢ = Σgᵢ / n`; the optimizer turns `g` into updates; `pᵢ ← pᵢ + uᵢ`.
/// The loss reported for a step is the minibatch's mean loss before that step's update.
///
/// **Sample order.** Each epoch takes the samples `0..<N` in file order or in a permutation
/// drawn by a `GeneratorRandom` seeded once for the whole run (a shuffle seed), which
/// shuffles the list `0..<N` afresh at the start of every epoch.
/// An epoch is cut into minibatches of `batchSize` samples; the last may be smaller.
public final class Trainer {
    /// A minibatch's loss and parameter gradient, summed over its samples.
    package struct MinibatchSums: Sendable {
        /// Σ of the circuit's output over the minibatch.
        package var lossSum: Double
        /// Σ of ∂output/∂parameter over the minibatch, declaration order.
        package var gradientSum: [Double]
        /// Number of samples summed.
        package var sampleCount: Int

        /// Sums of `sampleCount` samples.
        package init(lossSum: Double, gradientSum: [Double], sampleCount: Int) {
            self.lossSum = lossSum
            self.gradientSum = gradientSum
            self.sampleCount = sampleCount
        }
    }

    /// Sums for the samples `indices` (rows of the data set) at `parameters`.
    package typealias MinibatchGradient = (_ indices: ArraySlice<Int>, _ parameters: [Double]) throws -> MinibatchSums

    /// How each epoch orders the samples.
    package enum SampleOrder: Sendable, Equatable {
        /// File order.
        case fileOrder
        /// A fresh permutation each epoch from a generator seeded with this seed.
        case seeded(UInt64)
    }

    /// What one finished step reports.
    public struct Step: Sendable {
        /// Steps done so far, this one included (1 for the first).
        public let step: Int
        /// The epoch it belongs to (1 for the first).
        public let epoch: Int
        /// The minibatch's mean loss before the update.
        public let loss: Double
        /// Samples processed so far, over all epochs.
        package let samplesDone: Int
    }

    /// The current parameters, one per parameter of the circuit in declaration order.
    public private(set) var parameters: [Double]
    /// Steps taken.
    package private(set) var stepCount = 0
    private var optimizer: any GradientTransform
    private let sampleCount: Int
    private let batchSize: Int
    private let order: SampleOrder
    /// The minibatch sums ``run(epochs:after:)`` uses (set by the public initializer).
    private let engineGradient: EngineMinibatchGradient?

    /// A trainer of `evaluator`'s circuit on the samples of `data`, starting from the
    /// evaluator's parameter values, in minibatches of `batchSize` samples (nil: all of them;
    /// the last minibatch of an epoch may be smaller), each epoch in file order or, with a
    /// `shuffleSeed`, in a fresh permutation drawn from a generator seeded once with it.
    /// Every step sets the evaluator's parameters before it evaluates, and ``run(epochs:after:)``
    /// leaves them at ``parameters`` (so a later trainer on the same evaluator goes on from there);
    /// calls must not overlap with the evaluator's own.
    /// - Throws: ``CircuitError``: of kind ``CircuitError/Kind/invalidArgument`` for a batch
    ///   size below 1, of kind ``CircuitError/Kind/batchShape`` when `data` has no samples or
    ///   not one column per input of the circuit.
    public convenience init(evaluator: CircuitEvaluator, data: Batch, optimizer: Optimizer,
                            batchSize: Int? = nil, shuffleSeed: UInt64? = nil) throws {
        let source = try EngineMinibatchGradient(evaluator: evaluator, data: data)
        var transform = optimizer.stages
        transform.initialize(parameterCount: evaluator.circuit.paramCount)
        try self.init(parameters: evaluator.parameterValues, optimizer: transform, sampleCount: data.sampleCount,
                      batchSize: batchSize, order: shuffleSeed.map { .seeded($0) } ?? .fileOrder, engine: source)
    }

    /// A trainer starting at `parameters` over a data set of `sampleCount` samples, in
    /// minibatches of `batchSize` (nil: all samples), with `optimizer` (already initialised);
    /// ``run(epochs:gradient:after:)`` asks `gradient` for the sums.
    package convenience init(parameters: [Double], optimizer: any GradientTransform, sampleCount: Int,
                             batchSize: Int? = nil, order: SampleOrder = .fileOrder) throws {
        try self.init(parameters: parameters, optimizer: optimizer, sampleCount: sampleCount,
                      batchSize: batchSize, order: order, engine: nil)
    }

    private init(parameters: [Double], optimizer: any GradientTransform, sampleCount: Int,
                 batchSize: Int?, order: SampleOrder, engine: EngineMinibatchGradient?) throws {
        guard sampleCount > 0 else { throw CircuitError(file: "<training>", kind: .batchShape, "the data set has no samples") }
        if let b = batchSize, b < 1 {
            throw CircuitError(file: "<training>", kind: .invalidArgument, "the batch size must be at least 1, got \(b)")
        }
        self.parameters = parameters
        self.optimizer = optimizer
        self.sampleCount = sampleCount
        self.batchSize = min(batchSize ?? sampleCount, sampleCount)
        self.order = order
        self.engineGradient = engine
    }

    /// Steps per epoch.
    package var stepsPerEpoch: Int { (sampleCount + batchSize - 1) / batchSize }

    /// One optimizer step from a minibatch's sums; returns its mean loss.
    @discardableResult
    package func step(with sums: MinibatchSums) -> Double {
        precondition(sums.gradientSum.count == parameters.count, "one gradient sum per parameter")
        let n = Double(sums.sampleCount)
        // The mean in one pass the compiler vectorises (`map`'s closure keeps it one at a time).
        var updates = sums.gradientSum.withUnsafeBufferPointer { sum in
            [Double](uninitializedCount: sum.count) { mean, count in
                for i in 0..<sum.count { mean[i] = sum[i] / n }
                count = sum.count
            }
        }
        optimizer.update(&updates, parameters: parameters)
        ParameterUpdate.apply(updates, to: &parameters)
        stepCount += 1
        return sums.lossSum / n
    }

    /// Runs `epochs` epochs (none when `epochs` is 0 or less) on the engine. After each step
    /// `after` is told about it and returns whether to go on (false stops after that step, with
    /// its update applied).
    /// - Returns: whether every epoch ran (false when `after` stopped the run).
    /// Afterwards the evaluator's parameters are ``parameters``.
    /// - Throws: what the evaluator throws (the parameters are those before the failed step),
    ///   or a ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` for a trainer made
    ///   inside the package with a gradient function of its own.
    @discardableResult
    public func run(epochs: Int, after: (Step) -> Bool = { _ in true }) throws -> Bool {
        guard let engineGradient else {
            throw CircuitError(file: "<training>", kind: .invalidArgument, "this trainer takes its sums from a gradient function; pass it to run(epochs:gradient:after:)")
        }
        // The evaluator ends with the parameters reached (its count always matches: no throw).
        defer { try? engineGradient.evaluator.setParameters(parameters) }
        return try run(epochs: epochs, gradient: engineGradient.sums, after: after)
    }

    /// Runs `epochs` epochs with the sums from `gradient`. After each step `after` is told
    /// about it and returns whether to go on (false stops after that step, with its update applied).
    /// - Returns: whether every epoch ran (false when `after` stopped the run).
    /// - Throws: what `gradient` throws (the parameters are those before the failed step).
    @discardableResult
    package func run(epochs: Int, gradient: MinibatchGradient, after: (Step) -> Bool) throws -> Bool {
        var random = GeneratorRandom(seed: { if case .seeded(let s) = order { return s }; return 0 }())
        guard epochs > 0 else { return true }
        var samplesDone = 0
        for epoch in 1...epochs {
            var indices = Array(0..<sampleCount)
            if case .seeded = order { random.shuffle(&indices) }
            var start = 0
            while start < sampleCount {
                let end = min(start + batchSize, sampleCount)
                let sums = try gradient(indices[start..<end], parameters)
                let loss = step(with: sums)
                samplesDone += end - start
                start = end
                if !after(Step(step: stepCount, epoch: epoch, loss: loss, samplesDone: samplesDone)) { return false }
            }
        }
        return true
    }
}
