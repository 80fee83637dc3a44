/// The step loop of gradient-descent training: epochs of minibatches, each step one
/// minibatch's mean gradient through an optimizer (``GradientTransform``).
///
/// The loop does not evaluate anything itself: it asks a ``MinibatchGradient`` function for a
/// minibatch's *sums* (loss and parameter gradient summed over its samples) at the current
/// parameters. ``EngineMinibatchGradient`` computes them with the parallel engine; a
/// distributed run can plug in a function that reduces sums across processes.
///
/// Per step, in this order: sums = gradient(samples, parameters); mean loss `L = Σloss / n`;
/// mean gradient `gᵢ = Σgᵢ / n`; the optimizer turns `g` into updates; `pᵢ ← pᵢ + uᵢ`.
/// The loss reported for a step is the minibatch's mean loss before that step's update.
///
/// **Sample order.** Each epoch takes the samples `0..<N` in file order (``SampleOrder/fileOrder``)
/// or in a permutation drawn by a ``GeneratorRandom`` seeded once for the whole run, which
/// shuffles the list `0..<N` afresh at the start of every epoch (``SampleOrder/seeded(_:)``).
/// An epoch is cut into minibatches of `batchSize` samples; the last may be smaller.
public final class Trainer {
    /// A minibatch's loss and parameter gradient, summed over its samples.
    public struct MinibatchSums: Sendable {
        /// Σ of the circuit's output over the minibatch.
        public var lossSum: Double
        /// Σ of ∂output/∂parameter over the minibatch, declaration order.
        public var gradientSum: [Double]
        /// Number of samples summed.
        public var sampleCount: Int

        /// Sums of `sampleCount` samples.
        public init(lossSum: Double, gradientSum: [Double], sampleCount: Int) {
            self.lossSum = lossSum
            self.gradientSum = gradientSum
            self.sampleCount = sampleCount
        }
    }

    /// Sums for the samples `indices` (rows of the data set) at `parameters`.
    public typealias MinibatchGradient = (_ indices: ArraySlice<Int>, _ parameters: [Double]) throws -> MinibatchSums

    /// How each epoch orders the samples.
    public enum SampleOrder: Sendable, Equatable {
        /// File order.
        case fileOrder
        /// A fresh permutation each epoch from a generator seeded with this seed.
        case seeded(UInt64)
    }

    /// What one finished step reports.
    public struct Step: Sendable {
        /// Steps done so far, this one included (1 for the first).
        public var step: Int
        /// The epoch it belongs to (1 for the first).
        public var epoch: Int
        /// The minibatch's mean loss before the update.
        public var loss: Double
        /// Samples processed so far, over all epochs.
        public var samplesDone: Int
    }

    /// The current parameters.
    public private(set) var parameters: [Double]
    /// Steps taken.
    public private(set) var stepCount = 0
    private var optimizer: any GradientTransform
    private let sampleCount: Int
    private let batchSize: Int
    private let order: SampleOrder

    /// A trainer starting at `parameters` over a data set of `sampleCount` samples, in
    /// minibatches of `batchSize` (nil: all samples), with `optimizer` (already initialised).
    public init(parameters: [Double], optimizer: any GradientTransform, sampleCount: Int,
                batchSize: Int? = nil, order: SampleOrder = .fileOrder) throws {
        guard sampleCount > 0 else { throw CircuitError(file: "<training>", "the data set has no samples") }
        if let b = batchSize, b < 1 { throw CircuitError(file: "<training>", "the batch size must be at least 1, got \(b)") }
        self.parameters = parameters
        self.optimizer = optimizer
        self.sampleCount = sampleCount
        self.batchSize = min(batchSize ?? sampleCount, sampleCount)
        self.order = order
    }

    /// Steps per epoch.
    public var stepsPerEpoch: Int { (sampleCount + batchSize - 1) / batchSize }

    /// One optimizer step from a minibatch's sums; returns its mean loss.
    @discardableResult
    public func step(with sums: MinibatchSums) -> Double {
        precondition(sums.gradientSum.count == parameters.count, "one gradient sum per parameter")
        let n = Double(sums.sampleCount)
        var updates = sums.gradientSum.map { $0 / n }
        optimizer.update(&updates, parameters: parameters)
        ParameterUpdate.apply(updates, to: &parameters)
        stepCount += 1
        return sums.lossSum / n
    }

    /// Runs `epochs` epochs. After each step `after` is told about it and returns whether to
    /// go on (false stops after that step, with its update applied).
    /// - Returns: whether every epoch ran (false when `after` stopped the run).
    /// - Throws: what `gradient` throws (the parameters are those before the failed step).
    @discardableResult
    public func run(epochs: Int, gradient: MinibatchGradient, after: (Step) -> Bool) throws -> Bool {
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
