/// Streams per-sample results as an NPY file: a samples × (1 + inputs) `'<f8'` array in
/// C order, columns `value` then the input gradients in declaration order. The sample
/// count goes into the header, so it is given up front and checked at the end.
public final class SampleResultsNPYWriter {
    private let output: BufferedOutput
    private let inputCount: Int
    private let sampleCount: Int
    private var written = 0

    /// Starts an NPY array of `sampleCount` rows on `output` by writing its header.
    public init(inputCount: Int, sampleCount: Int, output: BufferedOutput) {
        self.output = output
        self.inputCount = inputCount
        self.sampleCount = sampleCount
        let header = NPYFormat.header(rows: sampleCount, columns: 1 + inputCount)
        header.withUnsafeBytes { output.write(bytes: $0) }
    }

    /// Appends one row: the value and the input gradient.
    public func appendRow(value: Double, gradient: ArraySlice<Double>) {
        precondition(gradient.count == inputCount, "a results row needs one gradient per input")
        precondition(written < sampleCount, "more rows than the NPY header announced")
        put(value)
        for g in gradient { put(g) }
        written += 1
    }

    /// Appends every sample of `result`.
    public func append(_ result: EvaluationResult) {
        for s in 0..<result.sampleCount { appendRow(value: result.values[s], gradient: result.gradient(ofSample: s)) }
    }

    /// Writes out what is buffered.
    /// - Throws: ``CircuitError`` when fewer rows were written than announced, or for an I/O error.
    public func finish() throws {
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

/// The NPY format details writers share.
enum NPYFormat {
    /// A version 1.0 header for a C-order `'<f8'` array of `rows × columns`, padded so the
    /// data starts on a 64-byte boundary.
    static func header(rows: Int, columns: Int) -> [UInt8] {
        header(descr: "'<f8'", shape: "(\(rows), \(columns))")
    }

    /// A header for a C-order array of `descr` (a Python literal) and `shape` (a tuple literal):
    /// version 1.0 while the header fits in 65,535 bytes, else 2.0; padded to 64 bytes.
    static func header(descr: String, shape: String) -> [UInt8] {
        var dict = "{'descr': \(descr), 'fortran_order': False, 'shape': \(shape), }"
        let small = dict.utf8.count + 11 + 10 < 65536
        let prefix = small ? 10 : 12
        let unpadded = prefix + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let n = dict.utf8.count
        let lengthBytes: [UInt8] = small ? [UInt8(n & 0xFF), UInt8(n >> 8)]
            : [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, small ? 1 : 2, 0] + lengthBytes + Array(dict.utf8)
    }
}
