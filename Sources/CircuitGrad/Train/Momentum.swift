/// Momentum (optax `trace`): a velocity `v` per parameter, 0 at the start. Each step
/// `v ← (μ·v) + u`, then the update is `v` (heavy ball) or `(μ·v) + u` with the new `v`
/// (Nesterov). Followed by ``Scale`` with `−lr` this is PyTorch's SGD with momentum.
public struct Momentum: GradientTransform {
    /// μ.
    public var decay: Double
    /// Whether the update looks ahead (Nesterov) instead of being the velocity.
    public var nesterov: Bool
    /// The velocity.
    public private(set) var velocity: [Double] = []

    /// Momentum `decay` (μ), heavy ball unless `nesterov`.
    public init(decay: Double, nesterov: Bool = false) {
        self.decay = decay
        self.nesterov = nesterov
    }

    public mutating func initialize(parameterCount: Int) {
        velocity = [Double](repeating: 0, count: parameterCount)
    }

    public mutating func update(_ updates: inout [Double], parameters: [Double]) {
        if velocity.count != updates.count { initialize(parameterCount: updates.count) }
        for i in updates.indices {
            let v = decay * velocity[i] + updates[i]
            velocity[i] = v
            updates[i] = nesterov ? decay * v + updates[i] : v
        }
    }
}
