/// The rows one lane block is evaluated in: `values[row * lanes + lane]` and
/// `slots[row * lanes + lane]`, 64-byte aligned, plus scratch for the per-lane kernels.
///
/// Slot rows that no live node writes stay +0.0 for the workspace's lifetime, the seed
/// row stays 1, and parameter rows hold the broadcast parameter values, so a workspace is
/// reused for block after block without clearing.
final class BlockWorkspace: @unchecked Sendable {
    let lanes: Int
    let values: UnsafeMutablePointer<Double>
    let slots: UnsafeMutablePointer<Double>
    /// Scratch for one lane's arguments and partials, or a chunk of lanes per argument (n-ary
    /// `mul`), ``scratchStride`` doubles per worker (workers of the level strategy share the
    /// rows but not the scratch).
    let scratchArguments: UnsafeMutablePointer<Double>
    let scratchPartials: UnsafeMutablePointer<Double>
    let scratchStride: Int
    /// ``laneScratchRows`` rows of `lanes` doubles per worker (lane sums of parameter
    /// gradients, partials computed a row at a time).
    let laneScratch: UnsafeMutablePointer<Double>
    /// Scratch rows per worker.
    static let laneScratchRows = 3
    /// Bytes held by the rows.
    let byteCount: Int
    /// The evaluator's ``CircuitEvaluator/parameterGeneration`` its parameter rows were written
    /// for; written only by whoever loads blocks into this workspace.
    var parameterGeneration = 0

    /// Bytes a workspace for `plan` with `lanes` lanes needs.
    static func bytes(plan: ExecutionPlan, lanes: Int) -> Int {
        (plan.valueRowCount + plan.slotRowCount) * lanes * MemoryLayout<Double>.stride
    }

    init(plan: ExecutionPlan, lanes: Int, maxArity: Int, workers: Int) {
        self.lanes = lanes
        let valueCount = max(plan.valueRowCount * lanes, 8)
        let slotCount = max(plan.slotRowCount * lanes, 8)
        byteCount = (valueCount + slotCount) * 8
        values = UnsafeMutableRawPointer.allocate(byteCount: valueCount * 8, alignment: 64)
            .bindMemory(to: Double.self, capacity: valueCount)
        values.initialize(repeating: 0, count: valueCount)
        slots = UnsafeMutableRawPointer.allocate(byteCount: slotCount * 8, alignment: 64)
            .bindMemory(to: Double.self, capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        for l in 0..<lanes { slots[1 * lanes + l] = 1 }   // the output line's seed
        for (p, v) in plan.paramValues.enumerated() {
            let row = values + (plan.inputCount + p) * lanes
            for l in 0..<lanes { row[l] = v }
        }
        laneScratch = .allocate(capacity: max(lanes, 1) * max(workers, 1) * BlockWorkspace.laneScratchRows)
        scratchStride = max(maxArity, 1) * SIMD8<Double>.scalarCount   // a chunk per argument (n-ary `mul`)
        scratchArguments = .allocate(capacity: scratchStride * max(workers, 1))
        scratchPartials = .allocate(capacity: scratchStride * max(workers, 1))
    }

    deinit {
        values.deallocate()
        slots.deallocate()
        scratchArguments.deallocate()
        scratchPartials.deallocate()
        laneScratch.deallocate()
    }
}
