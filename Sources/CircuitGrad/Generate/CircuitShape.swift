/// The options of one generator kind. A shape knows how many inputs its circuits have and
/// which range of input values keeps every op finite, so it can also make a matching batch.
package protocol CircuitShape: Sendable {
    /// The generator's name on the command line (`layered`, `mlp`, …).
    static var kind: String { get }

    /// Throws ``GeneratorError`` when an option is out of range.
    func validate() throws

    /// Number of input wires of the circuits this shape generates.
    var inputCount: Int { get }

    /// About how many wires the circuits have, from the options alone (saturating at `Int.max`).
    var wireEstimate: Int { get }

    /// The range batch values of input `index` are drawn from (uniformly).
    func inputRange(ofInput index: Int) -> ClosedRange<Double>

    /// Builds the circuit for `seed`; the same seed and options always give the same circuit.
    /// `progress`, if given, is told the fraction of nodes added so far.
    func circuit(seed: UInt64, progress: GeneratorProgress?) throws -> Circuit
}

extension CircuitShape {
    /// Builds the circuit for `seed` without progress reports.
    package func circuit(seed: UInt64) throws -> Circuit { try circuit(seed: seed, progress: nil) }

    /// A batch of `samples` rows for this shape's circuits: sample by sample, input by input,
    /// each value `low + (high - low) * u` with `u` from ``GeneratorRandom/unit()`` on the
    /// batch stream of `seed` (independent of the circuit's own stream).
    package func batch(samples: Int, seed: UInt64) throws -> Batch {
        guard samples >= 1 else { throw GeneratorError("a batch needs at least 1 sample, got \(samples)") }
        try validate()
        let columns = inputCount
        let ranges = (0..<columns).map { inputRange(ofInput: $0) }
        var random = GeneratorRandom(seed: seed, stream: GeneratorStream.batch)
        var values = [Double]()
        values.reserveCapacity(samples * columns)
        for _ in 0..<samples {
            for r in ranges { values.append(random.uniform(r.lowerBound, r.upperBound)) }
        }
        return try Batch(sampleCount: samples, inputCount: columns, values: values)
    }
}
