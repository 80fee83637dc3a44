/// The rules for wire names in `.circuit` files and built circuits.
package enum WireNames {
    /// Words that cannot be wire names.
    package static let reserved: Set<String> = ["circuit", "input", "param", "output", "split", "inf", "nan"]

    /// The longest name allowed, in UTF-8 bytes.
    package static let maximumLength = 255

    /// Why `name` is not a valid wire name, or nil when it is one.
    /// Names match `[A-Za-z_][A-Za-z0-9_.]*`, are at most 255 bytes and are not reserved.
    package static func problem(with name: some StringProtocol) -> String? {
        let bytes = name.utf8
        guard let first = bytes.first else { return "a wire name cannot be empty" }
        if bytes.count > maximumLength {
            return "wire name is \(bytes.count) bytes long; at most \(maximumLength) are allowed"
        }
        guard isNameStart(first) else {
            return "'\(name)' is not a wire name: names start with a letter or '_'"
        }
        for b in bytes where !isNameContinuation(b) {
            return "'\(name)' is not a wire name: names use letters, digits, '_' and '.' only"
        }
        if reserved.contains(String(name)) { return "'\(name)' is a reserved word and cannot name a wire" }
        return nil
    }

    /// Whether `bytes` are a valid wire name (the rules of ``problem(with:)``), without making a `String`.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { split(bytes) != nil }

    /// Checks that `bytes` are a valid wire name (the rules of ``problem(with:)``) and splits
    /// off the number it ends with, in one pass: nil when it is not a valid name; otherwise
    /// the length of the stem before the number and the number, or the name's length and -1
    /// when it does not end in a number of at most 18 digits written without leading zeros
    /// (`n12` is `n` and 12; `n012` and `n` end in none). A name has one such split at most.
    @inline(__always) static func split(_ bytes: UnsafeBufferPointer<UInt8>) -> (stemLength: Int, number: Int)? {
        guard let first = bytes.first, bytes.count <= maximumLength, isNameStart(first) else { return nil }
        // A name of up to 7 bytes, big-endian in one integer, is compared with the reserved
        // words packed the same way (a test checks this agrees with ``reserved``).
        var packed: UInt64 = 0
        var digitsStart = -1, number = 0
        for k in 0..<bytes.count {
            let b = bytes[k]
            if b &- 48 < 10 {
                if digitsStart < 0 { digitsStart = k; number = 0 }
                number = number &* 10 &+ Int(b &- 48)
            } else {
                guard isNameContinuation(b) else { return nil }
                digitsStart = -1
            }
            packed = packed &<< 8 | UInt64(b)
        }
        if bytes.count <= 7 {
            switch packed {
            case 0x63_69_72_63_75_69_74, 0x69_6e_70_75_74, 0x70_61_72_61_6d, 0x6f_75_74_70_75_74,
                 0x73_70_6c_69_74, 0x69_6e_66, 0x6e_61_6e:
                return nil   // circuit, input, param, output, split, inf, nan
            default:
                break
            }
        }
        let digits = digitsStart < 0 ? 0 : bytes.count - digitsStart
        guard digits > 0, digits <= 18, digits == 1 || bytes[digitsStart] != 48 else { return (bytes.count, -1) }
        return (digitsStart, number)
    }

    /// A 64-bit hash of `bytes` (FNV-1a, then the murmur finaliser, so every byte reaches the high half).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    @inlinable static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
    }

    @inlinable static func isNameContinuation(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 48 && b <= 57) || b == 46
    }
}
