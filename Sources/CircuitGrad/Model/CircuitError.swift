/// Anything wrong with a circuit, a batch, a results file, an argument or an output: where it
/// is, what kind of failure it is, and what is wrong.
///
/// `description` reads `FILE:LINE:COLUMN: MESSAGE`, the way compilers report errors,
/// leaving out the parts that do not apply. Programs tell failures apart by ``kind``
/// (the command-line tool maps it to its exit status); no public API stops the program on
/// an argument it can check, it throws a `CircuitError` instead.
///
/// ```swift
/// do {
///     _ = try CircuitReader.parse("circuit 1\ninput x\ny = sine x\noutput y\n", sourceName: "inline")
/// } catch let error as CircuitError {
///     print(error.kind, error.line ?? 0)   // unknownOp 3
///     print(error)                         // inline:3:5: unknown op 'sine'; expected one of …
/// }
/// ```
public struct CircuitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, so callers can react without parsing messages.
    public enum Kind: Sendable, Hashable, CaseIterable {
        /// Malformed text or bytes in an input file: a bad token, number, header, NPY header,
        /// invalid UTF-8, a CSV row of the wrong width.
        case syntax
        /// A function node names an op that does not exist.
        case unknownOp
        /// An op or `split` got the wrong number of wire arguments.
        case arity
        /// A wire is read but never defined.
        case undefinedWire
        /// A name is defined twice.
        case duplicateWire
        /// The circuit's wires form a cycle.
        case cycle
        /// The circuit has no `output` statement.
        case missingOutput
        /// The circuit has more than one `output` statement.
        case duplicateOutput
        /// A batch does not fit the circuit: missing, unknown or repeated columns, the
        /// wrong number of columns or dimensions, an element type other than `'<f8'`, NaN.
        case batchShape
        /// An input file cannot be opened or read (missing, unreadable, a directory).
        case inputRead
        /// An output cannot be created, written or replaced (including refusing to
        /// replace a write-protected file or one of the inputs).
        case outputWrite
        /// The work is too large: a size beyond the program's limits, or more memory than
        /// the machine has.
        case resourceLimit
        /// A caller passed an invalid argument (an option out of range, a batch built for
        /// another circuit).
        case invalidArgument
        /// An internal invariant broke (a bug).
        case `internal`
    }

    /// The file (or `<builder>` for circuits built in code, `<batch>`, `<options>`, … for
    /// arguments).
    public let file: String
    /// Where in the file; `SourceLocation.none` when not tied to a line.
    package let location: SourceLocation
    /// What kind of failure this is.
    public let kind: Kind
    /// What is wrong and, where it helps, what was expected.
    public let message: String

    /// The 1-based line in ``file``, or nil when the error is not tied to a line.
    public var line: Int? { location.line > 0 ? Int(location.line) : nil }
    /// The 1-based byte column on ``line``, or nil when the whole line (or no line) is meant.
    public var column: Int? { location.line > 0 && location.column > 0 ? Int(location.column) : nil }

    /// An error of `kind` (`syntax` unless given) at `location` in `file`.
    package init(file: String, location: SourceLocation = .none, kind: Kind = .syntax, _ message: String) {
        self.file = file
        self.location = location
        self.kind = kind
        self.message = message
    }

    /// `FILE:LINE:COLUMN: MESSAGE`, leaving out the line and column when they do not apply.
    public var description: String {
        var s = file
        if location.line > 0 {
            s += ":\(location.line)"
            if location.column > 0 { s += ":\(location.column)" }
        }
        return s + ": " + message
    }
}
