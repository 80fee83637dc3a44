/// The plan's tables (``PlanTables``) copied once into raw memory, so that the kernels index
/// them through plain pointers (no retain/release or bounds checks in the inner loops).
final class PlanStorage: @unchecked Sendable {
    let plan: ExecutionPlan
    let view: PlanView
    /// The parameters whose value rows the kernels read (``ExecutionPlan/parametersReadFromRows()``).
    let parametersReadFromRows: [Int]
    /// Where the fused parameter `mul`s keep their parameter (``ExecutionPlan/fusedParameterConstants()``).
    let fusedParameterConstants: (positions: [Int32], parameters: [Int32])
    private let allocations: [UnsafeMutableRawPointer]

    init(plan: ExecutionPlan) {
        self.plan = plan
        self.parametersReadFromRows = plan.parametersReadFromRows()
        self.fusedParameterConstants = plan.fusedParameterConstants()
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
            tables: plan.tables.map(rows: copy, numbers: copy),
            sourceProgramCount: plan.sourceProgram.count,
            inputCount: plan.inputCount,
            maxArity: plan.maxArity)
        allocations = owned
    }

    deinit { for p in allocations { p.deallocate() } }
}
