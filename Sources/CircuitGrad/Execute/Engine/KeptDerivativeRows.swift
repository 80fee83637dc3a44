/// Which nodes' first derivatives a Hessian-vector product keeps from its forward sweep for its
/// reverse one: those that take an elementary function (`sin`: cos a, `cos`: −sin a, `powc`:
/// c·a^(c−1)). The forward sweep needs the derivative for the value tangent anyway; kept in a
/// row of its own, the reverse sweep's gradient and gradient-tangent contributions both read it
/// instead of calling SLEEF twice more (layered 20k nodes, 15 % of them sin/cos: four SLEEF rows
/// per sin node became two, as many as an evaluation's).
final class KeptDerivativeRows {
    /// Whether nodes of `op` keep their derivative.
    static func keeps(_ op: Op) -> Bool { op == .sin || op == .cos || op == .powc }

    /// Row of each plan node that keeps its derivative (the others' entries are -1).
    let rowOfNode: UnsafeMutablePointer<Int32>
    /// Rows per lane block.
    let count: Int

    init(plan: ExecutionPlan) {
        rowOfNode = .allocate(capacity: max(plan.nodeCount, 1))
        rowOfNode.initialize(repeating: -1, count: max(plan.nodeCount, 1))
        var count = 0
        for run in plan.runs {
            guard case .circuit(let op) = run.op, Self.keeps(op) else { continue }
            for p in Int(run.start)..<Int(run.end) {
                rowOfNode[p] = Int32(count)
                count += 1
            }
        }
        self.count = count
    }

    deinit { rowOfNode.deallocate() }
}
