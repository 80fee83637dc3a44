import Testing
@testable import CircuitGrad

/// Every generated circuit evaluates to finite numbers on its generated batch, and the
/// reference evaluator's gradients agree with central differences of the output.
@Suite("Generator gradients")
struct GeneratorGradientTests {
    @Test("Finite values and gradients on the generated batch", arguments: GeneratorSamples.shapes.map(\.0))
    func finite(kind: String) throws {
        let shape = try #require(GeneratorSamples.shapes.first { $0.0 == kind }?.1)
        let circuit = try shape.circuit(seed: 11)
        let batch = try shape.batch(samples: 16, seed: 11)
        let result = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
        #expect(result.values.allSatisfy { $0.isFinite })
        #expect(result.inputGradients.allSatisfy { $0.isFinite })
        #expect(result.paramGradients.allSatisfy { $0.isFinite })
        // Every node value stays finite too (not just the output).
        let evaluator = ReferenceEvaluator(circuit: circuit)
        for s in 0..<batch.sampleCount {
            #expect(evaluator.forwardValues(sample: s, of: batch).allSatisfy { $0.isFinite })
        }
    }

    @Test("Input and parameter gradients match central differences", arguments: GeneratorSamples.shapes.map(\.0))
    func centralDifferences(kind: String) throws {
        let shape = try #require(GeneratorSamples.shapes.first { $0.0 == kind }?.1)
        let circuit = try shape.circuit(seed: 11)
        let batch = try shape.batch(samples: 3, seed: 11)
        // Every input and parameter of every sample, within 1e-6 relative (central differences
        // with h ≈ 6e-6 are good to about 1e-10 here: h² times a third derivative of order 1).
        var options = GradientCheck.Options()
        options.relativeTolerance = 1e-6
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: circuit), on: batch, options: options)
        #expect(report.passed, "\(kind): \(report)")
        #expect(report.skipped.isEmpty, "\(kind): \(report)")
        let coordinates = report.comparisons.filter { if case .direction = $0.coordinate { false } else { true } }
        #expect(coordinates.count == batch.sampleCount * (circuit.inputCount + circuit.paramCount))
    }

    @Test("The reference GradientCheck passes on every kind's generated batch (central differences and forward mode)",
          arguments: GeneratorSamples.shapes.map(\.0))
    func gradientCheck(kind: String) throws {
        let shape = try #require(GeneratorSamples.shapes.first { $0.0 == kind }?.1)
        let circuit = try shape.circuit(seed: 23)
        let batch = try shape.batch(samples: 4, seed: 23)
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: circuit), on: batch)
        #expect(report.passed, "\(report)")
        #expect(report.comparisons.count >= batch.sampleCount * circuit.inputCount / 2)
    }

    @Test("Deep layered circuits keep every value in [−1, 1] and away from underflow")
    func layeredStaysBounded() throws {
        let shape = LayeredShape(nodes: 20_000, width: 8)   // about 2000 layers deep
        let circuit = try shape.circuit(seed: 5)
        let batch = try shape.batch(samples: 2, seed: 5)
        let values = ReferenceEvaluator(circuit: circuit).forwardValues(sample: 0, of: batch)
        // Unit outputs stay in [−1, 1]; an add of k unit outputs (before its scale 1/k) in [−k, k].
        for n in 0..<circuit.nodeCount {
            let bound = circuit.ops[n] == .add ? Double(circuit.arguments(of: n).count) : 1
            #expect(Swift.abs(values[circuit.nodeWire(n)]) <= bound * (1 + 1e-12), "\(circuit.nodeNames[n])")
        }
        let lastLayer = values.suffix(100)
        #expect(lastLayer.filter { Swift.abs($0) > 1e-3 }.count > 50)
    }
}
