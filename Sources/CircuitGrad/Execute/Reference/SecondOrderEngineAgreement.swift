/// Whether the engine's second-order results equal the reference's bit for bit (NaNs equal).
public enum SecondOrderEngineAgreement {
    /// Compares ``HessianVectorEvaluator`` with ``ReferenceEvaluator/secondOrder(inputs:direction:)``
    /// on `batch`, along one random direction per sample drawn from `seed`.
    public static func check(circuit: Circuit, batch: Batch, seed: UInt64, options: EvaluatorOptions) throws -> Bool {
        var random = GeneratorRandom(seed: seed, stream: 3)
        let n = circuit.inputCount
        let direction = try Batch(sampleCount: batch.sampleCount, inputCount: n,
                              values: (0..<(batch.sampleCount * n)).map { _ in random.uniform(-1, 1) })
        let engine = try HessianVectorEvaluator(circuit: circuit, options: options).evaluate(batch, direction: direction)
        let reference = ReferenceEvaluator(circuit: circuit)
        func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
        for s in 0..<batch.sampleCount {
            let t = reference.secondOrder(inputs: batch.row(s), direction: Array(direction.row(s)))
            guard same(t.value, engine.values[s]), same(t.tangent, engine.tangents[s]) else { return false }
            for i in 0..<n {
                guard same(t.inputGradient[i], engine.inputGradients[s * n + i]),
                      same(t.hessianVectorProduct[i], engine.hessianVectorProducts[s * n + i]) else { return false }
            }
        }
        return true
    }
}
