import Foundation
import Testing
@testable import CircuitGrad

/// Finding the first node that produced a NaN or an infinity.
@Suite struct NonFiniteLocatorTests {
    @Test func levelOrderBeatsFileOrder() throws {
        // n2 = log(offset x 0) is written first but sits at level 2; n3 = log y is level 1.
        // Both are NaN at x = y = −1: the level-1 node is the first producer.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let n2 = b.node(.log, [x + 0], name: "n2")
        let n3 = b.node(.log, [y], name: "n3")
        let c = try b.build(output: n2 + n3)
        let f = NonFiniteLocator.locate(in: ReferenceEvaluator(circuit: c), inputs: [-1, -1], sample: 0)
        #expect(f?.name == "n3")
        #expect(f?.opName == "log")
        #expect(f?.stage == .value)
        #expect(f?.number.isNaN == true)
    }

    @Test func fileOrderBreaksTiesWithinALevel() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let a = b.node(.recip, [x], name: "a")   // 1/0 = inf, level 1, first in file
        let r = b.node(.log, [y], name: "r")     // NaN, level 1, second in file
        let c = try b.build(output: a + r)
        let f = NonFiniteLocator.locate(in: ReferenceEvaluator(circuit: c), inputs: [0, -1], sample: 7)
        #expect(f == NonFiniteFinding(sample: 7, stage: .value, node: 0, name: "a", opName: "recip", number: .infinity))
        #expect(f?.description == "sample 7: node 'a' (recip) produced a non-finite value (inf)")
    }

    @Test func infiniteGradientWithFiniteValues() throws {
        // f = 2·sqrt x at x = 0: values 0 and 0 are finite; sqrt's partial 1/(2·0) = inf, so its
        // contribution 2·inf is the first non-finite gradient (the scale node's contribution 2 is finite).
        let b = CircuitBuilder()
        let x = b.input("x")
        let c = try b.build(output: b.node(.sqrt, [x], name: "root") * 2)
        let f = NonFiniteLocator.locate(in: ReferenceEvaluator(circuit: c), inputs: [0], sample: 0)
        #expect(f?.name == "root")
        #expect(f?.stage == .gradient)
        #expect(f?.number == .infinity)
    }

    @Test func splitterSumOverflow() throws {
        // a = 1e308·x, b = 1e308·x, f = a + b at x = 1e−10: values ≈ 1e298 are finite, each node sends
        // a finite 1e308 to its copy of x, but the splitter sum 1e308 + 1e308 overflows to inf.
        let b = CircuitBuilder()
        let x = b.input("x")
        let c = try b.build(output: x * 1e308 + x * 1e308)
        let f = NonFiniteLocator.locate(in: ReferenceEvaluator(circuit: c), inputs: [1e-10], sample: 0)
        #expect(f?.node == nil)
        #expect(f?.opName == "split")
        #expect(f?.name == "x")
        #expect(f?.stage == .gradient)
    }

    @Test func deadNodesAreIgnoredUnlessAskedFor() throws {
        let b = CircuitBuilder()
        let x = b.input("x")
        _ = b.node(.log, [x], name: "deadlog")
        let c = try b.build(output: Wire.square(x))
        let e = ReferenceEvaluator(circuit: c)
        #expect(NonFiniteLocator.locate(in: e, inputs: [-1], sample: 0) == nil)
        #expect(NonFiniteLocator.locate(in: e, inputs: [-1], sample: 0, includeDeadNodes: true)?.name == "deadlog")
    }

    @Test func firstNonFiniteSampleOfABatch() throws {
        let b = CircuitBuilder()
        let x = b.input("x")
        let c = try b.build(output: b.node(.log, [x], name: "l"))
        let e = ReferenceEvaluator(circuit: c)
        let batch = try Batch(rows: [[1], [2], [-3], [0]], inputCount: 1)
        let result = try e.evaluate(batch)
        #expect(NonFiniteLocator.firstNonFiniteSample(in: result) == 2)
        let f = NonFiniteLocator.locateFirst(in: e, batch: batch, result: result)
        #expect(f?.sample == 2)
        #expect(f?.name == "l")
    }
}
