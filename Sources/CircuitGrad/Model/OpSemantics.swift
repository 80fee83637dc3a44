import Glibc

/// The value and local partials of every op, one scalar at a time, written
/// exactly as the spec's table reads. This is the readable definition the
/// reference sweeps use; the engine's lane kernels must agree with it bit for bit.
extension Op {
    /// The op's value at `args` (`constant` is `c` for `scale`, `offset`, `powc`, `const`).
    package func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double {
        switch self {
        case .add:
            var s = args[0]
            for i in 1..<args.count { s += args[i] }
            return s
        case .sub: return args[0] - args[1]
        case .mul:
            var p = args[0]
            for i in 1..<args.count { p *= args[i] }
            return p
        case .div: return args[0] / args[1]
        case .neg: return -args[0]
        case .recip: return 1 / args[0]
        case .square: return args[0] * args[0]
        case .sqrt: return Glibc.sqrt(args[0])
        case .exp: return Glibc.exp(args[0])
        case .log: return Glibc.log(args[0])
        case .sin: return Glibc.sin(args[0])
        case .cos: return Glibc.cos(args[0])
        case .tanh: return Glibc.tanh(args[0])
        case .sigmoid: return 1 / (1 + Glibc.exp(-args[0]))
        case .relu: return Op.relu(args[0])
        case .abs: return Swift.abs(args[0])
        case .max: return Op.extreme(args, greater: true)
        case .min: return Op.extreme(args, greater: false)
        case .pow: return Glibc.pow(args[0], args[1])
        case .scale: return c * args[0]
        case .offset: return args[0] + c
        case .powc: return Glibc.pow(args[0], c)
        case .const: return c
        }
    }

    /// Writes ∂value/∂args[i] into `partials[i]` for every argument, given the
    /// node's stored forward `value`.
    package func partials(
        _ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
        into partials: UnsafeMutableBufferPointer<Double>
    ) {
        switch self {
        case .add:
            for i in 0..<args.count { partials[i] = 1 }
        case .sub:
            partials[0] = 1
            partials[1] = -1
        case .mul:
            // Π over j ≠ i of a_j without dividing: prefix products times suffix products.
            let k = args.count
            var prefix = 1.0
            for i in 0..<k {
                partials[i] = prefix
                prefix *= args[i]
            }
            var suffix = 1.0
            for i in stride(from: k - 1, through: 0, by: -1) {
                partials[i] *= suffix
                suffix *= args[i]
            }
        case .div:
            partials[0] = 1 / args[1]
            partials[1] = -args[0] / (args[1] * args[1])
        case .neg: partials[0] = -1
        case .recip: partials[0] = -1 / (args[0] * args[0])
        case .square: partials[0] = 2 * args[0]
        case .sqrt: partials[0] = 1 / (2 * v)
        case .exp: partials[0] = v
        case .log: partials[0] = 1 / args[0]
        case .sin: partials[0] = Glibc.cos(args[0])
        case .cos: partials[0] = -Glibc.sin(args[0])
        case .tanh: partials[0] = 1 - v * v
        case .sigmoid: partials[0] = v * (1 - v)
        case .relu: partials[0] = args[0] > 0 ? 1 : 0
        case .abs: partials[0] = Op.sign(args[0])
        case .max, .min:
            // Ties share equally, counted per argument position. A NaN maximum
            // equals no argument, so every partial is 0 (the value is NaN anyway).
            var ties = 0
            for i in 0..<args.count where args[i] == v { ties += 1 }
            let share = ties == 0 ? 0 : 1 / Double(ties)
            for i in 0..<args.count { partials[i] = args[i] == v ? share : 0 }
        case .pow:
            let a = args[0], b = args[1]
            partials[0] = b * Glibc.pow(a, b - 1)
            partials[1] = Op.powExponentPartial(a: a, b: b, value: v)
        case .scale: partials[0] = c
        case .offset: partials[0] = 1
        case .powc: partials[0] = c * Glibc.pow(args[0], c - 1)
        case .const: break
        }
    }

    /// `max(a, 0)`, NaN for a NaN argument.
    @inlinable static func relu(_ a: Double) -> Double { a > 0 || a.isNaN ? a : 0 }

    /// sign(a): 1, −1, 0 at ±0, NaN for NaN.
    @inlinable static func sign(_ a: Double) -> Double { a > 0 ? 1 : (a < 0 ? -1 : (a == 0 ? 0 : a)) }

    /// ∂(a^b)/∂b = a^b·ln a, and 0 at a = 0 with b > 0.
    @inlinable static func powExponentPartial(a: Double, b: Double, value v: Double) -> Double {
        a == 0 && b > 0 ? 0 : v * Glibc.log(a)
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
