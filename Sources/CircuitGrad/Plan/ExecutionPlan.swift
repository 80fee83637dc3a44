/// A circuit compiled once into flat arrays for the engine's sweeps.
///
/// **Node order and runs.** Function nodes are renumbered by (level, op, number of arguments,
/// live before dead, gradient fan-in, file index), so the plan is a sequence of ``NodeRun``s:
/// stretches in which every node has the same op, argument count and gradient shape. A kernel
/// runs a whole run without a per-node branch, and every per-node index is computed from the
/// node's position in its run instead of being stored (no per-node op, level, argument start,
/// or reduction-program offset). "Plan node `p`" means the node at position `p` in that order.
///
/// **Value rows**: inputs, parameters, the rows live nodes keep from their forward for their
/// backward (``NodeRun/keptBase``, the same in every layout, so one ``LevelSchedule`` serves
/// them all), then the values some backward reads (or the output), one row each in plan order,
/// then the rows that the values only the forward reads share by lifetime
/// (``PlanTables/nodeValueRow``, ``ValueRowAllocator``; `reuseValueRows: false` gives every
/// node its own row).
///
/// **Gradient slots** (one per wire use, each with exactly one writer): argument position `j`
/// of a live node (written by that node's backward) and the sum of each splitter. Row 0 is
/// always +0.0 (wires nobody live reads), row 1 is always 1 (the `output` line's seed). A slot
/// only lives from the level that writes it down to the level that reads it, so physical rows
/// are reused (``PlanTables/argumentSlotRow``, ``reusesSlotRows``, ``SlotRowAllocator``): the
/// hot rows stay in cache.
///
/// **Splitter sums.** Before its backward a live node completes the gradient of its output
/// wire: one splitter with k outputs is summed `s = g0; s += g1; …` in output order into the
/// node's upstream row (``PlanTables/gradientSources``, k rows per node); splitters of
/// splitters run a small program, children first (``PlanTables/program``). Inputs and
/// parameters run ``PlanTables/sourceProgram`` after the whole backward sweep.
///
/// **Stages.** ``init(circuit:reuseSlotRows:reuseValueRows:)`` runs, in order: ``NodeOrder``
/// (plan ops with parameter muls fused, gradient fan-in, node order), ``RunLayout`` (runs,
/// argument rows, numbers), ``SlotNumbering`` (virtual slot rows, pass-through aliases, the
/// splitters to sum), ``SlotRowAllocator`` (physical rows), ``GradientSums`` (upstream rows and
/// splitter sums) and ``ValueRowAllocator`` (node value rows; argument rows renumbered).
/// The kernels' tables are ``PlanTables``, which ``PlanStorage`` copies into raw memory.
@dynamicMemberLookup
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
    /// The tables the kernels index (`plan.argumentRow` reads `plan.tables.argumentRow`).
    package let tables: PlanTables<[Int32], [Double]>
    /// Slot row carrying the gradient of input/parameter wire `w`.
    let sourceGradientRow: [Int32]
    /// Whether parameter `q`'s block sum is made by its node (``NodeRun/fusesParameter``) for full blocks.
    let parameterSummedByNode: [Bool]
    /// Number of slot rows after reuse (zero row and seed row included).
    let physicalSlotRowCount: Int
    /// Number of slot rows of the same circuit's plan without reuse (one per argument position
    /// and per summed splitter), so a report can size the level strategy's rows without building it.
    let slotRowCountWithoutReuse: Int
    /// The most wire arguments any node reads (at least 1).
    let maxArity: Int

    /// Value row carrying the circuit's output.
    let outputValueRow: Int32
    /// Parameter values (broadcast into their rows once per workspace).
    let paramValues: [Double]

    /// Number of rows live nodes keep from their forward for their backward (``OpRule/keptRows``).
    package let keptRowCount: Int
    /// Number of value rows (inputs, parameters, node rows, kept rows).
    package let valueRowCount: Int
    /// Number of value rows of the same circuit's plan without value-row reuse (one per node),
    /// so a report can size the level strategy's rows without building it.
    package var valueRowCountWithoutReuse: Int { inputCount + paramCount + nodeCount + keptRowCount }
    /// Number of slot rows (zero row, seed row, argument positions, splitter sums).
    package var slotRowCount: Int { physicalSlotRowCount }
    /// Number of argument positions (wire uses by function nodes).
    package var argumentCount: Int { tables.argumentRow.count }
    /// Whether slot rows are reused by lifetime (see the type's notes). Without reuse every
    /// slot has its own row, so the workers of one level write disjoint, contiguous rows.
    package let reusesSlotRows: Bool

    /// Compiles `circuit`; `reuseSlotRows` and `reuseValueRows` choose the row layouts.
    package init(circuit c: Circuit, reuseSlotRows: Bool = true, reuseValueRows: Bool = true) {
        reusesSlotRows = reuseSlotRows
        inputCount = c.inputCount
        paramCount = c.paramCount
        nodeCount = c.nodeCount
        splitterCount = c.splitterCount
        paramValues = c.paramValues

        // The stages, in order (see the type's notes).
        let order = NodeOrder(circuit: c)
        var layout = RunLayout(circuit: c, order: order)
        let slots = SlotNumbering(circuit: c, order: order, layout: layout)
        let rows = SlotRowAllocator(slots: slots, order: order, layout: layout, circuit: c, reuse: reuseSlotRows)
        let sums = GradientSums(circuit: c, order: order, slots: slots, rows: rows, runs: &layout.runs)
        sourceGradientRow = (0..<order.sourceCount).map { rows[slots.slot(ofWire: $0)] }   // the slots' last use
        physicalSlotRowCount = rows.rowCount
        slotRowCountWithoutReuse = slots.rowCountWithoutReuse

        let S = c.inputCount + c.paramCount
        let output = order.valueRow(ofValueWire: Int(c.wireValue[Int(c.outputWire)]))
        keptRowCount = Self.placeKeptRows(&layout.runs, firstRow: S)
        let values = ValueRowAllocator(runs: layout.runs, argumentRow: layout.argumentRow, outputRow: output, sourceCount: S,
                                       nodeCount: c.nodeCount, firstNodeRow: S + keptRowCount, reuse: reuseValueRows)
        for j in layout.argumentRow.indices { layout.argumentRow[j] = values.map(layout.argumentRow[j]) }
        outputValueRow = values.map(output)
        valueRowCount = S + keptRowCount + values.heldRowCount + values.sharedRowCount
        runs = layout.runs
        tables = PlanTables(
            argumentRow: layout.argumentRow, argumentSlotRow: rows.argumentSlotRows(layout), constants: layout.constants,
            upstreamRow: sums.upstreamRow, gradientSources: sums.gradientSources, programStart: sums.programStart,
            program: sums.program, sourceProgram: sums.sourceProgram, nodeValueRow: values.nodeValueRow)
        parameterSummedByNode = layout.parametersSummedByNode(circuit: c)
        maxArity = layout.runs.reduce(1) { max($0, Int($1.arity)) }
    }

    /// Gives the live runs of ops that keep rows (``OpRule/keptRows``) their ``NodeRun/keptBase``,
    /// rows numbered from `firstRow` in plan order; returns how many rows that takes.
    private static func placeKeptRows(_ runs: inout [NodeRun], firstRow: Int) -> Int {
        var next = firstRow
        for r in runs.indices where runs[r].isLive {
            guard case .circuit(let op) = runs[r].op, op.rule.keptRows > 0 else { continue }
            runs[r].keptBase = Int32(next)
            next += runs[r].count * op.rule.keptRows
        }
        return next - firstRow
    }

    @inline(__always)
    package subscript<T>(dynamicMember table: KeyPath<PlanTables<[Int32], [Double]>, T>) -> T { tables[keyPath: table] }

    /// Bytes of plan arrays per function node, splitter data included (for reports).
    package var bytesPerNode: Double {
        var bytes = 4 * sourceGradientRow.count + parameterSummedByNode.count + runs.count * MemoryLayout<NodeRun>.stride
        _ = tables.map(rows: { bytes += 4 * $0.count }, numbers: { bytes += 8 * $0.count })
        return nodeCount == 0 ? 0 : Double(bytes) / Double(nodeCount)
    }
}
