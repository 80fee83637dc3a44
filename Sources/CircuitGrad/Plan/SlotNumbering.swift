/// A stage of ``ExecutionPlan/init(circuit:reuseSlotRows:)``: every gradient slot gets a
/// *virtual* row before rows are shared (``SlotRowAllocator``): 0 (+0.0), 1 (the seed), one per
/// argument position, then one per splitter. Pass-through nodes' argument slots are aliased to
/// their upstream slot (``representative``), and the splitters to sum are listed in the order
/// their sums run.
struct SlotNumbering {
    /// The first slot row of argument positions.
    static let firstArgumentSlot = 2
    /// The virtual row of splitter 0's sum.
    let firstSplitterSlot: Int
    /// Number of virtual rows.
    var count: Int { firstSplitterSlot + circuit.splitterCount }
    /// The virtual row whose physical row each virtual row shares (itself, or for an argument
    /// slot of a live pass-through node, the slot its upstream gradient arrives in).
    private(set) var representative: [Int32]
    /// Splitters summed by their producing node before its backward, in plan order of the
    /// nodes, children first.
    private(set) var reducedByNode: [Int32] = []
    /// Splitters on input and parameter wires, summed after the backward sweep, in wire order.
    private(set) var reducedAfterSweep: [Int32] = []

    /// Physical rows a layout without reuse needs: every virtual row but those of splitters
    /// nobody sums.
    var rowCountWithoutReuse: Int { firstSplitterSlot + reducedByNode.count + reducedAfterSweep.count }

    private let circuit: Circuit
    /// ``slot(ofWire:)`` of every wire, worked out once (``Circuit/consumer(of:)`` searches the
    /// argument starts for a consuming node, and the plan asks for most wires more than once).
    private let wireSlot: [Int32]

    init(circuit c: Circuit, order o: NodeOrder, layout: RunLayout) {
        circuit = c
        firstSplitterSlot = SlotNumbering.firstArgumentSlot + layout.argumentRow.count
        wireSlot = SlotNumbering.wireSlots(c, argumentStartOfFileNode: layout.argumentStartOfFileNode,
                                           firstSplitterSlot: firstSplitterSlot)
        representative = (0..<(firstSplitterSlot + c.splitterCount)).map { Int32($0) }
        var byNode: [Int32] = [], afterSweep: [Int32] = []
        for f in o.order where o.gradientFanIn[f] != .none { appendReductions(ofWire: c.nodeWire(f), into: &byNode) }
        for w in 0..<o.sourceCount { appendReductions(ofWire: w, into: &afterSweep) }
        reducedByNode = byNode
        reducedAfterSweep = afterSweep
        aliasPassThroughSlots(order: o, runs: layout.runs)
    }

    /// The virtual slot row that receives the gradient of wire `w` from its consumer.
    func slot(ofWire w: Int) -> Int32 { wireSlot[w] }

    /// Every wire's slot: its live consuming node's argument slot (a dead consumer contributes
    /// +0.0, row 0), 0 for no consumer, 1 for the `output` line, or its splitter's sum.
    private static func wireSlots(_ c: Circuit, argumentStartOfFileNode: [Int32], firstSplitterSlot: Int) -> [Int32] {
        var slots = [Int32](repeating: 0, count: c.wireCount)
        slots[Int(c.outputWire)] = 1
        for (s, source) in c.splitterSource.enumerated() { slots[Int(source)] = Int32(firstSplitterSlot + s) }
        for f in 0..<c.nodeCount where c.nodeIsLive[f] {
            let first = Int32(SlotNumbering.firstArgumentSlot) + argumentStartOfFileNode[f]
            for (position, a) in c.arguments(of: f).enumerated() { slots[Int(a)] = first + Int32(position) }
        }
        return slots
    }

    /// The virtual row of splitter `s`'s sum.
    func slot(ofSplitter s: Int32) -> Int { firstSplitterSlot + Int(s) }

    /// Appends the splitters hanging off wire `w`, children first.
    func appendReductions(ofWire w: Int, into list: inout [Int32]) {
        guard let s = circuit.splitter(consuming: w) else { return }
        for o in circuit.outputs(ofSplitter: s) { appendReductions(ofWire: o, into: &list) }
        list.append(Int32(s))
    }

    /// Pass-through: a live `add` or `offset` contributes upstream × 1 to each argument, which
    /// is upstream itself, bit for bit. So its argument slots are not rows of their own: they are
    /// its upstream slot, and its backward writes nothing. Resolved from the highest level down,
    /// so a chain of adds ends at the slot their last consumer writes.
    private mutating func aliasPassThroughSlots(order o: NodeOrder, runs: [NodeRun]) {
        for run in runs.reversed() where run.passesGradientThrough {
            for p in (Int(run.start)..<Int(run.end)).reversed() {
                let upstreamSlot = representative[Int(slot(ofWire: circuit.nodeWire(o.order[p])))]
                let a = Int(run.argumentBase) + (p - Int(run.start)) * Int(run.arity)
                for j in a..<(a + Int(run.arity)) { representative[SlotNumbering.firstArgumentSlot + j] = upstreamSlot }
            }
        }
    }
}
