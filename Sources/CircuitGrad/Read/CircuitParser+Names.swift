/// Tokens that must be wire names or numbers: checked, interned, and located errors that say
/// what is wrong with them.
extension CircuitParser {
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
        return names.symbol(s, e, hash: tokenHash[k], in: &draft)
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
