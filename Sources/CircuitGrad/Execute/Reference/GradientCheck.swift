import Glibc

/// Checks a circuit's reverse-mode gradients, as the sequential reference evaluator computes
/// them (the engine gives the same bits), two independent ways: central differences for every
/// input and parameter, and forward mode along random directions.
///
/// **Central differences.** For a coordinate with value `x` the step is
/// `h = cbrt(ε)·max(1, |x|)` (ε = 2⁻⁵²), rounded so that `x + h` is exact; the estimate is
/// `(f(x⁺) − f(x⁻)) / (x⁺ − x⁻)`. Its truncation error is about `h²·|f'''|/6` and its rounding
/// error about `ε·|f|/h`, both near 1e−11 for well-scaled functions. A comparison passes when
///
///     |estimate − reverse| ≤ relativeTolerance · max(|estimate|, |reverse|) + 64·ε·max(1, |f(x⁺)|, |f(x⁻)|) / (x⁺ − x⁻)
///
/// (default `relativeTolerance` 1e−5: loose enough for large third derivatives, tight enough to
/// catch any wrong partial or a dropped fan-out branch, which give O(1) relative errors).
///
/// A coordinate is *skipped, not failed* when the three points `x⁻, x, x⁺` do not share one
/// `BranchSignature` (a relu/abs argument at or crossing 0, a max/min tie, a pow base at or
/// crossing 0, a pole), or when any of the values or the reverse gradient is not finite.
///
/// **Forward mode.** For `directionsPerSample` random directions `d` (inputs and parameters,
/// components uniform in [−1, 1) from a seeded generator) the tangent sweep must equal
/// `Σ gᵢ·dᵢ` to `1e−9 · Σ |gᵢ·dᵢ|` (both are exact formulas; only rounding differs).
///
/// ```swift
/// let report = try GradientCheck.run(circuit, on: batch)
/// if !report.passed { print(report) }   // the worst comparisons and every failure
/// ```
public enum GradientCheck {
    /// Tolerances and sizes of a check.
    package struct Options: Sendable {
        /// Relative tolerance of the central-difference comparison (see ``GradientCheck``).
        package var relativeTolerance: Double = 1e-5
        /// Random directions per sample for the forward-vs-reverse comparison.
        package var directionsPerSample: Int = 2
        /// Relative tolerance of the forward-vs-reverse comparison.
        package var directionTolerance: Double = 1e-9
        /// Seed of the direction generator.
        package var seed: UInt64 = 0x5EED
        /// Check at most this many samples (the first ones); nil checks all, 0 or less none.
        package var sampleLimit: Int? = nil

        /// The default options.
        package init() {}
    }

    /// Which coordinate a comparison is about.
    package enum Coordinate: Sendable, Hashable {
        /// Input wire `index`.
        case input(Int)
        /// Parameter `index`.
        case param(Int)
        /// A random direction (number `index` at that sample), forward vs reverse.
        case direction(Int)
    }

    /// One comparison of the reverse gradient with an independent estimate.
    package struct Comparison: Sendable {
        /// The sample (row of the batch).
        package var sample: Int
        /// The coordinate compared.
        package var coordinate: Coordinate
        /// Its readable name: the wire name, or `direction k`.
        package var name: String
        /// The reverse-mode value (a gradient, or `∇f·d`).
        package var reverse: Double
        /// The central difference or forward-mode value.
        package var estimate: Double
        /// `|estimate − reverse|`.
        package var absoluteError: Double
        /// `absoluteError / max(|estimate|, |reverse|)` (0 when both are 0).
        package var relativeError: Double
        /// The error the tolerance allowed here.
        package var allowedError: Double
        /// Whether the comparison is within tolerance.
        package var passed: Bool { absoluteError <= allowedError }
    }

    /// A coordinate that was not compared, and why.
    package struct Skip: Sendable {
        /// The sample.
        package var sample: Int
        /// The coordinate.
        package var coordinate: Coordinate
        /// Its readable name.
        package var name: String
        /// Why: "not differentiable here" (a kink within h) or "non-finite".
        package var reason: String
    }

    /// The outcome of a check.
    public struct Report: Sendable, CustomStringConvertible {
        /// Every comparison made.
        package var comparisons: [Comparison] = []
        /// Coordinates skipped.
        package var skipped: [Skip] = []
        /// The options used.
        package var options: Options

        /// The comparison with the largest absolute error.
        package var worstAbsolute: Comparison? { comparisons.max { $0.absoluteError < $1.absoluteError } }
        /// The comparison with the largest relative error.
        package var worstRelative: Comparison? { comparisons.max { $0.relativeError < $1.relativeError } }
        /// Comparisons outside tolerance.
        package var failures: [Comparison] { comparisons.filter { !$0.passed } }
        /// Whether every comparison is within tolerance.
        public var passed: Bool { comparisons.allSatisfy(\.passed) }

        /// A readable summary: counts, the worst errors and where, failures, skips.
        public var description: String {
            var lines = ["gradient check: \(comparisons.count) comparisons, \(failures.count) failed, \(skipped.count) skipped -> \(passed ? "PASS" : "FAIL")"]
            func place(_ c: Comparison) -> String { "sample \(c.sample), \(c.name)" }
            if let w = worstAbsolute {
                lines.append("worst absolute error \(w.absoluteError) at \(place(w)) (reverse \(w.reverse), estimate \(w.estimate))")
            }
            if let w = worstRelative {
                lines.append("worst relative error \(w.relativeError) at \(place(w)) (reverse \(w.reverse), estimate \(w.estimate))")
            }
            for f in failures.prefix(10) {
                lines.append("FAILED \(place(f)): reverse \(f.reverse), estimate \(f.estimate), error \(f.absoluteError) > allowed \(f.allowedError)")
            }
            for s in skipped.prefix(10) { lines.append("skipped sample \(s.sample), \(s.name): \(s.reason)") }
            if skipped.count > 10 { lines.append("… and \(skipped.count - 10) more skipped") }
            return lines.joined(separator: "\n")
        }
    }

    /// Checks the reverse-mode gradients of `circuit` (with its own parameter values) on every
    /// sample of `batch`: central differences for every input and parameter, and forward mode
    /// along random directions (see ``GradientCheck``). `relativeTolerance` is that of the
    /// central-difference comparison, finite and not negative (default 1e−5).
    ///
    /// ```swift
    /// let report = try GradientCheck.run(circuit, on: batch)
    /// print(report.passed ? "gradients agree" : report.description)
    /// ```
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` when the batch
    ///   does not have one column per input of the circuit or the tolerance is out of range.
    public static func run(_ circuit: Circuit, on batch: Batch, relativeTolerance: Double = 1e-5) throws -> Report {
        guard relativeTolerance.isFinite, relativeTolerance >= 0 else {
            throw CircuitError(file: "<gradient check>", kind: .invalidArgument,
                               "the relative tolerance must be finite and not negative, got \(relativeTolerance)")
        }
        var options = Options()
        options.relativeTolerance = relativeTolerance
        return try run(ReferenceEvaluator(circuit: circuit), on: batch, options: options)
    }

    /// Checks `evaluator`'s reverse gradients on `batch`.
    /// - Throws: ``CircuitError`` when the batch does not match the circuit's inputs.
    package static func run(_ evaluator: ReferenceEvaluator, on batch: Batch, options: Options = Options()) throws -> Report {
        try evaluator.checkColumns(of: batch)
        let circuit = evaluator.circuit
        var report = Report(options: options)
        var random = GeneratorRandom(seed: options.seed)
        let sampleCount = max(0, min(batch.sampleCount, options.sampleLimit ?? batch.sampleCount))
        let inputCount = circuit.inputCount

        for s in 0..<sampleCount {
            let inputs = Array(batch.row(s))
            let trace = evaluator.trace(inputs: inputs)
            let center = BranchSignature(circuit: circuit, values: trace.values)

            // Central differences, one coordinate at a time.
            let coordinates = (0..<inputCount).map { Coordinate.input($0) } + (0..<circuit.paramCount).map { Coordinate.param($0) }
            for coordinate in coordinates {
                let (x, wire): (Double, Int)
                switch coordinate {
                case .input(let i): (x, wire) = (inputs[i], i)
                case .param(let p): (x, wire) = (evaluator.paramValues[p], inputCount + p)
                case .direction: continue
                }
                let name = circuit.name(ofWire: wire)
                let reverse = trace.wireGradients[wire]
                let h0 = Glibc.cbrt(Double.ulpOfOne) * max(1, abs(x))
                let h = (x + h0) - x                    // exactly representable step
                func evaluate(at t: Double) -> (value: Double, signature: BranchSignature) {
                    var ins = inputs
                    var e = evaluator
                    switch coordinate {
                    case .input(let i): ins[i] = t
                    case .param(let p):
                        var params = evaluator.paramValues
                        params[p] = t
                        e = evaluator.with(paramValues: params)
                    case .direction: break
                    }
                    let values = e.forwardValues(inputs: ins)
                    return (values[Int(circuit.wireValue[Int(circuit.outputWire)])], BranchSignature(circuit: circuit, values: values))
                }
                let plus = evaluate(at: x + h), minus = evaluate(at: x - h)
                guard x.isFinite, reverse.isFinite, plus.value.isFinite, minus.value.isFinite, trace.outputValue.isFinite else {
                    report.skipped.append(Skip(sample: s, coordinate: coordinate, name: name, reason: "non-finite"))
                    continue
                }
                guard plus.signature == center, minus.signature == center else {
                    report.skipped.append(Skip(sample: s, coordinate: coordinate, name: name,
                                               reason: "not differentiable here (a kink within h = \(h))"))
                    continue
                }
                let width = (x + h) - (x - h)
                let estimate = (plus.value - minus.value) / width
                let rounding = 64 * Double.ulpOfOne * max(1, abs(plus.value), abs(minus.value)) / width
                report.comparisons.append(compare(sample: s, coordinate: coordinate, name: name, reverse: reverse, estimate: estimate,
                                                  relativeTolerance: options.relativeTolerance, floor: rounding))
            }

            // Forward mode along random directions.
            for k in 0..<options.directionsPerSample {
                let dIn = (0..<inputCount).map { _ in random.uniform(-1, 1) }
                let dParam = (0..<circuit.paramCount).map { _ in random.uniform(-1, 1) }
                var dot = 0.0, magnitude = 0.0
                for i in 0..<inputCount {
                    dot += trace.wireGradients[i] * dIn[i]
                    magnitude += abs(trace.wireGradients[i] * dIn[i])
                }
                for p in 0..<circuit.paramCount {
                    dot += trace.wireGradients[inputCount + p] * dParam[p]
                    magnitude += abs(trace.wireGradients[inputCount + p] * dParam[p])
                }
                let tangent = evaluator.directionalDerivative(inputs: inputs, inputDirection: dIn, paramDirection: dParam)
                let name = "direction \(k)"
                guard dot.isFinite, tangent.isFinite, trace.outputValue.isFinite else {
                    report.skipped.append(Skip(sample: s, coordinate: .direction(k), name: name, reason: "non-finite"))
                    continue
                }
                report.comparisons.append(compare(sample: s, coordinate: .direction(k), name: name, reverse: dot, estimate: tangent,
                                                  relativeTolerance: 0, floor: options.directionTolerance * magnitude))
            }
        }
        return report
    }

    static func compare(sample: Int, coordinate: Coordinate, name: String, reverse: Double, estimate: Double,
                        relativeTolerance: Double, floor: Double) -> Comparison {
        let error = abs(estimate - reverse)
        let scale = max(abs(estimate), abs(reverse))
        return Comparison(sample: sample, coordinate: coordinate, name: name, reverse: reverse, estimate: estimate,
                          absoluteError: error, relativeError: scale == 0 ? 0 : error / scale,
                          allowedError: relativeTolerance * scale + floor)
    }
}
