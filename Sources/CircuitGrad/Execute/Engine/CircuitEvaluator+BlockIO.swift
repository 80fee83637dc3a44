/// Block input and output of the engine: samples transposed into a block's lane rows, and the
/// block's values, input gradients and parameter sums transposed back (``LaneTranspose``).
extension CircuitEvaluator {
    /// Where a block reads its samples and writes its results.
    struct BlockIO: @unchecked Sendable {
        let inputs: UnsafePointer<Double>?
        let sampleCount: Int
        let values: UnsafeMutablePointer<Double>
        let inputGradients: UnsafeMutablePointer<Double>?
        let blockParamSums: UnsafeMutablePointer<Double>?
        let lanes: Int

        /// Samples done once blocks 0 through `b` are (what ``CircuitEvaluator/progress`` reports).
        func samplesDone(throughBlock b: Int) -> Int { min(sampleCount, (b + 1) * lanes) }
    }

    /// Copies block `b`'s samples into the input rows (padding lanes repeat the last sample),
    /// after bringing the parameter rows up to date (``refreshParameterRows(of:)``).
    func load(block b: Int, io: BlockIO, into w: BlockWorkspace) {
        refreshParameterRows(of: w)
        let I = plan.inputCount, L = io.lanes
        guard I > 0, let inputs = io.inputs else { return }
        let first = b * L
        let count = min(L, io.sampleCount - first)
        withUnsafeTemporaryAllocation(of: UnsafePointer<Double>.self, capacity: L) { rows in
            for l in 0..<L { rows[l] = inputs + (first + min(l, count - 1)) * I }
            LaneTranspose.samplesToLanes(UnsafePointer(rows.baseAddress!), laneCount: L, count: I, into: w.values, laneStride: L)
        }
    }

    /// After the backward sweep: sums of splitters on inputs and parameters, then the block's results
    /// (NaNs canonical, see `CanonicalNaN.swift`; parameter sums are made canonical once summed).
    func finish(block b: Int, io: BlockIO, workspace w: BlockWorkspace) {
        let L = io.lanes, I = plan.inputCount, P = plan.paramCount
        let view = storage.view
        let plan = storage.plan
        if view.sourceProgramCount > 0 {
            if L == 1 {
                LaneKernels<Double>(plan: view, workspace: w, worker: 0).runProgram(view.sourceProgram, 0, view.sourceProgramCount)
            } else {
                LaneKernels<SIMD8<Double>>(plan: view, workspace: w, worker: 0).runProgram(view.sourceProgram, 0, view.sourceProgramCount)
            }
        }
        let first = b * L
        let count = min(L, io.sampleCount - first)
        let out = w.values + Int(plan.outputValueRow) * L
        for l in 0..<count { io.values[first + l] = out[l].canonicalizingNaN }
        if let grads = io.inputGradients, I > 0 {
            withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<Double>.self, capacity: count) { rows in
                for l in 0..<count { rows[l] = grads + (first + l) * I }
                plan.sourceGradientRow.withUnsafeBufferPointer { sourceRows in
                    LaneTranspose.lanesToSamples(w.slots, rows: sourceRows.baseAddress!, laneStride: L, laneCount: count,
                                                 count: I, into: UnsafePointer(rows.baseAddress!))
                }
            }
        }
        if let sums = io.blockParamSums {
            withUnsafeTemporaryAllocation(of: Double.self, capacity: max(L, 1)) { buf in
                let tmp = buf.baseAddress!
                let rows = plan.sourceGradientRow
                if count == L && L >= 8 {
                    // A full block of 2^k lanes: the vectorised tree (same additions, same bits);
                    // parameters summed by their node in the backward sweep are done already.
                    let done = plan.parameterSummedByNode
                    for p in 0..<P where !done[p] {
                        sums[b * P + p] = LanePairwiseSum.sum(w.slots + Int(rows[I + p]) * L, lanes: L, scratch: tmp)
                    }
                } else {
                    for p in 0..<P {
                        let row = w.slots + Int(rows[I + p]) * L
                        for l in 0..<count { tmp[l] = row[l] }
                        sums[b * P + p] = PairwiseSum.sumInPlace(tmp, count: count)
                    }
                }
            }
        }
    }
}
