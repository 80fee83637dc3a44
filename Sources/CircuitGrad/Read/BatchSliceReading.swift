/// Reading one process's share of a batch, for distributed evaluation: every process
/// learns the batch's sample count, but parses only the rows of its own samples, so bad
/// input in a row is reported by the process that owns that row, with the file's own line
/// and column.
extension Batch {
    /// A batch's sample count and the rows `samplesOf(sampleCount)` of it.
    package struct Slice: Sendable {
        /// Samples in the whole batch.
        package let sampleCount: Int
        /// The samples read, as positions in the whole batch.
        package let samples: Range<Int>
        /// The rows of those samples.
        package let batch: Batch

        /// The rows `batch` of the samples `samples` of a batch of `sampleCount` samples.
        package init(sampleCount: Int, samples: Range<Int>, batch: Batch) {
            precondition(samples.count == batch.sampleCount && samples.upperBound <= sampleCount, "a slice holds its samples' rows")
            self.sampleCount = sampleCount
            self.samples = samples
            self.batch = batch
        }
    }

    /// Reads the rows `samplesOf(total)` of the batch file at `path` for `circuit` (CSV or NPY,
    /// as ``read(contentsOf:for:)``). CSV: the lines are counted, the header and the chosen rows
    /// are parsed; the rest is only scanned for line ends. NPY: every row is converted, then the slice kept.
    /// - Throws: ``CircuitError`` naming the file (line and column for CSV).
    package static func readSlice(contentsOf path: String, for circuit: Circuit,
                                 samplesOf: (Int) -> Range<Int>) throws -> Slice {
        try FileBytes.withContents(of: path) { try readSlice($0, sourceName: path, for: circuit, samplesOf: samplesOf) }
    }

    /// The rows `samplesOf(total)` of the batch in `bytes` (see ``readSlice(contentsOf:for:samplesOf:)``).
    static func readSlice(_ bytes: UnsafeBufferPointer<UInt8>, sourceName path: String, for circuit: Circuit,
                          samplesOf: (Int) -> Range<Int>) throws -> Slice {
        if NPYArray.isNPY(bytes) || circuit.inputCount == 0 {
            let whole = try parse(bytes, sourceName: path, for: circuit)
            let samples = samplesOf(whole.sampleCount)
            let I = whole.inputCount
            let rows = Array(whole.values[(samples.lowerBound * I)..<(samples.upperBound * I)])
            return Slice(sampleCount: whole.sampleCount, samples: samples,
                         batch: try Batch(sampleCount: samples.count, inputCount: I, values: rows))
        }
        // Lines that are not blank (the same rule as NumericCSV): the first is the header.
        var starts: [Int] = [], ends: [Int] = []
        var p = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var lineStarts: [Int] = []   // every line, for padding
        while p < bytes.count {
            var end = p
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineStarts.append(p)
            var e = end
            if e > p && bytes[e - 1] == 0x0D { e -= 1 }
            var q = p
            while q < e && (bytes[q] == 0x20 || bytes[q] == 0x09) { q += 1 }
            if q < e {
                starts.append(lineStarts.count - 1)
                ends.append(end)
            }
            p = end + 1
        }
        let total = max(starts.count - 1, 0)
        let samples = samplesOf(total)
        // The header and the chosen rows, at their own line numbers: every line left out
        // becomes an empty line, which the parser skips.
        var text: [UInt8] = []
        func copyLine(_ k: Int) {
            let line = starts[k]
            text.append(contentsOf: bytes[lineStarts[line]..<ends[k]])
            text.append(0x0A)
        }
        var linesWritten = 0
        func pad(to line: Int) {
            if line > linesWritten { text.append(contentsOf: repeatElement(0x0A, count: line - linesWritten)) }
            linesWritten = max(linesWritten, line)
        }
        if !starts.isEmpty {
            pad(to: starts[0])
            copyLine(0)
            linesWritten = starts[0] + 1
            for k in (samples.lowerBound + 1)..<(samples.upperBound + 1) {
                pad(to: starts[k])
                copyLine(k)
                linesWritten = starts[k] + 1
            }
        }
        let slice = try parseCSV(text, sourceName: path, for: circuit)
        return Slice(sampleCount: total, samples: samples, batch: slice)
    }
}
