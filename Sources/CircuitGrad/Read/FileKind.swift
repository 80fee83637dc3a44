/// What a file holds, told by its content first and checked against its name.
///
/// The rule, the same for every reader:
/// - A file whose first byte is `0x93` is NPY (`\x93NUMPY`), and one whose first byte is
///   `0x89` is a binary circuit (`\x89CGB\r\n\x1a\n`), whatever its name: neither byte can
///   start UTF-8 text, so the content is never ambiguous, and its problems are reported as
///   problems of that format (a damaged NPY header is an NPY error, never a CSV one).
/// - Any other file is text (`.circuit` or CSV).
/// - A name that promises a binary format (`.npy`, `.cgb`, any case) on a file without that
///   format's first byte is an error: such a file is damaged or misnamed, and reading it as
///   text would only give confusing errors.
/// Standard input (`-`) has no name, so its content alone decides.
package enum FileKind: Sendable, Equatable {
    /// An NPY array.
    case npy
    /// A binary circuit (`.cgb`).
    case binaryCircuit
    /// Text: a `.circuit` file or CSV.
    case text

    /// The kind of `bytes`, read from the file (or stream) named `name`.
    /// - Throws: ``CircuitError`` naming `name` when the name promises NPY or a binary circuit and the content is not one.
    package static func of(_ bytes: UnsafeRawBufferPointer, name: String) throws -> FileKind {
        let kind: FileKind = bytes.first == 0x93 ? .npy : bytes.first == 0x89 ? .binaryCircuit : .text
        let lower = name.lowercased()
        if lower.hasSuffix(".npy") && kind != .npy {
            throw CircuitError(file: name, "NPY: the name ends in .npy but the file does not start with the NPY magic \\x93NUMPY; "
                               + "it starts \(preview(bytes)) (if it is CSV, name it .csv)")
        }
        if lower.hasSuffix(".cgb") && kind != .binaryCircuit {
            throw CircuitError(file: name, "binary circuit: the name ends in .cgb but the file does not start with \\x89CGB; "
                               + "it starts \(preview(bytes)) (if it is .circuit text, name it .circuit)")
        }
        return kind
    }

    /// The kind of `bytes` from the file named `name` (see ``of(_:name:)-(UnsafeRawBufferPointer,_)``).
    package static func of(_ bytes: [UInt8], name: String) throws -> FileKind {
        try bytes.withUnsafeBytes { try of($0, name: name) }
    }

    /// The first few bytes, quoted, for error messages.
    static func preview(_ bytes: UnsafeRawBufferPointer) -> String {
        if bytes.isEmpty { return "with nothing (the file is empty)" }
        var text = ""
        for b in bytes.prefix(16) {
            if b >= 0x20 && b < 0x7F && b != 0x27 && b != 0x5C { text.unicodeScalars.append(Unicode.Scalar(b)) }
            else if b == 0x0A { text += "\\n" }
            else { text += "\\x" + String(b >> 4, radix: 16) + String(b & 15, radix: 16) }
        }
        return "'\(text)'" + (bytes.count > 16 ? "…" : "")
    }
}
