#if MPI
import CircuitGrad

/// How long the parts of a distributed evaluation took on this rank, in seconds.
public struct DistributedTiming: Sendable {
    /// Evaluating this rank's samples.
    public var evaluateSeconds = 0.0
    /// Waiting for the slowest rank (measured only when asked, with a barrier).
    public var waitSeconds = 0.0
    /// Moving results between ranks and combining the parameter sums along the tree.
    public var gatherSeconds = 0.0

    /// All zero.
    public init() {}
}

/// Values and gradients of one batch spread over the ranks of an MPI job, bit for bit the
/// same as one process: rank r evaluates the samples ``SamplePartition`` gives it, reports the
/// parameter-gradient sums of the pairwise-tree nodes covering them, and the nodes are put
/// back together in the tree's order (MPI's own reductions may reassociate, so none is used).
public struct DistributedEvaluation {
    /// The job.
    public let world: MPIWorld

    /// An evaluation over the ranks of `world`.
    public init(world: MPIWorld) { self.world = world }

    /// The partition of `sampleCount` samples over the job's ranks.
    public func partition(sampleCount: Int) -> SamplePartition {
        SamplePartition(sampleCount: sampleCount, rankCount: world.size)
    }

    /// This rank's share of the batch file at `path` (only its rows are parsed).
    public func readSlice(_ path: String, for circuit: Circuit) throws -> Batch.Slice {
        try Batch.readSlice(contentsOf: path, for: circuit) { total in
            partition(sampleCount: total).samples(ofRank: world.rank)
        }
    }

    /// Evaluates this rank's share (`slice`), agreeing with the other ranks on failure, then
    /// gathers everything on rank 0. Returns the whole batch's result on rank 0, nil elsewhere.
    /// With `timeWaiting`, a barrier separates the slowest rank's wait from the gathering.
    public func evaluate(_ evaluator: any GradientEvaluating, slice: Batch.Slice, timing: inout DistributedTiming,
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
        let counts = (0..<world.size).map {
            RankEvaluation.packedCount(partition: partition, rank: $0, inputCount: c.inputCount, paramCount: c.paramCount)
        }
        let all = try world.gather(part.packed, counts: counts)
        var result: EvaluationResult?
        if world.rank == 0 {
            var at = 0
            let parts = (0..<world.size).map { r in
                defer { at += counts[r] }
                return RankEvaluation(unpacking: all[at..<(at + counts[r])], partition: partition, rank: r,
                                      inputCount: c.inputCount, paramCount: c.paramCount)
            }
            result = EvaluationResult(assembling: parts, sampleCount: slice.sampleCount, inputCount: c.inputCount,
                                      paramCount: c.paramCount)
        }
        let t3 = MonotonicClock.seconds()
        timing.evaluateSeconds = t1 - t0
        timing.waitSeconds = t2 - t1
        timing.gatherSeconds = t3 - t2
        return result
    }
}
#endif
