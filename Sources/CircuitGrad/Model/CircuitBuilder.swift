/// Writes circuits in Swift code, the way the seeds draw them:
///
/// ```swift
/// let b = CircuitBuilder()
/// let x = b.input("x"), y = b.input("y"), z = b.input("z")
/// let circuit = try b.build(output: (x + y) * z)
/// ```
///
/// Reusing a ``Wire`` fans it out: the built circuit gets splitters exactly as a
/// `.circuit` file that reads the wire twice would. Unnamed nodes are named `_1`, `_2`, …
public final class CircuitBuilder {
    var draft = CircuitDraft(sourceName: "<builder>")
    private var statementCount: Int32 = 0
    private var nextTemporary = 0

    /// An empty builder.
    public init() {}

    private func nextLocation() -> SourceLocation {
        statementCount += 1
        return SourceLocation(line: statementCount, column: 0)
    }

    private func freshName() -> String {
        while true {
            nextTemporary += 1
            let name = "_\(nextTemporary)"
            if !draft.contains(name) { return name }
        }
    }

    /// Declares a per-sample input wire.
    public func input(_ name: String) -> Wire {
        draft.addInput(name, at: nextLocation())
        return Wire(builder: self, name: name)
    }

    /// Declares a parameter wire (one value shared by the whole batch).
    public func param(_ name: String, _ value: Double) -> Wire {
        draft.addParam(name, value: value, at: nextLocation())
        return Wire(builder: self, name: name)
    }

    /// A `const` node.
    public func constant(_ c: Double, name: String? = nil) -> Wire {
        node(.const, [], constant: c, name: name)
    }

    /// A function node applying `op` to `args` (and `constant` for `scale`, `offset`, `powc`, `const`).
    public func node(_ op: Op, _ args: [Wire], constant: Double = 0, name: String? = nil) -> Wire {
        let name = name ?? freshName()
        let location = nextLocation()
        for a in args { precondition(a.builder === self, "a wire from another CircuitBuilder") }
        draft.addNode(name, op: op, arguments: args.map { ($0.name, location) }, constant: constant, at: location)
        return Wire(builder: self, name: name)
    }

    /// An explicit splitter copying `wire` onto named outputs (`a b = split x`).
    public func split(_ wire: Wire, into names: [String]) -> [Wire] {
        draft.addSplit(outputs: names.map { ($0, .none) }, source: (wire.name, .none), at: nextLocation())
        return names.map { Wire(builder: self, name: $0) }
    }

    /// Finishes the circuit with `output` as its output wire.
    /// - Throws: ``CircuitError`` for a duplicate or invalid name, or a second output.
    public func build(output: Wire) throws -> Circuit {
        var d = draft
        d.addOutput(output.name, at: nextLocation())
        return try Circuit(draft: d)
    }
}
