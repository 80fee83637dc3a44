/// A place in a source: 1-based line and column (column counts bytes).
package struct SourceLocation: Sendable, Hashable {
    /// 1-based line number.
    package var line: Int32
    /// 1-based byte column; 0 when the whole line is meant.
    package var column: Int32

    /// A location at `line`, `column`.
    package init(line: Int32, column: Int32) {
        self.line = line
        self.column = column
    }

    /// Used where no place in a file applies (circuits built in code).
    package static let none = SourceLocation(line: 0, column: 0)
}
