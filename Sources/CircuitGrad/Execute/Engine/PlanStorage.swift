/// The plan's arrays copied once into raw memory, so that the kernels index them
/// through plain pointers (no retain/release or bounds checks in the inner loops).
final class PlanStorage: @unchecked Sendable {
    let plan: ExecutionPlan
    let view: PlanView
    private var allocations: [UnsafeMutableRawPointer] = []

    init(plan: ExecutionPlan) {
        self.plan = plan
        var owned: [UnsafeMutableRawPointer] = []
        func copy<T>(_ a: [T]) -> UnsafePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(a.count, 1))
            a.withUnsafeBufferPointer { b in
                if let base = b.baseAddress { p.initialize(from: base, count: b.count) }
            }
            owned.append(UnsafeMutableRawPointer(p))
            return UnsafePointer(p)
        }
        view = PlanView(
            op: copy(plan.op), argumentStart: copy(plan.argumentStart), argumentRow: copy(plan.argumentRow),
            constant: copy(plan.constant), upstreamRow: copy(plan.upstreamRow),
            reductionProgramStart: copy(plan.reductionProgramStart), reductionProgram: copy(plan.reductionProgram),
            splitterSumStart: copy(plan.splitterSumStart), splitterSumSources: copy(plan.splitterSumSources),
            fusedParameter: copy(plan.fusedParameter),
            firstNodeValueRow: plan.inputCount + plan.paramCount,
            argumentSlotRow: copy(plan.argumentSlotRow), splitterSlotRow: copy(plan.splitterSlotRow),
            maxArity: (0..<plan.nodeCount).reduce(1) {
                max($0, Int(plan.argumentStart[$1 + 1] - plan.argumentStart[$1]))
            })
        allocations = owned
    }

    deinit { for p in allocations { p.deallocate() } }
}

/// Raw pointers to a plan's arrays (valid while the owning ``PlanStorage`` lives).
struct PlanView: @unchecked Sendable {
    let op: UnsafePointer<UInt8>
    let argumentStart: UnsafePointer<Int32>
    let argumentRow: UnsafePointer<Int32>
    let constant: UnsafePointer<Double>
    let upstreamRow: UnsafePointer<Int32>
    let reductionProgramStart: UnsafePointer<Int32>
    let reductionProgram: UnsafePointer<Int32>
    let splitterSumStart: UnsafePointer<Int32>
    let splitterSumSources: UnsafePointer<Int32>
    /// Parameter whose block sum plan node `p` makes itself, or -1.
    let fusedParameter: UnsafePointer<Int32>
    /// Value row of plan node 0.
    let firstNodeValueRow: Int
    /// Slot row each argument position writes (reused rows, see ``ExecutionPlan``).
    let argumentSlotRow: UnsafePointer<Int32>
    /// Slot row of each splitter's sum.
    let splitterSlotRow: UnsafePointer<Int32>
    /// The most wire arguments any node reads.
    let maxArity: Int
}
