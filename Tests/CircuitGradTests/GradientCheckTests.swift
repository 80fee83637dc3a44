import Foundation
import Testing
@testable import CircuitGrad

/// The central-difference and forward-mode gradient check.
@Suite struct GradientCheckTests {
    @Test func logisticNeuronPasses() throws {
        let c = try WorkedExamplesTests.logisticNeuron()
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: c), on: Batch(rows: [[-1, -2], [0.5, 1.5]], inputCount: 2))
        #expect(report.passed, "\(report)")
        // 2 samples × (2 inputs + 3 params) central differences + 2 samples × 2 directions.
        #expect(report.comparisons.count == 2 * 5 + 2 * 2)
        #expect(report.skipped.isEmpty)
        #expect(report.worstRelative!.relativeError < 1e-8)
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func randomCircuitsPass(seed: UInt64) throws {
        let c = try RandomCircuits.make(seed: seed, inputs: 3, params: 2, nodes: 30)
        let batch = try RandomCircuits.batch(for: c, samples: 2, seed: seed)
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: c), on: batch)
        #expect(report.passed, "\(report)")
        // 2 samples × (3 inputs + 2 params) central differences + 2 samples × 2 directions, no kinks hit.
        #expect(report.comparisons.count == 14)
        #expect(report.worstRelative!.relativeError < 1e-7)
    }

    @Test func kinksAreSkippedNotFailed() throws {
        // f = relu(x) + abs(y) + max(z, w) at x = 0, y = 0, z = w = 1: every input sits on a kink.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y"), z = b.input("z"), w = b.input("w")
        let c = try b.build(output: b.sum([Wire.relu(x), Wire.abs(y), Wire.max(z, w)]))
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: c), on: Batch(rows: [[0, 0, 1, 1]], inputCount: 4))
        #expect(report.passed)
        #expect(report.skipped.map(\.name) == ["x", "y", "z", "w"])
        #expect(report.skipped.allSatisfy { $0.reason.hasPrefix("not differentiable here") })
        // Only the direction comparisons remain, and forward/reverse agree there (shared tie partials).
        #expect(report.comparisons.allSatisfy { if case .direction = $0.coordinate { true } else { false } })
    }

    @Test func pointsWithinAStepOfAKinkAreSkipped() throws {
        // relu(x) at x = 1e−7 (h ≈ 6e−6 crosses 0); pow(a, b) at a = 0 (the a > 0 boundary of ∂/∂b);
        // the smooth input c is still compared.
        let b = CircuitBuilder()
        let x = b.input("x"), a = b.input("a"), c = b.input("c")
        let circuit = try b.build(output: b.sum([Wire.relu(x), Wire.pow(a, c), Wire.sin(c)]))
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: circuit), on: Batch(rows: [[1e-7, 0, 2]], inputCount: 3))
        #expect(report.skipped.map(\.name) == ["x", "a"])
        #expect(report.comparisons.contains { $0.name == "c" })
        #expect(report.passed, "\(report)")
    }

    @Test func toleranceRejectsAWrongGradient() {
        // The reference cannot be made wrong from outside, so the pass/fail rule is checked directly:
        // a gradient off by 1/6 fails, one off by 3e−10 relative passes (1e−5 relative tolerance).
        let wrong = GradientCheck.compare(sample: 0, coordinate: .input(0), name: "x", reverse: 3, estimate: 3.5,
                                          relativeTolerance: 1e-5, floor: 1e-10)
        #expect(!wrong.passed)
        #expect(wrong.relativeError == 0.5 / 3.5)
        let right = GradientCheck.compare(sample: 0, coordinate: .input(0), name: "x", reverse: 3, estimate: 3 + 1e-9,
                                          relativeTolerance: 1e-5, floor: 1e-10)
        #expect(right.passed)
    }

    @Test func nonFiniteCoordinatesAreSkipped() throws {
        // f = log x at x = −1: NaN everywhere, skipped as non-finite rather than failed.
        let b = CircuitBuilder()
        let x = b.input("x")
        let c = try b.build(output: Wire.log(x))
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: c), on: Batch(rows: [[-1]], inputCount: 1))
        #expect(report.comparisons.isEmpty)
        #expect(report.skipped.map(\.reason) == ["non-finite", "non-finite", "non-finite"])
    }

    @Test func stepScalesWithMagnitude() throws {
        // f = x³ at x = 1e6: a fixed step of 6e−6 would lose most digits to rounding (f ≈ 1e18);
        // h = cbrt(ε)·|x| keeps the estimate within tolerance. df/dx = 3e12.
        let b = CircuitBuilder()
        let x = b.input("x")
        let c = try b.build(output: b.product([x, x, x]))
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: c), on: Batch(rows: [[1e6]], inputCount: 1))
        #expect(report.passed, "\(report)")
        #expect(report.comparisons[0].reverse == 3e12)
    }
}
