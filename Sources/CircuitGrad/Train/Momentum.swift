/// Momentum (optax `trace`): a velocity `v` per parameter, 0 at the start. Each step
/// `v ← (μ·v) + u`, then the update is `v` (heavy ball) or `(μ·v) + u` with the new `v`
/// (Nesterov). Followed by ``Scale`` with `−lr` this is PyTorch's SGD with momentum.
package struct Momentum: GradientTransform {
    /// μ.
    package var decay: Double
    /// Whether the update looks ahead (Nesterov) instead of being the velocity.
    package var nesterov: Bool
    /// The velocity.
    package private(set) var velocity: [Double] = []

    /// Momentum `decay` (μ), heavy ball unless `nesterov`.
    package init(decay: Double, nesterov: Bool = false) {
        self.decay = decay
        self.nesterov = nesterov
    }

    /// Starts the state over (see ``GradientTransform/initialize(parameterCount:)``).
    package mutating func initialize(parameterCount: Int) {
        velocity = [Double](repeating: 0, count: parameterCount)
    }

    /// Applies this stage to `updates` (see the type\'s notes).
    package mutating func update(_ updates: inout [Double], parameters: [Double]) {
        if velocity.count != updates.count { initialize(parameterCount: updates.count) }
        for i in updates.indices {
            let v = decay * velocity[i] + updates[i]
            velocity[i] = v
            updates[i] = nesterov ? decay * v + updates[i] : v
        }
    }
}
