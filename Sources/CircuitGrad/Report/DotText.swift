#if canImport(Glibc)
import Glibc
#endif

/// Quoting and number text for DOT files.
package enum DotText {
    /// A DOT double-quoted string.
    package static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out + "\""
    }

    /// Text safe inside a DOT HTML-like label.
    package static func escapedHTML(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// `x` with `digits` significant digits (`%.*g`, so 17 reads back to the same double),
    /// or `nan`, `inf`, `-inf`.
    package static func number(_ x: Double, digits: Int) -> String {
        if !x.isFinite { return NumberText.format(x) }
        var buffer = [CChar](repeating: 0, count: 40)
        let count = withVaList([Int32(digits), x]) { vsnprintf(&buffer, buffer.count, "%.*g", $0) }
        return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
