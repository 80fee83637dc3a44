/// A CSV table of numbers with a header row of column names, as batches and results use.
///
/// Rules (docs/format.md states them; batches and results files share them):
/// - a UTF-8 byte order mark at the start is skipped; lines end with LF or CR LF;
/// - fields are separated by `,`; spaces and tabs around a field are ignored;
/// - blank lines (empty or only spaces/tabs) are skipped anywhere, so a trailing
///   newline, or none, are both fine;
/// - the first non-blank line is the header; every later line must have as many fields;
/// - fields are numbers by ``NumberSyntax``; `nan` only where the caller allows it;
/// - no quoting and no comments.
struct NumericCSV {
    /// Header names, in file order.
    var columnNames: [String] = []
    /// Where each header name starts.
    var columnLocations: [SourceLocation] = []
    /// Number of data rows.
    var rowCount = 0
    /// Row-major values of the numeric columns, `rowCount × (columnNames.count - textColumns)`.
    var values: [Double] = []
    /// Row-major fields of the leading text columns.
    var textValues: [String] = []
    /// Where each of ``textValues`` starts.
    var textLocations: [SourceLocation] = []

    /// Parses `bytes`; errors name `file` with line and column.
    /// The first `textColumns` columns may hold any text (their fields land in ``textValues``).
    static func parse(_ bytes: [UInt8], file: String, allowingNaN: Bool, textColumns: Int = 0) throws -> NumericCSV {
        try bytes.withUnsafeBufferPointer { try parse($0, file: file, allowingNaN: allowingNaN, textColumns: textColumns) }
    }

    /// Parses `source`, from a buffer.
    static func parse(_ source: UnsafeBufferPointer<UInt8>, file: String, allowingNaN: Bool, textColumns: Int = 0) throws -> NumericCSV {
        var table = NumericCSV()
        try UTF8Validation.check(source, file: file)
        let n = source.count
        var p = 0
        if n >= 3 && source[0] == 0xEF && source[1] == 0xBB && source[2] == 0xBF { p = 3 }
        var line: Int32 = 0
        var sawHeader = false
        var width = 0
        while p < n {
            line = line &+ 1
            let lineStart = p
            var end = p
            while end < n && source[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > p && source[end - 1] == 0x0D { end -= 1 }
            defer { p = next }
            func fail(_ at: Int, _ message: String) -> CircuitError {
                CircuitError(file: file, location: SourceLocation(line: line, column: Int32(clamping: at - lineStart + 1)), message)
            }
            // Blank line?
            var q = p
            while q < end && (source[q] == 0x20 || source[q] == 0x09) { q += 1 }
            if q == end { continue }
            for i in p..<end where source[i] < 0x20 && source[i] != 0x09 || source[i] == 0x7F {
                if source[i] == 0x0D { throw fail(i, "a carriage return in the middle of a line; lines end with LF or CR LF") }
                throw fail(i, "unexpected control character 0x\(NumberSyntax.hex(source[i]))")
            }
            if source[q] == UInt8(ascii: "#") && !sawHeader {
                throw fail(q, "comments are not allowed; the first line names the columns (with numpy.savetxt, pass comments='')")
            }
            // Split into trimmed fields.
            var field = 0
            var s = p
            while true {
                var e = s
                while e < end && source[e] != UInt8(ascii: ",") { e += 1 }
                var a = s, b = e
                while a < b && (source[a] == 0x20 || source[a] == 0x09) { a += 1 }
                while b > a && (source[b - 1] == 0x20 || source[b - 1] == 0x09) { b -= 1 }
                let text = UnsafeBufferPointer(rebasing: source[a..<b])
                if !sawHeader {
                    if a == b { throw fail(a, "empty column name in the header") }
                    if text.contains(UInt8(ascii: "\"")) || text.contains(UInt8(ascii: "'")) {
                        throw fail(a, "quoted column names are not supported; write the bare name")
                    }
                    table.columnNames.append(String(decoding: text, as: UTF8.self))
                    table.columnLocations.append(SourceLocation(line: line, column: Int32(clamping: a - lineStart + 1)))
                } else {
                    if field >= width {
                        throw fail(s, "this row has more than the header's \(width) fields")
                    }
                    if a == b { throw fail(a, "empty field in column '\(table.columnNames[field])'; expected a number") }
                    if field < textColumns {
                        table.textValues.append(String(decoding: text, as: UTF8.self))
                        table.textLocations.append(SourceLocation(line: line, column: Int32(clamping: a - lineStart + 1)))
                    } else {
                        switch NumberSyntax.parse(text, allowingNaN: allowingNaN) {
                        case .number(let x): table.values.append(x)
                        case .problem(let m): throw fail(a, m + " (column '\(table.columnNames[field])')")
                        }
                    }
                }
                field += 1
                if e == end { break }
                s = e + 1
            }
            if !sawHeader {
                sawHeader = true
                width = field
            } else {
                if field < width {
                    throw fail(end, "this row has \(field) fields, the header has \(width)")
                }
                table.rowCount += 1
            }
        }
        if !sawHeader { throw CircuitError(file: file, "the file is empty; expected a header row naming the columns") }
        return table
    }
}
