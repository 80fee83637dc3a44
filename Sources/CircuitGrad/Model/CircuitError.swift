/// Anything wrong with a circuit, a batch or a results file: where it is and what is wrong.
///
/// `description` reads `FILE:LINE:COLUMN: MESSAGE`, the way compilers report errors,
/// leaving out the parts that do not apply.
public struct CircuitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or `<builder>` for circuits built in code).
    public var file: String
    /// Where in the file; ``SourceLocation/none`` when not tied to a line.
    public var location: SourceLocation
    /// What is wrong and, where it helps, what was expected.
    public var message: String

    /// An error at `location` in `file`.
    public init(file: String, location: SourceLocation = .none, _ message: String) {
        self.file = file
        self.location = location
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
