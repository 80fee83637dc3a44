/// A circuit compiled once into flat arrays for the engine's sweeps.
///
/// **Node order and runs.** Function nodes are renumbered by (level, op, number of arguments,
/// live before dead, gradient fan-in, file index), so the plan is a sequence of ``NodeRun``s:
/// stretches in which every node has the same op, argument count and gradient shape. A kernel
/// runs a whole run without a per-node branch, and every per-node index is computed from the
/// node's position in its run instead of being stored (no per-node op, level, argument start,
/// or reduction-program offset). "Plan node `p`" means the node at position `p` in that order.
///
/// **Value rows** (one per value wire): inputs, parameters, then plan nodes in plan order.
///
/// **Gradient slots** (one per wire use, each with exactly one writer): argument position `j`
/// of a live node (written by that node's backward) and the sum of each splitter. Row 0 is
/// always +0.0 (wires nobody live reads), row 1 is always 1 (the `output` line's seed). A slot
/// only lives from the level that writes it down to the level that reads it, so physical rows
/// are reused (``argumentSlotRow``, ``reusesSlotRows``): the hot rows stay in cache.
///
/// **Splitter sums.** Before its backward a live node completes the gradient of its output
/// wire: one splitter with k outputs is summed `s = g0; s += g1; …` in output order into the
/// node's upstream row (``gradientSources``, k rows per node); splitters of splitters run a
/// small program, children first (``program``). Inputs and parameters run ``sourceProgram``
/// after the whole backward sweep.
package struct ExecutionPlan: Sendable {
    /// Number of input wires.
    package let inputCount: Int
    /// Number of parameter wires.
    package let paramCount: Int
    /// Number of function nodes.
    package let nodeCount: Int
    /// Number of splitters.
    package let splitterCount: Int

    /// The plan's nodes as maximal runs, in plan order (levels ascending).
    let runs: [NodeRun]
    /// Value row of each argument, by argument position (plan order; splitter outputs already
    /// replaced by the wire they copy).
    let argumentRow: [Int32]
    /// The slot row each argument position writes its contribution into (0 for dead nodes).
    let argumentSlotRow: [Int32]
    /// The numbers of nodes whose op takes one (and parameter muls: the parameter's value), in plan order.
    let constants: [Double]
    /// Slot row holding the gradient that arrives on plan node `p`'s output wire (live nodes).
    let upstreamRow: [Int32]
    /// For nodes of runs with gradient fan-in k ≥ 2: k slot rows each, summed in this order
    /// into the node's upstream row.
    let gradientSources: [Int32]
    /// CSR offsets into ``program``, one per node of runs that need a program (+1 at the end).
    let programStart: [Int32]
    /// Reduction programs: per splitter, children first, `count, target row, source rows…`.
    let program: [Int32]
    /// The reduction program of splitters on input and parameter wires, run after the backward sweep.
    let sourceProgram: [Int32]
    /// Slot row carrying the gradient of input/parameter wire `w`.
    let sourceGradientRow: [Int32]
    /// Whether parameter `q`'s block sum is made by its node (``NodeRun/fusesParameter``) for full blocks.
    let parameterSummedByNode: [Bool]
    /// Number of slot rows after reuse (zero row and seed row included).
    let physicalSlotRowCount: Int
    /// Number of slot rows of the same circuit's plan without reuse (one per argument position
    /// and per summed splitter), so a report can size the level strategy's rows without building it.
    let slotRowCountWithoutReuse: Int

    /// Value row carrying the circuit's output.
    let outputValueRow: Int32
    /// Parameter values (broadcast into their rows once per workspace).
    let paramValues: [Double]

    /// Plan op code of a two-argument `mul` whose first argument is a parameter (its value in ``constants``).
    static let mulParameterFirst: UInt8 = 200
    /// Plan op code of a two-argument `mul` whose second argument is a parameter (its value in ``constants``).
    static let mulParameterSecond: UInt8 = 201
    /// ``NodeRun/gradientFanIn`` of nodes whose output gradient needs a reduction program.
    static let programFanIn: Int32 = -1
    /// The circuit op a plan op code computes.
    static func circuitOp(_ code: UInt8) -> Op {
        code == mulParameterFirst || code == mulParameterSecond ? .mul : Op(rawValue: code)!
    }
    /// Whether nodes of plan op `code` carry a number in ``constants``.
    static func takesConstant(_ code: UInt8) -> Bool {
        code >= mulParameterFirst || Op(rawValue: code)!.takesConstant
    }

    /// The first slot row of argument positions.
    static let firstArgumentSlotRow = 2
    /// Number of value rows (inputs, parameters, nodes).
    package var valueRowCount: Int { inputCount + paramCount + nodeCount }
    /// Number of slot rows (zero row, seed row, argument positions, splitter sums).
    package var slotRowCount: Int { physicalSlotRowCount }
    /// Number of argument positions (wire uses by function nodes).
    package var argumentCount: Int { argumentRow.count }
    /// The value row of plan node `p`.
    @inline(__always) func valueRow(ofPlanNode p: Int) -> Int { inputCount + paramCount + p }

    /// Whether slot rows are reused by lifetime (see the type's notes). Without reuse every
    /// slot has its own row, so the workers of one level write disjoint, contiguous rows.
    package let reusesSlotRows: Bool

    /// Compiles `circuit`; `reuseSlotRows` chooses the slot-row layout.
    package init(circuit c: Circuit, reuseSlotRows: Bool = true) {
        reusesSlotRows = reuseSlotRows
        let n = c.nodeCount
        let sources = c.inputCount + c.paramCount
        inputCount = c.inputCount
        paramCount = c.paramCount
        nodeCount = n
        splitterCount = c.splitterCount
        paramValues = c.paramValues

        // 0. Plan op codes: a two-argument `mul` with exactly one parameter argument becomes
        // a kernel that reads the parameter as one number (its value is fixed at plan time)
        // instead of a broadcast row: it reads and writes far fewer rows (an MLP's weights).
        func paramIndex(ofArgument w: Int32) -> Int? {
            let v = Int(c.wireValue[Int(w)])
            return v >= c.inputCount && v < sources ? v - c.inputCount : nil
        }
        var planOps = c.ops.map { $0.rawValue }
        var planConstants = c.constants
        var fuses = [Bool](repeating: false, count: n)
        for f in 0..<n where c.ops[f] == .mul {
            let args = c.arguments(of: f)
            guard args.count == 2 else { continue }
            let first = paramIndex(ofArgument: args[args.startIndex])
            let second = paramIndex(ofArgument: args[args.startIndex + 1])
            guard (first == nil) != (second == nil) else { continue }
            let q = first ?? second!
            planOps[f] = first != nil ? ExecutionPlan.mulParameterFirst : ExecutionPlan.mulParameterSecond
            planConstants[f] = c.paramValues[q]
            // A parameter used once, by this node, gets its whole per-sample gradient here: the
            // node can sum it over the block's lanes right away (while the row is hot).
            // (The parameter's own wire is read by a node, not by a splitter.)
            fuses[f] = c.nodeIsLive[f] && Int(c.wireConsumerCode[c.inputCount + q]) >= 0
        }

        // 1. Gradient fan-in of each node's output wire (see NodeRun.gradientFanIn).
        func gradientFanIn(_ f: Int) -> Int32 {
            guard c.nodeIsLive[f], c.ops[f] != .const else { return 0 }
            let code = c.wireConsumerCode[c.nodeWire(f)]
            guard code <= -3 else { return 0 }
            let outs = c.outputs(ofSplitter: Int(-3 - code))
            for o in outs where c.wireConsumerCode[o] <= -3 { return ExecutionPlan.programFanIn }
            return Int32(outs.count)
        }
        let fanIn = (0..<n).map(gradientFanIn)
        let arity = (0..<n).map { Int32(c.argStart[$0 + 1] - c.argStart[$0]) }

        // 2. Order: (level, plan op, arity, live first, fan-in with programs last, fused, file index).
        func fanInKey(_ f: Int) -> Int32 { fanIn[f] == ExecutionPlan.programFanIn ? Int32.max : fanIn[f] }
        var order = Array(0..<n)
        order.sort { a, b in
            if c.nodeLevel[a] != c.nodeLevel[b] { return c.nodeLevel[a] < c.nodeLevel[b] }
            if planOps[a] != planOps[b] { return planOps[a] < planOps[b] }
            if arity[a] != arity[b] { return arity[a] < arity[b] }
            if c.nodeIsLive[a] != c.nodeIsLive[b] { return c.nodeIsLive[a] }
            if fanIn[a] != fanIn[b] { return fanInKey(a) < fanInKey(b) }
            if fuses[a] != fuses[b] { return !fuses[a] }
            return a < b
        }
        var planIndex = [Int32](repeating: 0, count: n)
        for (p, f) in order.enumerated() { planIndex[f] = Int32(p) }
        func valueRow(ofValueWire w: Int) -> Int32 {
            w < sources ? Int32(w) : Int32(sources) + planIndex[w - sources]
        }
        func level(ofValueRow r: Int32) -> Int { Int(r) < sources ? 0 : Int(c.nodeLevel[order[Int(r) - sources]]) }

        // 3. Arguments and numbers in plan order; runs (their source bases are set in step 6).
        var argRow = [Int32]()
        argRow.reserveCapacity(c.args.count)
        var planArgStartOfFileNode = [Int32](repeating: 0, count: n)
        var consts = [Double]()
        var runList: [NodeRun] = []
        for (p, f) in order.enumerated() {
            let key = (planOps[f], arity[f], c.nodeIsLive[f], fanIn[f], fuses[f], c.nodeLevel[f])
            if let last = runList.last, (last.op, last.arity, last.isLive, last.gradientFanIn, last.fusesParameter, last.level) == key {
                runList[runList.count - 1].end += 1
            } else {
                runList.append(NodeRun(
                    op: key.0, arity: key.1, gradientFanIn: key.3, isLive: key.2, fusesParameter: key.4, level: key.5,
                    start: Int32(p), end: Int32(p + 1), argumentBase: Int32(argRow.count),
                    constantBase: Int32(consts.count), sourceBase: 0))
            }
            planArgStartOfFileNode[f] = Int32(argRow.count)
            for a in c.arguments(of: f) { argRow.append(valueRow(ofValueWire: Int(c.wireValue[Int(a)]))) }
            if ExecutionPlan.takesConstant(planOps[f]) { consts.append(planConstants[f]) }
        }
        let argumentCount = argRow.count

        // 4. Virtual slot rows: 0, 1, argument positions, then one per splitter.
        let firstSplitterSlot = ExecutionPlan.firstArgumentSlotRow + argumentCount
        func slotRow(ofWire w: Int) -> Int32 {
            switch c.consumer(of: w) {
            case .node(let f, let position):
                // A dead consumer contributes +0.0.
                return c.nodeIsLive[f] ? Int32(ExecutionPlan.firstArgumentSlotRow) + planArgStartOfFileNode[f] + Int32(position) : 0
            case .none: return 0
            case .output: return 1
            case .splitter(let s): return Int32(firstSplitterSlot + s)
            }
        }
        /// Splitters hanging off wire `w`, children first.
        func appendReductions(ofWire w: Int, into list: inout [Int32]) {
            let code = c.wireConsumerCode[w]
            guard code <= -3 else { return }
            let s = Int(-3 - code)
            for o in c.outputs(ofSplitter: s) { appendReductions(ofWire: o, into: &list) }
            list.append(Int32(s))
        }
        var reducedByNode = [Int32]()     // in plan order of their nodes
        var reducedAfterSweep = [Int32]() // in wire order of inputs and parameters
        for f in order where fanIn[f] != 0 { appendReductions(ofWire: c.nodeWire(f), into: &reducedByNode) }
        for w in 0..<sources { appendReductions(ofWire: w, into: &reducedAfterSweep) }

        // 5. Pass-through: a live `add` or `offset` contributes upstream × 1 to each argument, which
        // is upstream itself, bit for bit. So its argument slots are not rows of their own: they are
        // its upstream slot (``representative``), and its backward writes nothing. Resolved from the
        // highest level down, so a chain of adds ends at the slot their last consumer writes.
        let virtualCount = firstSplitterSlot + c.splitterCount
        var representative = (0..<virtualCount).map { Int32($0) }
        func passesThrough(_ run: NodeRun) -> Bool {
            run.isLive && (run.op == Op.add.rawValue || run.op == Op.offset.rawValue)
        }
        for run in runList.reversed() where passesThrough(run) {
            for p in (Int(run.start)..<Int(run.end)).reversed() {
                let upstreamSlot = representative[Int(slotRow(ofWire: c.nodeWire(order[p])))]
                let a = Int(run.argumentBase) + (p - Int(run.start)) * Int(run.arity)
                for j in a..<(a + Int(run.arity)) { representative[ExecutionPlan.firstArgumentSlotRow + j] = upstreamSlot }
            }
        }

        // 6. Physical rows. A slot lives from the level that writes it down to the lowest level
        // that reads it (the level of the value wire it carries the gradient of, or lower through
        // pass-through nodes); rows freed by the reads of one level are reused, last freed first,
        // by the writes of lower levels only, so no row is written in the level (or parallel
        // segment) that still reads it.
        var physical = [Int32](repeating: 0, count: virtualCount)
        physical[1] = 1
        var nextRow = Int32(ExecutionPlan.firstArgumentSlotRow)
        if reuseSlotRows {
            var writeLevel = [Int32](repeating: -1, count: virtualCount)
            var readLevel = [Int32](repeating: Int32.max, count: virtualCount)
            var written: [Int32] = []
            for run in runList.reversed() where run.isLive {
                let through = passesThrough(run)
                for j in (Int(run.argumentBase)..<Int(run.argumentBase) + run.count * Int(run.arity)).reversed() {
                    let v = Int(representative[ExecutionPlan.firstArgumentSlotRow + j])
                    if !through { writeLevel[v] = run.level; written.append(Int32(v)) }
                    readLevel[v] = min(readLevel[v], Int32(level(ofValueRow: argRow[j])))
                }
            }
            for sp in reducedByNode + reducedAfterSweep {
                let v = firstSplitterSlot + Int(sp)
                let l = Int32(level(ofValueRow: valueRow(ofValueWire: Int(c.wireValue[Int(c.splitterSource[Int(sp)])]))))
                writeLevel[v] = l
                readLevel[v] = min(readLevel[v], l)
                written.append(Int32(v))
            }
            var writesAt = [[Int32]](repeating: [], count: c.levelCount + 1)
            var readsAt = [[Int32]](repeating: [], count: c.levelCount + 1)
            for v in written {
                writesAt[Int(writeLevel[Int(v)])].append(v)
                readsAt[Int(readLevel[Int(v)])].append(v)
            }
            var free = [Int32]()
            for l in stride(from: c.levelCount, through: 0, by: -1) {
                for v in writesAt[l] {
                    if let r = free.popLast() { physical[Int(v)] = r } else { physical[Int(v)] = nextRow; nextRow += 1 }
                }
                for v in readsAt[l].reversed() { free.append(physical[Int(v)]) }
            }
        } else {
            // Argument slots in plan order; splitter sums in the order they are reduced (plan
            // order of their producers), so each worker of a level writes its own stretch of rows.
            for run in runList where run.isLive && !passesThrough(run) {
                for j in Int(run.argumentBase)..<Int(run.argumentBase) + run.count * Int(run.arity) {
                    physical[ExecutionPlan.firstArgumentSlotRow + j] = Int32(ExecutionPlan.firstArgumentSlotRow + j)
                }
            }
            nextRow = Int32(firstSplitterSlot)
            for sp in reducedByNode + reducedAfterSweep {
                physical[firstSplitterSlot + Int(sp)] = nextRow
                nextRow += 1
            }
        }
        // Aliased slots take their representative's row.
        for v in 0..<virtualCount where representative[v] != Int32(v) { physical[v] = physical[Int(representative[v])] }
        physicalSlotRowCount = Int(nextRow)
        slotRowCountWithoutReuse = firstSplitterSlot + reducedByNode.count + reducedAfterSweep.count

        // 7. Per node: upstream row and gradient sources; runs get their source bases.
        var upstream = [Int32](repeating: 0, count: n)
        var flatSources = [Int32]()
        var starts = [Int32]()
        var prog = [Int32]()
        func appendProgram(ofWire w: Int, into out: inout [Int32]) {
            var list: [Int32] = []
            appendReductions(ofWire: w, into: &list)
            for sp in list {
                let outs = c.outputs(ofSplitter: Int(sp))
                out.append(Int32(outs.count))
                out.append(physical[firstSplitterSlot + Int(sp)])
                for o in outs { out.append(physical[Int(slotRow(ofWire: o))]) }
            }
        }
        for r in runList.indices {
            let run = runList[r]
            runList[r].sourceBase = Int32(run.gradientFanIn == ExecutionPlan.programFanIn ? starts.count : flatSources.count)
            for p in Int(run.start)..<Int(run.end) {
                let w = c.nodeWire(order[p])
                upstream[p] = physical[Int(slotRow(ofWire: w))]
                if run.gradientFanIn >= 2 {
                    let s = Int(-3 - c.wireConsumerCode[w])
                    for o in c.outputs(ofSplitter: s) { flatSources.append(physical[Int(slotRow(ofWire: o))]) }
                } else if run.gradientFanIn == ExecutionPlan.programFanIn {
                    starts.append(Int32(prog.count))
                    appendProgram(ofWire: w, into: &prog)
                }
            }
        }
        starts.append(Int32(prog.count))
        var afterSweep = [Int32]()
        for w in 0..<sources { appendProgram(ofWire: w, into: &afterSweep) }

        var argSlots = [Int32](repeating: 0, count: argumentCount)
        for run in runList where run.isLive {
            for j in Int(run.argumentBase)..<Int(run.argumentBase) + run.count * Int(run.arity) {
                argSlots[j] = physical[ExecutionPlan.firstArgumentSlotRow + j]
            }
        }
        var summedByNode = [Bool](repeating: false, count: c.paramCount)
        for run in runList where run.fusesParameter {
            let offset = run.op == ExecutionPlan.mulParameterFirst ? 0 : 1
            for i in 0..<run.count { summedByNode[Int(argRow[Int(run.argumentBase) + 2 * i + offset]) - c.inputCount] = true }
        }

        runs = runList
        argumentRow = argRow
        argumentSlotRow = argSlots
        constants = consts
        upstreamRow = upstream
        gradientSources = flatSources
        programStart = starts
        program = prog
        sourceProgram = afterSweep
        sourceGradientRow = (0..<sources).map { physical[Int(slotRow(ofWire: $0))] }
        parameterSummedByNode = summedByNode
        outputValueRow = valueRow(ofValueWire: Int(c.wireValue[Int(c.outputWire)]))
    }

    /// Bytes of plan arrays per function node, splitter data included (for reports).
    package var bytesPerNode: Double {
        let int32Count = argumentRow.count + argumentSlotRow.count + upstreamRow.count + gradientSources.count
            + programStart.count + program.count + sourceProgram.count + sourceGradientRow.count
        let bytes = 4 * int32Count + 8 * constants.count + parameterSummedByNode.count
            + runs.count * MemoryLayout<NodeRun>.stride
        return nodeCount == 0 ? 0 : Double(bytes) / Double(nodeCount)
    }
}

// MARK: Per-node views (reports and tests; the kernels work on runs)

extension ExecutionPlan {
    /// The run holding plan node `p`.
    func run(containing p: Int) -> NodeRun {
        var lo = 0, hi = runs.count
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if Int(runs[mid].start) <= p { lo = mid } else { hi = mid }
        }
        return runs[lo]
    }

    /// Plan op code of plan node `p`.
    func op(ofPlanNode p: Int) -> UInt8 { run(containing: p).op }

    /// Level of plan node `p`.
    func level(ofPlanNode p: Int) -> Int32 { run(containing: p).level }

    /// Whether plan node `p` is live.
    func isLive(planNode p: Int) -> Bool { run(containing: p).isLive }

    /// Argument positions of plan node `p` (indexes into ``argumentRow`` and ``argumentSlotRow``).
    func argumentPositions(ofPlanNode p: Int) -> Range<Int> {
        let r = run(containing: p)
        let a = Int(r.argumentBase) + (p - Int(r.start)) * Int(r.arity)
        return a..<(a + Int(r.arity))
    }

    /// Parameters whose block sums their own node makes (see ``NodeRun/fusesParameter``), ascending.
    var fusedParameters: [Int] { parameterSummedByNode.indices.filter { parameterSummedByNode[$0] } }

    /// Slot rows that receive a splitter's sum (one per reduced splitter), for layout checks.
    var splitterSumRows: [Int32] {
        var rows: [Int32] = []
        func targets(of program: [Int32], _ range: Range<Int>) {
            var r = range.lowerBound
            while r < range.upperBound {
                rows.append(program[r + 1])
                r += 2 + Int(program[r])
            }
        }
        for run in runs where run.gradientFanIn >= 2 {
            for p in Int(run.start)..<Int(run.end) { rows.append(upstreamRow[p]) }
        }
        if let first = programStart.first, let last = programStart.last { targets(of: program, Int(first)..<Int(last)) }
        targets(of: sourceProgram, 0..<sourceProgram.count)
        return rows
    }
}
