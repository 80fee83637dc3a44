/// What the nodes of a ``NodeRun`` compute: a circuit op, or one of the plan's own fused ops.
///
/// A two-argument `mul` with exactly one parameter argument becomes ``mulParameter(first:)``:
/// its kernel reads the parameter as one number (its value, fixed at plan time, in
/// ``PlanTables/constants``) instead of a broadcast row, so it reads and writes far fewer
/// rows (an MLP's weights). The kernels decode the op once per run (a `switch`, no per-node or
/// per-lane branch).
enum PlanOp: Hashable, Sendable {
    /// The circuit op itself, on wire rows.
    case circuit(Op)
    /// `mul` of a parameter and a wire, in argument order: the parameter is the first argument
    /// (`first`) or the second.
    case mulParameter(first: Bool)

    /// The circuit op the nodes compute.
    var circuitOp: Op {
        switch self {
        case .circuit(let op): op
        case .mulParameter: .mul
        }
    }

    /// Whether each node carries a number in ``PlanTables/constants``.
    var takesConstant: Bool {
        switch self {
        case .circuit(let op): op.takesConstant
        case .mulParameter: true
        }
    }

    /// Whether every partial is 1 (`add`, `offset`): a live node's backward only passes its
    /// upstream gradient through (see ``ExecutionPlan``, pass-through).
    var passesGradientThrough: Bool { self == .circuit(.add) || self == .circuit(.offset) }

    /// The rows a node's backward reads (``OpRule/backwardReads``); a parameter `mul` reads its
    /// wire argument, for the parameter's gradient.
    var backwardReads: BackwardReads {
        switch self {
        case .circuit(let op): op.rule.backwardReads
        case .mulParameter: .arguments
        }
    }

    /// Whether the op has no backward (`const`).
    var isConstant: Bool { self == .circuit(.const) }

    /// The argument position of the parameter, for ``mulParameter(first:)``; nil otherwise.
    var parameterPosition: Int? {
        if case .mulParameter(let first) = self { first ? 0 : 1 } else { nil }
    }
}

extension PlanOp: Comparable {
    /// The plan's node order within a level: circuit ops by their raw value, then the fused
    /// parameter muls (parameter first, then second).
    static func < (a: PlanOp, b: PlanOp) -> Bool { a.orderKey < b.orderKey }

    /// The op's rank in that order (below 512).
    var orderKey: Int {
        switch self {
        case .circuit(let op): Int(op.rawValue)
        case .mulParameter(let first): first ? 256 : 257
        }
    }
}
