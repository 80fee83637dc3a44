#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one number grammar of `.circuit` files, batches and results files.
///
/// Accepted: an optional sign, one or more digits, optionally `.` followed by one or
/// more digits, optionally `e`/`E`, an optional sign and one or more digits
/// (`3`, `-0.5`, `+2`, `1e-3`, `2.5E+4`, `007`), and the words `inf`, `+inf`, `-inf`.
/// Refused, each with its own message: `nan` (unless the caller allows it, as results
/// files do), hexadecimal, a literal whose magnitude overflows binary64 (`1e999`), a
/// point without digits on both sides (`.5`, `5.`), anything else. Values are correctly
/// rounded (the validated text goes to `strtod`); a literal that underflows reads as the
/// nearest subnormal or zero.
package enum NumberSyntax {
    /// What reading one token gives: a value, or why the token is not a number.
    enum Parsed {
        case number(Double)
        case problem(String)
    }

    /// The value of `text`, or nil when it is not a number by the grammar above.
    package static func value(of text: String, allowingNaN: Bool = false) -> Double? {
        if case .number(let x) = parse(Array(text.utf8), allowingNaN: allowingNaN) { return x }
        return nil
    }

    /// Why `text` is not a number (the message errors use), or nil when it is one.
    package static func problem(with text: String, allowingNaN: Bool = false) -> String? {
        if case .problem(let m) = parse(Array(text.utf8), allowingNaN: allowingNaN) { return m }
        return nil
    }

    static func parse(_ bytes: [UInt8], allowingNaN: Bool) -> Parsed {
        bytes.withUnsafeBufferPointer { parse($0, allowingNaN: allowingNaN) }
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    /// Whether a token looks like it was meant as a number (so errors can say "number"
    /// rather than "wire name"): it starts with a digit, a sign or a point, or is `inf`/`nan`.
    static func looksNumeric(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let b = t.first else { return false }
        if isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") { return true }
        return t.count == 3 && ((t[0] == 0x69 && t[1] == 0x6E && t[2] == 0x66) || (t[0] == 0x6E && t[1] == 0x61 && t[2] == 0x6E))
    }

    /// Parses the whole of `t` (no surrounding spaces) as a number.
    static func parse(_ t: UnsafeBufferPointer<UInt8>, allowingNaN: Bool) -> Parsed {
        let n = t.count
        if n == 0 { return .problem("expected a number, found nothing") }
        var i = 0
        var negative = false
        if t[0] == UInt8(ascii: "+") || t[0] == UInt8(ascii: "-") { negative = t[0] == UInt8(ascii: "-"); i = 1 }
        // Words.
        if n - i == 3 {
            let a = t[i], b = t[i + 1], c = t[i + 2]
            if a == 0x69 && b == 0x6E && c == 0x66 { return .number(negative ? -.infinity : .infinity) }   // inf
            if a == 0x6E && b == 0x61 && c == 0x6E {                                                 // nan
                if allowingNaN { return .number(negative ? -Double.nan : .nan) }
                return .problem("\(quoted(t)) is not allowed: NaN cannot be given as a number")
            }
        }
        let digitsStart = i
        while i < n && isDigit(t[i]) { i += 1 }
        let intDigits = i - digitsStart
        if intDigits == 0 {
            if i < n && t[i] == UInt8(ascii: ".") && i + 1 < n && isDigit(t[i + 1]) {
                return .problem("\(quoted(t)) is not a number: write a digit before the decimal point, as in 0.5")
            }
            return .problem(notANumber(t))
        }
        if intDigits == 1 && t[digitsStart] == UInt8(ascii: "0") && i < n && (t[i] | 0x20) == UInt8(ascii: "x") {
            return .problem("\(quoted(t)) is not a number: hexadecimal literals are not allowed")
        }
        if i < n && t[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n && isDigit(t[i]) { i += 1 }
            if i == fractionStart {
                return .problem("\(quoted(t)) is not a number: write a digit after the decimal point, as in 5.0")
            }
        }
        if i < n && (t[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < n && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) { i += 1 }
            let expStart = i
            while i < n && isDigit(t[i]) { i += 1 }
            if i == expStart { return .problem("\(quoted(t)) is not a number: the exponent needs digits, as in 1e-3") }
        }
        if i != n { return .problem(notANumber(t)) }
        // The grammar is a subset of strtod's, so strtod reads exactly these bytes, correctly rounded.
        let value: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n { buf[k] = CChar(bitPattern: t[k]) }
            buf[n] = 0
            return strtod(buf.baseAddress!, nil)
        }
        if value.isInfinite {
            return .problem("\(quoted(t)) overflows binary64: its magnitude is above 1.7976931348623157e308")
        }
        return .number(value)
    }

    private static func notANumber(_ t: UnsafeBufferPointer<UInt8>) -> String {
        "\(quoted(t)) is not a number; expected a decimal or scientific literal (3, -0.5, 2.5E+4) or inf, +inf, -inf"
    }

    /// A token quoted for a message: at most 40 bytes shown, control and non-ASCII bytes escaped.
    static func quoted(_ t: UnsafeBufferPointer<UInt8>) -> String {
        var s = "'"
        for (k, b) in t.enumerated() {
            if k == 40 { s += "…"; break }
            if b >= 0x20 && b < 0x7F { s.unicodeScalars.append(Unicode.Scalar(b)) } else { s += "\\x" + hex(b) }
        }
        return s + "'"
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }
}
