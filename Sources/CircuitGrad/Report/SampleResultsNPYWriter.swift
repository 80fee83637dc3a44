/// Streams per-sample results as an NPY file: a samples × (1 + inputs) `'<f8'` array in
/// C order, columns `value` then the input gradients in declaration order. The sample
/// count goes into the header, so it is given up front and checked at the end.
package final class SampleResultsNPYWriter {
    private let output: BufferedOutput
    private let inputCount: Int
    private let sampleCount: Int
    private var written = 0

    /// Starts an NPY array of `sampleCount` rows on `output` by writing its header; without
    /// `header`, writes only the `sampleCount` rows, to go after rows or a header written elsewhere.
    package init(inputCount: Int, sampleCount: Int, output: BufferedOutput, header: Bool = true) {
        self.output = output
        self.inputCount = inputCount
        self.sampleCount = sampleCount
        if header { Self.header(inputCount: inputCount, sampleCount: sampleCount).withUnsafeBytes { output.write(bytes: $0) } }
    }

    /// The header of an array of `sampleCount` rows.
    package static func header(inputCount: Int, sampleCount: Int) -> [UInt8] {
        NPYFormat.header(rows: sampleCount, columns: 1 + inputCount)
    }

    /// Appends one row: the value and the input gradient.
    package func appendRow(value: Double, gradient: ArraySlice<Double>) {
        precondition(gradient.count == inputCount, "a results row needs one gradient per input")
        precondition(written < sampleCount, "more rows than the NPY header announced")
        put(value)
        for g in gradient { put(g) }
        written += 1
    }

    /// Appends the samples `samples` of `result`.
    package func append(_ result: EvaluationResult, samples: Range<Int>) {
        for s in samples { appendRow(value: result.values[s], gradient: result.gradient(ofSample: s)) }
    }

    /// Writes out what is buffered.
    /// - Throws: ``CircuitError`` when fewer rows were written than announced, or for an I/O error.
    package func finish() throws {
        try output.flush()
        if written != sampleCount {
            throw CircuitError(file: "<npy writer>", kind: .internal, "wrote \(written) rows; the header announced \(sampleCount)")
        }
    }

    private func put(_ x: Double) {
        var bits = x.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { output.write(bytes: $0) }
    }
}
