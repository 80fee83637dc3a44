/// Per-node views of a plan, for reports and tests (the kernels work on runs).
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

    /// Plan op of plan node `p`.
    func op(ofPlanNode p: Int) -> PlanOp { run(containing: p).op }

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
        for run in runs {
            guard case .rows = run.gradientFanIn else { continue }
            for p in Int(run.start)..<Int(run.end) { rows.append(tables.upstreamRow[p]) }
        }
        if let first = tables.programStart.first, let last = tables.programStart.last { targets(of: tables.program, Int(first)..<Int(last)) }
        targets(of: tables.sourceProgram, 0..<tables.sourceProgram.count)
        return rows
    }
}
