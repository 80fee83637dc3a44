/// What evaluating a circuit on a batch gives: per sample the output value and the
/// gradient with respect to every input; per parameter the gradient summed over the batch.
///
/// ```swift
/// let result = try evaluator.evaluate(batch)
/// let f0 = result.values[0]                          // output of sample 0
/// let grad0 = Array(result.gradient(ofSample: 0))    // ∂f/∂input, inputs in declaration order
/// let dW = result.paramGradients                     // per parameter, summed over the batch
/// ```
public struct EvaluationResult: Sendable, Equatable {
    /// Number of samples.
    public let sampleCount: Int
    /// Number of input wires.
    public let inputCount: Int
    /// The output value of each sample.
    public package(set) var values: [Double]
    /// `inputGradients[s * inputCount + i]` is ∂f/∂(input i) at sample `s`.
    public package(set) var inputGradients: [Double]
    /// ∂f/∂(param p), summed over the samples of the batch, in declaration order.
    public package(set) var paramGradients: [Double]

    /// A result with every number zero.
    package init(sampleCount: Int, inputCount: Int, paramCount: Int) {
        self.sampleCount = sampleCount
        self.inputCount = inputCount
        self.values = [Double](repeating: 0, count: sampleCount)
        self.inputGradients = [Double](repeating: 0, count: sampleCount * inputCount)
        self.paramGradients = [Double](repeating: 0, count: paramCount)
    }

    /// A result whose values and input gradients are left for the caller to write, every one of
    /// them (the engine does: zeroing tens of megabytes first would cost as much as a sweep of a
    /// wide circuit); parameter gradients are zero.
    package init(sampleCount: Int, inputCount: Int, paramCount: Int, writingEveryValueAndInputGradient: Void) {
        self.sampleCount = sampleCount
        self.inputCount = inputCount
        self.values = [Double](uninitializedCount: sampleCount) { _, n in n = sampleCount }
        let gradients = sampleCount * inputCount
        self.inputGradients = [Double](uninitializedCount: gradients) { buffer, n in
            if let start = buffer.baseAddress { HugePageAdvice.advise(start, bytes: gradients * MemoryLayout<Double>.stride) }
            n = gradients
        }
        self.paramGradients = [Double](repeating: 0, count: paramCount)
    }

    /// The input gradient of sample `s`, inputs in declaration order (`s` must be in
    /// `0..<sampleCount`, as for an array index).
    public func gradient(ofSample s: Int) -> ArraySlice<Double> {
        inputGradients[(s * inputCount)..<((s + 1) * inputCount)]
    }

    /// Whether every parameter gradient, and the value and input gradients of every sample of
    /// `samples` (all of them by default), is finite.
    package func isFinite(samples: Range<Int>? = nil) -> Bool {
        let rows = samples ?? 0..<sampleCount
        return values[rows].allSatisfy(\.isFinite)
            && inputGradients[(rows.lowerBound * inputCount)..<(rows.upperBound * inputCount)].allSatisfy(\.isFinite)
            && paramGradients.allSatisfy(\.isFinite)
    }

    /// Whether every number equals the other result's bit for bit (NaN payloads included).
    public func isBitwiseEqual(to other: EvaluationResult) -> Bool {
        func same(_ a: [Double], _ b: [Double]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
        }
        return sampleCount == other.sampleCount && inputCount == other.inputCount
            && same(values, other.values) && same(inputGradients, other.inputGradients)
            && same(paramGradients, other.paramGradients)
    }
}
