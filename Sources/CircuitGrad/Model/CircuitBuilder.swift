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
    public func node(_ op: Op, _ args: [Wire], constant: Double = 0, name: String? = nil) -> Wire {
        let name = name ?? freshName()
        let location = nextLocation()
        if misuse == nil, let foreign = args.first(where: { $0.builder !== self }) {
            misuse = CircuitError(file: "<builder>", location: location,
                                  "node '\(name)' reads wire '\(foreign.name)' of another CircuitBuilder")
        }
        draft.addNode(name, op: op, arguments: args.map { ($0.name, location) }, constant: constant, at: location)
        return Wire(builder: self, name: name)
    }

    /// An explicit splitter copying `wire` onto named outputs (`a b = split x`).
    public func split(_ wire: Wire, into names: [String]) -> [Wire] {
        draft.addSplit(outputs: names.map { ($0, .none) }, source: (wire.name, .none), at: nextLocation())
        return names.map { Wire(builder: self, name: $0) }
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
            throw CircuitError(file: "<builder>", "the output wire '\(output.name)' belongs to another CircuitBuilder")
        }
        var d = draft
        d.addOutput(output.name, at: nextLocation())
        return try Circuit(draft: d)
    }
}

/// A wire of a circuit being built; combine wires with operators and functions.
///
/// ```swift
/// let b = CircuitBuilder()
/// let x = b.input("x"), w = b.param("w", 0.5)
/// let y = tanh(w * x + 1)          // a mul node, an offset node, then tanh
/// ```
public struct Wire {
    /// The builder the wire belongs to.
    let builder: CircuitBuilder
    /// The wire's name in the circuit.
    public let name: String

    func apply(_ op: Op, _ others: [Wire] = [], constant: Double = 0) -> Wire {
        builder.node(op, [self] + others, constant: constant)
    }

    /// a + b (an `add` node).
    public static func + (a: Wire, b: Wire) -> Wire { a.apply(.add, [b]) }
    /// a − b (a `sub` node).
    public static func - (a: Wire, b: Wire) -> Wire { a.apply(.sub, [b]) }
    /// a · b (a `mul` node).
    public static func * (a: Wire, b: Wire) -> Wire { a.apply(.mul, [b]) }
    /// a / b (a `div` node).
    public static func / (a: Wire, b: Wire) -> Wire { a.apply(.div, [b]) }
    /// −a (a `neg` node).
    public static prefix func - (a: Wire) -> Wire { a.apply(.neg) }
    /// a + c (an `offset` node).
    public static func + (a: Wire, c: Double) -> Wire { a.apply(.offset, constant: c) }
    /// c + a (an `offset` node).
    public static func + (c: Double, a: Wire) -> Wire { a.apply(.offset, constant: c) }
    /// a − c (an `offset` node with −c).
    public static func - (a: Wire, c: Double) -> Wire { a.apply(.offset, constant: -c) }
    /// a · c (a `scale` node).
    public static func * (a: Wire, c: Double) -> Wire { a.apply(.scale, constant: c) }
    /// c · a (a `scale` node).
    public static func * (c: Double, a: Wire) -> Wire { a.apply(.scale, constant: c) }
}

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
