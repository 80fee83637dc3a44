/// Writing whole results: per-sample CSV or NPY, and parameter gradients as CSV, each file
/// atomically (written aside, then renamed: never half-written).
///
/// ```swift
/// try ResultsWriter.writeSamples(result, inputNames: circuit.inputNames, to: "out.csv")
/// try ResultsWriter.writeParamGradients(result, paramNames: circuit.paramNames, to: "grads.csv")
/// ```
public enum ResultsWriter {
    /// Per-sample results as CSV text.
    package static func sampleCSV(_ result: EvaluationResult, inputNames: [String]) -> String {
        var rows = ["value" + inputNames.map { ",d_" + $0 }.joined()]
        for s in 0..<result.sampleCount {
            rows.append(([result.values[s]] + result.gradient(ofSample: s)).map(NumberText.format).joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// Parameter gradients as CSV text: `param,grad`, one row per parameter in declaration order.
    package static func paramGradientsCSV(_ result: EvaluationResult, paramNames: [String]) -> String {
        precondition(paramNames.count == result.paramGradients.count, "one name per parameter gradient")
        var out = "param,grad\n"
        for (name, g) in zip(paramNames, result.paramGradients) { out += name + "," + NumberText.format(g) + "\n" }
        return out
    }

    /// Writes per-sample results to `path` atomically, as NPY when `path` ends in `.npy`, else CSV.
    /// - Throws: ``CircuitError`` when `inputNames` does not name every input, or `path`
    ///   cannot be written.
    public static func writeSamples(_ result: EvaluationResult, inputNames: [String], to path: String) throws {
        guard inputNames.count == result.inputCount else {
            throw CircuitError(file: path, "\(inputNames.count) input names given for results with \(result.inputCount) inputs")
        }
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
    /// - Throws: ``CircuitError`` when `paramNames` does not name every parameter, or `path`
    ///   cannot be written.
    public static func writeParamGradients(_ result: EvaluationResult, paramNames: [String], to path: String) throws {
        guard paramNames.count == result.paramGradients.count else {
            throw CircuitError(file: path,
                               "\(paramNames.count) parameter names given for \(result.paramGradients.count) parameter gradients")
        }
        try AtomicFile.write(paramGradientsCSV(result, paramNames: paramNames), to: path)
    }
}
