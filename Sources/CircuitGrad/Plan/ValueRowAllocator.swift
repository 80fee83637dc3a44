/// A stage of ``ExecutionPlan/init(circuit:reuseSlotRows:reuseValueRows:)``: the value row of
/// every plan node, so that values no backward reads share rows.
///
/// A node's value is **held** until the backward when a live node's backward reads it
/// (``OpRule/backwardReads``: its own value, or its arguments) or it is the circuit's output;
/// held values get rows of their own, in plan order, before the shared ones. The
/// others are needed only by the forward: such a value lives from its level to the highest level
/// that reads it, and its row is reused, last freed first, by nodes of later levels. The
/// forward sweep runs levels in ascending order, every reader of a row before any later writer,
/// so no node overwrites a value a later level still reads. On the every-op layered circuit of
/// 200k nodes 46 % of the values are not held and at most 5,757 of them live at once; on the
/// `add`/`sin` grid no value is held (each `sin` keeps its cosine, ``OpRule/keptRows``), so
/// 180,000 node rows become 600, and fewer rows leave the cache for memory.
///
/// Without reuse (the level strategy, whose workers write one level's rows side by side, and
/// second order, whose tangent sweeps read values the gradient's backward does not) every node
/// keeps its own row, in plan order.
struct ValueRowAllocator {
    /// Value row of each plan node.
    private(set) var nodeValueRow: [Int32]
    /// Number of node rows held until the backward (every node's, without reuse).
    private(set) var heldRowCount: Int
    /// Number of rows shared by the values only the forward reads.
    private(set) var sharedRowCount = 0

    /// Rows for the nodes of `runs`, whose arguments are `argumentRow` (value rows numbered
    /// inputs, parameters, then plan nodes in plan order); `outputRow` in the same numbering.
    /// Node rows start at `firstNodeRow` (after the inputs, the parameters and the rows kept for
    /// the backward, ``ExecutionPlan``): held rows, then shared rows.
    init(runs: [NodeRun], argumentRow: [Int32], outputRow: Int32, sourceCount: Int, nodeCount: Int,
         firstNodeRow: Int, reuse: Bool) {
        guard reuse else {
            nodeValueRow = (0..<nodeCount).map { Int32(firstNodeRow + $0) }
            heldRowCount = nodeCount
            return
        }
        let held = Self.held(runs: runs, argumentRow: argumentRow, outputRow: outputRow, sourceCount: sourceCount, nodeCount: nodeCount)
        // The last level whose forward reads each node's value (its own level when none does).
        var lastRead = [Int32](repeating: 0, count: nodeCount)
        for run in runs {
            for p in Int(run.start)..<Int(run.end) { lastRead[p] = run.level }
            for j in Int(run.argumentBase)..<Int(run.argumentBase) + run.count * Int(run.arity) {
                let r = Int(argumentRow[j]) - sourceCount
                if r >= 0 { lastRead[r] = max(lastRead[r], run.level) }
            }
        }
        // Held rows in plan order; shared ones numbered from 0 here (stored as -1 - number), placed
        // after the held rows below.
        nodeValueRow = [Int32](repeating: 0, count: nodeCount)
        heldRowCount = 0
        var free: [Int32] = [], freedAfterLevel: [Int32: [Int32]] = [:], level: Int32 = -1
        for run in runs {
            if run.level != level {
                for l in (level < 0 ? run.level : level)..<run.level { free += freedAfterLevel.removeValue(forKey: l) ?? [] }
                level = run.level
            }
            for p in Int(run.start)..<Int(run.end) {
                if held[p] {
                    nodeValueRow[p] = Int32(firstNodeRow + heldRowCount)
                    heldRowCount += 1
                } else {
                    let row = free.popLast() ?? Int32(sharedRowCount)
                    if Int(row) == sharedRowCount { sharedRowCount += 1 }
                    nodeValueRow[p] = -1 - row
                    freedAfterLevel[lastRead[p], default: []].append(row)
                }
            }
        }
        let firstShared = Int32(firstNodeRow + heldRowCount)
        for p in 0..<nodeCount where nodeValueRow[p] < 0 { nodeValueRow[p] = firstShared + (-1 - nodeValueRow[p]) }
    }

    /// Whether each plan node's value must stay until the backward.
    private static func held(runs: [NodeRun], argumentRow: [Int32], outputRow: Int32, sourceCount: Int, nodeCount: Int) -> [Bool] {
        var held = [Bool](repeating: false, count: nodeCount)
        if Int(outputRow) >= sourceCount { held[Int(outputRow) - sourceCount] = true }
        for run in runs where run.hasBackward {
            let reads: BackwardReads
            switch run.op {
            case .circuit(let op): reads = op.rule.backwardReads
            case .mulParameter: reads = .arguments   // the wire argument, for the parameter's gradient
            }
            if reads.contains(.value) { for p in Int(run.start)..<Int(run.end) { held[p] = true } }
            if reads.contains(.arguments) {
                for j in Int(run.argumentBase)..<Int(run.argumentBase) + run.count * Int(run.arity) {
                    let r = Int(argumentRow[j]) - sourceCount
                    if r >= 0 { held[r] = true }
                }
            }
        }
        return held
    }

    /// `row` (numbered inputs, parameters, then plan nodes in plan order) in this layout.
    func map(_ row: Int32, sourceCount: Int) -> Int32 {
        Int(row) < sourceCount ? row : nodeValueRow[Int(row) - sourceCount]
    }
}
