/// The statements of a `.circuit` file (header, `input`, `param`, `split`, `output`, nodes),
/// each read from the current line's tokens into the draft.
extension CircuitParser {
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
            throw error(at: tokenStart[opToken], kind: .arity, "'split' needs at least 2 output wires, got \(outputs)")
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
            throw error(at: tokenStart[opToken], kind: .unknownOp, "unknown op \(quoted(opToken)); expected one of \(Op.allCases.map(\.name).joined(separator: ", ")) or split")
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
            throw error(at: tokenStart[opToken], kind: .arity, "'\(op.name)' takes \(op.arity.description), got \(wireCount)")
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
        if n >= Int(Int32.max) / 2 { throw error(at: tokenStart[0], kind: .resourceLimit, "the circuit is too large: too many wires") }
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
}
