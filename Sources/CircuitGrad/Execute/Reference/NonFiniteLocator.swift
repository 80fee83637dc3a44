/// Finds the first node that produced a NaN or an infinity in one sample.
///
/// The value check runs over function nodes in forward order (level, then file order) and
/// reports the first non-finite value. Only live nodes count by default: a dead node cannot be
/// what made a result non-finite. If every value is finite, the backward check runs over live
/// nodes in backward order (the reverse of forward order) and reports the first node whose
/// contributions `upstream × partial` are non-finite, or a splitter whose sum of finite
/// gradients overflowed (reported under the name of the wire it copies, op `split`).
package enum NonFiniteLocator {
    /// The first non-finite value or gradient of sample `sample` of `batch`, or nil if all are finite.
    package static func locate(
        in evaluator: ReferenceEvaluator, sample: Int, of batch: Batch, includeDeadNodes: Bool = false
    ) -> NonFiniteFinding? {
        locate(in: evaluator, inputs: batch.row(sample), sample: sample, includeDeadNodes: includeDeadNodes)
    }

    /// The first non-finite value or gradient for one sample's `inputs` (`sample` labels the finding).
    package static func locate(
        in evaluator: ReferenceEvaluator, inputs: some Collection<Double>, sample: Int, includeDeadNodes: Bool = false
    ) -> NonFiniteFinding? {
        let circuit = evaluator.circuit
        let trace = evaluator.trace(inputs: inputs)
        for n in evaluator.forwardOrder where includeDeadNodes || circuit.nodeIsLive[n] {
            let v = trace.values[circuit.nodeWire(n)]
            if !v.isFinite {
                return NonFiniteFinding(sample: sample, stage: .value, node: n, name: circuit.nodeNames[n],
                                        opName: circuit.ops[n].name, number: v)
            }
        }
        func splitterFinding(on wire: Int) -> NonFiniteFinding {
            NonFiniteFinding(sample: sample, stage: .gradient, node: nil, name: circuit.fileName(ofWire: wire),
                             opName: "split", number: trace.wireGradients[wire])
        }
        for n in evaluator.forwardOrder.reversed() where circuit.nodeIsLive[n] {
            // A non-finite upstream not reported at its consumer node can only be a splitter's sum.
            let own = circuit.nodeWire(n)
            if !trace.wireGradients[own].isFinite { return splitterFinding(on: own) }
            for wire in circuit.arguments(of: n) where !trace.wireGradients[Int(wire)].isFinite {
                return NonFiniteFinding(sample: sample, stage: .gradient, node: n, name: circuit.nodeNames[n],
                                        opName: circuit.ops[n].name, number: trace.wireGradients[Int(wire)])
            }
        }
        for wire in 0..<(circuit.inputCount + circuit.paramCount) where !trace.wireGradients[wire].isFinite {
            return splitterFinding(on: wire)
        }
        return nil
    }

    /// The first sample of `result` whose value or input gradients are not all finite, or nil.
    package static func firstNonFiniteSample(in result: EvaluationResult) -> Int? {
        for s in 0..<result.sampleCount {
            if !result.values[s].isFinite || result.gradient(ofSample: s).contains(where: { !$0.isFinite }) { return s }
        }
        return nil
    }

    /// What the CLI reports: the finding at the first sample of `batch` whose results are non-finite.
    /// When only the summed parameter gradients are non-finite, every sample is searched in order.
    package static func locateFirst(in evaluator: ReferenceEvaluator, batch: Batch, result: EvaluationResult) -> NonFiniteFinding? {
        if let s = firstNonFiniteSample(in: result) { return locate(in: evaluator, sample: s, of: batch) }
        if result.paramGradients.allSatisfy(\.isFinite) { return nil }
        for s in 0..<batch.sampleCount {
            if let f = locate(in: evaluator, sample: s, of: batch) { return f }
        }
        return nil   // finite per sample: the batch sum itself overflowed
    }
}
