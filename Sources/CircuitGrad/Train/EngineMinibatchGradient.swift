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

    /// Rows `indices` of the data set, one after the other (row-major), copied row by row.
    private func gathered(_ indices: ArraySlice<Int>) -> [Double] {
        let width = data.inputCount
        guard width > 0 else { return [] }
        return data.values.withUnsafeBufferPointer { source in
            [Double](unsafeUninitializedCapacity: indices.count * width) { target, initialized in
                var to = target.baseAddress!
                for s in indices {
                    precondition(s >= 0 && s < data.sampleCount, "a row of the data set")
                    to.initialize(from: source.baseAddress! + s * width, count: width)
                    to += width
                }
                initialized = indices.count * width
            }
        }
    }

    /// The sums for rows `indices` at `parameters`.
    package func sums(_ indices: ArraySlice<Int>, _ parameters: [Double]) throws -> Trainer.MinibatchSums {
        let batch: Batch
        if indices.count == data.sampleCount && indices.elementsEqual(0..<data.sampleCount) {
            batch = data
        } else {
            batch = try Batch(sampleCount: indices.count, inputCount: data.inputCount, values: gathered(indices))
        }
        let result = try evaluator.evaluate(batch, parameters: parameters)
        return Trainer.MinibatchSums(lossSum: PairwiseSum.sum(result.values), gradientSum: result.paramGradients,
                                     sampleCount: indices.count)
    }
}
