/// A stage of ``ExecutionPlan/init(circuit:reuseSlotRows:)``: the physical slot row of every
/// virtual slot (``SlotNumbering``). Rows 0 and 1 stay the zero and seed rows; aliased slots
/// (pass-through) take their representative's row.
///
/// **With reuse.** A slot lives from the level that writes it down to the lowest level that
/// reads it (the level of the value wire it carries the gradient of, or lower through
/// pass-through nodes). The backward sweep runs levels from the highest down; rows freed by the
/// reads of one level are reused, last freed first, by the writes of lower levels only, so no
/// row is written in the level (or parallel segment) that still reads it.
///
/// **Without reuse.** Argument slots keep their virtual rows (plan order), splitter sums follow
/// in the order they are reduced (plan order of their producers), so each worker of a level
/// writes its own stretch of rows.
struct SlotRowAllocator {
    /// Physical row of each virtual slot.
    private(set) var physical: [Int32]
    /// Number of physical rows (zero row and seed row included).
    private(set) var rowCount: Int

    init(slots: SlotNumbering, order: NodeOrder, layout: RunLayout, circuit c: Circuit, reuse: Bool) {
        physical = [Int32](repeating: 0, count: slots.count)
        physical[1] = 1
        rowCount = SlotNumbering.firstArgumentSlot
        if reuse {
            // Steps are levels from the highest down, as the backward sweep runs them.
            var lifetimes = RowLifetimes(count: slots.count, stepCount: c.levelCount + 1)
            func step(_ level: Int) -> Int32 { Int32(c.levelCount - level) }
            for run in layout.runs.reversed() where run.isLive {
                let through = run.passesGradientThrough
                for j in run.argumentPositions.reversed() {
                    let v = Int(slots.representative[SlotNumbering.firstArgumentSlot + j])
                    if !through { lifetimes.write(v, atStep: step(Int(run.level))) }
                    lifetimes.read(v, atStep: step(order.level(ofValueRow: layout.argumentRow[j])))
                }
            }
            for s in slots.reducedByNode + slots.reducedAfterSweep {
                let source = Int(c.wireValue[Int(c.splitterSource[Int(s)])])
                lifetimes.write(slots.slot(ofSplitter: s), atStep: step(order.level(ofValueRow: order.valueRow(ofValueWire: source))))
            }
            lifetimes.assignRows(&physical, rowCount: &rowCount)
        } else {
            for run in layout.runs where run.isLive && !run.passesGradientThrough {
                for j in run.argumentPositions {
                    physical[SlotNumbering.firstArgumentSlot + j] = Int32(SlotNumbering.firstArgumentSlot + j)
                }
            }
            rowCount = slots.firstSplitterSlot
            for s in slots.reducedByNode + slots.reducedAfterSweep {
                physical[slots.slot(ofSplitter: s)] = Int32(rowCount)
                rowCount += 1
            }
        }
        for v in physical.indices where slots.representative[v] != Int32(v) {
            physical[v] = physical[Int(slots.representative[v])]
        }
    }

    /// The physical row of virtual slot `v`.
    subscript(_ v: Int32) -> Int32 { physical[Int(v)] }

    /// The physical row each argument position of `layout` writes (``PlanTables/argumentSlotRow``;
    /// 0 for the arguments of dead nodes).
    func argumentSlotRows(_ layout: RunLayout) -> [Int32] {
        var rows = [Int32](repeating: 0, count: layout.argumentRow.count)
        for run in layout.runs where run.isLive {
            for j in run.argumentPositions { rows[j] = physical[SlotNumbering.firstArgumentSlot + j] }
        }
        return rows
    }
}
