import Foundation
import Testing
import CircuitGrad

/// The public entry points a program uses (the generator's one entry point, the optimizer
/// stages, the trainer on the engine, the typed errors), checked against answers worked out
/// by hand, and the settings a caller can get wrong: each throws a `CircuitError` of the
/// documented kind instead of stopping the program.
@Suite struct PublicAPITests {
    func kind(_ body: () throws -> Void) -> CircuitError.Kind? {
        do { try body(); return nil } catch let e as CircuitError { return e.kind } catch { return .internal }
    }

    /// loss = (w − t)² with input t and parameter w = 0.
    static func squaredDistance() throws -> Circuit {
        let b = CircuitBuilder()
        let t = b.input("t"), w = b.param("w", 0)
        return try b.build(output: Wire.square(w - t))
    }

    @Test func sgdByTheTrainerFollowsTheClosedForm() throws {
        // ∂loss/∂w = 2(w − 1) at t = 1; w ← w − 0.25·2(w − 1) halves the distance to 1 each step.
        let c = try Self.squaredDistance()
        let evaluator = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, pin: .none))
        let trainer = try Trainer(evaluator: evaluator, data: try Batch(rows: [[1]], inputCount: 1), optimizer: .scale(-0.25))
        var steps: [(Int, Int, Double)] = []
        let finished = try trainer.run(epochs: 3) { steps.append(($0.step, $0.epoch, $0.loss)); return true }
        #expect(finished)
        #expect(steps.map(\.0) == [1, 2, 3] && steps.map(\.1) == [1, 2, 3])
        #expect(steps.map(\.2) == [1, 0.25, 0.0625])          // the loss before each update
        #expect(trainer.parameters == [0.875])                 // 0.5, 0.75, 0.875
        let trained = try c.withParameterValues(trainer.parameters)
        #expect(trained.paramValues == [0.875] && c.paramValues == [0])
        // The evaluator is left at the parameters reached.
        #expect(evaluator.parameterValues == [0.875])
        // Stopping after the first step keeps its update (starting from the evaluator's parameters).
        try evaluator.setParameters([0])
        let again = try Trainer(evaluator: evaluator, data: try Batch(rows: [[1]], inputCount: 1), optimizer: .scale(-0.25))
        #expect(try again.run(epochs: 3) { _ in false } == false)
        #expect(again.parameters == [0.5])
    }

    @Test func chainedStagesApplyInOrder() throws {
        // Momentum 0.5 then scale −0.25 on loss (w − 1)², w = 0: g₁ = −2 → v = −2, w = 0.5;
        // g₂ = −1 → v = 0.5·(−2) − 1 = −2, w = 1.0; g₃ = 0 → v = −1, w = 1.25.
        let c = try Self.squaredDistance()
        let evaluator = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, pin: .none))
        let optimizer = try Optimizer.chain([.momentum(0.5), .scale(-0.25)])
        let trainer = try Trainer(evaluator: evaluator, data: try Batch(rows: [[1]], inputCount: 1), optimizer: optimizer)
        try trainer.run(epochs: 3)
        #expect(trainer.parameters == [1.25])
        // The next trainer starts where the last one left the evaluator. An empty chain leaves the
        // updates as they are, so w ← w + g: g = 2(1.25 − 1) = 0.5 → 1.75; g = 1.5 → 3.25.
        #expect(evaluator.parameterValues == [1.25])
        let still = try Trainer(evaluator: evaluator, data: try Batch(rows: [[1]], inputCount: 1), optimizer: .chain([]))
        try still.run(epochs: 2)
        #expect(still.parameters == [3.25])
    }

    @Test func minibatchesAndShufflingCoverEverySampleOncePerEpoch() throws {
        let c = try Self.squaredDistance()
        let evaluator = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, pin: .none))
        let data = try Batch(rows: [[1], [2], [3], [4], [5]], inputCount: 1)
        let trainer = try Trainer(evaluator: evaluator, data: data, optimizer: .scale(0), batchSize: 2, shuffleSeed: 3)
        var losses: [Double] = []
        try trainer.run(epochs: 2) { losses.append($0.loss); return true }
        // w stays 0 (scale 0): each minibatch's mean loss is the mean of t² over its samples;
        // three minibatches per epoch (2, 2, 1), together every sample once.
        #expect(losses.count == 6)
        for epoch in 0..<2 {
            let l = losses[(3 * epoch)..<(3 * epoch + 3)]
            #expect([1, 4, 9, 16, 25].contains(l[3 * epoch + 2]))                    // the last minibatch: one sample
            #expect(2 * l[3 * epoch] + 2 * l[3 * epoch + 1] + l[3 * epoch + 2] == 55)   // 1 + 4 + 9 + 16 + 25
        }
    }

    @Test func badTrainingSettingsThrowInsteadOfTrapping() throws {
        let c = try Self.squaredDistance()
        let evaluator = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, pin: .none))
        let data = try Batch(rows: [[1]], inputCount: 1)
        #expect(kind { _ = try Optimizer.scale(.nan) } == .invalidArgument)
        #expect(kind { _ = try Optimizer.addDecayedWeights(-1) } == .invalidArgument)
        #expect(kind { _ = try Optimizer.clipByGlobalNorm(0) } == .invalidArgument)
        #expect(kind { _ = try Optimizer.momentum(1) } == .invalidArgument)
        #expect(kind { _ = try Optimizer.scaleByAdam(beta1: -0.1) } == .invalidArgument)
        #expect(kind { _ = try Optimizer.scaleByAdam(beta2: 1) } == .invalidArgument)
        #expect(kind { _ = try Optimizer.scaleByAdam(epsilon: .infinity) } == .invalidArgument)
        #expect(kind { _ = try Optimizer.scaleByAdam() } == nil)
        #expect(kind { _ = try Trainer(evaluator: evaluator, data: data, optimizer: .scale(-1), batchSize: 0) } == .invalidArgument)
        #expect(kind { _ = try Trainer(evaluator: evaluator, data: try Batch(sampleCount: 0, inputCount: 1, values: []),
                                       optimizer: .scale(-1)) } == .batchShape)
        #expect(kind { _ = try Trainer(evaluator: evaluator, data: try Batch(rows: [[1, 2]], inputCount: 2),
                                       optimizer: .scale(-1)) } == .batchShape)
        #expect(kind { _ = try c.withParameterValues([1, 2]) } == .invalidArgument)
        #expect(kind { try evaluator.setParameters([]) } == .invalidArgument)
    }

    @Test func theGeneratorsOneEntryPointMakesEachShape() throws {
        // The logistic neuron with n features: n inputs, n + 1 parameters, n + 2 nodes.
        let logistic = try CircuitGenerator.generate(.logistic(features: 3), seed: 1)
        #expect(logistic.inputCount == 3 && logistic.paramCount == 4 && logistic.nodeCount == 5)
        // An MLP 2-3-1 with its squared loss: inputs x0 x1 and target y0; 3·(2+1) + (3+1) parameters.
        let mlp = try CircuitGenerator.generate(.mlp(layerSizes: [2, 3, 1]), seed: 1)
        #expect(mlp.inputNames == ["x0", "x1", "y0"] && mlp.paramCount == 13)
        // A binary tree of adds over 8 leaves: 7 nodes; a chain of 5: 5 nodes; a 2 × 3 grid: 12.
        #expect(try CircuitGenerator.generate(.tree(leaves: 8), seed: 1).nodeCount == 7)
        #expect(try CircuitGenerator.generate(.chain(length: 5), seed: 1).nodeCount == 5)
        #expect(try CircuitGenerator.generate(.grid(rows: 2, columns: 3), seed: 1).nodeCount == 12)
        let layered = try CircuitGenerator.generate(.layered(nodes: 200, params: 4), seed: 2)
        #expect(layered.paramCount == 4 && layered.nodeCount >= 150)
        // Same shape and seed, same circuit text; another seed, another circuit.
        let a = try CircuitWriter.text(of: CircuitGenerator.generate(.layered(nodes: 200), seed: 2))
        #expect(a == (try CircuitWriter.text(of: CircuitGenerator.generate(.layered(nodes: 200), seed: 2))))
        #expect(a != (try CircuitWriter.text(of: CircuitGenerator.generate(.layered(nodes: 200), seed: 3))))
    }

    @Test func badGeneratorSizesThrowInsteadOfTrapping() {
        #expect(kind { _ = try CircuitGenerator.generate(.layered(nodes: 0), seed: 1) } == .invalidArgument)
        #expect(kind { _ = try CircuitGenerator.generate(.layered(nodes: 10, params: -1), seed: 1) } == .invalidArgument)
        #expect(kind { _ = try CircuitGenerator.generate(.mlp(layerSizes: [3]), seed: 1) } == .invalidArgument)
        #expect(kind { _ = try CircuitGenerator.generate(.mlp(layerSizes: [2, 0, 1]), seed: 1) } == .invalidArgument)
        #expect(kind { _ = try CircuitGenerator.generate(.logistic(features: 0), seed: 1) } == .invalidArgument)
        #expect(kind { _ = try CircuitGenerator.generate(.tree(leaves: 1), seed: 1) } == .invalidArgument)
        #expect(kind { _ = try CircuitGenerator.generate(.tree(leaves: 4, fanIn: 1), seed: 1) } == .invalidArgument)
        #expect(kind { _ = try CircuitGenerator.generate(.chain(length: -5), seed: 1) } == .invalidArgument)
        #expect(kind { _ = try CircuitGenerator.generate(.grid(rows: 0, columns: 3), seed: 1) } == .invalidArgument)
        // Sizes whose wire counts overflow or pass the limit are refused before anything is built.
        #expect(kind { _ = try CircuitGenerator.generate(.layered(nodes: .max), seed: 1) } == .resourceLimit)
        #expect(kind { _ = try CircuitGenerator.generate(.mlp(layerSizes: [.max, .max]), seed: 1) } == .resourceLimit)
        #expect(kind { _ = try CircuitGenerator.generate(.logistic(features: .max), seed: 1) } == .resourceLimit)
        #expect(kind { _ = try CircuitGenerator.generate(.tree(leaves: 1 << 40), seed: 1) } == .resourceLimit)
        #expect(kind { _ = try CircuitGenerator.generate(.chain(length: .max), seed: 1) } == .resourceLimit)
        #expect(kind { _ = try CircuitGenerator.generate(.grid(rows: .max, columns: .max), seed: 1) } == .resourceLimit)
    }

    @Test func errorsSayWhereAndWhatKind() {
        do {
            _ = try CircuitReader.parse("circuit 1\ninput x\ny = sine x\noutput y\n", sourceName: "inline")
            Issue.record("an unknown op was accepted")
        } catch let e as CircuitError {
            #expect(e.kind == .unknownOp && e.file == "inline" && e.line == 3 && e.column == 5, "\(e)")
            #expect(e.description.hasPrefix("inline:3:5: ") && e.description.hasSuffix(e.message))
        } catch {
            Issue.record("not a CircuitError: \(error)")
        }
        // Errors not tied to a line have neither line nor column.
        do {
            _ = try Batch(rows: [[1]], inputCount: 2)
        } catch let e as CircuitError {
            #expect(e.kind == .invalidArgument && e.line == nil && e.column == nil && e.description == "<batch>: " + e.message)
        } catch {
            Issue.record("not a CircuitError: \(error)")
        }
    }

    @Test func gradientCheckAndHessianVectorProductsOfAKnownFunction() throws {
        // f = x²·y: ∇f = (2xy, x²); H = [[2y, 2x], [2x, 0]]. At (2, 3) along (1, 0.5):
        // ∇f = (12, 4), ∇f·d = 14, H·d = (8, 4).
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let c = try b.build(output: Wire.square(x) * y)
        let batch = try Batch(rows: [[2, 3]], inputCount: 2)
        #expect(try GradientCheck.run(c, on: batch).passed)
        #expect(kind { _ = try GradientCheck.run(c, on: batch, relativeTolerance: -1) } == .invalidArgument)
        #expect(kind { _ = try GradientCheck.run(c, on: try Batch(rows: [[1]], inputCount: 1)) } == .invalidArgument)
        let hvp = try HessianVectorEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, pin: .none))
        let r = try hvp.evaluate(batch, direction: try Batch(rows: [[1, 0.5]], inputCount: 2))
        #expect(r.sampleCount == 1 && r.inputCount == 2)
        #expect(r.values == [12] && r.inputGradients == [12, 4] && r.tangents == [14] && r.hessianVectorProducts == [8, 4])
        #expect(kind { _ = try hvp.evaluate(batch, direction: try Batch(rows: [[1, 0], [0, 1]], inputCount: 2)) } == .batchShape)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("public-api-hvp-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ResultsWriter.writeSamples(r, inputNames: c.inputNames, to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "value,d_x,d_y,hvp_x,hvp_y\n12.0,12.0,4.0,8.0,4.0\n")
        #expect(kind { try ResultsWriter.writeSamples(r, inputNames: ["x"], to: path) } == .invalidArgument)
    }
}
