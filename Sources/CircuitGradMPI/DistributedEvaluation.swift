#if MPI
import CircuitGrad

/// How long the parts of a distributed evaluation took on this rank, in seconds.
package struct DistributedTiming: Sendable {
    /// Evaluating this rank's samples.
    package var evaluateSeconds = 0.0
    /// Waiting for the slowest rank (measured only when asked, with a barrier).
    package var waitSeconds = 0.0
    /// Moving every sample's value and input gradients to rank 0.
    package var gatherSeconds = 0.0
    /// Reducing the parameter gradients: moving the node sums and combining them along the tree.
    package var reduceSeconds = 0.0

    /// All zero.
    package init() {}
}

/// Values and gradients of one batch spread over the ranks of an MPI job, bit for bit the
/// same as one process: rank r evaluates the samples ``SamplePartition`` gives it, reports the
/// parameter-gradient sums of the pairwise-tree nodes covering them, and the nodes are put
/// back together in the tree's order (MPI's own reductions may reassociate, so none is used).
package struct DistributedEvaluation {
    /// The job.
    package let world: MPIWorld

    /// An evaluation over the ranks of `world`.
    package init(world: MPIWorld) { self.world = world }

    /// The partition of `sampleCount` samples over the job's ranks.
    package func partition(sampleCount: Int) -> SamplePartition {
        SamplePartition(sampleCount: sampleCount, rankCount: world.size)
    }

    /// This rank's share of the batch file at `path` (only its rows are parsed).
    package func readSlice(_ path: String, for circuit: Circuit) throws -> Batch.Slice {
        try Batch.readSlice(contentsOf: path, for: circuit) { total in
            partition(sampleCount: total).samples(ofRank: world.rank)
        }
    }

    /// Evaluates this rank's share (`slice`), agreeing with the other ranks on failure, then
    /// gathers everything on rank 0. Returns the whole batch's result on rank 0, nil elsewhere.
    /// With `timeWaiting`, a barrier separates the slowest rank's wait from the gathering.
    package func evaluate(_ evaluator: any GradientEvaluating, slice: Batch.Slice, timing: inout DistributedTiming,
                         timeWaiting: Bool = false) throws -> EvaluationResult? {
        let c = evaluator.circuit
        let partition = partition(sampleCount: slice.sampleCount)
        let t0 = MonotonicClock.seconds()
        let part = try world.together {
            try RankEvaluation.evaluate(evaluator, slice: slice.batch, partition: partition, rank: world.rank)
        }
        let t1 = MonotonicClock.seconds()
        if timeWaiting { try world.barrier() }
        let t2 = MonotonicClock.seconds()
        // Values and input gradients straight into rank 0's result, then the node sums.
        let S = slice.sampleCount, I = c.inputCount, P = c.paramCount
        let samples = (0..<world.size).map { partition.samples(ofRank: $0).count }
        var result = world.rank == 0 ? EvaluationResult(sampleCount: S, inputCount: I, paramCount: P)
                                     : EvaluationResult(sampleCount: 0, inputCount: I, paramCount: 0)
        try world.gather(part.values, counts: samples, into: &result.values)
        try world.gather(part.inputGradients, counts: samples.map { $0 * I }, into: &result.inputGradients)
        let t3 = MonotonicClock.seconds()
        let nodes = (0..<world.size).map { partition.nodes(ofRank: $0).count * P }
        var sums = [Double](repeating: 0, count: world.rank == 0 ? nodes.reduce(0, +) : 0)
        try world.gather(Array(part.nodeSums.joined()), counts: nodes, into: &sums)
        if world.rank == 0 { result.paramGradients = RankEvaluation.combine(nodeSums: sums[...], partition: partition, width: P) }
        let t4 = MonotonicClock.seconds()
        timing.evaluateSeconds = t1 - t0
        timing.waitSeconds = t2 - t1
        timing.gatherSeconds = t3 - t2
        timing.reduceSeconds = t4 - t3
        return world.rank == 0 ? result : nil
    }
}
#endif
