/// A stretch of consecutive plan nodes that one kernel call runs without deciding anything
/// per node: the nodes share their level, op, number of arguments, liveness and the shape of
/// the gradient sum on their output wire, so every per-node index is an affine function of
/// the node's position in the run and every loop in the kernel has the same trip count.
///
/// ``ExecutionPlan`` cuts the whole plan into maximal runs; ``LevelSchedule`` slices them
/// further where a level is shared between workers (``slice(_:_:)``).
struct NodeRun: Sendable, Equatable {
    /// What the nodes compute.
    let op: PlanOp
    /// Wire arguments per node.
    let arity: Int32
    /// How each node completes the gradient arriving on its output wire before its backward.
    let gradientFanIn: GradientFanIn
    /// Whether the nodes reach the output (dead nodes run forward only).
    let isLive: Bool
    /// For parameter muls whose parameter has no other use: each node sums its parameter's
    /// gradient over a full block's lanes itself.
    let fusesParameter: Bool
    /// The nodes' level.
    let level: Int32
    /// Whether each node carries a number in ``PlanTables/constants`` (the op's
    /// ``OpRule/takesConstant``, kept here so that kernels read a field, not the op's rule).
    let takesConstant: Bool
    /// First plan node.
    var start: Int32
    /// One past the last plan node.
    var end: Int32
    /// Argument position (index into ``PlanTables/argumentRow``) of the first node's first argument.
    var argumentBase: Int32
    /// Index into ``PlanTables/constants`` of the first node's number (ops that take one).
    var constantBase: Int32
    /// Where the first node's gradient sources start: an index into
    /// ``PlanTables/gradientSources`` (k ≥ 2) or ``PlanTables/programStart`` (programs).
    var sourceBase: Int32
    /// Value row of the first node's first kept row (``OpRule/keptRows`` consecutive rows a
    /// node, live nodes of ops that keep some), else -1.
    var keptBase: Int32 = -1

    /// Number of nodes.
    var count: Int { Int(end - start) }

    /// Whether the nodes have a backward to run (live, and not `const`).
    var hasBackward: Bool { isLive && !op.isConstant }

    /// Whether the nodes are live `add`s or `offset`s, whose backward passes the upstream
    /// gradient through (their argument slots are their upstream row, see ``SlotNumbering``).
    var passesGradientThrough: Bool { isLive && op.passesGradientThrough }

    /// Argument positions of the nodes, node after node (indexes into ``PlanTables/argumentRow``).
    var argumentPositions: Range<Int> { Int(argumentBase)..<Int(argumentBase) + count * Int(arity) }

    /// The nodes `a..<b` of this run (plan indexes, within `start...end`) as a run of their own.
    func slice(_ a: Int, _ b: Int) -> NodeRun {
        precondition(Int(start) <= a && a <= b && b <= Int(end), "slice outside the run")
        let skipped = Int32(a) - start
        var r = self
        r.start = Int32(a)
        r.end = Int32(b)
        r.argumentBase += skipped * arity
        if takesConstant { r.constantBase += skipped }
        r.sourceBase += skipped * gradientFanIn.sourcesPerNode
        if keptBase >= 0 { r.keptBase += skipped * Int32(op.circuitOp.rule.keptRows) }
        return r
    }
}
