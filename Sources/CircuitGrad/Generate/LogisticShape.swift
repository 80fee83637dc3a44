/// The logistic neuron of the examples, σ(w0 + w1·x1 + … + wn·xn), with n features.
///
/// Inputs `x1…xn` (in [−1, 1]); parameters `w0…wn` (uniform in [−1, 1]); nodes
/// `mI = mul wI xI`, `z = add w0 m1 … mn` and the output `f = sigmoid z`: n + 2 nodes.
package struct LogisticShape: CircuitShape {
    /// `logistic`.
    package static let kind = "logistic"

    /// Number of features n (≥ 1).
    package var features: Int

    /// A logistic neuron with `features` inputs.
    package init(features: Int) { self.features = features }

    package func validate() throws {
        guard features >= 1 else { throw GeneratorError("logistic: --features must be at least 1, got \(features)") }
    }

    package var inputCount: Int { features }

    package func inputRange(ofInput index: Int) -> ClosedRange<Double> { -1...1 }

    package func circuit(seed: UInt64, progress: GeneratorProgress?) throws -> Circuit {
        try validate()
        var random = GeneratorRandom(seed: seed, stream: GeneratorStream.circuit)
        var emit = DraftEmitter(kind: LogisticShape.kind, expectedNodes: features + 2, progress: progress)
        let x = (1...features).map { emit.input("x\($0)") }
        let w = (0...features).map { emit.param("w\($0)", random.uniform(-1, 1)) }
        var terms = [w[0]]
        for i in 1...features { terms.append(emit.node(.mul, [w[i], x[i - 1]], name: "m\(i)")) }
        let z = emit.node(.add, terms, name: "z")
        let f = emit.node(.sigmoid, [z], name: "f")
        return try emit.finish(output: f)
    }
}
