/// The engine's memory policy for one evaluation: what it will need (checked before any
/// allocation) and how many lane blocks run per chunk, so a huge batch's memory is bounded
/// by the workspaces and the result, not by the batch.
///
/// Per-block parameter sums are the only part that grows with the number of blocks; they
/// are kept for one chunk at a time (at most ``chunkSumBytes``), and chunk sums are combined
/// by ``BlockSumStack`` in exactly ``PairwiseSum``'s tree, so chunking never changes a bit.
enum EvaluationMemory {
    /// The most bytes of per-block parameter sums held at once.
    static let chunkSumBytes = 64 << 20

    /// Blocks per chunk: a power of two, all `blocks` when the sums fit ``chunkSumBytes``.
    static func chunkBlocks(blocks: Int, params: Int) -> Int {
        if params == 0 || MemoryEstimate.product(blocks, params * 8) <= chunkSumBytes { return max(blocks, 1) }
        var c = 1
        while 2 * c * params * 8 <= chunkSumBytes { c *= 2 }
        return c
    }

    /// What evaluating `samples` samples will allocate beyond what already exists.
    static func estimate(samples: Int, resultBytesPerSample: Int, params: Int, workspaceBytesPerBlock: Int,
                         blocksInFlight: Int, chunkBlocks: Int, extraPlanBytes: Int) -> MemoryEstimate {
        var m = MemoryEstimate()
        m.add("results", count: samples, bytesEach: resultBytesPerSample)
        m.add("workspaces", count: blocksInFlight, bytesEach: workspaceBytesPerBlock)
        m.add("per-block parameter sums", count: chunkBlocks, bytesEach: MemoryEstimate.product(params, 8))
        m.add("level plan", count: 1, bytesEach: extraPlanBytes)
        return m
    }
}

/// Sums chunk-level parameter-gradient rows in ``PairwiseSum``'s tree.
///
/// That tree over n blocks is the right fold of its complete, aligned power-of-two subtrees
/// (largest first). Chunks of 2^k blocks are such subtrees: pushing them merges equal sizes
/// like a binary counter; the last, partial chunk (already summed in the same tree) and
/// the stack are then folded from the right.
struct BlockSumStack {
    private var rows: [[Double]] = []
    private var sizes: [Int] = []

    /// Adds the sum of a complete chunk of `blocks` (a power of two) blocks.
    mutating func push(_ row: [Double], blocks: Int) {
        var row = row, size = blocks
        while let last = sizes.last, last == size {
            let left = rows.removeLast()
            sizes.removeLast()
            for j in 0..<row.count { row[j] = left[j] + row[j] }
            size *= 2
        }
        rows.append(row)
        sizes.append(size)
    }

    /// The total, given the last chunk's sum (nil when every chunk was complete).
    func total(last: [Double]?) -> [Double]? {
        var all = rows
        if let last { all.append(last) }
        guard var acc = all.last else { return nil }
        for left in all.dropLast().reversed() {
            for j in 0..<acc.count { acc[j] = left[j] + acc[j] }
        }
        return acc
    }
}
