/// Checking that text files are UTF-8, as the format requires (comments included), before
/// anything else reads them.
enum UTF8Validation {
    /// The offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
    /// surrogates and code points above U+10FFFF are ill-formed), or nil when all is well.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            // ASCII fast path, eight bytes at a time.
            if i + 8 <= n {
                let word = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int, low: UInt8, high: UInt8   // allowed range of the second byte
            switch b {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return i
            }
            if i + 1 >= n || bytes[i + 1] < low || bytes[i + 1] > high { return i }
            for k in 2..<length where i + k >= n || bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// Throws a located error at the first ill-formed byte of `bytes` (lines and byte columns 1-based).
    static func check(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
        guard let bad = firstInvalidByte(in: bytes) else { return }
        var line: Int32 = 1, lineStart = 0
        for k in 0..<bad where bytes[k] == 0x0A {
            line &+= 1
            lineStart = k + 1
        }
        throw CircuitError(file: file, location: SourceLocation(line: line, column: Int32(clamping: bad - lineStart + 1)),
                           "invalid UTF-8 (byte 0x\(NumberSyntax.hex(bytes[bad]))); the file must be UTF-8 text")
    }
}
