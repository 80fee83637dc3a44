/// A 2-D little-endian float64 NPY array (format versions 1.0, 2.0 and 3.0), as batches
/// and per-sample results use. Fortran-order files are transposed on reading, so
/// ``values`` is always row-major.
struct NPYArray {
    /// Number of rows (samples).
    var rows: Int
    /// Number of columns.
    var columns: Int
    /// Row-major values.
    var values: [Double]

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]   // \x93NUMPY

    /// The most rows an array with no columns (the batch of a circuit without inputs) may
    /// state: its data is empty, so the file cannot vouch for the count (2³¹ − 1).
    static let maximumRowsWithoutColumns = Int(Int32.max)

    /// Whether `bytes` start like an NPY file.
    static func isNPY(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.count >= 6 && Array(bytes[0..<6]) == magic }

    /// Parses an NPY file; errors name `file` and say what is wrong.
    static func parse(_ bytes: [UInt8], file: String, allowingNaN: Bool) throws -> NPYArray {
        try bytes.withUnsafeBufferPointer { try parse($0, file: file, allowingNaN: allowingNaN) }
    }

    /// Parses NPY bytes, from a buffer.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, allowingNaN: Bool) throws -> NPYArray {
        func fail(_ message: String, _ kind: CircuitError.Kind = .syntax) -> CircuitError { CircuitError(file: file, kind: kind, "NPY: " + message) }
        guard isNPY(bytes) else {
            if bytes.count < 6 && bytes.elementsEqual(magic.prefix(bytes.count)) { throw fail("the file ends inside the magic \\x93NUMPY") }
            throw fail("the magic is damaged: the file starts \(FileKind.preview(UnsafeRawBufferPointer(bytes))), not \\x93NUMPY")
        }
        guard bytes.count >= 10 else { throw fail("the file ends inside the header (\(bytes.count) bytes)") }
        let major = bytes[6]
        if bytes[7] != 0 {   // numpy reads only 1.0, 2.0 and 3.0
            throw fail("unsupported format version \(major).\(bytes[7]); expected 1.0, 2.0 or 3.0")
        }
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("the file ends inside the header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail("unsupported format version \(major).\(bytes[7]); expected 1.0, 2.0 or 3.0")
        }
        guard headerStart + headerLength <= bytes.count else { throw fail("the file ends inside the header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let dict = try NPYHeader.parse(header, fail: { fail($0) })
        guard let descr = dict.descr else { throw fail("the header has no 'descr'") }
        guard descr == "<f8" else {
            if descr == ">f8" { throw fail("big-endian float64 ('>f8'); expected little-endian '<f8'", .batchShape) }
            throw fail("element type '\(descr)'; expected little-endian float64 '<f8' (numpy: .astype('<f8'))", .batchShape)
        }
        guard let shape = dict.shape else { throw fail("the header has no 'shape'") }
        guard shape.count == 2 else {
            throw fail("the array has \(shape.count) dimension\(shape.count == 1 ? "" : "s") \(shape); expected 2 (samples × inputs)", .batchShape)
        }
        let (rows, columns) = (shape[0], shape[1])
        if columns == 0 && rows > maximumRowsWithoutColumns {
            throw fail("shape (\(rows), 0) has more rows than the \(maximumRowsWithoutColumns) an array without columns may have", .resourceLimit)
        }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        let (byteCount, overflow2) = count.multipliedReportingOverflow(by: 8)
        let dataStart = headerStart + headerLength
        guard !overflow, !overflow2, byteCount == bytes.count - dataStart else {
            throw fail("shape (\(rows), \(columns)) needs \(overflow || overflow2 ? "more" : String(byteCount)) data bytes, the file has \(bytes.count - dataStart)")
        }
        var values = [Double](repeating: 0, count: count)
        do {
            let raw = UnsafeRawBufferPointer(bytes)
            for k in 0..<count {
                let bits = raw.loadUnaligned(fromByteOffset: dataStart + 8 * k, as: UInt64.self)
                let x = Double(bitPattern: UInt64(littleEndian: bits))
                if dict.fortranOrder {
                    values[(k % max(rows, 1)) * columns + k / max(rows, 1)] = x   // element (k % rows, k / rows)
                } else {
                    values[k] = x
                }
            }
        }
        if !allowingNaN, let k = values.firstIndex(where: \.isNaN) {
            throw fail("NaN at row \(k / columns + 1), column \(k % columns + 1) (1-based); batch values cannot be NaN", .batchShape)
        }
        return NPYArray(rows: rows, columns: columns, values: values)
    }
}
