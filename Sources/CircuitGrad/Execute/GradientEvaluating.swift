/// Something that computes, for every sample of a batch, the circuit's output value and
/// its gradient with respect to every input, plus parameter gradients summed over the batch.
///
/// ``ReferenceEvaluator`` (sequential, the oracle) and ``CircuitEvaluator`` (the parallel
/// engine) both conform and must agree bit for bit.
package protocol GradientEvaluating {
    /// The circuit being evaluated.
    var circuit: Circuit { get }
    /// Values and gradients for every sample of `batch` (`batch.inputCount` must equal
    /// `circuit.inputCount`; a circuit without inputs uses ``Batch/single``).
    func evaluate(_ batch: Batch) throws -> EvaluationResult
    /// Like ``evaluate(_:)``, with every sample's value written into `values` (`batch.sampleCount`
    /// numbers) and its input gradients into `inputGradients` (samples × inputs, row-major), every
    /// one of them; returns the parameter gradients. So a batch's rows can land inside a larger
    /// result, as a rank's rows of a distributed evaluation do, without a copy.
    func evaluate(_ batch: Batch, values: UnsafeMutableBufferPointer<Double>,
                  inputGradients: UnsafeMutableBufferPointer<Double>) throws -> [Double]
}

extension GradientEvaluating {
    /// Evaluates into a result of its own, then copies its rows out (evaluators that cannot write
    /// into the caller's memory, such as the sequential reference).
    package func evaluate(_ batch: Batch, values: UnsafeMutableBufferPointer<Double>,
                          inputGradients: UnsafeMutableBufferPointer<Double>) throws -> [Double] {
        precondition(values.count == batch.sampleCount && inputGradients.count == batch.sampleCount * circuit.inputCount,
                     "the destinations must hold the batch's values and input gradients")
        let result = try evaluate(batch)
        result.values.withUnsafeBufferPointer { if let from = $0.baseAddress { values.baseAddress!.update(from: from, count: $0.count) } }
        result.inputGradients.withUnsafeBufferPointer { if let from = $0.baseAddress { inputGradients.baseAddress!.update(from: from, count: $0.count) } }
        return result.paramGradients
    }
}
