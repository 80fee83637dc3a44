/// Writes a batch of input samples in the batch formats of docs/format.md, atomically: CSV (a header
/// naming the input wires in declaration order, then one row per sample, numbers as
/// `NumberText` writes them) or NPY (samples × inputs, `'<f8'`, C order).
/// The batch readers (`BatchReading`) read either back to the same bits.
package enum BatchWriter {
    /// The two file formats.
    package enum Format: String, Sendable, CaseIterable {
        case csv, npy

        /// The format a path's extension names (`.csv` or `.npy`, any case), or nil.
        package init?(path: String) {
            let lower = path.lowercased()
            if lower.hasSuffix(".csv") { self = .csv } else if lower.hasSuffix(".npy") { self = .npy } else { return nil }
        }
    }

    /// Writes `batch` (columns named `inputNames`) to `path`: NPY when the path ends in `.npy`
    /// (any case), CSV otherwise.
    /// - Throws: ``CircuitError`` naming `path` when `inputNames` does not name every column or
    ///   the file cannot be written.
    package static func write(_ batch: Batch, inputNames: [String], to path: String) throws {
        try write(batch, inputNames: inputNames, format: Format(path: path) ?? .csv, to: path)
    }

    /// Writes `batch` (columns named `inputNames`) to `path` in `format`.
    /// - Throws: ``CircuitError`` naming `path` when `inputNames` does not name every column or
    ///   the file cannot be written.
    package static func write(_ batch: Batch, inputNames: [String], format: Format, to path: String) throws {
        guard inputNames.count == batch.inputCount else {
            throw CircuitError(file: path, kind: .invalidArgument, "\(inputNames.count) input names given for a batch with \(batch.inputCount) columns")
        }
        try AtomicFile.write(to: path, body(batch, inputNames: inputNames, format: format))
    }

    /// What writes `batch` in `format`, for an ``OutputTransaction``.
    package static func body(_ batch: Batch, inputNames: [String], format: Format) -> OutputTransaction.Body {
        precondition(inputNames.count == batch.inputCount, "one name per batch column is needed")
        return { output in
            switch format {
            case .csv: writeCSV(batch, inputNames: inputNames, to: output)
            case .npy: writeNPY(batch, to: output)
            }
        }
    }

    /// The CSV text of `batch`.
    package static func csvText(_ batch: Batch, inputNames: [String]) -> String {
        var text = inputNames.joined(separator: ",") + "\n"
        for s in 0..<batch.sampleCount {
            text += batch.row(s).map { NumberText.format($0) }.joined(separator: ",") + "\n"
        }
        return text
    }

    static func writeCSV(_ batch: Batch, inputNames: [String], to output: BufferedOutput) {
        output.write(inputNames.joined(separator: ","))
        output.write(byte: 10)
        for s in 0..<batch.sampleCount {
            for i in 0..<batch.inputCount {
                if i > 0 { output.write(byte: 44) }
                output.write(batch[s, i])
            }
            output.write(byte: 10)
        }
    }

    static func writeNPY(_ batch: Batch, to output: BufferedOutput) {
        let header = NPYFormat.header(rows: batch.sampleCount, columns: batch.inputCount)
        header.withUnsafeBytes { output.write(bytes: $0) }
        for x in batch.values {
            var bits = x.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { output.write(bytes: $0) }
        }
    }
}
