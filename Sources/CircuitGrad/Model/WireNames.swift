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
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.count <= maximumLength, isNameStart(first) else { return false }
        for b in bytes.dropFirst() where !isNameContinuation(b) { return false }
        if bytes.count > 7 || !"cipson".utf8.contains(first) { return true }   // reserved words' first letters
        return !reservedBytes.contains { $0.count == bytes.count && $0.elementsEqual(bytes) }
    }

    private static let reservedBytes: [[UInt8]] = reserved.map { Array($0.utf8) }

    @inlinable static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
    }

    @inlinable static func isNameContinuation(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 48 && b <= 57) || b == 46
    }
}
