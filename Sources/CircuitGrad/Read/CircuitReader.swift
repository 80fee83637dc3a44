/// Reads `.circuit` files (format version 1, described in `docs/format.md`).
///
/// The reader works on bytes: it splits lines, tokens and numbers itself, interns names
/// from bytes, fills a `CircuitDraft` and resolves it with `Circuit/init(draft:)`.
/// Every problem is a ``CircuitError`` naming file, line and byte column (a UTF-8 byte
/// order mark is not counted; a tab counts as one column). No input makes it crash.
///
/// Choices the format leaves to the reader: `#` starts a comment anywhere outside a token
/// boundary too (`y = neg x# note`); comment text may hold any bytes; a carriage return
/// is accepted only right before a line feed (or at the very end); `=` must stand
/// apart as its own token; number literals follow `NumberSyntax`.
///
/// ```swift
/// let circuit = try CircuitReader.read(contentsOf: "model.circuit")
/// let same = try CircuitReader.parse("circuit 1\ninput x\ny = sin x\noutput y\n", sourceName: "inline")
/// ```
public enum CircuitReader {
    /// Reads and resolves the circuit file at `path`, text or binary (told apart by
    /// `FileKind`); `-` reads standard input. Errors name `path` (`<stdin>` for `-`).
    public static func read(contentsOf path: String) throws -> Circuit {
        try FileBytes.withContents(of: path) { try parse($0, sourceName: FileBytes.displayName(path)) }
    }

    /// Parses and resolves `.circuit` text; errors name `sourceName`.
    public static func parse(_ text: String, sourceName: String) throws -> Circuit {
        try parse(Array(text.utf8), sourceName: sourceName)
    }

    /// Parses and resolves circuit bytes, `.circuit` text or binary (``BinaryCircuitReader``),
    /// told apart by `FileKind`; errors name `sourceName`.
    package static func parse(_ bytes: [UInt8], sourceName: String) throws -> Circuit {
        try bytes.withUnsafeBufferPointer { try parse($0, sourceName: sourceName) }
    }

    /// Parses and resolves circuit bytes, from a buffer.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>, sourceName: String) throws -> Circuit {
        switch try FileKind.of(UnsafeRawBufferPointer(bytes), name: sourceName) {
        case .binaryCircuit: return try BinaryCircuitReader.parse(UnsafeRawBufferPointer(bytes), sourceName: sourceName)
        case .npy: throw CircuitError(file: sourceName, "this is an NPY array (it starts with \\x93NUMPY), not a circuit")
        case .text: return try Circuit(draft: try draft(from: bytes, sourceName: sourceName))
        }
    }

    /// Parses `.circuit` bytes into an unresolved draft (statements checked, names not yet resolved).
    package static func draft(from bytes: [UInt8], sourceName: String) throws -> CircuitDraft {
        try bytes.withUnsafeBufferPointer { try draft(from: $0, sourceName: sourceName) }
    }

    /// Parses `.circuit` bytes into an unresolved draft.
    static func draft(from bytes: UnsafeBufferPointer<UInt8>, sourceName: String) throws -> CircuitDraft {
        var parser = CircuitParser(source: bytes, file: sourceName)
        try parser.parseAll()
        return parser.draft
    }
}
