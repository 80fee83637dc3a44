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
        try evaluate(slice: slice, partition: partition, rank: rank) { try evaluator.evaluate($0) }
    }

    /// Evaluates rank `rank`'s share of `partition` with `evaluate`; `slice` holds exactly that
    /// rank's samples. Each node is evaluated as a batch of its own, so its parameter sum is the
    /// tree's node.
    package static func evaluate(slice: Batch, partition: SamplePartition, rank: Int,
                                using evaluate: (Batch) throws -> EvaluationResult) throws -> RankEvaluation {
        let samples = partition.samples(ofRank: rank)
        precondition(slice.sampleCount == samples.count, "the slice must hold the rank's samples")
        let I = slice.inputCount
        var part = RankEvaluation(samples: samples, nodes: partition.nodes(ofRank: rank),
                                  values: [], inputGradients: [], nodeSums: [])
        for node in part.nodes {
            let leaves = node.leaves(of: partition.sampleCount)
            let local = (leaves.lowerBound - samples.lowerBound)..<(leaves.upperBound - samples.lowerBound)
            let piece = try local.count == slice.sampleCount
                ? slice
                : Batch(sampleCount: local.count, inputCount: I, values: Array(slice.values[(local.lowerBound * I)..<(local.upperBound * I)]))
            let result = try evaluate(piece)
            if part.nodeSums.isEmpty {   // a range that is one node: no copy
                part.values = result.values
                part.inputGradients = result.inputGradients
            } else {
                part.values += result.values
                part.inputGradients += result.inputGradients
            }
            part.nodeSums.append(result.paramGradients)
        }
        return part
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
