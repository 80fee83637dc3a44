/// How a batch is shared among the ranks (processes) of a distributed evaluation: each rank
/// gets a contiguous range of whole chunks of ``chunkSamples`` samples (the last chunk of the
/// batch may be short), the ranges in rank order, sizes differing by at most one chunk.
///
/// A rank reports its parameter-gradient sums as the ``PairwiseTreeNode``s that cover its
/// range, so the combined sum is ``PairwiseSum`` over the whole batch, the same bits as one
/// process, for any number of ranks.
package struct SamplePartition: Sendable, Hashable {
    /// Samples per chunk: a power of two, so chunk boundaries are boundaries of the pairwise
    /// tree (a rank evaluates each tree node of its range as a batch of its own, so any lane
    /// block keeps to the tree).
    package static let chunkSamples = 256

    /// Samples in the whole batch.
    package let sampleCount: Int
    /// Number of ranks.
    package let rankCount: Int

    /// The partition of `sampleCount` samples among `rankCount` ranks.
    package init(sampleCount: Int, rankCount: Int) {
        precondition(sampleCount >= 0 && rankCount >= 1, "a partition needs samples ≥ 0 and ranks ≥ 1")
        self.sampleCount = sampleCount
        self.rankCount = rankCount
    }

    /// Number of chunks (the last may be short).
    package var chunkCount: Int { (sampleCount + Self.chunkSamples - 1) / Self.chunkSamples }

    /// The samples of rank `rank` (empty when there are fewer chunks than ranks).
    package func samples(ofRank rank: Int) -> Range<Int> {
        precondition(rank >= 0 && rank < rankCount, "rank \(rank) outside 0..<\(rankCount)")
        let first = rank * chunkCount / rankCount, end = (rank + 1) * chunkCount / rankCount
        return min(first * Self.chunkSamples, sampleCount)..<min(end * Self.chunkSamples, sampleCount)
    }

    /// The pairwise-tree nodes whose sums rank `rank` reports, left to right.
    package func nodes(ofRank rank: Int) -> [PairwiseTreeNode] {
        PairwiseTreeNode.cover(samples(ofRank: rank), leafCount: sampleCount)
    }
}
