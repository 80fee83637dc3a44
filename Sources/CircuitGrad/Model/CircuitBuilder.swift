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

/// A wire of a circuit being built; combine wires with operators and functions.
public struct Wire {
    /// The builder the wire belongs to.
    public let builder: CircuitBuilder
    /// The wire's name in the circuit.
    public let name: String

    func apply(_ op: Op, _ others: [Wire] = [], constant: Double = 0) -> Wire {
        builder.node(op, [self] + others, constant: constant)
    }

    public static func + (a: Wire, b: Wire) -> Wire { a.apply(.add, [b]) }
    public static func - (a: Wire, b: Wire) -> Wire { a.apply(.sub, [b]) }
    public static func * (a: Wire, b: Wire) -> Wire { a.apply(.mul, [b]) }
    public static func / (a: Wire, b: Wire) -> Wire { a.apply(.div, [b]) }
    public static prefix func - (a: Wire) -> Wire { a.apply(.neg) }
    public static func + (a: Wire, c: Double) -> Wire { a.apply(.offset, constant: c) }
    public static func + (c: Double, a: Wire) -> Wire { a.apply(.offset, constant: c) }
    public static func - (a: Wire, c: Double) -> Wire { a.apply(.offset, constant: -c) }
    public static func * (a: Wire, c: Double) -> Wire { a.apply(.scale, constant: c) }
    public static func * (c: Double, a: Wire) -> Wire { a.apply(.scale, constant: c) }
}

/// Sum of two or more wires (one `add` node).
public func sum(_ wires: [Wire]) -> Wire { wires[0].apply(.add, Array(wires.dropFirst())) }
/// Product of two or more wires (one `mul` node).
public func product(_ wires: [Wire]) -> Wire { wires[0].apply(.mul, Array(wires.dropFirst())) }
/// Largest of two or more wires; ties share the gradient.
public func max(_ a: Wire, _ b: Wire, _ rest: Wire...) -> Wire { a.apply(.max, [b] + rest) }
/// Smallest of two or more wires; ties share the gradient.
public func min(_ a: Wire, _ b: Wire, _ rest: Wire...) -> Wire { a.apply(.min, [b] + rest) }
/// eᵃ.
public func exp(_ a: Wire) -> Wire { a.apply(.exp) }
/// ln a.
public func log(_ a: Wire) -> Wire { a.apply(.log) }
/// √a.
public func sqrt(_ a: Wire) -> Wire { a.apply(.sqrt) }
/// sin a.
public func sin(_ a: Wire) -> Wire { a.apply(.sin) }
/// cos a.
public func cos(_ a: Wire) -> Wire { a.apply(.cos) }
/// tanh a.
public func tanh(_ a: Wire) -> Wire { a.apply(.tanh) }
/// 1 / (1 + e^(−a)).
public func sigmoid(_ a: Wire) -> Wire { a.apply(.sigmoid) }
/// max(a, 0).
public func relu(_ a: Wire) -> Wire { a.apply(.relu) }
/// |a|.
public func abs(_ a: Wire) -> Wire { a.apply(.abs) }
/// a².
public func square(_ a: Wire) -> Wire { a.apply(.square) }
/// 1 / a.
public func recip(_ a: Wire) -> Wire { a.apply(.recip) }
/// a^b.
public func pow(_ a: Wire, _ b: Wire) -> Wire { a.apply(.pow, [b]) }
/// a^c for a number c.
public func pow(_ a: Wire, _ c: Double) -> Wire { a.apply(.powc, constant: c) }
