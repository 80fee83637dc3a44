/// Writing whole results: per-sample CSV or NPY, and parameter gradients as CSV.
public enum ResultsWriter {
    /// Per-sample results as CSV text.
    public static func sampleCSV(_ result: EvaluationResult, inputNames: [String]) -> String {
        var rows = ["value" + inputNames.map { ",d_" + $0 }.joined()]
        for s in 0..<result.sampleCount {
            rows.append(([result.values[s]] + result.gradient(ofSample: s)).map(NumberText.format).joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// Parameter gradients as CSV text: `param,grad`, one row per parameter in declaration order.
    public static func paramGradientsCSV(_ result: EvaluationResult, paramNames: [String]) -> String {
        precondition(paramNames.count == result.paramGradients.count, "one name per parameter gradient")
        var out = "param,grad\n"
        for (name, g) in zip(paramNames, result.paramGradients) { out += name + "," + NumberText.format(g) + "\n" }
        return out
    }

    /// Writes per-sample results to `path` atomically, as NPY when `path` ends in `.npy`, else CSV.
    public static func writeSamples(_ result: EvaluationResult, inputNames: [String], to path: String) throws {
        try AtomicFile.write(to: path) { out in
            if path.hasSuffix(".npy") {
                let writer = SampleResultsNPYWriter(inputCount: inputNames.count, sampleCount: result.sampleCount, output: out)
                writer.append(result)
                try writer.finish()
            } else {
                let writer = SampleResultsCSVWriter(inputNames: inputNames, output: out)
                writer.append(result)
                try writer.finish()
            }
        }
    }

    /// Writes parameter gradients to `path` atomically as CSV.
    public static func writeParamGradients(_ result: EvaluationResult, paramNames: [String], to path: String) throws {
        try AtomicFile.write(paramGradientsCSV(result, paramNames: paramNames), to: path)
    }
}
