import Testing
@testable import CircuitGrad

/// Every generated circuit evaluates to finite numbers on its generated batch, and the
/// reference evaluator's gradients agree with central differences of the output.
@Suite("Generator gradients")
struct GeneratorGradientTests {
    /// |a − b| ≤ 1e-6·max(|a|, |b|) + 1e-8: central differences with h ≈ 1e-6 are good to
    /// about 1e-9 here (h² times a third derivative of order 1, plus rounding ε/h).
    func close(_ a: Double, _ b: Double) -> Bool {
        Swift.abs(a - b) <= 1e-6 * Swift.max(Swift.abs(a), Swift.abs(b)) + 1e-8
    }

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
        let evaluator = ReferenceEvaluator(circuit: circuit)
        let result = try evaluator.evaluate(batch)
        func output(_ inputs: [Double], _ e: ReferenceEvaluator) -> Double {
            e.trace(inputs: inputs).outputValue
        }
        for s in 0..<batch.sampleCount {
            let row = Array(batch.row(s))
            for i in 0..<circuit.inputCount {
                let h = 1e-6 * Swift.max(1, Swift.abs(row[i]))
                var up = row, down = row
                up[i] += h
                down[i] -= h
                let numeric = (output(up, evaluator) - output(down, evaluator)) / (up[i] - down[i])
                let analytic = result.inputGradients[s * circuit.inputCount + i]
                #expect(close(analytic, numeric), "\(kind) sample \(s) d/d\(circuit.inputNames[i]): \(analytic) vs \(numeric)")
            }
        }
        // Parameter gradients are summed over the batch: compare with the summed differences.
        for p in 0..<circuit.paramCount {
            let value = circuit.paramValues[p]
            let h = 1e-6 * Swift.max(1, Swift.abs(value))
            var up = circuit.paramValues, down = circuit.paramValues
            up[p] += h
            down[p] -= h
            let eu = evaluator.with(paramValues: up), ed = evaluator.with(paramValues: down)
            var numeric = 0.0
            for s in 0..<batch.sampleCount {
                let row = Array(batch.row(s))
                numeric += (output(row, eu) - output(row, ed)) / (up[p] - down[p])
            }
            #expect(close(result.paramGradients[p], numeric), "\(kind) d/d\(circuit.paramNames[p])")
        }
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
