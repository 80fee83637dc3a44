/// Writing whole results: per-sample results and parameter gradients, each as CSV, or as
/// NPY when the output's name ends in `.npy` (any case), each output safely (written to a
/// temporary file beside it and renamed: never half-written, links followed, modes kept).
///
/// Per-sample NPY is a samples × (1 + inputs) `'<f8'` array. Parameter-gradient NPY is a 1-D
/// structured array with one record per parameter in declaration order, fields `param` (the
/// name, `'<U…'`) and `grad` (`'<f8'`), the same two columns as the CSV:
/// `numpy.load(path)['grad']`.
///
/// ```swift
/// try ResultsWriter.writeSamples(result, inputNames: circuit.inputNames, to: "out.csv")
/// try ResultsWriter.writeParamGradients(result, paramNames: circuit.paramNames, to: "grads.npy")
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

    /// What writes per-sample results to an output named `path` (NPY when it ends in `.npy`):
    /// the header, then every sample's row.
    package static func samplesBody(_ result: EvaluationResult, inputNames: [String], path: String) -> OutputTransaction.Body {
        { out in
            samplesHeader(sampleCount: result.sampleCount, inputNames: inputNames, path: path).withUnsafeBytes { out.write(bytes: $0) }
            try writeSampleRows(result, samples: 0..<result.sampleCount, inputNames: inputNames, path: path, to: out)
        }
    }

    /// The header of the per-sample results file `path` for `sampleCount` samples: the NPY header,
    /// or the CSV header row. ``sampleRows(_:inputNames:path:)`` of every sample follow it.
    package static func samplesHeader(sampleCount: Int, inputNames: [String], path: String) -> [UInt8] {
        if isNPY(path) { return SampleResultsNPYWriter.header(inputCount: inputNames.count, sampleCount: sampleCount) }
        return Array(SampleResultsCSVWriter.header(inputNames: inputNames).utf8)
    }

    /// Writes the rows of `result`'s samples `samples` to `out` as they appear in the per-sample
    /// results file `path`, without the header: a process's part of a results file that several
    /// processes write.
    package static func writeSampleRows(_ result: EvaluationResult, samples: Range<Int>, inputNames: [String],
                                        path: String, to out: BufferedOutput) throws {
        if isNPY(path) {
            let writer = SampleResultsNPYWriter(inputCount: inputNames.count, sampleCount: samples.count, output: out, header: false)
            writer.append(result, samples: samples)
            try writer.finish()
        } else {
            let writer = SampleResultsCSVWriter(inputNames: inputNames, output: out, header: false)
            writer.append(result, samples: samples)
            try writer.finish()
        }
    }

    /// The byte length of `sampleCount` rows of the per-sample results file `path` when it is known
    /// without writing them (NPY rows have a fixed size); nil for CSV.
    package static func sampleRowsLength(sampleCount: Int, inputCount: Int, path: String) -> Int? {
        isNPY(path) ? sampleCount * (1 + inputCount) * MemoryLayout<Double>.size : nil
    }

    private static func isNPY(_ path: String) -> Bool { path.lowercased().hasSuffix(".npy") }

    /// What writes parameter gradients to an output named `path` (NPY when it ends in `.npy`).
    package static func paramGradientsBody(_ result: EvaluationResult, paramNames: [String], path: String) -> OutputTransaction.Body {
        precondition(paramNames.count == result.paramGradients.count, "one name per parameter gradient")
        if isNPY(path) {
            return { out in try ParamGradientsNPYWriter.write(names: paramNames, gradients: result.paramGradients, to: out) }
        }
        return { out in out.write(paramGradientsCSV(result, paramNames: paramNames)) }
    }

    /// Writes per-sample results to `path`, as NPY when `path` ends in `.npy` (any case), else CSV.
    /// - Throws: ``CircuitError`` when `inputNames` does not name every input, or `path`
    ///   cannot be written.
    public static func writeSamples(_ result: EvaluationResult, inputNames: [String], to path: String) throws {
        try checkInputNames(inputNames, inputCount: result.inputCount, path: path)
        try AtomicFile.write(to: path, samplesBody(result, inputNames: inputNames, path: path))
    }

    /// Writes parameter gradients to `path`, as NPY when `path` ends in `.npy` (any case), else CSV.
    /// - Throws: ``CircuitError`` when `paramNames` does not name every parameter, or `path`
    ///   cannot be written.
    public static func writeParamGradients(_ result: EvaluationResult, paramNames: [String], to path: String) throws {
        guard paramNames.count == result.paramGradients.count else {
            throw CircuitError(file: path, kind: .invalidArgument,
                               "\(paramNames.count) parameter names given for \(result.paramGradients.count) parameter gradients")
        }
        try AtomicFile.write(to: path, paramGradientsBody(result, paramNames: paramNames, path: path))
    }

    /// Writes second-order results to `path`, one row per sample with columns `value`,
    /// `d_NAME…` and `hvp_NAME…`: CSV, or an NPY array of samples × (1 + 2·inputs) when `path`
    /// ends in `.npy`.
    /// - Throws: ``CircuitError`` when `inputNames` does not name every input, or `path`
    ///   cannot be written.
    public static func writeSamples(_ result: SecondOrderResult, inputNames: [String], to path: String) throws {
        try checkInputNames(inputNames, inputCount: result.inputCount, path: path)
        try SecondOrderResultsWriter.write(result, inputNames: inputNames, to: path)
    }

    private static func checkInputNames(_ inputNames: [String], inputCount: Int, path: String) throws {
        guard inputNames.count == inputCount else {
            throw CircuitError(file: path, kind: .invalidArgument, "\(inputNames.count) input names given for results with \(inputCount) inputs")
        }
    }
}
