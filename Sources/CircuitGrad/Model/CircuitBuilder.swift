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
    /// The first misuse found while building (a wire from another builder), thrown by ``build(output:)``.
    private var misuse: CircuitError?
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
    package func node(_ op: Op, _ args: [Wire], constant: Double = 0, name: String? = nil) -> Wire {
        let name = name ?? freshName()
        let location = nextLocation()
        noteForeign(args, reader: "node '\(name)'", at: location)
        draft.addNode(name, op: op, arguments: args.map { ($0.name, location) }, constant: constant, at: location)
        return Wire(builder: self, name: name)
    }

    /// An explicit splitter copying `wire` onto named outputs (`a b = split x`); fewer than two
    /// names is an error at ``build(output:)``.
    package func split(_ wire: Wire, into names: [String]) -> [Wire] {
        let location = nextLocation()
        noteForeign([wire], reader: "split into \(names.joined(separator: " "))", at: location)
        draft.addSplit(outputs: names.map { ($0, .none) }, source: (wire.name, .none), at: location)
        return names.map { Wire(builder: self, name: $0) }
    }

    /// Remembers the first wire of another builder, for ``build(output:)`` to throw.
    private func noteForeign(_ wires: [Wire], reader: String, at location: SourceLocation) {
        guard misuse == nil, let foreign = wires.first(where: { $0.builder !== self }) else { return }
        misuse = CircuitError(file: "<builder>", location: location, kind: .invalidArgument,
                              "\(reader) reads wire '\(foreign.name)' of another CircuitBuilder")
    }

    /// The sum of `wires` as one `add` node; the wire itself when there is one, and a
    /// `const 0` node when there is none.
    public func sum(_ wires: [Wire]) -> Wire {
        reduce(wires, .add, empty: 0)
    }

    /// The product of `wires` as one `mul` node; the wire itself when there is one, and a
    /// `const 1` node when there is none.
    public func product(_ wires: [Wire]) -> Wire {
        reduce(wires, .mul, empty: 1)
    }

    private func reduce(_ wires: [Wire], _ op: Op, empty: Double) -> Wire {
        switch wires.count {
        case 0: return constant(empty)
        case 1: return wires[0]
        default: return node(op, wires)
        }
    }

    /// Finishes the circuit with `output` as its output wire.
    ///
    /// The builder can go on: a later `build` sees every node made so far.
    /// - Throws: ``CircuitError`` for a duplicate or invalid name, an op given the wrong
    ///   number of wires, a wire of another builder, or a cycle through explicit splitters.
    public func build(output: Wire) throws -> Circuit {
        if let misuse { throw misuse }
        if output.builder !== self {
            throw CircuitError(file: "<builder>", kind: .invalidArgument, "the output wire '\(output.name)' belongs to another CircuitBuilder")
        }
        var d = draft
        d.addOutput(output.name, at: nextLocation())
        return try Circuit(draft: d)
    }
}
