/// One stage of an optimizer, in the style of optax: a transform keeps its own state
/// (``initialize(parameterCount:)`` is optax's `init`) and turns the updates it is given
/// (the gradient, for the first stage) into new updates (``update(_:parameters:)``, optax's
/// `update`). Stages compose with ``GradientChain``; `ParameterUpdate.apply(_:to:)` adds
/// the final updates to the parameters.
///
/// **Determinism.** Every stage works element by element with the operations, and their
/// order, written in its documentation: each product is rounded on its own and then added
/// (no fused multiply-add: Swift does not contract `a * b + c` into one, and none is written),
/// and the only reduction (the global norm) sums in declaration order. So an optimizer's
/// trajectory is the same bits on every run, whatever the evaluator's thread count.
package protocol GradientTransform: Sendable {
    /// Starts the state over for `parameterCount` parameters (zeros, step count 0).
    mutating func initialize(parameterCount: Int)
    /// Transforms `updates` in place, given the parameters they will be applied to.
    mutating func update(_ updates: inout [Double], parameters: [Double])
}

/// Stages applied one after the other (optax `chain`).
package struct GradientChain: GradientTransform {
    /// The stages, first applied first.
    package var stages: [any GradientTransform]

    /// A chain of `stages`.
    package init(_ stages: [any GradientTransform]) { self.stages = stages }

    /// Starts the state over (see ``GradientTransform/initialize(parameterCount:)``).
    package mutating func initialize(parameterCount: Int) {
        for i in stages.indices { stages[i].initialize(parameterCount: parameterCount) }
    }

    /// Applies this stage to `updates` (see the type\'s notes).
    package mutating func update(_ updates: inout [Double], parameters: [Double]) {
        for i in stages.indices { stages[i].update(&updates, parameters: parameters) }
    }
}

/// `u ← s·u` (optax `scale`); with `s = −lr` it turns a descent direction into a step.
package struct Scale: GradientTransform {
    /// The factor.
    package var factor: Double
    /// Multiplies updates by `factor`.
    package init(_ factor: Double) { self.factor = factor }
    /// Starts the state over (see ``GradientTransform/initialize(parameterCount:)``).
    package mutating func initialize(parameterCount: Int) {}
    /// Applies this stage to `updates` (see the type\'s notes).
    package mutating func update(_ updates: inout [Double], parameters: [Double]) {
        for i in updates.indices { updates[i] = factor * updates[i] }
    }
}

/// `u ← u + (λ·p)` (optax `add_decayed_weights`): weight decay.
package struct AddDecayedWeights: GradientTransform {
    /// λ.
    package var decay: Double
    /// Adds `decay` times the parameters.
    package init(_ decay: Double) { self.decay = decay }
    /// Starts the state over (see ``GradientTransform/initialize(parameterCount:)``).
    package mutating func initialize(parameterCount: Int) {}
    /// Applies this stage to `updates` (see the type\'s notes).
    package mutating func update(_ updates: inout [Double], parameters: [Double]) {
        for i in updates.indices { updates[i] = updates[i] + decay * parameters[i] }
    }
}

/// Clipping by global norm (optax `clip_by_global_norm`): `n = √(u₀·u₀ + u₁·u₁ + …)`,
/// summed from 0 in declaration order; when `n > c`, every `uᵢ ← uᵢ · (c / n)`.
package struct ClipByGlobalNorm: GradientTransform {
    /// c.
    package var maximumNorm: Double
    /// Clips updates whose norm exceeds `maximumNorm`.
    package init(_ maximumNorm: Double) { self.maximumNorm = maximumNorm }
    /// Starts the state over (see ``GradientTransform/initialize(parameterCount:)``).
    package mutating func initialize(parameterCount: Int) {}
    /// Applies this stage to `updates` (see the type\'s notes).
    package mutating func update(_ updates: inout [Double], parameters: [Double]) {
        let norm = ClipByGlobalNorm.norm(updates)
        guard norm > maximumNorm else { return }
        let factor = maximumNorm / norm
        for i in updates.indices { updates[i] = updates[i] * factor }
    }

    /// `√(Σ uᵢ·uᵢ)`, summed from 0 in index order.
    package static func norm(_ u: [Double]) -> Double {
        var sum = 0.0
        for x in u { sum = sum + x * x }
        return sum.squareRoot()
    }
}

/// Applying updates.
package enum ParameterUpdate {
    /// `pᵢ ← pᵢ + uᵢ` (optax `apply_updates`).
    package static func apply(_ updates: [Double], to parameters: inout [Double]) {
        precondition(updates.count == parameters.count, "one update per parameter")
        for i in parameters.indices { parameters[i] = parameters[i] + updates[i] }
    }
}
