/// A reduction tree over n inputs: level by level, consecutive groups of `fanIn` wires
/// are combined by one node (an op drawn from `ops`); a group of a single wire moves up
/// unchanged. With the default `add` and fan-in 2, 4 inputs give 3 `add` nodes on 2 levels.
/// A one-argument op drawn for a group (`sin`, `cos`, `tanh`, `sigmoid`) is applied to the
/// group's `add`.
///
/// Inputs `x0…x(n−1)` in [−1, 1]; nodes `n0, n1, …` in level order; the root is the output.
/// Values stay within [−n, n] (`add`), [−1, 1] (`mul`, `max`, `min`).
package struct TreeShape: CircuitShape {
    /// `tree`.
    package static let kind = "tree"

    /// Number of inputs (leaves), at least 2.
    package var leaves: Int
    /// Wires combined per node (≥ 2).
    package var fanIn: Int
    /// The ops of the nodes and their weights (``allowedOps``).
    package var ops: OpMix

    /// The ops a tree can use.
    package static let allowedOps: [Op] = [.add, .mul, .max, .min, .sin, .cos, .tanh, .sigmoid]

    /// `add` only.
    package static let defaultOps = try! OpMix([(.add, 1)])

    /// An `add` tree over `leaves` inputs, `fanIn` children per node.
    package init(leaves: Int, fanIn: Int = 2) {
        self.init(leaves: leaves, fanIn: fanIn, ops: TreeShape.defaultOps)
    }

    /// A tree over `leaves` inputs, `fanIn` children per node, ops drawn from `ops`.
    package init(leaves: Int, fanIn: Int = 2, ops: OpMix) {
        self.leaves = leaves
        self.fanIn = fanIn
        self.ops = ops
    }

    package func validate() throws {
        guard leaves >= 2 else { throw GeneratorError("tree: --inputs must be at least 2, got \(leaves)") }
        guard fanIn >= 2 else { throw GeneratorError("tree: --fan-in must be at least 2, got \(fanIn)") }
        try ops.require(only: TreeShape.allowedOps, for: "tree")
    }

    package var inputCount: Int { leaves }

    package func inputRange(ofInput index: Int) -> ClosedRange<Double> { -1...1 }

    package func circuit(seed: UInt64, progress: GeneratorProgress?) throws -> Circuit {
        try validate()
        var random = GeneratorRandom(seed: seed, stream: GeneratorStream.circuit)
        var emit = DraftEmitter(kind: TreeShape.kind, expectedNodes: leaves, progress: progress)
        var level = (0..<leaves).map { emit.input("x\($0)") }
        while level.count > 1 {
            var next = [Int32]()
            next.reserveCapacity(level.count / fanIn + 1)
            var start = 0
            while start < level.count {
                let end = min(start + fanIn, level.count)
                if end - start == 1 {
                    next.append(level[start])
                } else {
                    let op = ops.draw(&random)
                    if op.arity == .exactly(1) {
                        let sum = emit.node(.add, Array(level[start..<end]))
                        next.append(emit.node(op, [sum]))
                    } else {
                        next.append(emit.node(op, Array(level[start..<end])))
                    }
                }
                start = end
            }
            level = next
        }
        return try emit.finish(output: level[0])
    }
}
