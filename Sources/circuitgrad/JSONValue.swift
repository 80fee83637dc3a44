import CircuitGrad

/// A JSON value for the `--json` outputs: objects keep their key order, numbers are written
/// to read back to the same binary64 (integers without a fraction), non-finite numbers as null.
enum JSONValue {
    case string(String)
    case number(Double)
    /// A number written to read back bit for bit (`-0.0` kept); NaN and infinities as the
    /// strings `"nan"`, `"inf"`, `"-inf"` (JSON has no literal for them).
    case exact(Double)
    case bool(Bool)
    case array([JSONValue])
    case object(JSONObject)
    case null

    /// Compact JSON text.
    var text: String {
        switch self {
        case .string(let s): return JSONValue.quote(s)
        case .number(let x):
            if !x.isFinite { return "null" }
            if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
            return NumberText.format(x)
        case .exact(let x): return x.isFinite ? NumberText.format(x) : JSONValue.quote(NumberText.format(x))
        case .bool(let b): return b ? "true" : "false"
        case .array(let a): return "[" + a.map(\.text).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.pairs.map { JSONValue.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        case .null: return "null"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
