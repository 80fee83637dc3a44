import Testing
@testable import CircuitGrad

/// The pairwise tree cut into nodes and put back together, and batches shared among ranks:
/// the same bits as one sum, or one evaluation, of the whole batch.
@Suite struct SamplePartitionTests {
    /// Numbers of very different sizes and signs, so that any other order of additions
    /// rounds differently.
    static func awkwardNumbers(_ n: Int, seed: UInt64) -> [Double] {
        var random = GeneratorRandom(seed: seed)
        return (0..<n).map { _ in
            Double.random(in: -1...1, using: &random) * Double(sign: .plus, exponent: Int.random(in: -30...30, using: &random), significand: 1)
        }
    }

    @Test func coverTilesTheRangeWithTreeNodes() {
        for n in [1, 2, 3, 7, 8, 9, 255, 256, 257, 1000] {
            for (lo, hi) in [(0, n), (0, n / 2), (n / 3, n), (n / 3, 2 * n / 3), (1, n)] where lo < hi {
                let nodes = PairwiseTreeNode.cover(lo..<hi, leafCount: n)
                var next = lo
                for node in nodes {
                    let leaves = node.leaves(of: n)
                    #expect(leaves.lowerBound == next && !leaves.isEmpty && leaves.lowerBound % (1 << node.level) == 0)
                    next = leaves.upperBound
                }
                #expect(next == hi)
                // About 2·log2 nodes at most.
                #expect(nodes.count <= 2 * (PairwiseTreeNode.rootLevel(leafCount: n) + 1))
            }
            #expect(PairwiseTreeNode.cover(0..<n, leafCount: n) == [PairwiseTreeNode(level: PairwiseTreeNode.rootLevel(leafCount: n), index: 0)])
        }
    }

    @Test(arguments: [1, 2, 3, 5, 100, 256, 257, 1023, 4097])
    func nodeSumsCombineToTheSameBitsAsOneSum(count: Int) {
        let x = Self.awkwardNumbers(count, seed: UInt64(count))
        let whole = PairwiseSum.sum(x)
        var random = GeneratorRandom(seed: 99)
        for _ in 0..<5 {
            // Random cut points, each range covered by nodes summed on their own.
            var cuts = Set((0..<Int.random(in: 0...6, using: &random)).map { _ in Int.random(in: 0...count, using: &random) })
            cuts.formUnion([0, count])
            let points = cuts.sorted()
            var sums: [PairwiseTreeNode: [Double]] = [:]
            for (lo, hi) in zip(points, points.dropFirst()) {
                for node in PairwiseTreeNode.cover(lo..<hi, leafCount: count) {
                    sums[node] = [PairwiseSum.sum(Array(x[node.leaves(of: count)]))]
                }
            }
            let combined = PairwiseSum.combine(sums, leafCount: count, width: 1)
            #expect(combined[0].bitPattern == whole.bitPattern)
        }
    }

    @Test func rangeTotalsSummedPairwiseWouldNotMatch() {
        // Why ranks send node sums, not their totals: 5 chunks over 3 ranks are ranges of 1, 2
        // and 2 chunks; their totals summed pairwise are another order of additions, with
        // other bits for these numbers, while their node sums give the bits of one sum.
        let n = 5 * 256
        let x = Self.awkwardNumbers(n, seed: 7)
        let partition = SamplePartition(sampleCount: n, rankCount: 3)
        let ranges = (0..<3).map { partition.samples(ofRank: $0) }
        #expect(ranges == [0..<256, 256..<768, 768..<1280])
        let totals = ranges.map { PairwiseSum.sum(Array(x[$0])) }
        #expect(PairwiseSum.sum(totals).bitPattern != PairwiseSum.sum(x).bitPattern)
        var sums: [PairwiseTreeNode: [Double]] = [:]
        for r in 0..<3 { for node in partition.nodes(ofRank: r) { sums[node] = [PairwiseSum.sum(Array(x[node.leaves(of: n)]))] } }
        #expect(PairwiseSum.combine(sums, leafCount: n, width: 1)[0].bitPattern == PairwiseSum.sum(x).bitPattern)
    }

    @Test func partitionGivesWholeChunksInRankOrder() {
        for (samples, ranks) in [(0, 3), (1, 2), (255, 3), (256, 1), (1000, 3), (4096, 2), (5000, 7)] {
            let p = SamplePartition(sampleCount: samples, rankCount: ranks)
            var next = 0
            for r in 0..<ranks {
                let s = p.samples(ofRank: r)
                #expect(s.lowerBound == next)
                #expect(s.lowerBound % SamplePartition.chunkSamples == 0 || s.isEmpty)
                next = s.upperBound
            }
            #expect(next == samples)
            let sizes = (0..<ranks).map { (p.samples(ofRank: $0).count + SamplePartition.chunkSamples - 1) / SamplePartition.chunkSamples }
            #expect(sizes.max()! - sizes.min()! <= 1)
        }
    }

    /// Every rank's share evaluated in this process and assembled.
    static func assembled(_ make: () throws -> any GradientEvaluating, batch: Batch, ranks: Int, paramCount: Int) throws -> EvaluationResult {
        let partition = SamplePartition(sampleCount: batch.sampleCount, rankCount: ranks)
        let I = batch.inputCount
        let parts = try (0..<ranks).map { r in
            let s = partition.samples(ofRank: r)
            let slice = try Batch(sampleCount: s.count, inputCount: I, values: Array(batch.values[(s.lowerBound * I)..<(s.upperBound * I)]))
            return try RankEvaluation.evaluate(try make(), slice: slice, partition: partition, rank: r)
        }
        return EvaluationResult(assembling: parts, partition: partition, inputCount: I, paramCount: paramCount)
    }

    @Test(arguments: [1, 2, 3, 5])
    func ranksGiveTheBitsOfOneEvaluation(ranks: Int) throws {
        let shape = MLPShape(layerSizes: [3, 5, 1])
        let circuit = try shape.circuit(seed: 4)
        let batch = try shape.batch(samples: 1000, seed: 5)
        let one = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 1)).evaluate(batch)
        for threads in [1, 2] {
            let split = try Self.assembled({ try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: threads)) },
                                           batch: batch, ranks: ranks, paramCount: circuit.paramCount)
            #expect(split.isBitwiseEqual(to: one), "\(ranks) ranks × \(threads) threads")
        }
        let reference = try Self.assembled({ ReferenceEvaluator(circuit: circuit) }, batch: batch, ranks: ranks, paramCount: circuit.paramCount)
        #expect(reference.isBitwiseEqual(to: one))
        #expect(circuit.paramCount > 0)
    }
}
