/// The last stage of ``ExecutionPlan/init(circuit:reuseSlotRows:)``: in physical rows, where
/// each live node finds its upstream gradient and how it completes it (the k rows it sums, or
/// its reduction program), and the program run after the sweep for inputs and parameters.
/// Sets each run's ``NodeRun/sourceBase``.
struct GradientSums {
    /// ``PlanTables/upstreamRow``.
    private(set) var upstreamRow: [Int32]
    /// ``PlanTables/gradientSources``.
    private(set) var gradientSources: [Int32] = []
    /// ``PlanTables/programStart``.
    private(set) var programStart: [Int32] = []
    /// ``PlanTables/program``.
    private(set) var program: [Int32] = []
    /// ``PlanTables/sourceProgram``.
    private(set) var sourceProgram: [Int32] = []

    init(circuit c: Circuit, order o: NodeOrder, slots: SlotNumbering, rows: SlotRowAllocator, runs: inout [NodeRun]) {
        upstreamRow = [Int32](repeating: 0, count: c.nodeCount)
        var sources: [Int32] = [], starts: [Int32] = [], program: [Int32] = []
        for r in runs.indices {
            let run = runs[r]
            runs[r].sourceBase = Int32(run.gradientFanIn == .program ? starts.count : sources.count)
            for p in Int(run.start)..<Int(run.end) {
                let w = c.nodeWire(o.order[p])
                upstreamRow[p] = rows[slots.slot(ofWire: w)]
                switch run.gradientFanIn {
                case .none: break
                case .rows:
                    guard let s = c.splitter(consuming: w) else { preconditionFailure("a summed gradient without a splitter") }
                    for out in c.outputs(ofSplitter: s) { sources.append(rows[slots.slot(ofWire: out)]) }
                case .program:
                    starts.append(Int32(program.count))
                    GradientSums.appendProgram(ofWire: w, c, slots, rows, into: &program)
                }
            }
        }
        starts.append(Int32(program.count))
        var afterSweep: [Int32] = []
        for w in 0..<o.sourceCount { GradientSums.appendProgram(ofWire: w, c, slots, rows, into: &afterSweep) }
        gradientSources = sources
        programStart = starts
        self.program = program
        sourceProgram = afterSweep
    }

    /// Appends the reduction program of the splitters hanging off wire `w`: per splitter,
    /// children first, `count, target row, source rows…`.
    private static func appendProgram(ofWire w: Int, _ c: Circuit, _ slots: SlotNumbering, _ rows: SlotRowAllocator,
                                      into out: inout [Int32]) {
        var list: [Int32] = []
        slots.appendReductions(ofWire: w, into: &list)
        for s in list {
            let outs = c.outputs(ofSplitter: Int(s))
            out.append(Int32(outs.count))
            out.append(rows.physical[slots.slot(ofSplitter: s)])
            for o in outs { out.append(rows[slots.slot(ofWire: o)]) }
        }
    }
}
