/// A stage of ``ExecutionPlan/init(circuit:reuseSlotRows:)``: the nodes in plan order cut into
/// maximal ``NodeRun``s, with their argument value rows and numbers laid out run after run.
/// The runs' ``NodeRun/sourceBase`` is set later, by ``GradientSums``.
struct RunLayout {
    /// Maximal runs, in plan order.
    var runs: [NodeRun] = []
    /// Value row of each argument position (``PlanTables/argumentRow``).
    var argumentRow: [Int32] = []
    /// Numbers of the nodes that take one, in plan order (``PlanTables/constants``).
    var constants: [Double] = []
    /// The first argument position of each file node.
    private(set) var argumentStartOfFileNode: [Int32]

    init(circuit c: Circuit, order o: NodeOrder) {
        argumentStartOfFileNode = [Int32](repeating: 0, count: c.nodeCount)
        argumentRow.reserveCapacity(c.args.count)
        for (p, f) in o.order.enumerated() {
            let key = (o.ops[f], o.arity[f], c.nodeIsLive[f], o.gradientFanIn[f], o.fusesParameter[f], c.nodeLevel[f])
            if let last = runs.last, (last.op, last.arity, last.isLive, last.gradientFanIn, last.fusesParameter, last.level) == key {
                runs[runs.count - 1].end += 1
            } else {
                runs.append(NodeRun(
                    op: key.0, arity: key.1, gradientFanIn: key.3, isLive: key.2, fusesParameter: key.4, level: key.5,
                    takesConstant: key.0.takesConstant,
                    start: Int32(p), end: Int32(p + 1), argumentBase: Int32(argumentRow.count),
                    constantBase: Int32(constants.count), sourceBase: 0))
            }
            argumentStartOfFileNode[f] = Int32(argumentRow.count)
            for a in c.arguments(of: f) { argumentRow.append(o.valueRow(ofValueWire: Int(c.wireValue[Int(a)]))) }
            if runs[runs.count - 1].takesConstant { constants.append(o.constants[f]) }   // the run's op, asked once a run
        }
    }

    /// Whether each parameter's block sum is made by its own node (``NodeRun/fusesParameter``),
    /// by parameter (``ExecutionPlan/parameterSummedByNode``).
    func parametersSummedByNode(circuit c: Circuit) -> [Bool] {
        var summed = [Bool](repeating: false, count: c.paramCount)
        for run in runs where run.fusesParameter {
            guard let position = run.op.parameterPosition else { continue }
            for i in 0..<run.count {
                summed[Int(argumentRow[Int(run.argumentBase) + 2 * i + position]) - c.inputCount] = true
            }
        }
        return summed
    }
}
