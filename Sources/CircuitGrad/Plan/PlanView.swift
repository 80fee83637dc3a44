/// Raw pointers to a plan's tables (valid while the owning ``PlanStorage`` lives); see
/// ``PlanTables`` and ``ExecutionPlan`` for what each holds. `view.argumentRow` reads
/// `view.tables.argumentRow`.
@dynamicMemberLookup
struct PlanView: @unchecked Sendable {
    /// The kernels' tables.
    let tables: PlanTables<UnsafePointer<Int32>, UnsafePointer<Double>>
    /// Length of ``PlanTables/sourceProgram``.
    let sourceProgramCount: Int
    /// Number of inputs (parameter `q` has value row `inputCount + q`).
    let inputCount: Int
    /// The most wire arguments any node reads.
    let maxArity: Int

    @inline(__always)
    subscript<T>(dynamicMember table: KeyPath<PlanTables<UnsafePointer<Int32>, UnsafePointer<Double>>, T>) -> T {
        tables[keyPath: table]
    }
}
