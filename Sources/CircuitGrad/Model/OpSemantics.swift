/// The value and local partials of every op, one scalar at a time: the readable definition
/// the reference sweeps use, each written in the op's rule (``OpRule``) next to its lane kernels.
extension Op {
    /// The op's value at `args` (`constant` is `c` for `scale`, `offset`, `powc`, `const`).
    package func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double {
        rule.value(args, constant: c)
    }

    /// Writes ∂value/∂args[i] into `partials[i]` for every argument, given the node's stored
    /// forward `value`.
    package func partials(
        _ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
        into partials: UnsafeMutableBufferPointer<Double>
    ) {
        rule.partials(args, value: v, constant: c, into: partials)
    }

    /// `max(a, 0)`, NaN for a NaN argument.
    @inlinable static func relu(_ a: Double) -> Double { a > 0 || a.isNaN ? a : 0 }

    /// sign(a): 1, −1, 0 at ±0, NaN for NaN.
    @inlinable static func sign(_ a: Double) -> Double { a > 0 ? 1 : (a < 0 ? -1 : (a == 0 ? 0 : a)) }

    /// ∂(a^b)/∂b = a^b·ln a, and 0 at a = 0 with b > 0.
    static func powExponentPartial(a: Double, b: Double, value v: Double) -> Double {
        Double.powExponentPartial(a: a, b: b, value: v, logA: ElementaryFunctions.powLog(a))
    }

    /// ``extreme(_:greater:)`` of two arguments (the same comparisons in the same order).
    @inlinable static func extreme(_ a: Double, _ b: Double, greater: Bool) -> Double {
        if a.isNaN { return a }
        return b.isNaN || (greater ? b > a : b < a) ? b : a
    }

    /// The first largest (or smallest) argument; NaN as soon as one argument is NaN.
    static func extreme(_ args: UnsafeBufferPointer<Double>, greater: Bool) -> Double {
        var m = args[0]
        for i in 1..<args.count {
            let a = args[i]
            if m.isNaN { break }
            if a.isNaN || (greater ? a > m : a < m) { m = a }
        }
        return m
    }
}
