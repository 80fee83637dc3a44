import Foundation
import Testing
@testable import CircuitGrad

/// Second derivatives: full Hessians assembled by the reference (Hessian-vector products along
/// the unit vectors) against closed forms derived by hand for every op, and Hessian-vector
/// products against central differences of the gradient on random circuits.
@Suite struct SecondOrderTests {
    /// `∂²f/∂x∂y` of f = g(x·y) at (x, y), from g′ and g″ at t = x·y: [[y²g″, g′ + xy·g″], [·, x²g″]].
    static func chain(_ x: Double, _ y: Double, _ d1: Double, _ d2: Double) -> [[Double]] {
        [[y * y * d2, d1 + x * y * d2], [d1 + x * y * d2, x * x * d2]]
    }

    /// (op, how f is built from inputs x and y, the point, the Hessian by hand).
    static func cases() -> [(String, (CircuitBuilder, Wire, Wire) -> Wire, [Double], [[Double]])] {
        let (x, y) = (0.7, 1.3), t = x * y
        let sig = 1 / (1 + Foundation.exp(-t)), th = Foundation.tanh(t)
        let zero: [[Double]] = [[0, 0], [0, 0]]
        return [
            ("add", { _, x, y in x + y + x }, [x, y], zero),
            ("sub", { _, x, y in x - y }, [x, y], zero),
            ("mul", { b, x, y in b.product([x, y, y]) }, [x, y], [[0, 2 * y], [2 * y, 2 * x]]),     // x·y²
            ("div", { _, x, y in x / y }, [x, y], [[0, -1 / (y * y)], [-1 / (y * y), 2 * x / (y * y * y)]]),
            ("neg", { b, x, y in b.node(.neg, [x * y]) }, [x, y], chain(x, y, -1, 0)),
            ("scale", { _, x, y in (x * y) * 3.0 }, [x, y], chain(x, y, 3, 0)),
            ("offset", { _, x, y in (x * y) + 2.0 }, [x, y], chain(x, y, 1, 0)),
            ("relu", { _, x, y in Wire.relu(x * y) }, [x, y], chain(x, y, 1, 0)),
            ("abs", { b, x, y in Wire.abs(b.node(.neg, [x * y])) }, [x, y], chain(x, y, 1, 0)),     // |−xy| = xy here
            ("max", { _, x, y in Wire.max(x * y, y) }, [x, y], zero),       // y > x·y here
            ("min", { _, x, y in Wire.min(x * y, y) }, [x, y], chain(x, y, 1, 0)),
            ("const", { b, x, y in x * y * b.constant(2) }, [x, y], chain(x, y, 2, 0)),
            ("recip", { _, x, y in Wire.recip(x * y) }, [x, y], chain(x, y, -1 / (t * t), 2 / (t * t * t))),
            ("square", { _, x, y in Wire.square(x * y) }, [x, y], chain(x, y, 2 * t, 2)),
            ("sqrt", { _, x, y in Wire.sqrt(x * y) }, [x, y], chain(x, y, 0.5 / t.squareRoot(), -0.25 / (t * t.squareRoot()))),
            ("exp", { _, x, y in Wire.exp(x * y) }, [x, y], chain(x, y, Foundation.exp(t), Foundation.exp(t))),
            ("log", { _, x, y in Wire.log(x * y) }, [x, y], chain(x, y, 1 / t, -1 / (t * t))),
            ("sin", { _, x, y in Wire.sin(x * y) }, [x, y], chain(x, y, Foundation.cos(t), -Foundation.sin(t))),
            ("cos", { _, x, y in Wire.cos(x * y) }, [x, y], chain(x, y, -Foundation.sin(t), -Foundation.cos(t))),
            ("tanh", { _, x, y in Wire.tanh(x * y) }, [x, y], chain(x, y, 1 - th * th, -2 * th * (1 - th * th))),
            ("sigmoid", { _, x, y in Wire.sigmoid(x * y) }, [x, y], chain(x, y, sig * (1 - sig), sig * (1 - sig) * (1 - 2 * sig))),
            ("powc", { b, x, y in b.node(.powc, [x * y], constant: 2.5) }, [x, y],
             chain(x, y, 2.5 * Foundation.pow(t, 1.5), 3.75 * Foundation.pow(t, 0.5))),
            ("pow", { b, x, y in b.node(.pow, [x, y]) }, [x, y], [
                [y * (y - 1) * Foundation.pow(x, y - 2), Foundation.pow(x, y - 1) * (1 + y * Foundation.log(x))],
                [Foundation.pow(x, y - 1) * (1 + y * Foundation.log(x)), Foundation.pow(x, y) * Foundation.log(x) * Foundation.log(x)]]),
        ]
    }

    @Test func everyOpHasACase() {
        #expect(Set(Self.cases().map(\.0)) == Set(Op.allCases.map(\.name)))
    }

    @Test func referenceHessiansMatchTheClosedForms() throws {
        for (name, build, point, expected) in Self.cases() {
            let b = CircuitBuilder()
            let x = b.input("x"), y = b.input("y")
            let c = try b.build(output: build(b, x, y))
            let h = ReferenceEvaluator(circuit: c).inputHessian(inputs: point)
            for i in 0..<2 {
                for j in 0..<2 {
                    let e = expected[i][j], got = h[i][j]
                    #expect(Swift.abs(got - e) <= 1e-13 * Swift.max(1, Swift.abs(e)), "\(name): H[\(i)][\(j)] = \(got), by hand \(e)")
                }
            }
            // The engine's products along the unit vectors are the reference's columns, bit for bit.
            let engine = try HessianVectorEvaluator(circuit: c, options: EvaluatorOptions(threads: 1))
            let r = try engine.evaluate(try Batch(rows: [point, point], inputCount: 2), direction: Batch(rows: [[1, 0], [0, 1]], inputCount: 2))
            #expect(r.hessianVectorProducts.map(\.bitPattern) == [h[0][0], h[1][0], h[0][1], h[1][1]].map(\.bitPattern), "\(name)")
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func hessianVectorProductsMatchCentralDifferencesOfTheGradient(seed: UInt64) throws {
        let c = try RandomCircuits.make(seed: seed, inputs: 4, params: 2, nodes: 40)
        let batch = try RandomCircuits.batch(for: c, samples: 3, seed: seed)
        var options = GradientCheck.Options()
        options.directionsPerSample = 3
        options.seed = seed
        let report = try SecondOrderCheck.run(ReferenceEvaluator(circuit: c), on: batch, options: options)
        #expect(report.passed, "\(report)")
        #expect(report.comparisons.count >= 3 * 4, "too many skipped: \(report)")
    }

    @Test func hessiansAreSymmetric() throws {
        for seed in [7, 8] as [UInt64] {
            let c = try RandomCircuits.make(seed: seed, inputs: 4, params: 1, nodes: 50)
            let batch = try RandomCircuits.batch(for: c, samples: 2, seed: seed)
            for s in 0..<batch.sampleCount {
                let h = ReferenceEvaluator(circuit: c).inputHessian(inputs: batch.row(s))
                for i in 0..<4 {
                    for j in 0..<i {
                        #expect(Swift.abs(h[i][j] - h[j][i]) <= 1e-12 * Swift.max(1, Swift.abs(h[i][j])), "seed \(seed) H[\(i)][\(j)]")
                    }
                }
            }
        }
    }

    @Test func unaryFirstDerivativesAreThePartialsBitForBit() {
        var g = GeneratorRandom(seed: 3)
        for op in Op.allCases where op.arity == .exactly(1) {
            for _ in 0..<20 {
                let a = g.uniform(0.1, 3), c = g.uniform(-2, 2)
                var args = [a], p = [0.0]
                let v = args.withUnsafeBufferPointer { op.value($0, constant: c) }
                args.withUnsafeBufferPointer { x in p.withUnsafeMutableBufferPointer { op.partials(x, value: v, constant: c, into: $0) } }
                #expect(Op.unaryDerivatives(op, a, value: v, constant: c).first.bitPattern == p[0].bitPattern, "\(op.name)")
            }
        }
    }
}
