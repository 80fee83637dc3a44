import Foundation
import Testing
@testable import CircuitGrad

/// Structural cases of the reference sweeps: fan-out, splits of splits, ties, dead nodes,
/// statements out of order, circuits without inputs.
@Suite struct ReferenceEvaluatorTests {
    static func one(_ c: Circuit, _ inputs: [Double]) throws -> (value: Double, grad: [Double]) {
        let r = try ReferenceEvaluator(circuit: c).evaluate(Batch(rows: [inputs], inputCount: inputs.count))
        return (r.values[0], Array(r.gradient(ofSample: 0)))
    }

    @Test func mulOfAWireWithItself() throws {
        // y = mul x x: partials (x, x); the splitter on x sums x + x = 2x. At x = 3: y = 9, dy/dx = 6.
        let b = CircuitBuilder()
        let x = b.input("x")
        let c = try b.build(output: x * x)
        #expect(c.splitterCount == 1)
        let r = try Self.one(c, [3])
        #expect(r.value == 9)
        #expect(r.grad == [6])
    }

    @Test func wireReadByANodeAndTheOutputLine() throws {
        // v = square x is the output and is also read by w = scale v 3, which is then dead.
        // The splitter on v sums (+0.0 from dead w) + (1 from the output line) = 1, so dv/dx = 2x = −4 at x = −2.
        let b = CircuitBuilder()
        let x = b.input("x")
        let v = Wire.square(x)
        _ = v * 3
        let c = try b.build(output: v)
        #expect(c.nodeIsLive == [true, false])
        let e = ReferenceEvaluator(circuit: c)
        let g = e.wireGradients(inputs: [-2])
        #expect(g[0] == -4)
        // The dead node's argument wire carries +0.0 (bit pattern of +0), the output line's wire 1.
        let splitter = c.outputs(ofSplitter: 0)
        #expect(splitter.map { g[$0].bitPattern } == [(0.0).bitPattern, (1.0).bitPattern])
    }

    @Test func explicitSplitsFeedingSplits() throws {
        // a b = split x; c d = split a; f = b·c + d = x² + x. At x = 3: f = 12, df/dx = 2x + 1 = 7.
        let b = CircuitBuilder()
        let x = b.input("x")
        let ab = b.split(x, into: ["a", "b"])
        let cd = b.split(ab[0], into: ["c", "d"])
        let c = try b.build(output: ab[1] * cd[0] + cd[1])
        #expect(c.splitterCount == 2)
        let r = try Self.one(c, [3])
        #expect(r.value == 12)
        #expect(r.grad == [7])
    }

    @Test func splitOutputThatFansOutAgain() throws {
        // a b = split x; f = a·a·b (a fans out again: an inserted splitter after the written one).
        // f = x³, df/dx = 3x² = 12 at x = 2.
        let b = CircuitBuilder()
        let x = b.input("x")
        let ab = b.split(x, into: ["a", "b"])
        let c = try b.build(output: b.product([ab[0], ab[0], ab[1]]))
        #expect(c.splitterCount == 2)
        let r = try Self.one(c, [2])
        #expect(r.value == 8)
        #expect(r.grad == [12])
    }

    @Test func tiesAtMaxShareTheGradient() throws {
        // m = max x y at x = y = 2: the upstream 1 is shared, 1/2 each.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let r = try Self.one(try b.build(output: Wire.max(x, y)), [2, 2])
        #expect(r.grad == [0.5, 0.5])
        // m = min x x y with x = y: three tied positions, x gets 2/3 (1/3 + 1/3), y gets 1/3.
        let b2 = CircuitBuilder()
        let x2 = b2.input("x"), y2 = b2.input("y")
        let r2 = try Self.one(try b2.build(output: Wire.min(x2, x2, y2)), [1, 1])
        #expect(r2.grad == [1.0 / 3 + 1.0 / 3, 1.0 / 3])
    }

    @Test func deadNodesDoNotPoisonGradients() throws {
        // f = square x is the output; l = log x (NaN at x = −1) and r = sqrt y (infinite partial at
        // y = 0) are dead. df/dx = 2x = −2, df/dy = 0 (y is read only by a dead node).
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        _ = Wire.log(x)
        _ = Wire.sqrt(y) * 7
        let c = try b.build(output: Wire.square(x))
        let r = try Self.one(c, [-1, 0])
        #expect(r.value == 1)
        #expect(r.grad[0] == -2)
        #expect(r.grad[1].bitPattern == (0.0).bitPattern)
        // The dead log really is NaN in the forward values.
        let values = ReferenceEvaluator(circuit: c).forwardValues(inputs: [-1, 0])
        #expect(values[c.nodeWire(0)].isNaN)
    }

    @Test func statementsInAnyOrder() throws {
        // The worked example written backwards: output first, nodes before their arguments, inputs last.
        var d = CircuitDraft(sourceName: "<test>")
        let at = SourceLocation.none
        d.addOutput("f", at: at)
        d.addNode("f", op: .mul, arguments: [("v1", at), ("z", at)], at: at)
        d.addNode("v1", op: .add, arguments: [("x", at), ("y", at)], at: at)
        d.addInput("x", at: at)
        d.addInput("y", at: at)
        d.addInput("z", at: at)
        let c = try Circuit(draft: d)
        let e = ReferenceEvaluator(circuit: c)
        #expect(e.forwardOrder == [1, 0])   // v1 (level 1) runs before f (level 2), whatever the file order
        let r = try Self.one(c, [-2, 5, -4])
        #expect(r.value == -12)
        #expect(r.grad == [-4, -4, 3])
    }

    @Test func circuitWithoutInputs() throws {
        // k = const 2.5; p = param 3; f = k·p: value 7.5, df/dp = 2.5.
        let b = CircuitBuilder()
        let p = b.param("p", 3)
        let c = try b.build(output: b.constant(2.5) * p)
        let r = try ReferenceEvaluator(circuit: c).evaluate(.single)
        #expect(r.values == [7.5])
        #expect(r.paramGradients == [2.5])
    }

    @Test func parameterGradientsArePairwiseSummedPerSample() throws {
        // f = w·x: per-sample df/dw = x. Over samples x = 0.1, 0.2, 0.3 the batch sum must be the
        // PairwiseSum tree (0.1 + 0.2) + 0.3, not some other order.
        let b = CircuitBuilder()
        let x = b.input("x"), w = b.param("w", 1.5)
        let c = try b.build(output: w * x)
        let r = try ReferenceEvaluator(circuit: c).evaluate(Batch(rows: [[0.1], [0.2], [0.3]], inputCount: 1))
        #expect(r.paramGradients == [(0.1 + 0.2) + 0.3])
        #expect(r.inputGradients == [1.5, 1.5, 1.5])
        // Overridden parameter values are used.
        let r2 = try ReferenceEvaluator(circuit: c, paramValues: [-2]).evaluate(Batch(rows: [[4]], inputCount: 1))
        #expect(r2.values == [-8])
    }
}
