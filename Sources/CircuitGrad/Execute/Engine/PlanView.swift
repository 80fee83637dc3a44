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
