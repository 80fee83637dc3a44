/// The state of one pass over a `.circuit` file: the file cut into lines and tokens, here;
/// each line's statement read into the draft in `CircuitParser+Statements.swift`; wire names
/// and numbers checked in `CircuitParser+Names.swift`.
struct CircuitParser {
    let source: UnsafeBufferPointer<UInt8>
    let file: String
    var draft: CircuitDraft
    var names: NameTable
    var line: Int32 = 0
    var lineStart = 0
    var sawHeader = false
    var tokenStart: [Int] = []
    var tokenEnd: [Int] = []
    /// Each token's ``NameTable`` hash, worked out while the token is found.
    var tokenHash: [UInt64] = []

    static let ops: [Op] = Op.allCases
    static let opNames: [[UInt8]] = ops.map { Array($0.name.utf8) }
    static let reservedWords: [[UInt8]] = WireNames.reserved.map { Array($0.utf8) }

    init(source: UnsafeBufferPointer<UInt8>, file: String) {
        self.source = source
        self.file = file
        self.draft = CircuitDraft(sourceName: file)
        // About one distinct name per statement of ~30 bytes; the table grows if needed.
        self.names = NameTable(source: source, expectedNames: source.count / 32)
        // A node statement is ~20-40 bytes with one or two arguments; arrays grow past the guess.
        self.draft.reserveCapacity(names: source.count / 32, nodes: source.count / 32, arguments: source.count / 20)
        tokenStart.reserveCapacity(16)
        tokenEnd.reserveCapacity(16)
        tokenHash.reserveCapacity(16)
    }

    // MARK: Errors and locations

    func location(_ byte: Int) -> SourceLocation {
        SourceLocation(line: line, column: Int32(clamping: byte - lineStart + 1))
    }

    func error(at byte: Int, kind: CircuitError.Kind = .syntax, _ message: String) -> CircuitError {
        CircuitError(file: file, location: location(byte), kind: kind, message)
    }

    func token(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: source[tokenStart[k]..<tokenEnd[k]])
    }

    func quoted(_ k: Int) -> String { NumberSyntax.quoted(token(k)) }

    func tokenIs(_ k: Int, _ word: [UInt8]) -> Bool {
        let s = tokenStart[k], e = tokenEnd[k]
        if e - s != word.count { return false }
        var i = 0
        while i < word.count {
            if source[s + i] != word[i] { return false }
            i += 1
        }
        return true
    }

    func tokenIs(_ k: Int, _ byte: UInt8) -> Bool { tokenEnd[k] - tokenStart[k] == 1 && source[tokenStart[k]] == byte }

    // MARK: Lines

    mutating func parseAll() throws {
        try UTF8Validation.check(source, file: file)
        let n = source.count
        var p = 0
        if n >= 3 && source[0] == 0xEF && source[1] == 0xBB && source[2] == 0xBF { p = 3 }
        while p < n {
            if line == Int32.max { throw CircuitError(file: file, kind: .resourceLimit, "too many lines") }
            line += 1
            lineStart = p
            var end = p
            while end < n && source[end] != 0x0A { end += 1 }
            let next = end + 1
            var contentEnd = end
            if contentEnd > p && source[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            try tokenize(p, contentEnd)
            if !tokenStart.isEmpty { try statement() }
            p = next
        }
        if !sawHeader {
            throw CircuitError(file: file, "the file has no statements; a .circuit file starts with the header 'circuit 1'")
        }
    }

    mutating func tokenize(_ start: Int, _ end: Int) throws {
        tokenStart.removeAll(keepingCapacity: true)
        tokenEnd.removeAll(keepingCapacity: true)
        tokenHash.removeAll(keepingCapacity: true)
        var i = start
        while i < end {
            let b = source[i]
            if b == 0x20 || b == 0x09 { i += 1; continue }
            if b == UInt8(ascii: "#") { return }
            let s = i
            var h = NameTable.hashSeed
            while i < end {
                let c = source[i]
                if c == 0x20 || c == 0x09 || c == UInt8(ascii: "#") { break }
                if c < 0x20 || c == 0x7F {
                    if c == 0x0D { throw error(at: i, "a carriage return in the middle of a line; lines end with LF or CR LF") }
                    throw error(at: i, "unexpected control character 0x\(NumberSyntax.hex(c)); expected printable text")
                }
                h = NameTable.hashing(h, c)
                i += 1
            }
            let hash = NameTable.finished(h)
            names.prefetch(hash: hash)
            tokenStart.append(s)
            tokenEnd.append(i)
            tokenHash.append(hash)
        }
    }
}
