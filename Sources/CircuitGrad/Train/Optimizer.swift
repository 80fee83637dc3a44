/// An optimizer for ``Trainer``: a chain of small gradient transforms in the style of optax.
/// Each stage turns the updates it is given (the mean gradient, for the first stage) into new
/// updates; the trainer adds the last stage's updates to the parameters. Stages keep their own
/// state (moments, velocities), which starts at zero.
///
/// ```swift
/// // Adam with learning rate 0.01 and gradients clipped to norm 1 (optax: chain(clip, adam, scale(-lr))):
/// let adam = try Optimizer.chain([.clipByGlobalNorm(1), .scaleByAdam(), .scale(-0.01)])
/// // SGD with Nesterov momentum 0.9, L2 weight decay 1e-4 and learning rate 0.1:
/// let sgd = try Optimizer.chain([.addDecayedWeights(1e-4), .momentum(0.9, nesterov: true), .scale(-0.1)])
/// ```
///
/// **Determinism.** Every stage works element by element with the operations, in the order,
/// that its documentation states (each product rounded on its own, no fused multiply-add), and
/// the only reduction (the global norm) sums in declaration order, so a trajectory is the same
/// bits on every run, whatever the evaluator's thread count.
public struct Optimizer: Sendable {
    /// The stages, first applied first.
    package var stages: GradientChain

    package init(_ stages: [any GradientTransform]) { self.stages = GradientChain(stages) }

    /// The stages of `optimizers` one after the other (optax `chain`); an empty list leaves the
    /// updates as they are.
    public static func chain(_ optimizers: [Optimizer]) -> Optimizer {
        Optimizer(optimizers.flatMap(\.stages.stages))
    }

    /// `u ← s·u` (optax `scale`); with `s = −lr` it turns a descent direction into a step.
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` when `factor`
    ///   is not finite.
    public static func scale(_ factor: Double) throws -> Optimizer {
        guard factor.isFinite else { throw invalid("the scale factor must be finite, got \(factor)") }
        return Optimizer([Scale(factor)])
    }

    /// `u ← u + (λ·p)` (optax `add_decayed_weights`): weight decay λ = `decay`.
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` unless `decay`
    ///   is finite and not negative.
    public static func addDecayedWeights(_ decay: Double) throws -> Optimizer {
        guard decay.isFinite, decay >= 0 else { throw invalid("weight decay must be finite and not negative, got \(decay)") }
        return Optimizer([AddDecayedWeights(decay)])
    }

    /// Clipping by global norm (optax `clip_by_global_norm`): `n = √(u₀·u₀ + u₁·u₁ + …)`,
    /// summed from 0 in declaration order; when `n > maximumNorm`, every `uᵢ ← uᵢ · (maximumNorm / n)`.
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` unless
    ///   `maximumNorm` is positive and finite.
    public static func clipByGlobalNorm(_ maximumNorm: Double) throws -> Optimizer {
        guard maximumNorm.isFinite, maximumNorm > 0 else {
            throw invalid("the clipping norm must be positive and finite, got \(maximumNorm)")
        }
        return Optimizer([ClipByGlobalNorm(maximumNorm)])
    }

    /// Momentum (optax `trace`): a velocity `v` per parameter, 0 at the start; each step
    /// `v ← (μ·v) + u` with μ = `decay`, and the update is `v` (heavy ball) or `(μ·v) + u` with
    /// the new `v` (`nesterov`). Followed by ``scale(_:)`` with `−lr` this is PyTorch's SGD with momentum.
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` unless `decay`
    ///   is in [0, 1).
    public static func momentum(_ decay: Double, nesterov: Bool = false) throws -> Optimizer {
        guard decay >= 0, decay < 1 else { throw invalid("momentum must be in [0, 1), got \(decay)") }
        return Optimizer([Momentum(decay: decay, nesterov: nesterov)])
    }

    /// Adam's scaling with bias correction (optax `scale_by_adam`): per parameter the moments
    /// `m ← β₁·m + (1 − β₁)·g` and `v ← β₂·v + (1 − β₂)·g²`, and the update
    /// `m̂ / (√v̂ + ε)` with `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`. Follow it with
    /// ``scale(_:)`` with `−lr` for Adam.
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` unless `beta1`
    ///   and `beta2` are in [0, 1) and `epsilon` is finite and not negative.
    public static func scaleByAdam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) throws -> Optimizer {
        guard beta1 >= 0, beta1 < 1 else { throw invalid("beta1 must be in [0, 1), got \(beta1)") }
        guard beta2 >= 0, beta2 < 1 else { throw invalid("beta2 must be in [0, 1), got \(beta2)") }
        guard epsilon.isFinite, epsilon >= 0 else { throw invalid("eps must be finite and not negative, got \(epsilon)") }
        return Optimizer([ScaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon)])
    }

    private static func invalid(_ message: String) -> CircuitError {
        CircuitError(file: "<optimizer>", kind: .invalidArgument, message)
    }
}
