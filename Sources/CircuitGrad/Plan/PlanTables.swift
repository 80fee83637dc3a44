/// The plan's tables that the kernels index, listed once for both of their layouts: Swift
/// arrays while the plan is built and inspected (``ExecutionPlan/tables``, `PlanTables<[Int32],
/// [Double]>`) and raw pointers while it runs (``PlanView/tables``, copied by ``PlanStorage``).
/// ``map(rows:numbers:)`` is the one place that visits every field, so a new table is one
/// field and one line there. See ``ExecutionPlan`` for what each table holds.
package struct PlanTables<Rows, Numbers> {
    /// Value row of each argument, by argument position (plan order; splitter outputs already
    /// replaced by the wire they copy).
    package var argumentRow: Rows
    /// The slot row each argument position writes its contribution into (0 for dead nodes).
    package var argumentSlotRow: Rows
    /// The numbers of nodes whose op takes one (and parameter muls: the parameter's value), in plan order.
    package var constants: Numbers
    /// Slot row holding the gradient that arrives on plan node `p`'s output wire (live nodes).
    package var upstreamRow: Rows
    /// For nodes of runs with gradient fan-in k ≥ 2: k slot rows each, summed in this order
    /// into the node's upstream row.
    package var gradientSources: Rows
    /// CSR offsets into ``program``, one per node of runs that need a program (+1 at the end).
    package var programStart: Rows
    /// Reduction programs: per splitter, children first, `count, target row, source rows…`.
    package var program: Rows
    /// The reduction program of splitters on input and parameter wires, run after the backward sweep.
    package var sourceProgram: Rows
    /// Value row of each plan node (``ValueRowAllocator``).
    package var nodeValueRow: Rows

    /// The same tables, each row table through `rows` and each number table through `numbers`.
    package func map<R, N>(rows: (Rows) throws -> R, numbers: (Numbers) throws -> N) rethrows -> PlanTables<R, N> {
        PlanTables<R, N>(
            argumentRow: try rows(argumentRow), argumentSlotRow: try rows(argumentSlotRow),
            constants: try numbers(constants), upstreamRow: try rows(upstreamRow),
            gradientSources: try rows(gradientSources), programStart: try rows(programStart),
            program: try rows(program), sourceProgram: try rows(sourceProgram), nodeValueRow: try rows(nodeValueRow))
    }
}

extension PlanTables: Sendable where Rows: Sendable, Numbers: Sendable {}
