import CVecMath

/// Adam's scaling with bias correction (optax `scale_by_adam`), as TensorFlow's `ApplyAdam`
/// documents it. State: step `t`, moments `m` and `v` (0 at the start) and the running
/// products `β₁ᵗ`, `β₂ᵗ` (1 at the start). Each step, in this order:
///
///     t ← t + 1;  β₁ᵗ ← β₁ᵗ·β₁;  β₂ᵗ ← β₂ᵗ·β₂
///     m ← (β₁·m) + ((1 − β₁)·g)
///     v ← (β₂·v) + ((1 − β₂)·(g·g))
///     m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ)
///     u = m̂ / (√v̂ + ε)
///
/// Followed by ``Scale`` with `−lr`: `p ← p + (−lr·u)`, which is `p − lr·m̂/(√v̂ + ε)`.
/// `β₁ᵗ` is a running product (t roundings) rather than a `pow` call, so it needs no libm.
package struct ScaleByAdam: GradientTransform {
    /// β₁, β₂, ε.
    package var beta1: Double, beta2: Double, epsilon: Double
    /// Steps taken.
    package private(set) var step = 0
    /// First and second moments.
    package private(set) var firstMoment: [Double] = [], secondMoment: [Double] = []
    private var beta1Power = 1.0, beta2Power = 1.0

    /// Adam's scaling with these constants.
    package init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Starts the state over (see ``GradientTransform/initialize(parameterCount:)``).
    package mutating func initialize(parameterCount: Int) {
        step = 0
        beta1Power = 1
        beta2Power = 1
        firstMoment = [Double](repeating: 0, count: parameterCount)
        secondMoment = firstMoment
    }

    /// Applies this stage to `updates` (see the type\'s notes).
    package mutating func update(_ updates: inout [Double], parameters: [Double]) {
        update(&updates, width: 0)
    }

    /// Applies this stage with `width` parameters per vector instruction (8, 4, 2 or 1; 0: the
    /// widest this CPU has). Every width gives the same bits; tests compare them.
    package mutating func update(_ updates: inout [Double], width: Int) {
        if firstMoment.count != updates.count { initialize(parameterCount: updates.count) }
        step += 1
        beta1Power = beta1Power * beta1
        beta2Power = beta2Power * beta2
        let (beta1, beta2, epsilon) = (beta1, beta2, epsilon)
        let correction1 = 1 - beta1Power, correction2 = 1 - beta2Power
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                updates.withUnsafeMutableBufferPointer { u in
                    guard let base = u.baseAddress else { return }
                    cvm_adam_scale(m.baseAddress!, v.baseAddress!, base, u.count, beta1, beta2,
                                   correction1, correction2, epsilon, Int32(width))
                }
            }
        }
    }
}
