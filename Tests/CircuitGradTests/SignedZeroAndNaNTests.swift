import Testing
@testable import CircuitGrad

/// Every pair of ops chained (`z = op2(op1(x, y), y)`) on inputs drawn from
/// {±inf, ±0, ±1, ±1e308, 2, 0.5}: the engine equals the reference bit for bit, the sign of
/// every zero and NaN included, with blocks of 1 and of 8 lanes.
@Suite struct SignedZeroAndNaNTests {
    static let specials: [Double] = [.infinity, -.infinity, 0, -0.0, 1, -1, 1e308, -1e308, 2, 0.5]

    /// `op` applied to `first` (and `y` for its other arguments), with a number where it takes one.
    static func apply(_ op: Op, _ first: Wire, _ y: Wire, _ b: CircuitBuilder) -> Wire {
        let c: Double = op == .powc ? -3 : (op == .scale ? -2 : (op == .offset ? -0.0 : 0.5))
        switch op.arity {
        case .exactly(0): return b.node(.const, [], constant: -0.0)
        case .exactly(1): return b.node(op, [first], constant: op.takesConstant ? c : 0)
        default: return b.node(op, [first, y])
        }
    }

    @Test func chainedPairsOfOpsMatchBitForBit() throws {
        var rows: [[Double]] = []
        for x in Self.specials { for y in Self.specials { rows.append([x, y]) } }
        let batch = try Batch(rows: rows, inputCount: 2)
        var differing: [String] = []
        for op1 in Op.allCases where op1 != .const {
            for op2 in Op.allCases where op2 != .const {
                let b = CircuitBuilder()
                let x = b.input("x"), y = b.input("y")
                let circuit = try b.build(output: Self.apply(op2, Self.apply(op1, x, y, b), y, b))
                let reference = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
                for lanes in [1, 8] {
                    let engine = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 1, laneBlock: lanes))
                        .evaluate(batch)
                    if let d = firstBitDifference(reference, engine, nan: .samePayload) {
                        differing.append("\(op2.name)(\(op1.name)(x, y), y), \(lanes) lanes: \(d)")
                    }
                }
            }
        }
        #expect(differing.isEmpty, "\(differing.count) differ, e.g. \(differing.prefix(5).joined(separator: "; "))")
    }

    @Test func negFlipsTheSignBitInEveryPath() throws {
        let b = CircuitBuilder()
        let x = b.input("x")
        let circuit = try b.build(output: -x)
        let batch = try Batch(rows: [[0], [-0.0], [1], [.infinity]], inputCount: 1)
        for lanes in [1, 8] {
            let r = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 1, laneBlock: lanes)).evaluate(batch)
            #expect(r.values.map(\.bitPattern) == [(-0.0).bitPattern, 0.0.bitPattern, (-1.0).bitPattern, (-Double.infinity).bitPattern],
                    "\(lanes) lanes: \(r.values)")
        }
    }
}
