import Foundation
import Testing
@testable import CircuitGrad

/// The step loop: trajectories the same bits for any thread count, equal to a loop over the
/// reference's gradients, and stopping after a step.
@Suite struct TrainerTests {
    /// A small MLP-as-gates and a data set for it.
    static func problem() throws -> (Circuit, Batch) {
        let c = try MLPShape(layerSizes: [2, 5, 1], activation: .tanh).circuit(seed: 4, progress: nil)
        var g = GeneratorRandom(seed: 9)
        let rows = (0..<45).map { _ -> [Double] in
            let x0 = g.uniform(-1, 1), x1 = g.uniform(-1, 1)
            return [x0, x1, 0.5 + 0.25 * x0 * x1]
        }
        return (c, try Batch(rows: rows, inputCount: 3))
    }

    /// Runs `epochs` epochs; returns the per-step losses and the final parameters.
    static func train(_ c: Circuit, _ data: Batch, threads: Int?, kind: OptimizerSettings.Kind, epochs: Int = 3,
                      gradient: Trainer.MinibatchGradient? = nil) throws -> ([Double], [Double]) {
        var settings = OptimizerSettings(kind: kind, learningRate: 0.05)
        settings.weightDecay = 0.001
        settings.clipNorm = 2
        let trainer = try Trainer(parameters: c.paramValues, optimizer: settings.makeTransform(parameterCount: c.paramCount),
                                  sampleCount: data.sampleCount, batchSize: 8, order: .seeded(5))
        var losses: [Double] = []
        let source = try EngineMinibatchGradient(
            evaluator: CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: threads ?? 1, pin: .none)), data: data)
        try trainer.run(epochs: epochs, gradient: gradient ?? source.sums) { losses.append($0.loss); return true }
        return (losses, trainer.parameters)
    }

    @Test func trajectoriesAreTheSameBitsForOneTwoAndThreeThreads() throws {
        let (c, data) = try Self.problem()
        for kind in OptimizerSettings.Kind.allCases {
            let one = try Self.train(c, data, threads: 1, kind: kind)
            #expect(one.0.count == 3 * 6)   // 45 samples in minibatches of 8: 6 steps an epoch
            #expect(one.0.last! < one.0.first!, "\(kind) should learn")
            for t in [2, 3] {
                let other = try Self.train(c, data, threads: t, kind: kind)
                #expect(other.0.map(\.bitPattern) == one.0.map(\.bitPattern), "\(kind) losses, \(t) threads")
                #expect(other.1.map(\.bitPattern) == one.1.map(\.bitPattern), "\(kind) parameters, \(t) threads")
            }
        }
    }

    @Test func equalsTheSameLoopOverTheReferenceGradients() throws {
        let (c, data) = try Self.problem()
        let reference: Trainer.MinibatchGradient = { indices, params in
            let rows = indices.map { Array(data.row($0)) }
            let r = try ReferenceEvaluator(circuit: c, paramValues: params).evaluate(try Batch(rows: rows, inputCount: 3))
            return Trainer.MinibatchSums(lossSum: PairwiseSum.sum(r.values), gradientSum: r.paramGradients, sampleCount: rows.count)
        }
        let engine = try Self.train(c, data, threads: 2, kind: .adam)
        let oracle = try Self.train(c, data, threads: 2, kind: .adam, gradient: reference)
        #expect(engine.0.map(\.bitPattern) == oracle.0.map(\.bitPattern))
        #expect(engine.1.map(\.bitPattern) == oracle.1.map(\.bitPattern))
    }

    @Test func fileOrderAndStoppingAfterAStep() throws {
        let (c, data) = try Self.problem()
        var seen: [ArraySlice<Int>] = []
        let trainer = try Trainer(parameters: c.paramValues, optimizer: OptimizerSettings(kind: .sgd, learningRate: 0.1)
            .makeTransform(parameterCount: c.paramCount), sampleCount: data.sampleCount, batchSize: 20)
        let source = try EngineMinibatchGradient(evaluator: CircuitEvaluator(circuit: c), data: data)
        let finished = try trainer.run(epochs: 5, gradient: { seen.append($0); return try source.sums($0, $1) }) { $0.step < 4 }
        #expect(!finished && trainer.stepCount == 4)
        #expect(seen.map { Array($0) } == [Array(0..<20), Array(20..<40), Array(40..<45), Array(0..<20)])
        #expect(trainer.parameters != c.paramValues)
    }
}
