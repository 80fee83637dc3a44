/// The independent random streams drawn from one seed.
enum GeneratorStream {
    /// Structure and parameter values of a circuit.
    static let circuit: UInt64 = 0
    /// Batch values.
    static let batch: UInt64 = 1
}
