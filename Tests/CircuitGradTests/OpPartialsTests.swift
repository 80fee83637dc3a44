import Foundation
import Testing
@testable import CircuitGrad

/// Every op's local partials against central differences of its value, plus the exact rules
/// of the spec's table (kinks, zeros in `mul`, ties, `pow` at 0).
@Suite struct OpPartialsTests {
    static func value(_ op: Op, _ args: [Double], _ c: Double) -> Double {
        args.withUnsafeBufferPointer { op.value($0, constant: c) }
    }

    static func partials(_ op: Op, _ args: [Double], _ c: Double) -> [Double] {
        let v = value(op, args, c)
        var p = [Double](repeating: .nan, count: args.count)
        args.withUnsafeBufferPointer { a in p.withUnsafeMutableBufferPointer { op.partials(a, value: v, constant: c, into: $0) } }
        return p
    }

    /// The number literal used for each op that takes one.
    static func constant(for op: Op) -> Double {
        switch op {
        case .scale: 2.5
        case .offset: -1.25
        case .powc: 1.7
        case .const: 4
        default: 0
        }
    }

    /// Points inside each op's domain, away from kinks and ties (three wires for k ≥ 2 ops).
    static func points(for op: Op) -> [[Double]] {
        let raw: [[Double]] = [[0.7, -1.3, 2.1], [-0.4, 0.9, 1.6], [1.9, 0.3, -2.2], [-2.6, -0.8, 0.45]]
        let count: Int
        switch op.arity {
        case .exactly(let n): count = n
        case .atLeastTwo: count = 3
        }
        return raw.map { row in
            let r = Array(row.prefix(count))
            switch op {
            case .sqrt, .log, .powc: return r.map { Swift.abs($0) + 0.2 }
            case .pow: return [Swift.abs(r[0]) + 0.2, r[1]]
            default: return r
            }
        }
    }

    @Test(arguments: Op.allCases)
    func partialsMatchCentralDifferences(op: Op) {
        let c = Self.constant(for: op)
        for x in Self.points(for: op) {
            let analytic = Self.partials(op, x, c)
            for i in 0..<x.count {
                let h = Foundation.cbrt(Double.ulpOfOne) * Swift.max(1, Swift.abs(x[i]))
                var xp = x, xm = x
                xp[i] += h
                xm[i] -= h
                let estimate = (Self.value(op, xp, c) - Self.value(op, xm, c)) / (xp[i] - xm[i])
                let error = Swift.abs(estimate - analytic[i])
                #expect(error <= 1e-7 * Swift.max(1, Swift.abs(analytic[i])),
                        "\(op.name) at \(x): ∂/∂arg\(i) analytic \(analytic[i]) vs central difference \(estimate)")
            }
        }
    }

    @Test func kinksGiveZero() {
        // relu and abs at 0 (and at −0) have partial 0 by the spec's rule.
        #expect(Self.partials(.relu, [0], 0) == [0])
        #expect(Self.partials(.abs, [0], 0) == [0])
        #expect(Self.partials(.abs, [-0.0], 0) == [0])
        #expect(Self.partials(.relu, [-3], 0) == [0])
        #expect(Self.partials(.abs, [-3], 0) == [-1])
    }

    @Test func mulWithZerosIsExact() {
        // Π over j ≠ i without division: zeros give exact zeros, and a zero next to inf gives no NaN
        // for the other argument's partial.
        #expect(Self.partials(.mul, [0, 5, 3], 0) == [15, 0, 0])
        #expect(Self.partials(.mul, [0, 0, 3], 0) == [0, 0, 0])
        let p = Self.partials(.mul, [0, .infinity], 0)
        #expect(p[0] == .infinity)
        #expect(p[1] == 0)
    }

    @Test func tiesShareEquallyPerPosition() {
        #expect(Self.partials(.max, [2, 2, 1], 0) == [0.5, 0.5, 0])
        let third: Double = 1.0 / 3
        #expect(Self.partials(.min, [1, 1, 1], 0) == [third, third, third])
        #expect(Self.partials(.min, [1, 4, 1], 0) == [0.5, 0, 0.5])
        // A NaN argument makes max, min and relu NaN.
        #expect(Self.value(.max, [1, .nan, 3], 0).isNaN)
        #expect(Self.value(.min, [.nan, 1], 0).isNaN)
        #expect(Self.value(.relu, [.nan], 0).isNaN)
    }

    @Test func powAtZeroBase() {
        // a = 0, b = 2: ∂/∂a = 2·0¹ = 0; ∂/∂b is 0 by the rule (not 0·ln 0 = NaN).
        #expect(Self.partials(.pow, [0, 2], 0) == [0, 0])
        // a = 0, b = 0.5: ∂/∂a = 0.5·0^(−0.5) = inf; ∂/∂b still 0.
        #expect(Self.partials(.pow, [0, 0.5], 0) == [.infinity, 0])
        // a = 2, b = 3: ∂/∂a = 3·2² = 12, ∂/∂b = 8·ln 2.
        let p = Self.partials(.pow, [2, 3], 0)
        #expect(p[0] == 12)
        #expect(Swift.abs(p[1] - 8 * Foundation.log(2.0)) <= 1e-15)
    }

    @Test func constantOpsUseTheirLiteral() {
        #expect(Self.value(.scale, [2], 2.5) == 5)
        #expect(Self.partials(.scale, [2], 2.5) == [2.5])
        #expect(Self.value(.offset, [2], -1.25) == 0.75)
        #expect(Self.partials(.powc, [4], 0.5) == [0.25])   // 0.5·4^(−0.5) = 0.25
        #expect(Self.value(.const, [], 4) == 4)
    }
}
