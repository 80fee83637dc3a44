/// The Python dict literal of an NPY header: `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }`.
struct NPYHeader {
    var descr: String?
    var fortranOrder = false
    var shape: [Int]?

    static func parse(_ text: String, fail: (String) -> CircuitError) throws -> NPYHeader {
        var result = NPYHeader()
        let chars = Array(text.utf8)
        var i = 0
        func skipSpace() { while i < chars.count && (chars[i] == 0x20 || chars[i] == 0x0A || chars[i] == 0x09) { i += 1 } }
        func expect(_ c: UInt8) throws {
            skipSpace()
            guard i < chars.count, chars[i] == c else { throw fail("malformed header (expected '\(Character(Unicode.Scalar(c)))'): \(text.prefix(120))") }
            i += 1
        }
        func string() throws -> String {
            skipSpace()
            guard i < chars.count, chars[i] == 0x27 || chars[i] == 0x22 else { throw fail("malformed header (expected a quoted string): \(text.prefix(120))") }
            let quote = chars[i]
            i += 1
            let s = i
            while i < chars.count && chars[i] != quote { i += 1 }
            guard i < chars.count else { throw fail("malformed header (unterminated string)") }
            i += 1
            return String(decoding: chars[s..<(i - 1)], as: UTF8.self)
        }
        func word() -> String {
            skipSpace()
            let s = i
            while i < chars.count, (chars[i] >= 0x41 && chars[i] <= 0x5A) || (chars[i] >= 0x61 && chars[i] <= 0x7A) { i += 1 }
            return String(decoding: chars[s..<i], as: UTF8.self)
        }
        func integer() throws -> Int {
            skipSpace()
            var v = 0
            let s = i
            while i < chars.count, chars[i] >= 0x30 && chars[i] <= 0x39 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int(chars[i] - 0x30))
                if o1 || o2 { throw fail("a dimension in 'shape' is too large") }
                v = a
                i += 1
            }
            if i < chars.count && chars[i] == UInt8(ascii: "L") { i += 1 }   // Python 2 longs
            if s == i { throw fail("malformed 'shape' in the header: \(text.prefix(120))") }
            return v
        }
        try expect(UInt8(ascii: "{"))
        while true {
            skipSpace()
            if i < chars.count && chars[i] == UInt8(ascii: "}") { break }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            switch key {
            case "descr": result.descr = try string()
            case "fortran_order":
                let w = word()
                guard w == "True" || w == "False" else { throw fail("'fortran_order' must be True or False, found '\(w)'") }
                result.fortranOrder = w == "True"
            case "shape":
                try expect(UInt8(ascii: "("))
                var dims = [Int]()
                while true {
                    skipSpace()
                    if i < chars.count && chars[i] == UInt8(ascii: ")") { i += 1; break }
                    dims.append(try integer())
                    skipSpace()
                    if i < chars.count && chars[i] == UInt8(ascii: ",") { i += 1 }
                }
                result.shape = dims
            default:
                throw fail("unexpected key '\(key)' in the header")
            }
            skipSpace()
            if i < chars.count && chars[i] == UInt8(ascii: ",") { i += 1; continue }
            try expect(UInt8(ascii: "}"))
            break
        }
        return result
    }
}
