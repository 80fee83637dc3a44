/// A wire of a circuit being built; combine wires with operators and the op functions below
/// (`Wire.tanh(x)`, `Wire.sum([a, b, c])`, or `.tanh(x)` where a `Wire` is expected).
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

    /// Sum of two or more wires (one `add` node).
    public static func sum(_ wires: [Wire]) -> Wire { wires[0].apply(.add, Array(wires.dropFirst())) }
    /// Product of two or more wires (one `mul` node).
    public static func product(_ wires: [Wire]) -> Wire { wires[0].apply(.mul, Array(wires.dropFirst())) }
    /// Largest of two or more wires; ties share the gradient.
    public static func max(_ a: Wire, _ b: Wire, _ rest: Wire...) -> Wire { a.apply(.max, [b] + rest) }
    /// Smallest of two or more wires; ties share the gradient.
    public static func min(_ a: Wire, _ b: Wire, _ rest: Wire...) -> Wire { a.apply(.min, [b] + rest) }
    /// eᵃ.
    public static func exp(_ a: Wire) -> Wire { a.apply(.exp) }
    /// ln a.
    public static func log(_ a: Wire) -> Wire { a.apply(.log) }
    /// √a.
    public static func sqrt(_ a: Wire) -> Wire { a.apply(.sqrt) }
    /// sin a.
    public static func sin(_ a: Wire) -> Wire { a.apply(.sin) }
    /// cos a.
    public static func cos(_ a: Wire) -> Wire { a.apply(.cos) }
    /// tanh a.
    public static func tanh(_ a: Wire) -> Wire { a.apply(.tanh) }
    /// 1 / (1 + e^(−a)).
    public static func sigmoid(_ a: Wire) -> Wire { a.apply(.sigmoid) }
    /// max(a, 0).
    public static func relu(_ a: Wire) -> Wire { a.apply(.relu) }
    /// |a|.
    public static func abs(_ a: Wire) -> Wire { a.apply(.abs) }
    /// a².
    public static func square(_ a: Wire) -> Wire { a.apply(.square) }
    /// 1 / a.
    public static func recip(_ a: Wire) -> Wire { a.apply(.recip) }
    /// a^b.
    public static func pow(_ a: Wire, _ b: Wire) -> Wire { a.apply(.pow, [b]) }
    /// a^c for a number c.
    public static func pow(_ a: Wire, _ c: Double) -> Wire { a.apply(.powc, constant: c) }
}
