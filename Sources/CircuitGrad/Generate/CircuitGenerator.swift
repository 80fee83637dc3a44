/// Deterministic circuit generators: the same kind, options and seed give the same circuit
/// (and the same `.circuit` bytes) on every machine. Each kind's options are a shape value
/// (``LayeredShape``, ``MLPShape``, …); the generators throw when the options are out of range.
///
/// ```swift
/// let circuit = try CircuitGenerator.layered(LayeredShape(nodes: 10_000, width: 100), seed: 7)
/// ```
public enum CircuitGenerator {
    /// A random layered DAG (see ``LayeredShape``).
    public static func layered(_ shape: LayeredShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// A neural network with its loss (see ``MLPShape``).
    public static func mlp(_ shape: MLPShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// The logistic neuron σ(w0 + Σ wi·xi) (see ``LogisticShape``).
    public static func logistic(_ shape: LogisticShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// A reduction tree over the inputs (see ``TreeShape``).
    public static func tree(_ shape: TreeShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// A chain of bounded unary ops (see ``ChainShape``).
    public static func chain(_ shape: ChainShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// A 2-D wavefront grid (see ``GridShape``).
    public static func grid(_ shape: GridShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// The names of the kinds, as the command line spells them.
    package static let kinds = [LayeredShape.kind, MLPShape.kind, LogisticShape.kind,
                               TreeShape.kind, ChainShape.kind, GridShape.kind]
}
