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
package struct OptimizerSettings: Sendable, Equatable {
    /// The optimizers.
    package enum Kind: String, Sendable, CaseIterable {
        /// Plain gradient descent.
        case sgd
        /// Heavy-ball momentum.
        case momentum
        /// Nesterov momentum.
        case nesterov
        /// Adam with bias correction.
        case adam
    }

    /// Which optimizer.
    package var kind: Kind
    /// Learning rate.
    package var learningRate: Double
    /// Adam's β₁, β₂ and ε.
    package var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
    /// μ of `momentum` and `nesterov`.
    package var momentum = 0.9
    /// λ of weight decay; 0 leaves the stage out.
    package var weightDecay = 0.0
    /// Largest global norm of the mean gradient; nil leaves the stage out.
    package var clipNorm: Double? = nil

    /// Settings for `kind` with learning rate `learningRate` and default constants.
    package init(kind: Kind, learningRate: Double) {
        self.kind = kind
        self.learningRate = learningRate
    }

    /// Throws unless every constant is in its range (kind ``CircuitError/Kind/invalidArgument``,
    /// as the ``Optimizer`` stages throw): the learning rate, β₁, β₂, ε, μ, λ, the clipping norm.
    package func validate() throws {
        guard learningRate.isFinite, learningRate > 0 else {
            throw CircuitError(file: "<optimizer>", kind: .invalidArgument, "the learning rate must be positive and finite, got \(learningRate)")
        }
        _ = try Optimizer.scaleByAdam(beta1: beta1, beta2: beta2, epsilon: epsilon)
        _ = try Optimizer.momentum(momentum)
        _ = try Optimizer.addDecayedWeights(weightDecay)
        if let c = clipNorm { _ = try Optimizer.clipByGlobalNorm(c) }
    }

    /// The chain these settings describe, initialised for `parameterCount` parameters.
    package func makeTransform(parameterCount: Int) -> GradientChain {
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
