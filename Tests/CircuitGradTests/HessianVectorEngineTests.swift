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

    static func same(_ a: SecondOrderResult, _ b: SecondOrderResult) -> Bool { a.isBitwiseEqual(to: b) }

    @Test(arguments: [1, 9, 70])
    func matchesTheReferenceForEveryThreadCountStrategyAndLaneBlock(samples: Int) throws {
        for seed in [31, 32] as [UInt64] {
            let c = try RandomCircuits.make(seed: seed, inputs: 4, params: 2, nodes: 90, window: 25)
            let batch = try RandomCircuits.batch(for: c, samples: samples, seed: seed)
            for rows in [samples, 1] {
                var g = GeneratorRandom(seed: seed &+ 100)
                let direction = try Batch(sampleCount: rows, inputCount: c.inputCount,
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
                            #expect(sameBits(f.values, expected.values) && sameBits(f.tangents, expected.tangents), "\(label)")
                            // The gradient part equals the ordinary evaluation.
                            let plain = try h.evaluator.evaluate(batch)
                            #expect(sameBits(plain.values, r.values), "\(label)")
                            #expect(sameBits(plain.inputGradients, r.inputGradients), "\(label)")
                        }
                    }
                }
            }
        }
    }
}

/// The lane block of a Hessian-vector product: half the evaluation's (never below 8, never
/// against an explicit block), so primal and tangent rows take one evaluation block's bytes, with
/// the same bits as any other lane block.
@Suite struct TangentLaneBlockTests {
    @Test func tangentRowsTakeOneEvaluationBlocksBytes() throws {
        let c = try CircuitGenerator.generate(.layered(nodes: 3000), seed: 5)
        let h = try HessianVectorEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, pin: .none))
        let policy = h.evaluator.policy, plan = h.evaluator.storage.plan
        #expect(policy.choose(sampleCount: 64).lanes == 32)
        for samples in [64, 32, 16, 9, 1] {
            let lanes = policy.choose(sampleCount: samples).lanes
            let tangent = policy.chooseForTangents(sampleCount: samples)
            #expect(tangent.lanes == (lanes > 8 ? lanes / 2 : lanes), "\(samples) samples")
            #expect(2 * BlockWorkspace.bytes(plan: plan, lanes: tangent.lanes) <= BlockWorkspace.bytes(plan: plan, lanes: lanes)
                    || tangent.lanes == lanes, "\(samples) samples")
        }

        // An explicit lane block is kept; the bits do not depend on the block.
        let fixed = try HessianVectorEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, pin: .none, laneBlock: 32))
        #expect(fixed.evaluator.policy.chooseForTangents(sampleCount: 64).lanes == 32)
        let batch = try RandomCircuits.batch(for: c, samples: 64, seed: 6)
        var g = GeneratorRandom(seed: 7)
        let direction = try Batch(sampleCount: 1, inputCount: c.inputCount,
                                  values: (0..<c.inputCount).map { _ in g.uniform(-1, 1) })
        #expect(try h.evaluate(batch, direction: direction).isBitwiseEqual(to: fixed.evaluate(batch, direction: direction)))
    }

    /// A circuit that streams from memory (a chain) gets wide blocks for gradients but at most
    /// ``EvaluationPolicy/maximumTangentLanes`` for second order, whose rows are several times larger.
    @Test func streamingCircuitsKeepNarrowTangentBlocks() throws {
        let c = try CircuitGenerator.generate(.chain(length: 2000), seed: 5)
        let h = try HessianVectorEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, pin: .none))
        let policy = h.evaluator.policy
        #expect(policy.choose(sampleCount: 8192).lanes > 2 * EvaluationPolicy.maximumTangentLanes)
        #expect(policy.chooseForTangents(sampleCount: 8192).lanes == EvaluationPolicy.maximumTangentLanes)
    }
}

/// Gradients and second order alternate on one evaluator: each keeps its own plan's workspaces
/// (second order keeps a row per node, gradients share rows), and new parameters reach both.
@Suite struct AlternatingGradientAndSecondOrderTests {
    @Test func eachKeepsItsWorkspacesAndTheBitsOfAFreshEvaluator() throws {
        let c = try RandomCircuits.make(seed: 41, inputs: 4, params: 3, nodes: 200, window: 30)
        let batch = try RandomCircuits.batch(for: c, samples: 40, seed: 41)
        let direction = try Batch(rows: [[0.5, -1, 0.25, 2]], inputCount: 4)
        let options = EvaluatorOptions(threads: 2, pin: .none)
        let e = try CircuitEvaluator(circuit: c, options: options)
        let h = HessianVectorEvaluator(evaluator: e)
        _ = try e.evaluate(batch)
        let blockRows = e.cachedLayouts[ObjectIdentifier(e.blockStorage)]?.workspaces.map(ObjectIdentifier.init)
        _ = try h.evaluate(batch, direction: direction)
        let moved = c.paramValues.map { $0 * 0.5 - 0.25 }
        try e.setParameters(moved)
        let gradient = try e.evaluate(batch)
        let second = try h.evaluate(batch, direction: direction)
        #expect(e.cachedLayouts.count == 2)
        #expect(e.cachedLayouts[ObjectIdentifier(e.blockStorage)]?.workspaces.map(ObjectIdentifier.init) == blockRows)

        var fresh = c
        fresh.paramValues = moved
        let expected = try CircuitEvaluator(circuit: fresh, options: options).evaluate(batch)
        #expect(firstBitDifference(expected, gradient) == nil)
        let expectedSecond = try HessianVectorEvaluator(circuit: fresh, options: options).evaluate(batch, direction: direction)
        #expect(second.hessianVectorProducts.map(\.bitPattern) == expectedSecond.hessianVectorProducts.map(\.bitPattern))
        #expect(second.tangents.map(\.bitPattern) == expectedSecond.tangents.map(\.bitPattern))
    }
}
