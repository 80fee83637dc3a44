/// The logistic neuron of the examples, σ(w0 + w1·x1 + … + wn·xn), with n features.
///
/// Inputs `x1…xn` (in [−1, 1]); parameters `w0…wn` (uniform in [−1, 1]); nodes
/// `mI = mul wI xI`, `z = add w0 m1 … mn` and the output `f = sigmoid z`: n + 2 nodes.
public struct LogisticShape: CircuitShape {
    /// `logistic`.
    public static let kind = "logistic"

    /// Number of features n (≥ 1).
    public var features: Int

    /// A logistic neuron with `features` inputs.
    public init(features: Int) { self.features = features }

    public func validate() throws {
        guard features >= 1 else { throw GeneratorError("logistic: --features must be at least 1, got \(features)") }
    }

    public var inputCount: Int { features }

    public func inputRange(ofInput index: Int) -> ClosedRange<Double> { -1...1 }

    public func circuit(seed: UInt64, progress: GeneratorProgress?) throws -> Circuit {
        try validate()
        var random = GeneratorRandom(seed: seed, stream: GeneratorStream.circuit)
        var emit = DraftEmitter(kind: LogisticShape.kind, expectedNodes: features + 2, progress: progress)
        for i in 1...features { emit.input("x\(i)") }
        for i in 0...features { emit.param("w\(i)", random.uniform(-1, 1)) }
        var terms = ["w0"]
        for i in 1...features { terms.append(emit.node(.mul, ["w\(i)", "x\(i)"], name: "m\(i)")) }
        let z = emit.node(.add, terms, name: "z")
        let f = emit.node(.sigmoid, [z], name: "f")
        return try emit.finish(output: f)
    }
}
