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
}
