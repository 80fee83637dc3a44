/// A wire of a circuit being built; combine wires with operators and the op functions below
/// (statics, so that inside the library they never shadow `Swift.max` or libm's `exp`):
///
/// ```swift
/// let b = CircuitBuilder()
/// let x = b.input("x"), w = b.param("w", 0.5)
/// let y = Wire.tanh(w * x + 1)     // a mul node, an offset node, then tanh
/// ```
///
/// Sums and products of many wires are ``CircuitBuilder/sum(_:)`` and ``CircuitBuilder/product(_:)``.
public struct Wire {
    /// The builder the wire belongs to.
    let builder: CircuitBuilder
    /// The wire's name in the circuit.
    package let name: String

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
