import Foundation
import Testing
@testable import CircuitGrad

/// The second-order chunk kernels of `sub`, `div`, `pow`, `max`, `min`, `mul` with three or more
/// arguments and the cheap one-argument ops (`TangentKernels+Partials.swift`): Hessian-vector
/// products derived by hand, and the reference's bits on special values at every lane block.
@Suite struct TangentChunkKernelTests {
    /// H·d of `op` over inputs `point` along `direction`, on the engine with `lanes` lanes.
    static func product(_ op: Op, _ point: [Double], _ direction: [Double], lanes: Int? = nil) throws -> [Double] {
        let b = CircuitBuilder()
        let x = point.indices.map { b.input("x\($0)") }
        let circuit = try b.build(output: b.node(op, x))
        let hvp = try HessianVectorEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 1, laneBlock: lanes))
        let r = try hvp.evaluate(try Batch(rows: [point], inputCount: point.count), direction: try Batch(rows: [direction], inputCount: point.count))
        return r.hessianVectorProducts
    }

    static func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }
    }

    @Test(arguments: [1, 8])
    func productsAreTheHandDerivedOnes(lanes: Int) throws {
        // x / y at (3, 2): H = [[0, −1/y²], [−1/y², 2x/y³]] = [[0, −¼], [−¼, ¾]]; along (1, 1): (−¼, ½).
        #expect(try Self.product(.div, [3, 2], [1, 1], lanes: lanes) == [-0.25, 0.5])
        // x^y at (2, 3): f_xx = y(y−1)x^(y−2) = 12, f_xy = x^(y−1)(1 + y ln x) = 4 + 12 ln 2,
        // f_yy = x^y ln²x = 8 ln²2; along (1, 2): (12 + 2 f_xy, f_xy + 2 f_yy).
        let fxy = 4 + 12 * Foundation.log(2.0), fyy = 8 * Foundation.log(2.0) * Foundation.log(2.0)
        let pow = try Self.product(.pow, [2, 3], [1, 2], lanes: lanes)
        #expect(Self.close(pow, [12 + 2 * fxy, fxy + 2 * fyy]), "\(pow)")
        // xyz at (2, 3, 5): H = [[0, z, y], [z, 0, x], [y, x, 0]]; along (1, −1, 2): (−5 + 6, 5 + 4, 3 − 2).
        #expect(try Self.product(.mul, [2, 3, 5], [1, -1, 2], lanes: lanes) == [1, 9, 1])
        // wxyz at (1, 2, 3, 4) along (1, 0, 0, 0): row 0 of H is (0, yz, xz, xy) = (0, 12, 8, 6).
        #expect(try Self.product(.mul, [1, 2, 3, 4], [1, 0, 0, 0], lanes: lanes) == [0, 12, 8, 6])
        // Piecewise-linear and linear ops have a zero Hessian.
        #expect(try Self.product(.sub, [3, 2], [1, 1], lanes: lanes) == [0, 0])
        #expect(try Self.product(.max, [1, 5, 2, 5], [1, 1, 1, 1], lanes: lanes) == [0, 0, 0, 0])
        #expect(try Self.product(.min, [1, 5, 2], [1, 1, 1], lanes: lanes) == [0, 0, 0])
        // 1/x at 2: f'' = 2/x³ = ¼; x² has f'' = 2.
        #expect(try Self.product(.recip, [2], [3], lanes: lanes) == [0.75])
        #expect(try Self.product(.square, [-7], [3], lanes: lanes) == [6])
    }

    static let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -1, 1e308, -1e308, 2, 0.5, 3, .leastNormalMagnitude / 4]

    /// `out = mul(node, x1)` with `node = op(x0, x0, x1, …)` (fan-out into the node and past it),
    /// so the node's upstream gradient and its tangent both vary by sample.
    static func circuit(_ op: Op, arity: Int) throws -> Circuit {
        let b = CircuitBuilder()
        let x = (0..<max(arity, 2)).map { b.input("x\($0)") }
        let args = arity == 1 ? [x[0]] : Array(([x[0]] + x).prefix(arity))
        let node = b.node(op, args, constant: 1.5)   // the number is read only by ops that take one
        return try b.build(output: b.node(.mul, [node, x[1]]))
    }

    @Test(arguments: [(Op.sub, 2), (.div, 2), (.pow, 2), (.max, 2), (.max, 4), (.min, 2), (.min, 3), (.mul, 3), (.mul, 5),
                      (.neg, 1), (.recip, 1), (.square, 1), (.relu, 1), (.abs, 1), (.offset, 1)])
    func specialValuesGiveTheReferenceBits(op: Op, arity: Int) throws {
        let c = try Self.circuit(op, arity: arity)
        var rng = GeneratorRandom(seed: UInt64(arity) &* 31 &+ UInt64(op.rawValue))
        func entry() -> Double {
            rng.next() % 2 == 0 ? Self.specials[Int(rng.next() % UInt64(Self.specials.count))] : rng.uniform(-3, 3)
        }
        let n = c.inputCount, samples = 700
        let batch = try Batch(rows: (0..<samples).map { _ in (0..<n).map { _ in entry() } }, inputCount: n)
        let direction = try Batch(rows: (0..<samples).map { _ in (0..<n).map { _ in rng.uniform(-1, 1) } }, inputCount: n)
        let expected = HessianVectorEngineTests.reference(c, batch, direction)
        for lanes in [1, 8, 16, 64] {
            let h = try HessianVectorEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, laneBlock: lanes))
            let same = try h.evaluate(batch, direction: direction).isBitwiseEqual(to: expected)
            #expect(same, "\(op.name)/\(arity), \(lanes) lanes")
            let f = try h.directionalDerivatives(batch, direction: direction)
            #expect(sameBits(f.tangents, expected.tangents), "\(op.name)/\(arity) forward mode, \(lanes) lanes")
        }
    }
}
