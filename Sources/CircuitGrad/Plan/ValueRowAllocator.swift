/// A stage of ``ExecutionPlan/init(circuit:reuseSlotRows:reuseValueRows:)``: the value row of
/// every plan node, so that values no backward reads share rows.
///
/// A node's value is **held** until the backward when a live node's backward reads it
/// (``OpRule/backwardReads``: its own value, or its arguments) or it is the circuit's output;
/// held values get rows of their own, in plan order, before the shared ones. The
/// others are needed only by the forward: such a value lives from its level to the highest level
/// that reads it, and its row is reused, last freed first, by nodes of later levels
/// (``RowLifetimes``, levels as steps). The
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
    private(set) var heldRowCount = 0
    /// Number of rows shared by the values only the forward reads.
    private(set) var sharedRowCount = 0
    /// Inputs and parameters, whose rows come first and stay as they are.
    private let sourceCount: Int

    /// Rows for the nodes of `runs`, whose arguments are `argumentRow` (value rows numbered
    /// inputs, parameters, then plan nodes in plan order); `outputRow` in the same numbering.
    /// Node rows start at `firstNodeRow` (after the inputs, the parameters and the rows kept for
    /// the backward, ``ExecutionPlan``): held rows, then shared rows.
    init(runs: [NodeRun], argumentRow: [Int32], outputRow: Int32, sourceCount: Int, nodeCount: Int,
         firstNodeRow: Int, reuse: Bool) {
        self.sourceCount = sourceCount
        nodeValueRow = (0..<nodeCount).map { Int32(firstNodeRow + $0) }
        guard reuse else {
            heldRowCount = nodeCount
            return
        }
        // Whether a backward reads each node's value (or it is the output).
        var held = [Bool](repeating: false, count: nodeCount)
        func node(_ j: Int) -> Int? { let r = Int(argumentRow[j]) - sourceCount; return r >= 0 ? r : nil }
        if Int(outputRow) >= sourceCount { held[Int(outputRow) - sourceCount] = true }
        for run in runs where run.hasBackward {
            let reads = run.op.backwardReads
            if reads.contains(.value) { for p in Int(run.start)..<Int(run.end) { held[p] = true } }
            if reads.contains(.arguments) { for j in run.argumentPositions { if let r = node(j) { held[r] = true } } }
        }
        // Held rows in plan order; the others share rows by lifetime (levels as steps), numbered
        // from 0 and placed after the held.
        var lifetimes = RowLifetimes(count: nodeCount, stepCount: Int(runs.last?.level ?? 0) + 1)
        for run in runs {
            for p in Int(run.start)..<Int(run.end) where !held[p] { lifetimes.write(p, atStep: run.level) }
            for j in run.argumentPositions { if let r = node(j), !held[r] { lifetimes.read(r, atStep: run.level) } }
        }
        for p in 0..<nodeCount where held[p] {
            nodeValueRow[p] = Int32(firstNodeRow + heldRowCount)
            heldRowCount += 1
        }
        var shared = [Int32](repeating: -1, count: nodeCount)
        lifetimes.assignRows(&shared, rowCount: &sharedRowCount)
        let firstShared = Int32(firstNodeRow + heldRowCount)
        for p in 0..<nodeCount where !held[p] { nodeValueRow[p] = firstShared + shared[p] }
    }

    /// `row` (numbered inputs, parameters, then plan nodes in plan order) in this layout.
    func map(_ row: Int32) -> Int32 {
        Int(row) < sourceCount ? row : nodeValueRow[Int(row) - sourceCount]
    }
}
