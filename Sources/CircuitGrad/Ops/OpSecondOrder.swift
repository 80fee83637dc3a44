/// Second-order rules of every op, beside the op rules (``OpRule``) and with the same elementary
/// functions (``ElementaryFunctions``): the tangent of a node's value (forward mode) and the
/// tangent of each gradient contribution it sends back (forward over reverse), given the
/// tangents `ȧⱼ` of its arguments. Written once here; ``ReferenceEvaluator``'s second-order
/// sweep calls these functions and the engine's tangent kernels repeat the same expressions,
/// so the two agree bit for bit.
///
/// - Value tangent: `ẏ = f₀·ȧ₀ + f₁·ȧ₁ + …`, left to right, `fⱼ` the first partials exactly as
///   ``partials(_:value:constant:into:)`` computes them (0 for `const`).
/// - Contribution tangent, for upstream gradient `u` and its tangent `u̇`: argument `j` receives
///   `u·fⱼ` in the reverse sweep and `u̇·fⱼ + u·hⱼ` in the tangent sweep, where
///   `hⱼ = Σₖ ∂²f/∂aⱼ∂aₖ · ȧₖ` is the tangent of the partial (``partialTangents``).
///   Ops whose second derivatives are zero (add, sub, neg, scale, offset, relu, abs, max, min)
///   send `u̇·fⱼ` alone: `relu`, `abs`, `max`, `min` are taken as 0 away from their kinks and at
///   them, where the first partials are split as the spec says.
extension Op {
    /// Whether some second derivative of the op is not identically zero.
    package var hasSecondDerivatives: Bool {
        switch self {
        case .add, .sub, .neg, .scale, .offset, .relu, .abs, .max, .min, .const: false
        default: true
        }
    }

    /// The first and second derivative of a one-argument op at argument `a` with value `v`
    /// (the first is bit for bit ``partials(_:value:constant:into:)``'s).
    @inline(__always)
    package static func unaryDerivatives(_ op: Op, _ a: Double, value v: Double, constant c: Double) -> (first: Double, second: Double) {
        switch op {
        case .neg: return (-1, 0)
        case .recip: return (-1 / (a * a), 2 / ((a * a) * a))
        case .square: return (2 * a, 2)
        case .sqrt: return (1 / (2 * v), -1 / (4 * (v * a)))
        case .exp: return (v, v)
        case .log: return (1 / a, -1 / (a * a))
        case .sin: return (ElementaryFunctions.cos(a), -v)
        case .cos: return (-ElementaryFunctions.sin(a), -v)
        case .tanh: return (1 - v * v, (-2 * v) * (1 - v * v))
        case .sigmoid: return (v * (1 - v), (v * (1 - v)) * (1 - 2 * v))
        case .relu: return (a > 0 ? 1 : 0, 0)
        case .abs: return (Op.sign(a), 0)
        case .scale: return (c, 0)
        case .offset: return (1, 0)
        case .powc: return (c * ElementaryFunctions.pow(a, c - 1), (c * (c - 1)) * ElementaryFunctions.pow(a, c - 2))
        default: preconditionFailure("\(op.name) does not take one argument")
        }
    }

    /// The value tangent `ẏ = Σⱼ fⱼ·ȧⱼ`; `scratch` holds at least `args.count` doubles.
    package func tangent(_ args: UnsafeBufferPointer<Double>, tangents: UnsafeBufferPointer<Double>, value v: Double,
                        constant c: Double, scratch: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = args.count
        if k == 0 { return 0 }
        partials(args, value: v, constant: c, into: scratch)
        var t = scratch[0] * tangents[0]
        for j in 1..<k { t = t + scratch[j] * tangents[j] }
        return t
    }

    /// Writes `hⱼ = Σₖ ∂²f/∂aⱼ∂aₖ · ȧₖ` for every argument (only for ops with second derivatives):
    ///
    /// - `mul`: `hⱼ = Σ_{k≠j} ȧₖ·Π_{i≠j,k} aᵢ`, terms in order of k, each product left to right
    ///   from `ȧₖ` (for two arguments `h₀ = ȧ₁`, `h₁ = ȧ₀`)
    /// - `div` (a/b): `h₀ = (−1/(b·b))·ḃ`, `h₁ = (−1/(b·b))·ȧ + ((2·a)/((b·b)·b))·ḃ`
    /// - `pow` (a^b, value v): `f_aa = (b·(b−1))·a^(b−2)`, `f_ab = a^(b−1)·(1 + b·ln a)`,
    ///   `f_bb = v·(ln a·ln a)`; `h₀ = f_aa·ȧ + f_ab·ḃ`, `h₁ = f_ab·ȧ + f_bb·ḃ`; at a = 0 with
    ///   b > 0, where the spec sets ∂/∂b to 0, `f_ab` and `f_bb` are 0 too
    /// - one-argument ops: `h = f''·ȧ` with f'' from ``unaryDerivatives(_:_:value:constant:)``
    package func partialTangents(_ args: UnsafeBufferPointer<Double>, tangents: UnsafeBufferPointer<Double>, value v: Double,
                                constant c: Double, into h: UnsafeMutableBufferPointer<Double>) {
        switch self {
        case .mul:
            let k = args.count
            for j in 0..<k {
                var sum = 0.0, first = true
                for m in 0..<k where m != j {
                    var term = tangents[m]
                    for i in 0..<k where i != j && i != m { term = term * args[i] }
                    sum = first ? term : sum + term
                    first = false
                }
                h[j] = sum
            }
        case .div:
            let a = args[0], b = args[1]
            let fab = -1 / (b * b)
            h[0] = fab * tangents[1]
            h[1] = fab * tangents[0] + ((2 * a) / ((b * b) * b)) * tangents[1]
        case .pow:
            let a = args[0], b = args[1]
            let faa = (b * (b - 1)) * ElementaryFunctions.pow(a, b - 2)
            let atZero = a == 0 && b > 0
            let logA = ElementaryFunctions.powLog(a)
            let fab = atZero ? 0 : ElementaryFunctions.pow(a, b - 1) * (1 + b * logA)
            let fbb = atZero ? 0 : v * (logA * logA)
            h[0] = faa * tangents[0] + fab * tangents[1]
            h[1] = fab * tangents[0] + fbb * tangents[1]
        default:
            if case .exactly(1) = arity {
                h[0] = Op.unaryDerivatives(self, args[0], value: v, constant: c).second * tangents[0]
            } else {
                for j in 0..<args.count { h[j] = 0 }
            }
        }
    }

    /// The tangents of the contributions a node sends back: `out[j] = u̇·fⱼ + u·hⱼ`, or `u̇·fⱼ`
    /// for ops without second derivatives. `scratch` holds at least `2 · args.count` doubles.
    package func contributionTangents(_ args: UnsafeBufferPointer<Double>, tangents: UnsafeBufferPointer<Double>,
                                     value v: Double, constant c: Double, upstream u: Double, upstreamTangent du: Double,
                                     scratch: UnsafeMutableBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let k = args.count
        let f = UnsafeMutableBufferPointer(rebasing: scratch[0..<k])
        partials(args, value: v, constant: c, into: f)
        if hasSecondDerivatives {
            let h = UnsafeMutableBufferPointer(rebasing: scratch[k..<(2 * k)])
            partialTangents(args, tangents: tangents, value: v, constant: c, into: h)
            for j in 0..<k { out[j] = du * f[j] + u * h[j] }
        } else {
            for j in 0..<k { out[j] = du * f[j] }
        }
    }
}
