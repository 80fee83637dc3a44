/// Rows shared by lifetime, for a plan stage that numbers rows: each entry (a gradient slot, a
/// node's value) is written at one step and last read at the same or a later step; steps run in
/// order, and the row of an entry last read at step s is free from step s + 1 on, the last freed
/// taken first. So no row is written in the step that still reads it, and the rows handed out are
/// as many as the most entries alive at once. ``SlotRowAllocator`` counts its steps from the
/// highest level down (the backward sweep), ``ValueRowAllocator`` from the lowest up (the
/// forward sweep).
struct RowLifetimes {
    private var writeStep: [Int32]
    private var lastReadStep: [Int32]
    /// Written entries, in the order they were first written.
    private var written: [Int32] = []
    private let stepCount: Int

    /// Lifetimes of `count` entries over steps `0..<stepCount`.
    init(count: Int, stepCount: Int) {
        writeStep = [Int32](repeating: -1, count: count)
        lastReadStep = [Int32](repeating: -1, count: count)
        self.stepCount = stepCount
    }

    /// Entry `v` is written (once) at step `s`.
    mutating func write(_ v: Int, atStep s: Int32) {
        writeStep[v] = s
        lastReadStep[v] = max(lastReadStep[v], s)
        written.append(Int32(v))
    }

    /// Entry `v` is read at step `s` (the last read counts).
    mutating func read(_ v: Int, atStep s: Int32) { lastReadStep[v] = max(lastReadStep[v], s) }

    /// Gives every written entry a row in `rows`, new rows numbered from `rowCount` on.
    func assignRows(_ rows: inout [Int32], rowCount: inout Int) {
        var writesAt = [[Int32]](repeating: [], count: stepCount)
        var lastReadsAt = [[Int32]](repeating: [], count: stepCount)
        for v in written {
            writesAt[Int(writeStep[Int(v)])].append(v)
            lastReadsAt[Int(lastReadStep[Int(v)])].append(v)
        }
        var free = [Int32]()
        for s in 0..<stepCount {
            for v in writesAt[s] {
                if let r = free.popLast() {
                    rows[Int(v)] = r
                } else {
                    rows[Int(v)] = Int32(rowCount)
                    rowCount += 1
                }
            }
            for v in lastReadsAt[s].reversed() { free.append(rows[Int(v)]) }
        }
    }
}
