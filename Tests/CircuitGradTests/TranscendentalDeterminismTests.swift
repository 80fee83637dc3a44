import Testing
@testable import CircuitGrad

/// Circuits of elementary functions give the same bits whatever the lane block (1, 8, 16, 64, 1024),
/// batch size (1, 7, 9, 1000: tails, single lanes, many blocks), thread count (1–4) and width
/// of the SLEEF calls, and those bits are the reference's.
@Suite(.serialized) struct TranscendentalDeterminismTests {
    static let ops: [Op] = [.exp, .log, .sin, .cos, .tanh, .sigmoid, .pow, .powc, .sqrt, .add, .mul, .sub, .neg]

    static func circuit() throws -> Circuit { try RandomCircuits.make(seed: 808, inputs: 5, params: 2, nodes: 120, ops: ops) }

    @Test func laneBlocksAndBatchSizes() throws {
        let c = try Self.circuit()
        for samples in [1, 7, 9, 1000] {
            let batch = try RandomCircuits.batch(for: c, samples: samples, seed: UInt64(samples))
            let reference = try ReferenceEvaluator(circuit: c).evaluate(batch)
            for lanes in [1, 8, 16, 64, 1024] {   // 1024: the largest, past the 1000 samples
                let engine = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, laneBlock: lanes)).evaluate(batch)
                let d = firstBitDifference(reference, engine, nan: .samePayload)
                #expect(d == nil, "batch \(samples), \(lanes) lanes: \(d ?? "")")
            }
        }
    }

    @Test func threadCountsAndStrategies() throws {
        let c = try Self.circuit()
        for samples in [9, 1000] {
            let batch = try RandomCircuits.batch(for: c, samples: samples, seed: 5)
            let reference = try ReferenceEvaluator(circuit: c).evaluate(batch)
            for threads in 1...4 {
                for strategy in [EvaluatorOptions.Strategy.blocks, .levels] {
                    let options = EvaluatorOptions(threads: threads, pin: .none, laneBlock: 16, strategy: strategy)
                    let engine = try CircuitEvaluator(circuit: c, options: options).evaluate(batch)
                    let d = firstBitDifference(reference, engine, nan: .samePayload)
                    #expect(d == nil, "batch \(samples), \(threads) threads, \(strategy): \(d ?? "")")
                }
            }
        }
    }

    /// The engine at every SLEEF width this CPU runs gives the bits of the start-up width.
    @Test func everyVectorWidthGivesTheSameBits() throws {
        let c = try Self.circuit()
        let batch = try RandomCircuits.batch(for: c, samples: 37, seed: 9)
        let evaluator = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, laneBlock: 16))
        let expected = try evaluator.evaluate(batch)
        var widths = 0
        for w in [8, 4, 2, 1] where ElementaryFunctions.forceWidth(w) {
            widths += 1
            let r = try evaluator.evaluate(batch)
            #expect(firstBitDifference(expected, r, nan: .samePayload) == nil, "SLEEF width \(w)")
        }
        _ = ElementaryFunctions.forceWidth(0)
        #expect(widths >= 2, "this CPU should run at least two widths")
    }
}
