/// What one rank computes of a distributed evaluation: values and input gradients of its
/// samples, and the parameter-gradient sum of each tree node covering them.
public struct RankEvaluation: Sendable, Equatable {
    /// The rank's samples, as positions in the whole batch.
    public let samples: Range<Int>
    /// The nodes whose sums ``nodeSums`` holds, left to right.
    public let nodes: [PairwiseTreeNode]
    /// Output value of each of the rank's samples.
    public var values: [Double]
    /// Input gradients of the rank's samples, row-major (samples × inputs).
    public var inputGradients: [Double]
    /// Per node, the parameter gradients summed over the node's samples (`paramCount` each).
    public var nodeSums: [[Double]]

    /// Evaluates rank `rank`'s share of `partition`; `slice` holds exactly that rank's samples.
    /// Each node is evaluated as a batch of its own, so its parameter sum is the tree's node.
    public static func evaluate(_ evaluator: any GradientEvaluating, slice: Batch,
                                partition: SamplePartition, rank: Int) throws -> RankEvaluation {
        let samples = partition.samples(ofRank: rank)
        precondition(slice.sampleCount == samples.count, "the slice must hold the rank's samples")
        let I = slice.inputCount
        var part = RankEvaluation(samples: samples, nodes: partition.nodes(ofRank: rank),
                                  values: [], inputGradients: [], nodeSums: [])
        part.values.reserveCapacity(samples.count)
        part.inputGradients.reserveCapacity(samples.count * I)
        for node in part.nodes {
            let leaves = node.leaves(of: partition.sampleCount)
            let local = (leaves.lowerBound - samples.lowerBound)..<(leaves.upperBound - samples.lowerBound)
            let piece = local.count == slice.sampleCount
                ? slice
                : Batch(sampleCount: local.count, inputCount: I, values: Array(slice.values[(local.lowerBound * I)..<(local.upperBound * I)]))
            let result = try evaluator.evaluate(piece)
            part.values += result.values
            part.inputGradients += result.inputGradients
            part.nodeSums.append(result.paramGradients)
        }
        return part
    }

    /// Number of doubles ``packed`` holds for rank `rank` of `partition`.
    public static func packedCount(partition: SamplePartition, rank: Int, inputCount: Int, paramCount: Int) -> Int {
        partition.samples(ofRank: rank).count * (1 + inputCount) + partition.nodes(ofRank: rank).count * paramCount
    }

    /// Everything as one array (values, input gradients, node sums), for sending.
    public var packed: [Double] { values + inputGradients + nodeSums.flatMap { $0 } }

    /// Unpacks what ``packed`` gave for rank `rank` of `partition`.
    public init(unpacking data: ArraySlice<Double>, partition: SamplePartition, rank: Int, inputCount: Int, paramCount: Int) {
        precondition(data.count == Self.packedCount(partition: partition, rank: rank, inputCount: inputCount, paramCount: paramCount),
                     "packed rank results have the wrong length")
        samples = partition.samples(ofRank: rank)
        nodes = partition.nodes(ofRank: rank)
        var at = data.startIndex
        func take(_ n: Int) -> [Double] { defer { at += n }; return Array(data[at..<(at + n)]) }
        values = take(samples.count)
        inputGradients = take(samples.count * inputCount)
        nodeSums = nodes.map { _ in take(paramCount) }
    }

    private init(samples: Range<Int>, nodes: [PairwiseTreeNode], values: [Double], inputGradients: [Double], nodeSums: [[Double]]) {
        self.samples = samples
        self.nodes = nodes
        self.values = values
        self.inputGradients = inputGradients
        self.nodeSums = nodeSums
    }
}

extension EvaluationResult {
    /// The whole batch's result from every rank's share, in rank order: samples side by side,
    /// parameter gradients combined along the pairwise tree (``PairwiseSum/combine(_:leafCount:width:)``).
    public init(assembling parts: [RankEvaluation], sampleCount: Int, inputCount: Int, paramCount: Int) {
        self.init(sampleCount: sampleCount, inputCount: inputCount, paramCount: paramCount)
        var sums: [PairwiseTreeNode: [Double]] = [:]
        for part in parts {
            values.replaceSubrange(part.samples, with: part.values)
            inputGradients.replaceSubrange((part.samples.lowerBound * inputCount)..<(part.samples.upperBound * inputCount),
                                           with: part.inputGradients)
            for (node, sum) in zip(part.nodes, part.nodeSums) { sums[node] = sum }
        }
        paramGradients = PairwiseSum.combine(sums, leafCount: sampleCount, width: paramCount)
    }
}
