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
        let e = ReferenceEvaluator(circuit: try b.build(output: w * x + square(w)))
        #expect(e.directionalDerivative(inputs: [2], inputDirection: [1], paramDirection: [0.5]) == 7)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func agreesWithReverseOnRandomCircuits(seed: UInt64) throws {
        var rng = GeneratorRandom(seed: seed)
        let (circuit, batch) = try OracleRandomCircuits.make(nodeCount: 40, inputCount: 4, paramCount: 2, sampleCount: 3, rng: &rng)
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

/// Random circuits for tests, built with ``CircuitBuilder``: every op, fan-out, explicit splits,
/// params, consts and dead nodes, with values kept finite (log/sqrt/pow only of `offset(square …)`
/// or `exp` wires, which are positive; exp only of bounded `tanh`/`sin`/`sigmoid` wires).
enum OracleRandomCircuits {
    static func make(nodeCount: Int, inputCount: Int, paramCount: Int, sampleCount: Int,
                     rng: inout GeneratorRandom) throws -> (Circuit, Batch) {
        let b = CircuitBuilder()
        var pool: [Wire] = (0..<inputCount).map { b.input("x\($0)") }
        for p in 0..<paramCount { pool.append(b.param("w\(p)", rng.uniform(-1, 1))) }
        pool.append(b.constant(0.75))
        func pick() -> Wire { pool[Int(rng.next() % UInt64(pool.count))] }
        /// A bounded wire in (−1, 1) built from any wire.
        func bounded() -> Wire {
            switch rng.next() % 3 {
            case 0: return tanh(pick())
            case 1: return sin(pick())
            default: return sigmoid(pick())
            }
        }
        /// A positive wire ≥ 0.5: offset of a square, or exp of a bounded wire.
        func positive() -> Wire { rng.next() % 2 == 0 ? square(bounded()) + 0.5 : exp(bounded()) }
        var splitCount = 0
        for _ in 0..<nodeCount {
            let op = Op.allCases[Int(rng.next() % UInt64(Op.allCases.count))]
            let w: Wire
            switch op {
            case .add, .mul, .max, .min:
                w = b.node(op, (0..<(2 + Int(rng.next() % 2))).map { _ in bounded() })
            case .sub: w = b.node(.sub, [pick(), pick()])
            case .div: w = b.node(.div, [bounded(), positive()])
            case .pow: w = b.node(.pow, [positive(), bounded()])
            case .sqrt, .log, .recip: w = b.node(op, [positive()])
            case .powc: w = b.node(.powc, [positive()], constant: 1.5)
            case .exp, .square: w = b.node(op, [bounded()])
            case .scale: w = b.node(.scale, [pick()], constant: 0.5)
            case .offset: w = b.node(.offset, [pick()], constant: -0.25)
            case .const: w = b.constant(rng.uniform(-1, 1))
            case .neg, .sin, .cos, .tanh, .sigmoid, .relu, .abs: w = b.node(op, [pick()])
            }
            pool.append(w)
            if rng.next() % 8 == 0 {
                splitCount += 1
                let outs = b.split(pick(), into: ["s\(splitCount)a", "s\(splitCount)b"])
                pool.append(contentsOf: outs)
            }
        }
        // Output: a sum of the last few wires (everything else that is not reached is dead).
        let out = b.sum(Array(pool.suffix(4)).map { tanh($0) })
        let values = (0..<(sampleCount * inputCount)).map { _ in 2 * rng.uniform(-1, 1) }
        return (try b.build(output: out), try Batch(sampleCount: sampleCount, inputCount: inputCount, values: values))
    }
}
