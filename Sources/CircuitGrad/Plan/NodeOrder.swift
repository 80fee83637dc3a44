/// The first stages of ``ExecutionPlan/init(circuit:reuseSlotRows:)``: what each function node
/// computes in the plan (its ``PlanOp``), the shape of the gradient sum on its output wire, and
/// the plan order of the nodes. All arrays but ``order`` are indexed by file node.
struct NodeOrder {
    /// Plan op of each node (parameter muls fused, see ``PlanOp/mulParameter(first:)``).
    let ops: [PlanOp]
    /// Each node's number: the circuit's, or a fused parameter mul's parameter value.
    let constants: [Double]
    /// Whether the node is a live parameter mul whose parameter has no other use (``NodeRun/fusesParameter``).
    let fusesParameter: [Bool]
    /// Gradient fan-in of each node's output wire (``NodeRun/gradientFanIn``).
    let gradientFanIn: [GradientFanIn]
    /// Wire arguments of each node.
    let arity: [Int32]
    /// File node at each plan position: sorted by (level, plan op, arity, live first, fan-in with
    /// programs last, fused last, file index).
    let order: [Int]
    /// Plan position of each file node (the inverse of ``order``).
    let planIndex: [Int32]
    /// Value rows of inputs and parameters, which come before the nodes' rows.
    let sourceCount: Int
    private let levels: [Int32]

    init(circuit c: Circuit) {
        let n = c.nodeCount
        sourceCount = c.inputCount + c.paramCount
        levels = c.nodeLevel
        (ops, constants, fusesParameter) = NodeOrder.fuseParameterMuls(c)
        gradientFanIn = (0..<n).map { NodeOrder.gradientFanIn(of: $0, in: c) }
        arity = (0..<n).map { Int32(c.argStart[$0 + 1] - c.argStart[$0]) }

        // Each node's sort key packed into two words, sorted with the node as the last key (one
        // contiguous array: the comparator reads no other array). high: level (bits 32–63), plan
        // op rank (0–9); low: arguments (32–63), dead (31), gradient fan-in rank (1–30), fused (0).
        var keyed = [SortKey]()
        keyed.reserveCapacity(n)
        for f in 0..<n {
            let high = UInt64(UInt32(c.nodeLevel[f])) << 32 | UInt64(ops[f].orderKey)
            var low = UInt64(UInt32(arity[f])) << 32
            if !c.nodeIsLive[f] { low |= 1 << 31 }
            low |= UInt64(gradientFanIn[f].orderKey(below: UInt32(1 << 29))) << 1
            if fusesParameter[f] { low |= 1 }
            keyed.append(SortKey(high: high, low: low, node: Int32(f)))
        }
        keyed.sort { ($0.high, $0.low, $0.node) < ($1.high, $1.low, $1.node) }
        let order = keyed.map { Int($0.node) }
        var planIndex = [Int32](repeating: 0, count: n)
        for (p, f) in order.enumerated() { planIndex[f] = Int32(p) }
        self.order = order
        self.planIndex = planIndex
    }

    /// A node's place in the plan order, packed: level and plan op, then arguments, liveness
    /// (live first), gradient fan-in and whether it fuses its parameter.
    private struct SortKey {
        var high: UInt64
        var low: UInt64
        var node: Int32
    }

    /// A two-argument `mul` with exactly one parameter argument becomes a parameter mul that
    /// carries the parameter's value as its number.
    private static func fuseParameterMuls(_ c: Circuit) -> (ops: [PlanOp], constants: [Double], fuses: [Bool]) {
        let sources = c.inputCount + c.paramCount
        func paramIndex(ofArgument w: Int32) -> Int? {
            let v = Int(c.wireValue[Int(w)])
            return v >= c.inputCount && v < sources ? v - c.inputCount : nil
        }
        var ops = c.ops.map { PlanOp.circuit($0) }
        var constants = Array(c.constants)
        var fuses = [Bool](repeating: false, count: c.nodeCount)
        for f in 0..<c.nodeCount where c.ops[f] == .mul {
            let args = c.arguments(of: f)
            guard args.count == 2 else { continue }
            let first = paramIndex(ofArgument: args[args.startIndex])
            let second = paramIndex(ofArgument: args[args.startIndex + 1])
            guard (first == nil) != (second == nil) else { continue }
            let q = first ?? second!
            ops[f] = .mulParameter(first: first != nil)
            constants[f] = c.paramValues[q]
            // A parameter used once, by this node, gets its whole per-sample gradient here: the
            // node can sum it over the block's lanes right away (while the row is hot).
            // (The parameter's own wire is read by a node, not by a splitter.)
            if c.isReadByNode(c.inputCount + q) { fuses[f] = c.nodeIsLive[f] }
        }
        return (ops, constants, fuses)
    }

    /// See ``NodeRun/gradientFanIn``.
    private static func gradientFanIn(of f: Int, in c: Circuit) -> GradientFanIn {
        guard c.nodeIsLive[f], c.ops[f] != .const, let s = c.splitter(consuming: c.nodeWire(f)) else { return .none }
        let outs = c.outputs(ofSplitter: s)
        for o in outs where c.splitter(consuming: o) != nil { return .program }
        return .rows(Int32(outs.count))
    }

    /// The value row of value wire `w` (inputs and parameters, then plan nodes in plan order).
    func valueRow(ofValueWire w: Int) -> Int32 {
        w < sourceCount ? Int32(w) : Int32(sourceCount) + planIndex[w - sourceCount]
    }

    /// The level of the node (0 for inputs and parameters) whose value is in row `r`.
    func level(ofValueRow r: Int32) -> Int { Int(r) < sourceCount ? 0 : Int(levels[order[Int(r) - sourceCount]]) }
}
