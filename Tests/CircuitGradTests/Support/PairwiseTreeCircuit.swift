@testable import CircuitGrad

/// A tree over `leaves` inputs `x0, x1, …`: each level adds neighbouring pairs, each sum followed
/// by a node of `op` when one is given (`sin(a + b)`), an odd last wire carried up as it is. Tests
/// of the lane-block choice size it to this machine's caches.
enum PairwiseTreeCircuit {
    static func make(leaves: Int, after op: Op? = nil) throws -> Circuit {
        let b = CircuitBuilder()
        var level = (0..<leaves).map { b.input("x\($0)") }
        while level.count > 1 {
            var next = stride(from: 0, to: level.count - 1, by: 2).map { i in
                let sum = b.node(.add, [level[i], level[i + 1]])
                return op.map { b.node($0, [sum]) } ?? sum
            }
            if level.count % 2 == 1 { next.append(level[level.count - 1]) }
            level = next
        }
        return try b.build(output: level[0])
    }
}
