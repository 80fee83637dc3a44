import Glibc

/// Checks Hessian-vector products two independent ways at each sample, along random
/// directions `d` (components uniform in [−1, 1) from a seeded generator):
///
/// - **Central differences of the gradient**: `(∇f(x + h·d) − ∇f(x − h·d)) / (2h)` against
///   `H·d` for every input, with `h = cbrt(ε)·max(1, |x|∞)`. A comparison passes when
///   `|estimate − hvp| ≤ relativeTolerance·max(|estimate|, |hvp|) + 64·ε·max(1, |∇f(x±h·d)|∞) / h`.
///   A direction is skipped when `x ± h·d` and `x` do not share one `BranchSignature` (a kink
///   within h) or something is not finite.
/// - **Forward mode**: the tangent `∇f·d` of the second-order sweep against `Σ ∂f/∂xᵢ·dᵢ` from
///   the reverse sweep, to `directionTolerance·Σ|∂f/∂xᵢ·dᵢ|`.
package enum SecondOrderCheck {
    /// Checks `evaluator`'s second-order sweep on `batch`; the report's coordinates are
    /// `GradientCheck.Coordinate.direction(_:)` with names such as `H·d 0, x1` and `∇f·d 1`.
    package static func run(_ evaluator: ReferenceEvaluator, on batch: Batch,
                           options: GradientCheck.Options = GradientCheck.Options()) throws -> GradientCheck.Report {
        try evaluator.checkColumns(of: batch)
        let circuit = evaluator.circuit, n = circuit.inputCount
        var report = GradientCheck.Report(options: options)
        var random = GeneratorRandom(seed: options.seed, stream: 2)
        let samples = Swift.min(batch.sampleCount, options.sampleLimit ?? batch.sampleCount)
        for s in 0..<samples where n > 0 {
            let x = Array(batch.row(s))
            let center = BranchSignature(circuit: circuit, values: evaluator.forwardValues(inputs: x))
            for k in 0..<options.directionsPerSample {
                let d = (0..<n).map { _ in random.uniform(-1, 1) }
                let trace = evaluator.secondOrder(inputs: x, direction: d)
                let h = Glibc.cbrt(Double.ulpOfOne) * Swift.max(1, x.map { Swift.abs($0) }.max() ?? 0)
                let plus = (0..<n).map { x[$0] + h * d[$0] }, minus = (0..<n).map { x[$0] - h * d[$0] }
                let gPlus = evaluator.trace(inputs: plus), gMinus = evaluator.trace(inputs: minus)
                let allFinite = (trace.inputGradient + trace.hessianVectorProduct + [trace.value, trace.tangent]
                    + gPlus.wireGradients[0..<n] + gMinus.wireGradients[0..<n]).allSatisfy(\.isFinite)
                let name = "H·d \(k)"
                guard allFinite else {
                    report.skipped.append(.init(sample: s, coordinate: .direction(k), name: name, reason: "non-finite"))
                    continue
                }
                guard BranchSignature(circuit: circuit, values: gPlus.values) == center,
                      BranchSignature(circuit: circuit, values: gMinus.values) == center else {
                    report.skipped.append(.init(sample: s, coordinate: .direction(k), name: name,
                                                reason: "not differentiable here (a kink within h = \(h))"))
                    continue
                }
                let largest = (gPlus.wireGradients[0..<n] + gMinus.wireGradients[0..<n]).map { Swift.abs($0) }.max() ?? 0
                let floor = 64 * Double.ulpOfOne * Swift.max(1, largest) / h
                for i in 0..<n {
                    let estimate = (gPlus.wireGradients[i] - gMinus.wireGradients[i]) / (2 * h)
                    report.comparisons.append(GradientCheck.compare(
                        sample: s, coordinate: .direction(k), name: "\(name), \(circuit.inputNames[i])",
                        reverse: trace.hessianVectorProduct[i], estimate: estimate,
                        relativeTolerance: options.relativeTolerance, floor: floor))
                }
                var dot = 0.0, magnitude = 0.0
                for i in 0..<n {
                    dot += trace.inputGradient[i] * d[i]
                    magnitude += Swift.abs(trace.inputGradient[i] * d[i])
                }
                report.comparisons.append(GradientCheck.compare(
                    sample: s, coordinate: .direction(k), name: "∇f·d \(k)", reverse: dot, estimate: trace.tangent,
                    relativeTolerance: 0, floor: options.directionTolerance * magnitude))
            }
        }
        return report
    }
}
