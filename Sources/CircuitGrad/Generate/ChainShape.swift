/// A chain: node k reads node k−1 (node 0 reads the input `x0`), each applying a bounded
/// op drawn from `ops`; the last node is the output. Chain of n has levels 1…n, one node each.
///
/// Every allowed op has a partial of magnitude ≤ 1, so neither values (in [−1, 1]) nor
/// gradients grow along the chain.
package struct ChainShape: CircuitShape {
    /// `chain`.
    package static let kind = "chain"

    /// Number of nodes (≥ 1).
    package var length: Int
    /// The ops and their weights.
    package var ops: OpMix

    /// The ops a chain can use.
    package static let allowedOps: [Op] = [.sin, .cos, .tanh, .sigmoid, .neg, .abs]

    /// `sin:1,cos:1,tanh:1,sigmoid:1`.
    package static let defaultOps = try! OpMix([(.sin, 1), (.cos, 1), (.tanh, 1), (.sigmoid, 1)])

    /// A chain of `length` nodes drawn from `sin`, `cos`, `tanh` and `sigmoid` alike.
    package init(length: Int) {
        self.init(length: length, ops: ChainShape.defaultOps)
    }

    /// A chain of `length` nodes, ops drawn from `ops`.
    package init(length: Int, ops: OpMix) {
        self.length = length
        self.ops = ops
    }

    package func validate() throws {
        guard length >= 1 else { throw GeneratorError("chain: --nodes must be at least 1, got \(length)") }
        try ops.require(only: ChainShape.allowedOps, for: "chain")
    }

    package var inputCount: Int { 1 }

    package func inputRange(ofInput index: Int) -> ClosedRange<Double> { -1...1 }

    package func circuit(seed: UInt64, progress: GeneratorProgress?) throws -> Circuit {
        try validate()
        var random = GeneratorRandom(seed: seed, stream: GeneratorStream.circuit)
        var emit = DraftEmitter(kind: ChainShape.kind, expectedNodes: length, progress: progress)
        var last = emit.input("x0")
        for _ in 0..<length { last = emit.node(ops.draw(&random), [last]) }
        return try emit.finish(output: last)
    }
}
