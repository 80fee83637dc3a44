import Foundation
import Testing
@testable import CircuitGrad

/// Hand-derived answers for small circuits, checked against ``ReferenceEvaluator``.
@Suite struct WorkedExamplesTests {
    /// One sample through the reference: (value, input gradients, parameter gradients).
    static func evaluateOne(_ c: Circuit, _ inputs: [Double]) throws -> (value: Double, grad: [Double], paramGrad: [Double]) {
        let r = try ReferenceEvaluator(circuit: c).evaluate(Batch(rows: [inputs], inputCount: inputs.count))
        return (r.values[0], Array(r.gradient(ofSample: 0)), r.paramGradients)
    }

    @Test func sumTimesZ() throws {
        // f = (x + y)·z at (−2, 5, −4): x + y = 3, f = 3·(−4) = −12.
        // ∂f/∂x = ∂f/∂y = z = −4; ∂f/∂z = x + y = 3.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y"), z = b.input("z")
        let r = try Self.evaluateOne(try b.build(output: (x + y) * z), [-2, 5, -4])
        #expect(r.value == -12)
        #expect(r.grad == [-4, -4, 3])
    }

    @Test func xOverXPlusY() throws {
        // f = x/(x + y) at (−1, 2): s = 1, f = −1.
        // ∂f/∂x = 1/s − x/s² = 1 + 1 = 2 (x fans out: the two paths sum); ∂f/∂y = −x/s² = 1.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let r = try Self.evaluateOne(try b.build(output: x / (x + y)), [-1, 2])
        #expect(r.value == -1)
        #expect(r.grad == [2, 1])
    }

    @Test func scaledProductPlusMax() throws {
        // f = 3·(x·y + max(z, w)) at (3, −4, 2, −1): x·y = −12, max = z = 2, f = 3·(−10) = −30.
        // ∂f/∂x = 3y = −12, ∂f/∂y = 3x = 9, ∂f/∂z = 3 (z is the unique maximum), ∂f/∂w = 0.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y"), z = b.input("z"), w = b.input("w")
        let r = try Self.evaluateOne(try b.build(output: 3 * (x * y + Wire.max(z, w))), [3, -4, 2, -1])
        #expect(r.value == -30)
        #expect(r.grad == [-12, 9, 3, 0])
    }

    /// σ(w0 + w1·x1 + w2·x2) with w as parameters.
    static func logisticNeuron() throws -> Circuit {
        let b = CircuitBuilder()
        let x1 = b.input("x1"), x2 = b.input("x2")
        let w0 = b.param("w0", -3), w1 = b.param("w1", 2), w2 = b.param("w2", -3)
        return try b.build(output: Wire.sigmoid(b.sum([w0, w1 * x1, w2 * x2])))
    }

    @Test func logisticNeuron() throws {
        // z = −3 + 2·(−1) + (−3)·(−2) = 1, f = σ(1) = 1/(1 + e⁻¹) = e/(1+e) ≈ 0.7310585786300049.
        // σ'(1) = σ(1)(1 − σ(1)) = e/(1+e)² ≈ 0.19661193324148185.
        // ∂f/∂w0 = σ', ∂f/∂w1 = σ'·x1 = −σ', ∂f/∂w2 = σ'·x2 = −2σ';
        // ∂f/∂x1 = σ'·w1 = 2σ', ∂f/∂x2 = σ'·w2 = −3σ'.
        let c = try Self.logisticNeuron()
        let r = try Self.evaluateOne(c, [-1, -2])
        let s1 = 0.19661193324148185
        #expect(Swift.abs(r.value - 0.7310585786300049) <= 1e-16)
        let expectedInput = [2 * s1, -3 * s1], expectedParam = [s1, -s1, -2 * s1]
        for (g, e) in zip(r.grad, expectedInput) { #expect(Swift.abs(g - e) <= 1e-16) }
        for (g, e) in zip(r.paramGrad, expectedParam) { #expect(Swift.abs(g - e) <= 1e-16) }

        // Two identical samples: per-sample input gradients repeat; parameter gradients double (a + a = 2a exactly).
        let two = try ReferenceEvaluator(circuit: c).evaluate(Batch(rows: [[-1, -2], [-1, -2]], inputCount: 2))
        #expect(Array(two.gradient(ofSample: 1)) == r.grad)
        #expect(two.paramGradients == r.paramGrad.map { 2 * $0 })
    }

    @Test func multiplyNodeSplitsUpstream() throws {
        // f = 5·(x·y) at (3, 4): the mul node's upstream is 5, so it sends 5·4 = 20 to x and 5·3 = 15 to y.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let c = try b.build(output: (x * y) * 5)
        let g = ReferenceEvaluator(circuit: c).wireGradients(inputs: [3, 4])
        let mulArgs = c.arguments(of: 0).map { g[Int($0)] }
        #expect(mulArgs == [20, 15])
    }

    @Test func sineWithUpstreamTwo() throws {
        // f = 2·sin x at π/2: the sin node's upstream is 2; it sends 2·cos(π/2) (≈ 1.2e−16, not 0).
        let b = CircuitBuilder()
        let x = b.input("x")
        let r = try Self.evaluateOne(try b.build(output: Wire.sin(x) * 2), [Double.pi / 2])
        #expect(r.value == 2)
        #expect(r.grad == [2 * Foundation.cos(Double.pi / 2)])
        #expect(r.grad[0] > 0 && r.grad[0] < 1e-15)
    }

    @Test func batchWithWrongColumnsIsAnError() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let c = try b.build(output: x * y)
        #expect(throws: CircuitError.self) {
            try ReferenceEvaluator(circuit: c).evaluate(Batch(rows: [[1]], inputCount: 1))
        }
    }
}
