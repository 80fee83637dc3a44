/// A circuit compiled once into flat arrays for the engine's sweeps.
///
/// **Node order.** Function nodes are renumbered by (level, op, live before dead, file index):
/// a level's nodes are contiguous and each op forms one run, so a kernel loops over a run
/// without branching on the op. "Plan node `p`" means the node at position `p` in that order.
///
/// **Value rows** (one per value wire): inputs, parameters, then plan nodes in plan order.
///
/// **Gradient slots** (one per wire use, each with exactly one writer): argument position `j`
/// of a live node (written by that node's backward) and the sum of each splitter. Row 0 is
/// always +0.0 (wires nobody live reads), row 1 is always 1 (the `output` line's seed). A slot
/// only lives from the level that writes it down to the level that reads it, so physical rows
/// are reused (``argumentSlotRow``, ``splitterSlotRow``): the hot rows stay in cache.
///
/// **Splitter sums.** Before its backward a live node computes the sums of the splitters on
/// its output wire, children first (post-order), each as `s = g0; s += g1; …` in output order.
/// Inputs and parameters do the same after the whole backward sweep.
public struct ExecutionPlan: Sendable {
    /// Number of input wires.
    public let inputCount: Int
    /// Number of parameter wires.
    public let paramCount: Int
    /// Number of function nodes.
    public let nodeCount: Int
    /// Number of splitters.
    public let splitterCount: Int

    /// The file index of plan node `p`.
    public let fileIndexOfPlanNode: [Int32]
    /// Op code of plan node `p`.
    let op: [UInt8]
    /// CSR offsets into ``argumentRow``: plan node `p` reads `argumentRow[argumentStart[p]..<argumentStart[p+1]]`.
    let argumentStart: [Int32]
    /// Value row of each argument (splitter outputs already replaced by the wire they copy).
    let argumentRow: [Int32]
    /// The number literal of each plan node.
    let constant: [Double]
    /// Slot row holding the gradient that arrives on plan node `p`'s output wire (live nodes).
    let upstreamRow: [Int32]
    /// Level of each plan node.
    let level: [Int32]
    /// Whether plan node `p` is live (dead nodes are not run backward).
    let isLive: [Bool]

    /// CSR offsets into ``reductionSplitters``: the splitters plan node `p` sums before its backward.
    let reductionStart: [Int32]
    /// Splitter ids, post-order per node.
    let reductionSplitters: [Int32]
    /// For a parameter mul that is its parameter's only use, the parameter index (else -1):
    /// that node sums the parameter's gradient over a full block's lanes itself.
    let fusedParameter: [Int32]
    /// Whether parameter `q`'s block sum is made by its node (``fusedParameter``) for full blocks.
    let parameterSummedByNode: [Bool]
    /// CSR offsets into ``reductionProgram``, per plan node.
    let reductionProgramStart: [Int32]
    /// Plan node `p`'s splitter sums as one sequential program, in plan order: per splitter
    /// (post-order) `count, target slot row, source slot rows…` (physical rows), so the
    /// backward sweep reads it front to back instead of jumping through per-splitter tables.
    let reductionProgram: [Int32]
    /// CSR offsets into ``splitterSumSources``, per splitter.
    let splitterSumStart: [Int32]
    /// The slot rows summed into each splitter's row, in output order.
    let splitterSumSources: [Int32]
    /// CSR offsets into ``finalReductionSplitters``: splitters summed for input/param wire `w`
    /// (`w < inputCount + paramCount`) after the backward sweep.
    let finalReductionStart: [Int32]
    /// Splitter ids, post-order per input or parameter wire.
    let finalReductionSplitters: [Int32]
    /// Slot row carrying the gradient of input/parameter wire `w`.
    let sourceGradientRow: [Int32]

    /// The slot row argument position `j` writes its contribution into (0 for dead nodes).
    let argumentSlotRow: [Int32]
    /// The slot row holding splitter `s`'s sum.
    let splitterSlotRow: [Int32]
    /// Number of slot rows after reuse (zero row and seed row included).
    let physicalSlotRowCount: Int

    /// Value row carrying the circuit's output.
    let outputValueRow: Int32
    /// Parameter values (broadcast into their rows once per workspace).
    let paramValues: [Double]

    /// Plan op code of a two-argument `mul` whose first argument is a parameter (its value in ``constant``).
    static let mulParameterFirst: UInt8 = 200
    /// Plan op code of a two-argument `mul` whose second argument is a parameter (its value in ``constant``).
    static let mulParameterSecond: UInt8 = 201
    /// The circuit op a plan op code computes.
    static func circuitOp(_ code: UInt8) -> Op {
        code == mulParameterFirst || code == mulParameterSecond ? .mul : Op(rawValue: code)!
    }

    /// The first slot row of argument positions.
    static let firstArgumentSlotRow = 2
    /// Number of value rows (inputs, parameters, nodes).
    public var valueRowCount: Int { inputCount + paramCount + nodeCount }
    /// Number of slot rows (zero row, seed row, argument positions, splitter sums).
    public var slotRowCount: Int { physicalSlotRowCount }
    /// The value row of plan node `p`.
    @inline(__always) func valueRow(ofPlanNode p: Int) -> Int { inputCount + paramCount + p }

    /// Whether slot rows are reused by lifetime (see the type's notes). Without reuse every
    /// slot has its own row, so the workers of one level write disjoint, contiguous rows.
    public let reusesSlotRows: Bool

    /// Compiles `circuit`; `reuseSlotRows` chooses the slot-row layout.
    public init(circuit c: Circuit, reuseSlotRows: Bool = true) {
        reusesSlotRows = reuseSlotRows
        let n = c.nodeCount
        inputCount = c.inputCount
        paramCount = c.paramCount
        nodeCount = n
        splitterCount = c.splitterCount
        paramValues = c.paramValues

        // 0. Plan op codes: a two-argument `mul` with exactly one parameter argument becomes
        // a kernel that reads the parameter as one number (its value is fixed at plan time)
        // instead of a broadcast row: it reads and writes far fewer rows (an MLP's weights).
        let sourceCount = c.inputCount + c.paramCount
        func paramArgument(_ w: Int32) -> Bool {
            let v = Int(c.wireValue[Int(w)])
            return v >= c.inputCount && v < sourceCount
        }
        var planOps = c.ops.map { $0.rawValue }
        var planConstants = c.constants
        for f in 0..<n where c.ops[f] == .mul {
            let args = c.arguments(of: f)
            guard args.count == 2 else { continue }
            let first = paramArgument(args[args.startIndex]), second = paramArgument(args[args.startIndex + 1])
            if first != second {
                let param = Int(c.wireValue[Int(first ? args[args.startIndex] : args[args.startIndex + 1])]) - c.inputCount
                planOps[f] = first ? ExecutionPlan.mulParameterFirst : ExecutionPlan.mulParameterSecond
                planConstants[f] = c.paramValues[param]
            }
        }

        // 1. Order: (level, plan op, live first, file index).
        var order = Array(0..<n)
        order.sort { a, b in
            let la = c.nodeLevel[a], lb = c.nodeLevel[b]
            if la != lb { return la < lb }
            let oa = planOps[a], ob = planOps[b]
            if oa != ob { return oa < ob }
            let da = c.nodeIsLive[a] ? 0 : 1, db = c.nodeIsLive[b] ? 0 : 1
            if da != db { return da < db }
            return a < b
        }
        var planIndex = [Int32](repeating: 0, count: n)
        for (p, f) in order.enumerated() { planIndex[f] = Int32(p) }
        fileIndexOfPlanNode = order.map { Int32($0) }

        let sources = c.inputCount + c.paramCount
        func valueRow(ofValueWire w: Int) -> Int32 {
            w < sources ? Int32(w) : Int32(sources) + planIndex[w - sources]
        }

        // 2. Arguments in plan order.
        var argStart = [Int32](repeating: 0, count: n + 1)
        var argRow = [Int32]()
        argRow.reserveCapacity(c.args.count)
        var planArgStartOfFileNode = [Int32](repeating: 0, count: n)
        var ops = [UInt8](repeating: 0, count: n)
        var consts = [Double](repeating: 0, count: n)
        var levels = [Int32](repeating: 0, count: n)
        var live = [Bool](repeating: false, count: n)
        for (p, f) in order.enumerated() {
            argStart[p] = Int32(argRow.count)
            planArgStartOfFileNode[f] = Int32(argRow.count)
            for a in c.arguments(of: f) { argRow.append(valueRow(ofValueWire: Int(c.wireValue[Int(a)]))) }
            ops[p] = planOps[f]
            consts[p] = planConstants[f]
            levels[p] = c.nodeLevel[f]
            live[p] = c.nodeIsLive[f]
        }
        argStart[n] = Int32(argRow.count)
        let argumentCount = argRow.count

        // 3. Slot rows of wires, by consumer.
        func slotRow(ofWire w: Int) -> Int32 {
            let code = c.wireConsumerCode[w]
            if code >= 0 {
                // Position in the circuit's args: find the file node, then map to the plan position.
                var lo = 0, hi = n
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2
                    if Int(c.argStart[mid]) <= Int(code) { lo = mid } else { hi = mid }
                }
                if !c.nodeIsLive[lo] { return 0 }   // a dead consumer contributes +0.0
                let position = Int(code) - Int(c.argStart[lo])
                return Int32(ExecutionPlan.firstArgumentSlotRow) + planArgStartOfFileNode[lo] + Int32(position)
            }
            switch code {
            case -1: return 0
            case -2: return 1
            default: return Int32(ExecutionPlan.firstArgumentSlotRow + argumentCount) + (-3 - code)
            }
        }
        var sumStart = [Int32](repeating: 0, count: c.splitterCount + 1)
        var sumSources = [Int32]()
        for s in 0..<c.splitterCount {
            sumStart[s] = Int32(sumSources.count)
            for o in c.outputs(ofSplitter: s) { sumSources.append(slotRow(ofWire: o)) }
        }
        sumStart[c.splitterCount] = Int32(sumSources.count)

        // Post-order list of splitters hanging off a wire.
        func appendReductions(ofWire w: Int, into list: inout [Int32]) {
            let code = c.wireConsumerCode[w]
            guard code <= -3 else { return }
            let s = Int(-3 - code)
            for o in c.outputs(ofSplitter: s) { appendReductions(ofWire: o, into: &list) }
            list.append(Int32(s))
        }

        var upstream = [Int32](repeating: 0, count: n)
        var redStart = [Int32](repeating: 0, count: n + 1)
        var redList = [Int32]()
        for (p, f) in order.enumerated() {
            redStart[p] = Int32(redList.count)
            let w = c.nodeWire(f)
            upstream[p] = slotRow(ofWire: w)
            if live[p] && ops[p] != Op.const.rawValue { appendReductions(ofWire: w, into: &redList) }
        }
        redStart[n] = Int32(redList.count)

        var finalStart = [Int32](repeating: 0, count: sources + 1)
        var finalList = [Int32]()
        var sourceRows = [Int32](repeating: 0, count: sources)
        for w in 0..<sources {
            finalStart[w] = Int32(finalList.count)
            appendReductions(ofWire: w, into: &finalList)
            sourceRows[w] = slotRow(ofWire: w)
        }
        finalStart[sources] = Int32(finalList.count)

        // 4. Physical rows. A slot lives from the level that writes it down to the level that
        // reads it (the level of the value wire it carries the gradient of); rows freed by the
        // reads of one level are reused, last freed first, by the writes of lower levels only,
        // so no row is written in the level (or parallel segment) that still reads it.
        let virtualCount = ExecutionPlan.firstArgumentSlotRow + argumentCount + c.splitterCount
        let levelCount = c.levelCount
        func levelOfValueRow(_ r: Int32) -> Int { Int(r) < sources ? 0 : Int(levels[Int(r) - sources]) }
        var writesAt = [[Int32]](repeating: [], count: levelCount + 1)
        var readsAt = [[Int32]](repeating: [], count: levelCount + 1)
        for p in stride(from: n - 1, through: 0, by: -1) where live[p] {
            for j in Int(argStart[p])..<Int(argStart[p + 1]) {
                let v = Int32(ExecutionPlan.firstArgumentSlotRow + j)
                writesAt[Int(levels[p])].append(v)
                readsAt[levelOfValueRow(argRow[j])].append(v)
            }
        }
        var reduced = [Bool](repeating: false, count: c.splitterCount)
        for sp in redList { reduced[Int(sp)] = true }
        for sp in finalList { reduced[Int(sp)] = true }
        for sp in 0..<c.splitterCount where reduced[sp] {
            let v = Int32(ExecutionPlan.firstArgumentSlotRow + argumentCount + sp)
            let l = levelOfValueRow(valueRow(ofValueWire: Int(c.wireValue[Int(c.splitterSource[sp])])))
            writesAt[l].append(v)
            readsAt[l].append(v)
        }
        var physical = [Int32](repeating: 0, count: virtualCount)
        physical[1] = 1
        var free = [Int32]()
        var nextRow = Int32(ExecutionPlan.firstArgumentSlotRow)
        for l in stride(from: levelCount, through: 0, by: -1) where reuseSlotRows {
            for v in writesAt[l] {
                if let r = free.popLast() { physical[Int(v)] = r } else { physical[Int(v)] = nextRow; nextRow += 1 }
            }
            for v in readsAt[l].reversed() { free.append(physical[Int(v)]) }
        }
        if !reuseSlotRows {
            // Argument slots in plan order; splitter sums in the order they are reduced (plan
            // order of their producers), so each worker of a level writes its own stretch of rows.
            for p in 0..<n where live[p] {
                for j in Int(argStart[p])..<Int(argStart[p + 1]) {
                    physical[ExecutionPlan.firstArgumentSlotRow + j] = Int32(ExecutionPlan.firstArgumentSlotRow + j)
                }
            }
            nextRow = Int32(ExecutionPlan.firstArgumentSlotRow + argumentCount)
            for sp in redList + finalList {
                physical[ExecutionPlan.firstArgumentSlotRow + argumentCount + Int(sp)] = nextRow
                nextRow += 1
            }
        }
        physicalSlotRowCount = Int(nextRow)
        argumentSlotRow = (0..<argumentCount).map { physical[ExecutionPlan.firstArgumentSlotRow + $0] }
        splitterSlotRow = (0..<c.splitterCount).map { physical[ExecutionPlan.firstArgumentSlotRow + argumentCount + $0] }
        upstream = upstream.map { physical[Int($0)] }
        sumSources = sumSources.map { physical[Int($0)] }
        sourceRows = sourceRows.map { physical[Int($0)] }

        var programStart = [Int32](repeating: 0, count: n + 1)
        var program = [Int32]()
        for p in 0..<n {
            programStart[p] = Int32(program.count)
            for sp in redList[Int(redStart[p])..<Int(redStart[p + 1])] {
                let a = Int(sumStart[Int(sp)]), e = Int(sumStart[Int(sp) + 1])
                program.append(Int32(e - a))
                program.append(splitterSlotRow[Int(sp)])
                program.append(contentsOf: sumSources[a..<e])
            }
        }
        programStart[n] = Int32(program.count)
        reductionProgramStart = programStart
        reductionProgram = program

        // A parameter used once, by a parameter mul, gets its whole per-sample gradient from that
        // node: the node can sum it over the block's lanes right away (while the row is hot).
        var fused = [Int32](repeating: -1, count: n)
        var fusedFlags = [Bool](repeating: false, count: c.paramCount)
        for p in 0..<n where live[p] && (ops[p] == ExecutionPlan.mulParameterFirst || ops[p] == ExecutionPlan.mulParameterSecond) {
            let position = Int(argStart[p]) + (ops[p] == ExecutionPlan.mulParameterFirst ? 0 : 1)
            let q = Int(argRow[position]) - c.inputCount
            if Int(c.wireConsumerCode[c.inputCount + q]) >= 0 {   // consumed directly by a node, no splitter
                fused[p] = Int32(q)
                fusedFlags[q] = true
            }
        }
        fusedParameter = fused
        parameterSummedByNode = fusedFlags

        op = ops
        argumentStart = argStart
        argumentRow = argRow
        constant = consts
        upstreamRow = upstream
        level = levels
        isLive = live
        reductionStart = redStart
        reductionSplitters = redList
        splitterSumStart = sumStart
        splitterSumSources = sumSources
        finalReductionStart = finalStart
        finalReductionSplitters = finalList
        sourceGradientRow = sourceRows
        outputValueRow = valueRow(ofValueWire: Int(c.wireValue[Int(c.outputWire)]))
    }

    /// Bytes of plan arrays per function node, splitter data included (for reports).
    public var bytesPerNode: Double {
        let perNode: Int = op.count + isLive.count + constant.count * 8
        let int32Counts: [Int] = [
            argumentStart.count, argumentRow.count, argumentRow.count, splitterSlotRow.count,
            upstreamRow.count, level.count, argumentSlotRow.count, reductionProgramStart.count,
            reductionProgram.count, finalReductionSplitters.count, splitterSumStart.count,
            splitterSumSources.count, fileIndexOfPlanNode.count, fusedParameter.count,
        ]
        let bytes = perNode + 4 * int32Counts.reduce(0, +)
        return nodeCount == 0 ? 0 : Double(bytes) / Double(nodeCount)
    }
}
