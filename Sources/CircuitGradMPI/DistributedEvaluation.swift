#if MPI
import CircuitGrad

/// How long the parts of a distributed evaluation took on this rank, in seconds.
package struct DistributedTiming: Sendable {
    /// Evaluating this rank's samples.
    package var evaluateSeconds = 0.0
    /// Waiting for the slowest rank (measured only when asked, with a barrier).
    package var waitSeconds = 0.0
    /// Moving every sample's value and input gradients to rank 0 (zero when each rank writes its own rows).
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

    /// Evaluates this rank's share (`slice`), agreeing with the other ranks on failure, and sums the
    /// parameter gradients on rank 0, but leaves each rank's rows where they are. On rank 0 the
    /// result has room for every sample, its own rows first (filled) and the parameter gradients;
    /// elsewhere it holds the rank's own rows. ``gatherRows(_:sampleCount:timing:)`` fills rank 0's.
    /// With `timeWaiting`, a barrier separates the slowest rank's wait from the reduction.
    ///
    /// Rank 0 evaluates straight into its rows of the whole result (its samples come first), so it
    /// neither copies its own results nor clears memory that is then overwritten.
    package func evaluateRows(_ evaluator: any GradientEvaluating, slice: Batch.Slice, timing: inout DistributedTiming,
                             timeWaiting: Bool = false) throws -> EvaluationResult {
        let c = evaluator.circuit
        let partition = partition(sampleCount: slice.sampleCount)
        let S = slice.sampleCount, I = c.inputCount, P = c.paramCount
        let samples = (0..<world.size).map { partition.samples(ofRank: $0).count }
        let mine = samples[world.rank]
        // Rank 0: the whole result, its rows first; elsewhere: this rank's rows. Every number is
        // written, by this rank's evaluation or by the gather, so none is cleared first.
        var rows = EvaluationResult(sampleCount: world.rank == 0 ? S : mine, inputCount: I, paramCount: P,
                                    writingEveryValueAndInputGradient: ())
        let t0 = MonotonicClock.seconds()
        let nodeSums = try world.together {
            try rows.values.withUnsafeMutableBufferPointer { values in
                try rows.inputGradients.withUnsafeMutableBufferPointer { grads in
                    try RankEvaluation.evaluate(evaluator, slice: slice.batch, partition: partition, rank: world.rank,
                                                values: UnsafeMutableBufferPointer(rebasing: values[0..<mine]),
                                                inputGradients: UnsafeMutableBufferPointer(rebasing: grads[0..<(mine * I)]))
                }
            }
        }
        let t1 = MonotonicClock.seconds()
        if timeWaiting { try world.barrier() }
        let t2 = MonotonicClock.seconds()
        let nodes = (0..<world.size).map { partition.nodes(ofRank: $0).count * P }
        var sums = [Double](repeating: 0, count: world.rank == 0 ? nodes.reduce(0, +) : 0)
        try world.gather(Array(nodeSums.joined()), counts: nodes, into: &sums)
        if world.rank == 0 { rows.paramGradients = RankEvaluation.combine(nodeSums: sums[...], partition: partition, width: P) }
        let t3 = MonotonicClock.seconds()
        timing.evaluateSeconds = t1 - t0
        timing.waitSeconds = t2 - t1
        timing.reduceSeconds = t3 - t2
        return rows
    }

    /// Moves every rank's rows of `rows` (from ``evaluateRows(_:slice:timing:timeWaiting:)`` on a
    /// batch of `sampleCount` samples) into rank 0's, which then holds the whole batch's result. The
    /// other ranks' rows are received straight into their place (`MPI_Gatherv` in place); rank 0's
    /// are not copied.
    package func gatherRows(_ rows: inout EvaluationResult, sampleCount: Int, timing: inout DistributedTiming) throws {
        let t0 = MonotonicClock.seconds()
        let I = rows.inputCount, partition = partition(sampleCount: sampleCount)
        let samples = (0..<world.size).map { partition.samples(ofRank: $0).count }
        try rows.values.withUnsafeMutableBufferPointer { try world.gather(inPlace: $0, counts: samples) }
        try rows.inputGradients.withUnsafeMutableBufferPointer { try world.gather(inPlace: $0, counts: samples.map { $0 * I }) }
        timing.gatherSeconds += MonotonicClock.seconds() - t0
    }
}
#endif
