/// Streams per-sample results as CSV: header `value,d_NAME,...` (inputs in declaration
/// order), then one row per sample. Rows can be appended a block at a time, so a large
/// batch's results need not be held as one string.
package final class SampleResultsCSVWriter {
    private let output: BufferedOutput
    private let inputCount: Int

    /// Starts a results table on `output` by writing the header row; without `header`, rows only
    /// (to go after rows or a header written elsewhere).
    package init(inputNames: [String], output: BufferedOutput, header: Bool = true) {
        self.output = output
        self.inputCount = inputNames.count
        if header { output.write(Self.header(inputNames: inputNames)) }
    }

    /// The header row, newline included.
    package static func header(inputNames: [String]) -> String {
        (["value"] + inputNames.map { "d_" + $0 }).joined(separator: ",") + "\n"
    }

    /// Appends one row: the output value and the input gradient (`gradient.count` must equal the input count).
    package func appendRow(value: Double, gradient: ArraySlice<Double>) {
        precondition(gradient.count == inputCount, "a results row needs one gradient per input")
        output.write(value)
        for g in gradient {
            output.write(byte: UInt8(ascii: ","))
            output.write(g)
        }
        output.write(byte: 0x0A)
    }

    /// Appends the samples `samples` of `result`.
    package func append(_ result: EvaluationResult, samples: Range<Int>) {
        for s in samples { appendRow(value: result.values[s], gradient: result.gradient(ofSample: s)) }
    }

    /// Writes out what is buffered; throws the first I/O error.
    package func finish() throws { try output.flush() }
}
