#if MPI
import CircuitGrad

/// Minibatch sums for ``Trainer`` spread over the ranks of an MPI job, with the bits of
/// ``EngineMinibatchGradient`` in one process, on every rank.
///
/// Every rank holds the whole data set and runs the same trainer, so every rank draws the same
/// minibatch. The minibatch's positions are shared out as ``SamplePartition`` shares a batch;
/// each rank reports, per pairwise-tree node covering its positions, the loss sum and the
/// parameter-gradient sums; every rank gathers all nodes (`MPI_Allgatherv`, which adds nothing)
/// and combines them in the tree's order. So all ranks take the same step, and hold identical
/// parameters after every step.
package struct DistributedMinibatchGradient {
    /// The job.
    package let world: MPIWorld
    /// This rank's evaluator.
    package let evaluator: CircuitEvaluator
    /// The whole data set (the same on every rank).
    package let data: Batch

    /// Sums over rows of `data`, shared among the ranks of `world`.
    package init(world: MPIWorld, evaluator: CircuitEvaluator, data: Batch) throws {
        guard data.inputCount == evaluator.circuit.inputCount else {
            throw CircuitError(file: "<training>", kind: .batchShape, "the data has \(data.inputCount) columns; the circuit has \(evaluator.circuit.inputCount) inputs")
        }
        self.world = world
        self.evaluator = evaluator
        self.data = data
    }

    /// The sums for rows `indices` at `parameters`, identical on every rank. Every rank must call
    /// it with the same arguments; a failure on any rank throws ``RankFailures`` on all.
    package func sums(_ indices: ArraySlice<Int>, _ parameters: [Double]) throws -> Trainer.MinibatchSums {
        let n = indices.count, P = evaluator.circuit.paramCount
        let partition = SamplePartition(sampleCount: n, rankCount: world.size)
        let local: [Double] = try world.together {
            let mine = partition.samples(ofRank: world.rank)
            let slice = try data.gathering(rows: indices[(indices.startIndex + mine.lowerBound)..<(indices.startIndex + mine.upperBound)])
            try evaluator.setParameters(parameters)
            let part = try RankEvaluation.evaluate(evaluator, slice: slice, partition: partition, rank: world.rank)
            // Per node: its loss sum (the pairwise sum of its samples' outputs), then its parameter sums.
            var out = [Double]()
            out.reserveCapacity(part.nodes.count * (P + 1))
            var at = 0
            for (node, sums) in zip(part.nodes, part.nodeSums) {
                let count = node.leaves(of: n).count
                out.append(PairwiseSum.sum(Array(part.values[at..<(at + count)])))
                out += sums
                at += count
            }
            return out
        }
        let counts = (0..<world.size).map { partition.nodes(ofRank: $0).count * (P + 1) }
        let all = try world.allGather(local, counts: counts)
        let total = RankEvaluation.combine(nodeSums: all[...], partition: partition, width: P + 1)
        return Trainer.MinibatchSums(lossSum: total[0], gradientSum: Array(total[1...]), sampleCount: n)
    }
}
#endif
