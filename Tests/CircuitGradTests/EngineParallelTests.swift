import Foundation
import Testing
@testable import CircuitGrad

/// The engine against ``ReferenceEvaluator`` bit for bit, across thread counts, strategies,
/// pin modes and lane blocks.
@Suite struct EngineParallelTests {
    static let strategies: [EvaluatorOptions.Strategy] = [.auto, .levels, .blocks]

    @Test(arguments: [1, 7, 8, 1000])
    func matchesTheReferenceForEveryThreadCountAndStrategy(samples: Int) throws {
        let seeds: [UInt64] = samples == 1000 ? [21] : [11, 12, 13, 14]
        for seed in seeds {
            let c = try RandomCircuits.make(seed: seed, inputs: 5, params: 3, nodes: samples == 1000 ? 60 : 120,
                                            window: 30)
            let batch = try RandomCircuits.batch(for: c, samples: samples, seed: seed)
            let reference = try ReferenceEvaluator(circuit: c).evaluate(batch)
            var first: EvaluationResult?
            for threads in [1, 2, 3, 4] {
                for strategy in Self.strategies {
                    for lanes in [nil, 1, 8, 32] as [Int?] {
                        var options = EvaluatorOptions(threads: threads, pin: threads == 3 ? .none : .core,
                                                       laneBlock: lanes, strategy: strategy)
                        // Split every level of two or more nodes, so these small circuits exercise
                        // the level strategy's cuts and barriers.
                        if strategy == .levels { options.minimumParallelWorkPerWorker = 0 }
                        let e = try CircuitEvaluator(circuit: c, options: options)
                        if strategy == .levels && threads > 1 {
                            #expect(e.planDescription(sampleCount: samples).parallelSegments > 0)
                        }
                        let r = try e.evaluate(batch)
                        let label = "seed \(seed) samples \(samples) threads \(threads) \(strategy) lanes \(String(describing: lanes))"
                        #expect(sameBits(r, reference), "\(label)")
                        if let f = first { #expect(sameBits(r, f), "\(label)") }
                        first = first ?? r
                    }
                }
            }
        }
    }

    @Test func wideLevelsRunInParallelAndAgree() throws {
        // 8000-wide layers at batch 1: `--strategy levels` splits every level; the automatic
        // choice keeps these cheap levels whole (moving their values between cores costs more).
        let shape = LayeredShape(nodes: 24_000, width: 8000)
        let c = try CircuitGenerator.layered(shape, seed: 5)
        let batch = try shape.batch(samples: 1, seed: 6)
        let reference = try ReferenceEvaluator(circuit: c).evaluate(batch)
        let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 2, strategy: .levels))
        let d = e.planDescription(sampleCount: 1)
        if e.threadCount == 2 {
            #expect(d.strategy == .levels)
            #expect(d.parallelSegments > 0)
            let automatic = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 2))
            #expect(automatic.planDescription(sampleCount: 1).strategy == .serial)
            #expect(sameBits(try automatic.evaluate(batch), reference))
        }
        #expect(sameBits(try e.evaluate(batch), reference))
        let batch64 = try shape.batch(samples: 64, seed: 7)
        let reference64 = try ReferenceEvaluator(circuit: c).evaluate(batch64)
        for strategy in Self.strategies {
            let e2 = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 2, strategy: strategy))
            #expect(sameBits(try e2.evaluate(batch64), reference64), "\(strategy)")
        }
    }

    @Test func chainAtBatchOneUsesNoParallelSegments() throws {
        let c = try CircuitGenerator.chain(ChainShape(length: 2000), seed: 1)
        let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 2))
        let d = e.planDescription(sampleCount: 1)
        #expect(d.parallelSegments == 0)
        #expect(d.strategy == .serial)
        let batch = try ChainShape(length: 2000).batch(samples: 1, seed: 2)
        #expect(sameBits(try e.evaluate(batch), try ReferenceEvaluator(circuit: c).evaluate(batch)))
    }

    @Test func progressReachesTheTotal() throws {
        let c = try RandomCircuits.make(seed: 3)
        let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, laneBlock: 8))
        var calls: [(Int, Int)] = []
        e.progress = { calls.append(($0, $1)) }
        _ = try e.evaluate(RandomCircuits.batch(for: c, samples: 20, seed: 1))
        #expect(calls.map(\.0) == [8, 16, 20, 20])
        #expect(calls.allSatisfy { $0.1 == 20 })
    }

    /// Second order reports its progress the same way (through the evaluator's `progress`).
    @Test func secondOrderProgressReachesTheTotal() throws {
        let c = try RandomCircuits.make(seed: 3)
        let batch = try RandomCircuits.batch(for: c, samples: 20, seed: 1)
        let direction = try Batch(rows: [[Double](repeating: 1, count: c.inputCount)], inputCount: c.inputCount)
        for strategy in [.auto, .levels] as [EvaluatorOptions.Strategy] {
            var options = EvaluatorOptions(threads: strategy == .levels ? 2 : 1, pin: .none, laneBlock: 8, strategy: strategy)
            options.minimumParallelWorkPerWorker = 0
            let h = try HessianVectorEvaluator(circuit: c, options: options)
            let calls = CallLog()
            h.evaluator.progress = { calls.append($0, $1) }
            _ = try h.evaluate(batch, direction: direction)
            #expect(calls.done == [8, 16, 20, 20], "\(strategy)")
            #expect(calls.totals.allSatisfy { $0 == 20 })
        }
    }

    /// Progress calls, from whichever thread makes them.
    final class CallLog: @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [(Int, Int)] = []
        func append(_ done: Int, _ total: Int) { lock.withLock { calls.append((done, total)) } }
        var done: [Int] { lock.withLock { calls.map(\.0) } }
        var totals: [Int] { lock.withLock { calls.map(\.1) } }
    }
}
