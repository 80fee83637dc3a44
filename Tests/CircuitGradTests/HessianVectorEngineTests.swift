import Testing
@testable import CircuitGrad

/// The engine's forward mode and Hessian-vector products against the reference's
/// second-order sweep, bit for bit, across thread counts, strategies and lane blocks.
@Suite struct HessianVectorEngineTests {
    /// The reference's results for every sample, as one ``SecondOrderResult``.
    static func reference(_ c: Circuit, _ batch: Batch, _ direction: Batch) -> SecondOrderResult {
        let e = ReferenceEvaluator(circuit: c)
        var r = SecondOrderResult(sampleCount: batch.sampleCount, inputCount: c.inputCount)
        for s in 0..<batch.sampleCount {
            let d = Array(direction.row(direction.sampleCount == 1 ? 0 : s))
            let t = e.secondOrder(inputs: batch.row(s), direction: d)
            r.values[s] = t.value
            r.tangents[s] = t.tangent
            for i in 0..<c.inputCount {
                r.inputGradients[s * c.inputCount + i] = t.inputGradient[i]
                r.hessianVectorProducts[s * c.inputCount + i] = t.hessianVectorProduct[i]
            }
        }
        return r
    }

    static func same(_ a: SecondOrderResult, _ b: SecondOrderResult) -> Bool {
        func eq(_ x: [Double], _ y: [Double]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        }
        return eq(a.values, b.values) && eq(a.tangents, b.tangents) && eq(a.inputGradients, b.inputGradients)
            && eq(a.hessianVectorProducts, b.hessianVectorProducts)
    }

    @Test(arguments: [1, 9, 70])
    func matchesTheReferenceForEveryThreadCountStrategyAndLaneBlock(samples: Int) throws {
        for seed in [31, 32] as [UInt64] {
            let c = try RandomCircuits.make(seed: seed, inputs: 4, params: 2, nodes: 90, window: 25)
            let batch = RandomCircuits.batch(for: c, samples: samples, seed: seed)
            for rows in [samples, 1] {
                var g = GeneratorRandom(seed: seed &+ 100)
                let direction = Batch(sampleCount: rows, inputCount: c.inputCount,
                                      values: (0..<(rows * c.inputCount)).map { _ in g.uniform(-1, 1) })
                let expected = Self.reference(c, batch, direction)
                for threads in [1, 2, 3] {
                    for strategy in [.auto, .levels, .blocks] as [EvaluatorOptions.Strategy] {
                        for lanes in [nil, 1, 32] as [Int?] {
                            var options = EvaluatorOptions(threads: threads, pin: .none, laneBlock: lanes, strategy: strategy)
                            if strategy == .levels { options.minimumParallelWorkPerWorker = 0 }
                            let h = try HessianVectorEvaluator(circuit: c, options: options)
                            let r = try h.evaluate(batch, direction: direction)
                            let label = "seed \(seed) samples \(samples) rows \(rows) threads \(threads) \(strategy) lanes \(String(describing: lanes))"
                            #expect(Self.same(r, expected), "\(label)")
                            let f = try h.directionalDerivatives(batch, direction: direction)
                            #expect(f.values.map(\.bitPattern) == expected.values.map(\.bitPattern), "\(label)")
                            #expect(Self.same(SecondOrderResult(values: f.values, tangents: f.tangents), 
                                              SecondOrderResult(values: expected.values, tangents: expected.tangents)), "\(label)")
                            // The gradient part equals the ordinary evaluation.
                            let plain = try h.evaluator.evaluate(batch)
                            #expect(plain.values.map(\.bitPattern) == r.values.map(\.bitPattern), "\(label)")
                            #expect(zip(plain.inputGradients, r.inputGradients).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }, "\(label)")
                        }
                    }
                }
            }
        }
    }
}

extension SecondOrderResult {
    /// Forward-mode results only (for comparisons).
    init(values: [Double], tangents: [Double]) {
        self.init(sampleCount: values.count, inputCount: 0)
        self.values = values
        self.tangents = tangents
        inputGradients = []
        hessianVectorProducts = []
    }
}
