/// Writes Hessian-vector results: one row per sample with columns `value`, `d_NAME…` (as
/// `eval` writes them) and `hvp_NAME…` (inputs in declaration order); CSV, or an NPY array of
/// samples × (1 + 2·inputs) when the path ends in `.npy`.
package enum SecondOrderResultsWriter {
    /// The header names.
    package static func columns(inputNames: [String]) -> [String] {
        ["value"] + inputNames.map { "d_" + $0 } + inputNames.map { "hvp_" + $0 }
    }

    /// Writes `result` as CSV on `output`.
    package static func writeCSV(_ result: SecondOrderResult, inputNames: [String], to output: BufferedOutput) {
        output.write(columns(inputNames: inputNames).joined(separator: ","))
        output.write(byte: 0x0A)
        forEachRow(result) { row in
            for (k, x) in row.enumerated() {
                if k > 0 { output.write(byte: UInt8(ascii: ",")) }
                output.write(x)
            }
            output.write(byte: 0x0A)
        }
    }

    /// Writes `result` to `path` atomically: NPY when it ends in `.npy`, else CSV.
    package static func write(_ result: SecondOrderResult, inputNames: [String], to path: String) throws {
        try AtomicFile.write(to: path) { out in
            guard path.hasSuffix(".npy") else { return writeCSV(result, inputNames: inputNames, to: out) }
            let header = NPYFormat.header(rows: result.sampleCount, columns: 1 + 2 * result.inputCount)
            header.withUnsafeBytes { out.write(bytes: $0) }
            forEachRow(result) { row in
                for x in row {
                    var bits = x.bitPattern.littleEndian
                    withUnsafeBytes(of: &bits) { out.write(bytes: $0) }
                }
            }
        }
    }

    private static func forEachRow(_ r: SecondOrderResult, _ body: ([Double]) -> Void) {
        let I = r.inputCount
        for s in 0..<r.sampleCount {
            body([r.values[s]] + r.inputGradients[(s * I)..<((s + 1) * I)] + r.hessianVectorProducts[(s * I)..<((s + 1) * I)])
        }
    }
}
