/// Deterministic circuit generators: the same kind, options and seed give the same circuit
/// (and the same `.circuit` bytes) on every machine. Each kind's options are a
/// ``CircuitShape``; a shape also makes a matching batch (``CircuitShape/batch(samples:seed:)``).
///
/// ```swift
/// let shape = LayeredShape(nodes: 10_000, width: 100)
/// let circuit = try CircuitGenerator.layered(shape, seed: 7)
/// let batch = try shape.batch(samples: 64, seed: 7)
/// ```
public enum CircuitGenerator {
    /// A random layered DAG (see ``LayeredShape``).
    public static func layered(_ shape: LayeredShape, seed: UInt64, progress: GeneratorProgress? = nil) throws -> Circuit {
        try shape.circuit(seed: seed, progress: progress)
    }

    /// A neural network with its loss (see ``MLPShape``).
    public static func mlp(_ shape: MLPShape, seed: UInt64, progress: GeneratorProgress? = nil) throws -> Circuit {
        try shape.circuit(seed: seed, progress: progress)
    }

    /// The logistic neuron σ(w0 + Σ wi·xi) (see ``LogisticShape``).
    public static func logistic(_ shape: LogisticShape, seed: UInt64, progress: GeneratorProgress? = nil) throws -> Circuit {
        try shape.circuit(seed: seed, progress: progress)
    }

    /// A reduction tree over the inputs (see ``TreeShape``).
    public static func tree(_ shape: TreeShape, seed: UInt64, progress: GeneratorProgress? = nil) throws -> Circuit {
        try shape.circuit(seed: seed, progress: progress)
    }

    /// A chain of bounded unary ops (see ``ChainShape``).
    public static func chain(_ shape: ChainShape, seed: UInt64, progress: GeneratorProgress? = nil) throws -> Circuit {
        try shape.circuit(seed: seed, progress: progress)
    }

    /// A 2-D wavefront grid (see ``GridShape``).
    public static func grid(_ shape: GridShape, seed: UInt64, progress: GeneratorProgress? = nil) throws -> Circuit {
        try shape.circuit(seed: seed, progress: progress)
    }

    /// The names of the kinds, as the command line spells them.
    public static let kinds = [LayeredShape.kind, MLPShape.kind, LogisticShape.kind,
                               TreeShape.kind, ChainShape.kind, GridShape.kind]
}
