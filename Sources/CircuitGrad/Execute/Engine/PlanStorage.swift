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
            argumentRow: copy(plan.argumentRow), argumentSlotRow: copy(plan.argumentSlotRow),
            constants: copy(plan.constants), upstreamRow: copy(plan.upstreamRow),
            gradientSources: copy(plan.gradientSources), programStart: copy(plan.programStart),
            program: copy(plan.program), sourceProgram: copy(plan.sourceProgram),
            sourceProgramCount: plan.sourceProgram.count,
            inputCount: plan.inputCount, firstNodeValueRow: plan.inputCount + plan.paramCount,
            maxArity: plan.runs.reduce(1) { max($0, Int($1.arity)) })
        allocations = owned
    }

    deinit { for p in allocations { p.deallocate() } }
}

/// Raw pointers to a plan's arrays (valid while the owning ``PlanStorage`` lives); see
/// ``ExecutionPlan`` for what each holds.
struct PlanView: @unchecked Sendable {
    let argumentRow: UnsafePointer<Int32>
    /// Slot row each argument position writes (reused rows, see ``ExecutionPlan``).
    let argumentSlotRow: UnsafePointer<Int32>
    let constants: UnsafePointer<Double>
    let upstreamRow: UnsafePointer<Int32>
    let gradientSources: UnsafePointer<Int32>
    let programStart: UnsafePointer<Int32>
    let program: UnsafePointer<Int32>
    /// The reduction program of input and parameter wires, and its length.
    let sourceProgram: UnsafePointer<Int32>
    let sourceProgramCount: Int
    /// Number of inputs (parameter `q` has value row `inputCount + q`).
    let inputCount: Int
    /// Value row of plan node 0.
    let firstNodeValueRow: Int
    /// The most wire arguments any node reads.
    let maxArity: Int
}
