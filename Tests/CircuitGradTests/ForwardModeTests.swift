import Foundation
import Testing
@testable import CircuitGrad

/// Forward mode (tangents) against reverse mode: `∇f · d` two independent ways.
@Suite struct ForwardModeTests {
    @Test func unitDirectionsGiveTheWorkedExampleGradient() throws {
        // f = (x + y)·z at (−2, 5, −4): ∇f = (−4, −4, 3); the tangent along eᵢ is ∂f/∂xᵢ.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y"), z = b.input("z")
        let e = ReferenceEvaluator(circuit: try b.build(output: (x + y) * z))
        let unit: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        #expect(unit.map { e.directionalDerivative(inputs: [-2, 5, -4], inputDirection: $0) } == [-4, -4, 3])
    }

    @Test func parameterDirections() throws {
        // f = w·x + w² with w = 3 (param), x = 2: ∂f/∂w = x + 2w = 8, ∂f/∂x = w = 3.
        // Along (dx, dw) = (1, 0.5): 3 + 4 = 7.
        let b = CircuitBuilder()
        let x = b.input("x"), w = b.param("w", 3)
        let e = ReferenceEvaluator(circuit: try b.build(output: w * x + Wire.square(w)))
        #expect(e.directionalDerivative(inputs: [2], inputDirection: [1], paramDirection: [0.5]) == 7)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func agreesWithReverseOnRandomCircuits(seed: UInt64) throws {
        let circuit = try RandomCircuits.make(seed: seed, inputs: 4, params: 2, nodes: 40)
        let batch = try RandomCircuits.batch(for: circuit, samples: 3, seed: seed)
        var rng = GeneratorRandom(seed: seed, stream: 2)
        let e = ReferenceEvaluator(circuit: circuit)
        for s in 0..<batch.sampleCount {
            let g = e.wireGradients(sample: s, of: batch)
            for _ in 0..<3 {
                let dIn = (0..<circuit.inputCount).map { _ in rng.uniform(-1, 1) }
                let dPar = (0..<circuit.paramCount).map { _ in rng.uniform(-1, 1) }
                var dot = 0.0, magnitude = 0.0
                for (i, d) in (dIn + dPar).enumerated() { dot += g[i] * d; magnitude += Swift.abs(g[i] * d) }
                let tangent = e.directionalDerivative(sample: s, of: batch, inputDirection: dIn, paramDirection: dPar)
                #expect(dot.isFinite && tangent.isFinite)
                #expect(Swift.abs(tangent - dot) <= 1e-11 * Swift.max(magnitude, 1e-300), "seed \(seed) sample \(s)")
            }
        }
    }
}
