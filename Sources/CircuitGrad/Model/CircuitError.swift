/// Anything wrong with a circuit, a batch, a results file or an output: where it is, what
/// kind of failure it is, and what is wrong.
///
/// `description` reads `FILE:LINE:COLUMN: MESSAGE`, the way compilers report errors,
/// leaving out the parts that do not apply. Programs tell failures apart by ``kind``
/// (the command-line tool maps it to its exit status).
public struct CircuitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure, so callers can react without parsing messages.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
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

    /// The file (or `<builder>` for circuits built in code).
    public var file: String
    /// Where in the file; ``SourceLocation/none`` when not tied to a line.
    public var location: SourceLocation
    /// What kind of failure this is.
    public var kind: Kind
    /// What is wrong and, where it helps, what was expected.
    public var message: String

    /// An error of `kind` (``Kind/syntax`` unless given) at `location` in `file`.
    public init(file: String, location: SourceLocation = .none, kind: Kind = .syntax, _ message: String) {
        self.file = file
        self.location = location
        self.kind = kind
        self.message = message
    }

    public var description: String {
        var s = file
        if location.line > 0 {
            s += ":\(location.line)"
            if location.column > 0 { s += ":\(location.column)" }
        }
        return s + ": " + message
    }
}
