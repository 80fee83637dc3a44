/// Deterministic circuit generators: the same shape and seed give the same circuit (and the
/// same `.circuit` bytes) on every machine. ``generate(_:seed:)`` is the one entry point; a
/// ``Shape`` says which kind of circuit and how large (the command-line tool's `generate`
/// reaches further options of each kind).
///
/// ```swift
/// let circuit = try CircuitGenerator.generate(.mlp(layerSizes: [1, 16, 16, 1]), seed: 7)
/// print(circuit.inputNames)   // ["x0", "y0"]: the MLP's input and its target
/// ```
public enum CircuitGenerator {
    /// A random layered DAG (see ``LayeredShape``).
    package static func layered(_ shape: LayeredShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// A neural network with its loss (see ``MLPShape``).
    package static func mlp(_ shape: MLPShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// The logistic neuron σ(w0 + Σ wi·xi) (see ``LogisticShape``).
    package static func logistic(_ shape: LogisticShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// A reduction tree over the inputs (see ``TreeShape``).
    package static func tree(_ shape: TreeShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// A chain of bounded unary ops (see ``ChainShape``).
    package static func chain(_ shape: ChainShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// A 2-D wavefront grid (see ``GridShape``).
    package static func grid(_ shape: GridShape, seed: UInt64) throws -> Circuit {
        try shape.circuit(seed: seed, progress: nil)
    }

    /// The names of the kinds, as the command line spells them.
    package static let kinds = [LayeredShape.kind, MLPShape.kind, LogisticShape.kind,
                               TreeShape.kind, ChainShape.kind, GridShape.kind]
}
