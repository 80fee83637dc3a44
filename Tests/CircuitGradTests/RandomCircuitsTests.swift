import Testing
@testable import CircuitGrad

/// The tests' random-circuit maker keeps its promises, since the engine, schedule and gradient
/// tests rely on them: every op, explicit splits and a split of a split output, dead nodes,
/// ties (a max or min reading one value twice), and finite values and gradients on its batches.
@Suite struct RandomCircuitsTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func coversWhatTheTestsNeed(seed: UInt64) throws {
        for (nodes, window) in [(30, 12), (70, 12), (300, 60)] {
            let c = try RandomCircuits.make(seed: seed, inputs: 4, params: 2, nodes: nodes, window: window)
            let label = "seed \(seed) nodes \(nodes)"
            #expect(Set(c.ops) == Set(Op.allCases), "\(label)")
            #expect(c.explicitSplitterCount >= 2, "\(label)")
            let splitOfSplit = (0..<c.explicitSplitterCount).contains { s in
                if case .splitter = c.producer(of: Int(c.splitterSource[s])) { true } else { false }
            }
            #expect(splitOfSplit, "\(label)")
            #expect(c.nodeIsLive.contains(false), "\(label)")
            let tie = (0..<c.nodeCount).contains { n in
                guard c.ops[n] == .max || c.ops[n] == .min else { return false }
                let values = c.arguments(of: n).map { c.wireValue[Int($0)] }
                return Set(values).count < values.count
            }
            #expect(tie, "\(label)")
            let batch = try RandomCircuits.batch(for: c, samples: 5, seed: seed)
            let reference = ReferenceEvaluator(circuit: c)
            for s in 0..<batch.sampleCount {
                let trace = reference.trace(sample: s, of: batch)
                #expect(trace.values.allSatisfy { $0.isFinite && Swift.abs($0) < 1e6 }, "\(label) sample \(s)")
                #expect(trace.wireGradients.allSatisfy { $0.isFinite }, "\(label) sample \(s)")
            }
        }
    }
}
