/// Minibatch sums from the parallel engine: the minibatch's rows are gathered from the data
/// set (or the data set is used as it is when the minibatch is all of it, in order), the
/// evaluator's live parameters are set, and one ``CircuitEvaluator/evaluate(_:)`` gives the
/// summed parameter gradient; the loss sum adds the per-sample outputs with `PairwiseSum`.
package struct EngineMinibatchGradient {
    /// The evaluator (built once; its workers are reused by every step).
    package let evaluator: CircuitEvaluator
    /// The data set.
    package let data: Batch

    /// Sums over rows of `data` with `evaluator`.
    package init(evaluator: CircuitEvaluator, data: Batch) throws {
        guard data.inputCount == evaluator.circuit.inputCount else {
            throw CircuitError(file: "<training>", kind: .batchShape, "the data has \(data.inputCount) columns; the circuit has \(evaluator.circuit.inputCount) inputs")
        }
        self.evaluator = evaluator
        self.data = data
    }

    /// The sums for rows `indices` at `parameters`.
    package func sums(_ indices: ArraySlice<Int>, _ parameters: [Double]) throws -> Trainer.MinibatchSums {
        let batch: Batch
        if indices.count == data.sampleCount && indices.elementsEqual(0..<data.sampleCount) {
            batch = data
        } else {
            batch = try data.gathering(rows: indices)
        }
        let result = try evaluator.evaluate(batch, parameters: parameters)
        return Trainer.MinibatchSums(lossSum: PairwiseSum.sum(result.values), gradientSum: result.paramGradients,
                                     sampleCount: indices.count)
    }
}
