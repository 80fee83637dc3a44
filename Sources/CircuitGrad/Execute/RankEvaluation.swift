/// What one rank computes of a distributed evaluation: values and input gradients of its
/// samples, and the parameter-gradient sum of each tree node covering them.
package struct RankEvaluation: Sendable, Equatable {
    /// The rank's samples, as positions in the whole batch.
    package let samples: Range<Int>
    /// The nodes whose sums ``nodeSums`` holds, left to right.
    package let nodes: [PairwiseTreeNode]
    /// Output value of each of the rank's samples.
    package var values: [Double]
    /// Input gradients of the rank's samples, row-major (samples × inputs).
    package var inputGradients: [Double]
    /// Per node, the parameter gradients summed over the node's samples (`paramCount` each).
    package var nodeSums: [[Double]]

    /// Evaluates rank `rank`'s share of `partition` with `evaluator`; `slice` holds exactly that
    /// rank's samples.
    package static func evaluate(_ evaluator: any GradientEvaluating, slice: Batch,
                                partition: SamplePartition, rank: Int) throws -> RankEvaluation {
        let n = slice.sampleCount, gradients = n * slice.inputCount
        // Uninitialized: evaluating writes every number.
        var values = [Double](uninitializedCount: n) { _, count in count = n }
        var inputGradients = [Double](uninitializedCount: gradients) { _, count in count = gradients }
        let sums = try values.withUnsafeMutableBufferPointer { v in
            try inputGradients.withUnsafeMutableBufferPointer { g in
                try evaluate(evaluator, slice: slice, partition: partition, rank: rank, values: v, inputGradients: g)
            }
        }
        return RankEvaluation(samples: partition.samples(ofRank: rank), nodes: partition.nodes(ofRank: rank),
                              values: values, inputGradients: inputGradients, nodeSums: sums)
    }

    /// Evaluates rank `rank`'s share of `partition` with `evaluator` straight into `values` and
    /// `inputGradients` (the rank's rows, in sample order: they may be the rank's rows of the
    /// whole batch's result); returns the parameter-gradient sum of each of the rank's nodes.
    /// `slice` holds exactly that rank's samples. Each node is evaluated as a batch of its own,
    /// so its parameter sum is the tree's node.
    package static func evaluate(_ evaluator: any GradientEvaluating, slice: Batch, partition: SamplePartition, rank: Int,
                                values: UnsafeMutableBufferPointer<Double>,
                                inputGradients: UnsafeMutableBufferPointer<Double>) throws -> [[Double]] {
        let samples = partition.samples(ofRank: rank), I = slice.inputCount
        precondition(values.count == samples.count && inputGradients.count == samples.count * I,
                     "the destinations must hold the rank's values and input gradients")
        return try partition.nodes(ofRank: rank).map { node in
            let (local, piece) = try self.piece(of: slice, node: node, partition: partition, samples: samples)
            return try evaluator.evaluate(piece, values: UnsafeMutableBufferPointer(rebasing: values[local]),
                                          inputGradients: UnsafeMutableBufferPointer(rebasing: inputGradients[(local.lowerBound * I)..<(local.upperBound * I)]))
        }
    }

    /// The rows of `node` within a rank's `slice` (which holds the rank's `samples`), and those rows
    /// as a batch of their own (the slice itself when the node is the whole range).
    private static func piece(of slice: Batch, node: PairwiseTreeNode, partition: SamplePartition,
                              samples: Range<Int>) throws -> (rows: Range<Int>, batch: Batch) {
        precondition(slice.sampleCount == samples.count, "the slice must hold the rank's samples")
        let leaves = node.leaves(of: partition.sampleCount), I = slice.inputCount
        let local = (leaves.lowerBound - samples.lowerBound)..<(leaves.upperBound - samples.lowerBound)
        if local.count == slice.sampleCount { return (local, slice) }
        return (local, try Batch(sampleCount: local.count, inputCount: I,
                                 values: Array(slice.values[(local.lowerBound * I)..<(local.upperBound * I)])))
    }

    /// The parameter gradients of the whole batch from every rank's node sums, laid end to end
    /// in rank order and node order (`width` numbers each), combined along the pairwise tree (NaNs canonical, as every evaluator's results).
    package static func combine(nodeSums: ArraySlice<Double>, partition: SamplePartition, width: Int) -> [Double] {
        var sums: [PairwiseTreeNode: [Double]] = [:]
        var at = nodeSums.startIndex
        for rank in 0..<partition.rankCount {
            for node in partition.nodes(ofRank: rank) {
                sums[node] = Array(nodeSums[at..<(at + width)])
                at += width
            }
        }
        precondition(at == nodeSums.endIndex, "node sums do not match the partition")
        var total = PairwiseSum.combine(sums, leafCount: partition.sampleCount, width: width)
        total.canonicalizeNaNs()
        return total
    }
}

extension EvaluationResult {
    /// The whole batch's result from every rank's share, in rank order: samples side by side,
    /// parameter gradients combined along the pairwise tree (``RankEvaluation/combine(nodeSums:partition:width:)``).
    package init(assembling parts: [RankEvaluation], partition: SamplePartition, inputCount: Int, paramCount: Int) {
        self.init(sampleCount: partition.sampleCount, inputCount: inputCount, paramCount: paramCount)
        for part in parts {
            values.replaceSubrange(part.samples, with: part.values)
            inputGradients.replaceSubrange((part.samples.lowerBound * inputCount)..<(part.samples.upperBound * inputCount),
                                           with: part.inputGradients)
        }
        paramGradients = RankEvaluation.combine(nodeSums: parts.flatMap { $0.nodeSums.joined() }[...], partition: partition, width: paramCount)
    }
}
