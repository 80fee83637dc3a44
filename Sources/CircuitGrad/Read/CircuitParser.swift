/// The state of one pass over a `.circuit` file.
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
    }

    // MARK: Errors and locations

    func location(_ byte: Int) -> SourceLocation {
        SourceLocation(line: line, column: Int32(clamping: byte - lineStart + 1))
    }

    func error(at byte: Int, _ message: String) -> CircuitError {
        CircuitError(file: file, location: location(byte), message)
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
        let n = source.count
        var p = 0
        if n >= 3 && source[0] == 0xEF && source[1] == 0xBB && source[2] == 0xBF { p = 3 }
        while p < n {
            if line == Int32.max { throw CircuitError(file: file, "too many lines") }
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
        var i = start
        while i < end {
            let b = source[i]
            if b == 0x20 || b == 0x09 { i += 1; continue }
            if b == UInt8(ascii: "#") { return }
            let s = i
            while i < end {
                let c = source[i]
                if c == 0x20 || c == 0x09 || c == UInt8(ascii: "#") { break }
                if c < 0x20 || c == 0x7F {
                    if c == 0x0D { throw error(at: i, "a carriage return in the middle of a line; lines end with LF or CR LF") }
                    throw error(at: i, "unexpected control character 0x\(NumberSyntax.hex(c)); expected printable text")
                }
                i += 1
            }
            tokenStart.append(s)
            tokenEnd.append(i)
        }
    }

    // MARK: Statements

    mutating func statement() throws {
        let count = tokenStart.count
        if tokenIs(0, Keyword.circuit) { return try header() }
        if !sawHeader {
            throw error(at: tokenStart[0], "expected the header 'circuit 1' as the first statement, found \(quoted(0))")
        }
        if tokenIs(0, Keyword.input) {
            if count < 2 { throw error(at: tokenEnd[0], "'input' needs one or more wire names, as in 'input x y'") }
            for k in 1..<count {
                let s = try nameSymbol(k)
                draft.inputs.append(.init(symbol: s, location: location(tokenStart[k])))
            }
            return
        }
        if tokenIs(0, Keyword.param) {
            if count < 2 { throw error(at: tokenEnd[0], "'param' needs a name and a value, as in 'param w 0.25'") }
            let s = try nameSymbol(1)
            if count < 3 { throw error(at: tokenEnd[1], "parameter \(quoted(1)) needs a value, as in 'param \(String(decoding: token(1), as: UTF8.self)) 0.25'") }
            if count > 3 { throw error(at: tokenStart[3], "unexpected \(quoted(3)) after the parameter's value") }
            let value = try number(2)
            draft.params.append(.init(symbol: s, location: location(tokenStart[1])))
            draft.paramValues.append(value)
            return
        }
        if tokenIs(0, Keyword.output) {
            if count < 2 { throw error(at: tokenEnd[0], "'output' needs the output wire's name, as in 'output f'") }
            if count > 2 { throw error(at: tokenStart[2], "unexpected \(quoted(2)); 'output' names exactly one wire") }
            let s = try nameSymbol(1)
            draft.outputs.append(.init(symbol: s, location: location(tokenStart[1])))
            return
        }
        var equals = -1
        for k in 0..<count where tokenIs(k, UInt8(ascii: "=")) { equals = k; break }
        if equals < 0 {
            for k in 0..<count {
                let t = token(k)
                if let e = t.firstIndex(of: UInt8(ascii: "=")) {
                    throw error(at: tokenStart[k] + e, "'=' must stand apart, with spaces around it, as in 'y = add a b'")
                }
            }
            throw error(at: tokenStart[0], "unknown statement starting with \(quoted(0)); expected 'input', 'param', 'output', 'Y = OP ARGS' or 'Y1 Y2 = split X'")
        }
        if equals == 0 { throw error(at: tokenStart[0], "a wire name is missing before '='") }
        if equals == count - 1 { throw error(at: tokenEnd[equals], "an op is missing after '='; expected an op such as 'add' or 'split'") }
        let opToken = equals + 1
        if tokenIs(opToken, Keyword.split) { return try split(outputs: equals) }
        try node(outputs: equals, opToken: opToken)
    }

    mutating func header() throws {
        if sawHeader { throw error(at: tokenStart[0], "a second 'circuit' header; the header comes once, first") }
        if tokenStart.count < 2 { throw error(at: tokenEnd[0], "the header needs a version, as in 'circuit 1'") }
        if !tokenIs(1, UInt8(ascii: "1")) {
            let t = token(1)
            if !t.isEmpty && t.allSatisfy(NumberSyntax.isDigit) {
                throw error(at: tokenStart[1], "unsupported format version \(quoted(1)); this reader reads version 1")
            }
            throw error(at: tokenStart[1], "expected the format version 1 after 'circuit', found \(quoted(1))")
        }
        if tokenStart.count > 2 { throw error(at: tokenStart[2], "unexpected \(quoted(2)) after the header 'circuit 1'") }
        sawHeader = true
    }

    mutating func split(outputs: Int) throws {
        let count = tokenStart.count
        let opToken = outputs + 1
        if outputs < 2 {
            throw error(at: tokenStart[opToken], "'split' needs at least 2 output wires, got \(outputs)")
        }
        if count == opToken + 1 { throw error(at: tokenEnd[opToken], "'split' needs the wire to copy, as in 'a b = split x'") }
        if count > opToken + 2 { throw error(at: tokenStart[opToken + 2], "unexpected \(quoted(opToken + 2)); 'split' copies exactly one wire") }
        let source = try nameSymbol(opToken + 1)
        for k in 0..<outputs {
            let s = try nameSymbol(k)
            draft.splitOutputs.append(.init(symbol: s, location: location(tokenStart[k])))
        }
        draft.splits.append(.init(symbol: source, location: location(tokenStart[opToken + 1])))
        try checkSize(draft.splitOutputs.count)
        draft.splitOutputStart.append(Int32(draft.splitOutputs.count))
    }

    mutating func node(outputs: Int, opToken: Int) throws {
        let count = tokenStart.count
        guard let op = opNamed(opToken) else {
            throw error(at: tokenStart[opToken], "unknown op \(quoted(opToken)); expected one of \(Op.allCases.map(\.name).joined(separator: ", ")) or split")
        }
        if outputs > 1 {
            throw error(at: tokenStart[1], "'\(op.name)' drives one wire; only 'split' drives several")
        }
        // Wire arguments, then (for scale, offset, powc, const) exactly one number.
        var end = opToken + 1
        while end < count && !NumberSyntax.looksNumeric(token(end)) { end += 1 }
        let wireCount = end - opToken - 1
        var constant = 0.0
        if op.takesConstant {
            if end == count {
                throw error(at: tokenEnd[count - 1], "'\(op.name)' needs a number after its wire arguments, as in '\(Self.example(op))'")
            }
            if end + 1 < count {
                throw error(at: tokenStart[end + 1], "unexpected \(quoted(end + 1)); '\(op.name)' takes exactly one number, after its wire arguments")
            }
            constant = try number(end)
        } else if end < count {
            if case .problem = NumberSyntax.parse(token(end), allowingNaN: false) { throw nameError(end) }
            throw error(at: tokenStart[end], "'\(op.name)' takes wire arguments only, found the number \(quoted(end)) (only scale, offset, powc and const take a number)")
        }
        if !op.arity.accepts(wireCount) {
            throw error(at: tokenStart[opToken], "'\(op.name)' takes \(op.arity.description), got \(wireCount)")
        }
        let target = try nameSymbol(0)
        var k = opToken + 1
        while k < opToken + 1 + wireCount {
            let s = try nameSymbol(k)
            draft.nodeArgs.append(.init(symbol: s, location: location(tokenStart[k])))
            k += 1
        }
        draft.nodes.append(.init(symbol: target, location: location(tokenStart[0])))
        draft.nodeOps.append(op)
        draft.nodeConstants.append(constant)
        try checkSize(draft.nodeArgs.count)
        draft.nodeArgStart.append(Int32(draft.nodeArgs.count))
    }

    func checkSize(_ n: Int) throws {
        if n >= Int(Int32.max) / 2 { throw error(at: tokenStart[0], "the circuit is too large: too many wires") }
    }

    static func example(_ op: Op) -> String {
        switch op {
        case .const: return "k = const 2.5"
        case .powc: return "y = powc x 0.5"
        case .offset: return "y = offset x 1.0"
        default: return "y = scale x 3.0"
        }
    }

    func opNamed(_ k: Int) -> Op? {
        let length = tokenEnd[k] - tokenStart[k]
        for (i, name) in Self.opNames.enumerated() where name.count == length && tokenIs(k, name) {
            return Self.ops[i]
        }
        return nil
    }

    // MARK: Tokens

    /// Validates token `k` as a wire name and interns it.
    mutating func nameSymbol(_ k: Int) throws -> Int32 {
        let s = tokenStart[k], e = tokenEnd[k]
        let first = source[s]
        var valid = WireNames.isNameStart(first) && e - s <= WireNames.maximumLength
        if valid {
            var i = s + 1
            while i < e {
                if !WireNames.isNameContinuation(source[i]) { valid = false; break }
                i += 1
            }
        }
        if valid && e - s <= 7 {
            for word in Self.reservedWords where tokenIs(k, word) { valid = false }
        }
        if !valid { throw nameError(k) }
        return names.symbol(s, e, in: &draft)
    }

    func nameError(_ k: Int) -> CircuitError {
        let s = tokenStart[k], e = tokenEnd[k]
        let t = token(k)
        if e - s > WireNames.maximumLength {
            return error(at: s, "wire name is \(e - s) bytes long; at most \(WireNames.maximumLength) are allowed")
        }
        if NumberSyntax.looksNumeric(t) && !tokenIs(k, Keyword.inf) && !tokenIs(k, Keyword.nan) {
            return error(at: s, "expected a wire name, found the number \(quoted(k))")
        }
        for i in s..<e where source[i] >= 0x80 {
            return error(at: i, "\(quoted(k)) is not a wire name: names are ASCII letters, digits, '_' and '.'")
        }
        if let problem = WireNames.problem(with: String(decoding: t, as: UTF8.self)) {
            // Point at the first offending byte when there is one.
            if WireNames.isNameStart(source[s]) {
                for i in (s + 1)..<e where !WireNames.isNameContinuation(source[i]) { return error(at: i, problem) }
            }
            return error(at: s, problem)
        }
        return error(at: s, "\(quoted(k)) is not a wire name")
    }

    /// Parses token `k` as a number literal.
    func number(_ k: Int) throws -> Double {
        switch NumberSyntax.parse(token(k), allowingNaN: false) {
        case .number(let x): return x
        case .problem(let message): throw error(at: tokenStart[k], message)
        }
    }
}

/// The fixed words of the format, as bytes.
enum Keyword {
    static let circuit = Array("circuit".utf8)
    static let input = Array("input".utf8)
    static let param = Array("param".utf8)
    static let output = Array("output".utf8)
    static let split = Array("split".utf8)
    static let inf = Array("inf".utf8)
    static let nan = Array("nan".utf8)
}
