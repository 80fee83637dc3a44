import CircuitGrad

/// The `--json` documents of `eval` and `check`, written to standard output. Numbers are
/// written to read back bit for bit; NaN and infinities as the strings "nan", "inf", "-inf".
enum ResultsJSON {
    /// `eval --json`: one object `{"circuit", "inputs", "params", "samples", "values",
    /// "gradients" (one array per sample, inputs in declaration order), "paramGradients"
    /// (summed over the batch, parameters in declaration order), "nonFinite" (null, or
    /// where the first NaN or infinity came from)}`, streamed so large batches need no
    /// second copy in memory.
    static func writeEvaluation(circuitName: String, circuit: Circuit, result: EvaluationResult, nonFinite: String?) throws {
        let out = BufferedOutput.standardOutput()
        func strings(_ names: [String]) -> String { JSONValue.array(names.map(JSONValue.string)).text }
        func number(_ x: Double) { out.write(JSONValue.exact(x).text) }
        out.write("{\"circuit\":\(JSONValue.string(circuitName).text),\"inputs\":\(strings(circuit.inputNames)),")
        out.write("\"params\":\(strings(circuit.paramNames)),\"samples\":\(result.sampleCount),\"values\":[")
        for s in 0..<result.sampleCount {
            if s > 0 { out.write(byte: 0x2C) }
            number(result.values[s])
        }
        out.write("],\"gradients\":[")
        for s in 0..<result.sampleCount {
            out.write(s > 0 ? ",[" : "[")
            for (k, g) in result.gradient(ofSample: s).enumerated() {
                if k > 0 { out.write(byte: 0x2C) }
                number(g)
            }
            out.write("]")
        }
        out.write("],\"paramGradients\":[")
        for (k, g) in result.paramGradients.enumerated() {
            if k > 0 { out.write(byte: 0x2C) }
            number(g)
        }
        out.write("],\"nonFinite\":\(nonFinite.map { JSONValue.string($0).text } ?? "null")}\n")
        try out.flush()
    }

    /// `check --json`: the gradient and second-order reports (counts, the worst errors,
    /// failures and skips, at most 100 of each), whether the engine equals the reference bit
    /// for bit, and the verdict.
    static func check(circuitName: String, gradients: GradientCheck.Report, secondOrder: GradientCheck.Report,
                      engineThreads: Int, engineEqual: Bool, engineHVPEqual: Bool) -> String {
        let o: JSONObject = [
            "circuit": .string(circuitName),
            "gradients": reportObject(gradients),
            "secondOrder": reportObject(secondOrder),
            "engine": .object(["threads": .number(Double(engineThreads)), "bitwiseEqualToReference": .bool(engineEqual),
                               "hessianVectorProductsEqualToReference": .bool(engineHVPEqual)]),
            "pass": .bool(gradients.passed && secondOrder.passed && engineEqual && engineHVPEqual),
        ]
        return JSONValue.object(o).text
    }

    private static func reportObject(_ report: GradientCheck.Report) -> JSONValue {
        func comparison(_ c: GradientCheck.Comparison) -> JSONValue {
            .object(["sample": .number(Double(c.sample)), "name": .string(c.name), "reverse": .exact(c.reverse),
                     "estimate": .exact(c.estimate), "absoluteError": .exact(c.absoluteError),
                     "relativeError": .exact(c.relativeError), "allowedError": .exact(c.allowedError)])
        }
        let skips: [JSONValue] = report.skipped.prefix(100).map {
            .object(["sample": .number(Double($0.sample)), "name": .string($0.name), "reason": .string($0.reason)])
        }
        return .object([
            "comparisons": .number(Double(report.comparisons.count)),
            "failed": .number(Double(report.failures.count)),
            "skipped": .number(Double(report.skipped.count)),
            "worstAbsolute": report.worstAbsolute.map(comparison) ?? .null,
            "worstRelative": report.worstRelative.map(comparison) ?? .null,
            "failures": .array(report.failures.prefix(100).map(comparison)),
            "skips": .array(skips),
            "pass": .bool(report.passed),
        ])
    }
}
