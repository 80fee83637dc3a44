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

    /// NaNs of every sign and payload in the inputs, and NaNs made from two NaNs (`x * y`, whose
    /// sign would be the first operand's as the compiler ordered them), leave every evaluator as
    /// the one quiet NaN `0x7FF8000000000000`: values, input and parameter gradients, tangents and
    /// Hessian-vector products.
    @Test func everyNaNInAResultIsTheCanonicalQuietNaN() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y"), w = b.param("w", 2)
        let circuit = try b.build(output: b.node(.mul, [b.node(.mul, [x, y]), b.node(.neg, [b.node(.mul, [y, w])])]))
        let negativeNaN = -Double(nan: 0x1234, signaling: false), positiveNaN = Double(nan: 0x77, signaling: false)
        let rows = [[negativeNaN, positiveNaN], [positiveNaN, negativeNaN], [negativeNaN, negativeNaN]]
            + Array(repeating: [positiveNaN, negativeNaN], count: 8)
        let batch = try Batch(rows: rows, inputCount: 2)
        let canonical = Double.nan.bitPattern
        #expect(canonical == 0x7FF8_0000_0000_0000)
        func allCanonical(_ numbers: [Double]) -> Bool { numbers.allSatisfy { $0.bitPattern == canonical } }
        let reference = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
        #expect(allCanonical(reference.values) && allCanonical(reference.inputGradients) && allCanonical(reference.paramGradients))
        for lanes in [1, 8] {
            for threads in [1, 2] {
                let options = EvaluatorOptions(threads: threads, laneBlock: lanes)
                let engine = try CircuitEvaluator(circuit: circuit, options: options).evaluate(batch)
                #expect(allCanonical(engine.values) && allCanonical(engine.inputGradients) && allCanonical(engine.paramGradients),
                        "\(lanes) lanes, \(threads) threads")
                let direction = try Batch(rows: [[negativeNaN, 1]], inputCount: 2)
                let second = try HessianVectorEvaluator(circuit: circuit, options: options).evaluate(batch, direction: direction)
                #expect(allCanonical(second.values) && allCanonical(second.tangents)
                        && allCanonical(second.inputGradients) && allCanonical(second.hessianVectorProducts),
                        "second order, \(lanes) lanes, \(threads) threads")
            }
        }
        let trace = ReferenceEvaluator(circuit: circuit).secondOrder(inputs: [negativeNaN, positiveNaN], direction: [1, negativeNaN])
        #expect(allCanonical([trace.value, trace.tangent] + trace.inputGradient + trace.hessianVectorProduct))
    }
}
