/// How each node of a ``NodeRun`` completes the gradient arriving on its output wire before
/// its backward (``NodeRun/gradientFanIn``). The kernels decode it once per node with a switch.
enum GradientFanIn: Hashable, Sendable {
    /// Nothing to sum: one consumer, none, or the `output` line.
    case none
    /// The sum of `k ≥ 2` slot rows (one splitter with k outputs, in output order), from
    /// ``PlanTables/gradientSources``.
    case rows(Int32)
    /// A reduction program (splitters of splitters), from ``PlanTables/programStart``.
    case program

    /// Entries of the run's gradient sources each node takes: k rows, or one program start.
    var sourcesPerNode: Int32 {
        switch self {
        case .none: 0
        case .rows(let k): k
        case .program: 1
        }
    }
}

extension GradientFanIn: Comparable {
    /// The plan's node order: nothing to sum first, then by the number of rows, programs last.
    static func < (a: GradientFanIn, b: GradientFanIn) -> Bool { a.orderKey < b.orderKey }

    private var orderKey: Int64 { Int64(orderKey(below: Int64.max)) }

    /// The rank in that order, programs ranked `limit`, below it every count of rows (a splitter
    /// has fewer outputs than there are wires).
    func orderKey<T: FixedWidthInteger>(below limit: T) -> T {
        switch self {
        case .none:
            return 0
        case .rows(let k):
            precondition(T(k) < limit, "a splitter with \(k) outputs")
            return T(k)
        case .program:
            return limit
        }
    }
}
