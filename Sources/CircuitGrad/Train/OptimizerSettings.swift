/// A named optimizer and its constants, turned into a ``GradientChain``.
///
/// The chains, first stage first (`lr` is the learning rate):
/// - `sgd`: [clip] · [weight decay] · ``Scale``(−lr)
/// - `momentum`: [clip] · [weight decay] · ``Momentum``(μ) · ``Scale``(−lr)
/// - `nesterov`: [clip] · [weight decay] · ``Momentum``(μ, Nesterov) · ``Scale``(−lr)
/// - `adam`: [clip] · ``ScaleByAdam``(β₁, β₂, ε) · [weight decay] · ``Scale``(−lr)
///
/// Clipping (``ClipByGlobalNorm``) acts on the mean gradient. Weight decay
/// (``AddDecayedWeights``) is added to the gradient for the SGD family (L2 regularisation, as
/// PyTorch's SGD does) and after Adam's scaling for Adam (decoupled, AdamW, as optax `adamw`).
public struct OptimizerSettings: Sendable, Equatable {
    /// The optimizers.
    public enum Kind: String, Sendable, CaseIterable {
        case sgd, momentum, nesterov, adam
    }

    /// Which optimizer.
    public var kind: Kind
    /// Learning rate.
    public var learningRate: Double
    /// Adam's β₁, β₂ and ε.
    public var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
    /// μ of `momentum` and `nesterov`.
    public var momentum = 0.9
    /// λ of weight decay; 0 leaves the stage out.
    public var weightDecay = 0.0
    /// Largest global norm of the mean gradient; nil leaves the stage out.
    public var clipNorm: Double? = nil

    /// Settings for `kind` with learning rate `learningRate` and default constants.
    public init(kind: Kind, learningRate: Double) {
        self.kind = kind
        self.learningRate = learningRate
    }

    /// Throws unless every constant is in its range.
    public func validate() throws {
        func fail(_ m: String) -> CircuitError { CircuitError(file: "<optimizer>", m) }
        guard learningRate.isFinite, learningRate > 0 else { throw fail("the learning rate must be positive and finite, got \(learningRate)") }
        guard beta1 >= 0, beta1 < 1 else { throw fail("beta1 must be in [0, 1), got \(beta1)") }
        guard beta2 >= 0, beta2 < 1 else { throw fail("beta2 must be in [0, 1), got \(beta2)") }
        guard epsilon.isFinite, epsilon >= 0 else { throw fail("eps must be finite and not negative, got \(epsilon)") }
        guard momentum >= 0, momentum < 1 else { throw fail("momentum must be in [0, 1), got \(momentum)") }
        guard weightDecay.isFinite, weightDecay >= 0 else { throw fail("weight decay must be finite and not negative, got \(weightDecay)") }
        if let c = clipNorm, !(c > 0 && c.isFinite) { throw fail("the clipping norm must be positive and finite, got \(c)") }
    }

    /// The chain these settings describe, initialised for `parameterCount` parameters.
    public func makeTransform(parameterCount: Int) -> GradientChain {
        var stages: [any GradientTransform] = []
        if let c = clipNorm { stages.append(ClipByGlobalNorm(c)) }
        let decay: [any GradientTransform] = weightDecay > 0 ? [AddDecayedWeights(weightDecay)] : []
        switch kind {
        case .sgd: stages += decay
        case .momentum: stages += decay + [Momentum(decay: momentum)]
        case .nesterov: stages += decay + [Momentum(decay: momentum, nesterov: true)]
        case .adam: stages += [ScaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon)] + decay
        }
        stages.append(Scale(-learningRate))
        var chain = GradientChain(stages)
        chain.initialize(parameterCount: parameterCount)
        return chain
    }
}
