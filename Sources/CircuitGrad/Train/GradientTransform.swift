/// One stage of an optimizer, in the style of optax: a transform keeps its own state
/// (``initialize(parameterCount:)`` is optax's `init`) and turns the updates it is given
/// (the gradient, for the first stage) into new updates (``update(_:parameters:)``, optax's
/// `update`). Stages compose with ``GradientChain``; ``ParameterUpdate/apply(_:to:)`` adds
/// the final updates to the parameters.
///
/// **Determinism.** Every stage works element by element with the operations, and their
/// order, written in its documentation: each product is rounded on its own and then added
/// (no fused multiply-add: Swift does not contract `a * b + c` into one, and none is written),
/// and the only reduction (the global norm) sums in declaration order. So an optimizer's
/// trajectory is the same bits on every run, whatever the evaluator's thread count.
public protocol GradientTransform: Sendable {
    /// Starts the state over for `parameterCount` parameters (zeros, step count 0).
    mutating func initialize(parameterCount: Int)
    /// Transforms `updates` in place, given the parameters they will be applied to.
    mutating func update(_ updates: inout [Double], parameters: [Double])
}

/// Stages applied one after the other (optax `chain`).
public struct GradientChain: GradientTransform {
    /// The stages, first applied first.
    public var stages: [any GradientTransform]

    /// A chain of `stages`.
    public init(_ stages: [any GradientTransform]) { self.stages = stages }

    public mutating func initialize(parameterCount: Int) {
        for i in stages.indices { stages[i].initialize(parameterCount: parameterCount) }
    }

    public mutating func update(_ updates: inout [Double], parameters: [Double]) {
        for i in stages.indices { stages[i].update(&updates, parameters: parameters) }
    }
}

/// `u ← s·u` (optax `scale`); with `s = −lr` it turns a descent direction into a step.
public struct Scale: GradientTransform {
    /// The factor.
    public var factor: Double
    /// Multiplies updates by `factor`.
    public init(_ factor: Double) { self.factor = factor }
    public mutating func initialize(parameterCount: Int) {}
    public mutating func update(_ updates: inout [Double], parameters: [Double]) {
        for i in updates.indices { updates[i] = factor * updates[i] }
    }
}

/// `u ← u + (λ·p)` (optax `add_decayed_weights`): weight decay.
public struct AddDecayedWeights: GradientTransform {
    /// λ.
    public var decay: Double
    /// Adds `decay` times the parameters.
    public init(_ decay: Double) { self.decay = decay }
    public mutating func initialize(parameterCount: Int) {}
    public mutating func update(_ updates: inout [Double], parameters: [Double]) {
        for i in updates.indices { updates[i] = updates[i] + decay * parameters[i] }
    }
}

/// Clipping by global norm (optax `clip_by_global_norm`): `n = √(u₀·u₀ + u₁·u₁ + …)`,
/// summed from 0 in declaration order; when `n > c`, every `uᵢ ← uᵢ · (c / n)`.
public struct ClipByGlobalNorm: GradientTransform {
    /// c.
    public var maximumNorm: Double
    /// Clips updates whose norm exceeds `maximumNorm`.
    public init(_ maximumNorm: Double) { self.maximumNorm = maximumNorm }
    public mutating func initialize(parameterCount: Int) {}
    public mutating func update(_ updates: inout [Double], parameters: [Double]) {
        let norm = ClipByGlobalNorm.norm(updates)
        guard norm > maximumNorm else { return }
        let factor = maximumNorm / norm
        for i in updates.indices { updates[i] = updates[i] * factor }
    }

    /// `√(Σ uᵢ·uᵢ)`, summed from 0 in index order.
    public static func norm(_ u: [Double]) -> Double {
        var sum = 0.0
        for x in u { sum = sum + x * x }
        return sum.squareRoot()
    }
}

/// Applying updates.
public enum ParameterUpdate {
    /// `pᵢ ← pᵢ + uᵢ` (optax `apply_updates`).
    public static func apply(_ updates: [Double], to parameters: inout [Double]) {
        precondition(updates.count == parameters.count, "one update per parameter")
        for i in parameters.indices { parameters[i] = parameters[i] + updates[i] }
    }
}
