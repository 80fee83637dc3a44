import Testing
@testable import CircuitGrad

/// `mul`, `max` and `min` with three or more arguments, whose lane kernels are their own (the
/// product of the other arguments from prefix and suffix products; ties sharing the gradient):
/// hand-derived gradients, and the reference's bits on special values, with fan-out into the
/// same node, at every lane block.
@Suite struct ManyArgumentOpsTests {
    static let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -1, 1e308, -1e308, 2, 0.5, 3]

    @Test func gradientsAreTheHandDerivedOnes() throws {
        let b = CircuitBuilder()
        let x = (0..<4).map { b.input("x\($0)") }
        let circuit = try b.build(output: b.node(.add, [b.node(.mul, x), b.node(.max, x), b.node(.min, x)]))
        // mul(2, 7, 5, 7) = 490: partials 245, 70, 98, 70; max ties between x1 and x3 (7): ½ each;
        // min is x0 = 2 alone. Second sample: mul(-1, -1, 4, -1) = -4 (partials 4, 4, -1, 4), min
        // ties three ways (-1): ⅓ each, and max is x2 = 4 alone.
        let batch = try Batch(rows: [[2, 7, 5, 7], [-1, -1, 4, -1]], inputCount: 4)
        let third = 1.0 / 3
        let expected: [Double] = [246, 70.5, 98, 70.5, 4 + third, 4 + third, 0, 4 + third]
        let values: [Double] = [490 + 7 + 2, -4 + 4 - 1]
        for lanes in [1, 8, 16] {
            let r = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 1, laneBlock: lanes)).evaluate(batch)
            #expect(r.values == values, "\(lanes) lanes")
            #expect(r.inputGradients == expected, "\(lanes) lanes")
        }
    }

    @Test(arguments: [Op.mul, .max, .min])
    func specialValuesGiveTheReferenceBits(op: Op) throws {
        var rng = GeneratorRandom(seed: 7)
        for k in 3...5 {
            let b = CircuitBuilder()
            let x = (0..<k).map { b.input("x\($0)") }
            // The node reads x0 twice (a splitter feeds two of its positions), and its value
            // meets x1 again downstream, so gradients arrive through fan-out too.
            let node = b.node(op, [x[0]] + x.dropLast())
            let circuit = try b.build(output: b.node(op, [node, x[1], x[k - 1]]))
            let rows = (0..<700).map { _ in (0..<k).map { _ in Self.specials[Int(rng.next() % UInt64(Self.specials.count))] } }
            let batch = try Batch(rows: rows, inputCount: k)
            let reference = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
            for lanes in [1, 8, 16, 64] {
                let engine = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 1, laneBlock: lanes)).evaluate(batch)
                #expect(firstBitDifference(reference, engine, nan: .samePayload) == nil, "\(op.name), \(k) arguments, \(lanes) lanes")
            }
        }
    }
}
