extension ExecutionPlan {
    /// The parameters whose broadcast value rows some kernel reads, ascending: an argument of
    /// any node other than in the parameter position of a fused parameter `mul` (which reads
    /// the parameter as one number, ``constants``), or the output. A parameter read only by
    /// fused muls needs no row, so new parameter values need not be broadcast into one.
    func parametersReadFromRows() -> [Int] {
        var read = [Bool](repeating: false, count: paramCount)
        func mark(_ row: Int32) {
            let q = Int(row) - inputCount
            if q >= 0 && q < paramCount { read[q] = true }
        }
        for run in runs {
            let k = Int(run.arity), skipped = run.op.parameterPosition
            for i in 0..<run.count {
                for j in 0..<k where j != skipped { mark(tables.argumentRow[Int(run.argumentBase) + k * i + j]) }
            }
        }
        mark(outputValueRow)
        return read.indices.filter { read[$0] }
    }

    /// Where each fused parameter `mul` keeps its parameter as one number: for every such node,
    /// the position in ``PlanTables/constants`` and the parameter it holds, in plan order. New
    /// parameter values are written through this list (one pass, no walk over the runs).
    func fusedParameterConstants() -> (positions: [Int32], parameters: [Int32]) {
        var positions: [Int32] = [], parameters: [Int32] = []
        for run in runs {
            guard let position = run.op.parameterPosition else { continue }
            for i in 0..<run.count {
                positions.append(run.constantBase + Int32(i))
                parameters.append(tables.argumentRow[Int(run.argumentBase) + 2 * i + position] - Int32(inputCount))
            }
        }
        return (positions, parameters)
    }
}
