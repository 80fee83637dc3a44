#if MPI
import ArgumentParser
import CircuitGrad
import CircuitGradMPI

extension EvalCommand {
    /// `eval --mpi`: this process is one rank of an MPI job. Every rank reads the circuit and
    /// parses its own rows of the batch, evaluates them on its own cores, and rank 0 gathers and
    /// writes the results (atomically, as in one process). A failure on any rank stops every
    /// rank, and rank 0 names the rank and the cause; no output file is then written.
    func runWithMPI() throws {
        let world = try MPIWorld()
        defer { world.finish() }
        do {
            let placement = try world.together { try RankPlacement.shareCores(world, threads: workers.threads) }
            let circuit = try world.together { try loadCircuit() }
            try world.together { if world.rank == 0 { try refuseOverwritingInputs() } }
            let distributed = DistributedEvaluation(world: world)
            let slice = try world.together {
                guard let path = inputs else {
                    let batch = try loadBatch(for: circuit)   // a circuit without inputs: one sample
                    let mine = distributed.partition(sampleCount: batch.sampleCount).samples(ofRank: world.rank)
                    return Batch.Slice(sampleCount: batch.sampleCount, samples: mine,
                                       batch: try Batch(sampleCount: mine.count, inputCount: 0, values: []))
                }
                return try distributed.readSlice(path, for: circuit)
            }
            let model: any GradientEvaluating = try world.together {
                switch evaluator {
                case .reference: return ReferenceEvaluator(circuit: circuit)
                case .engine:
                    let e = try CircuitEvaluator(circuit: circuit, options: engine.options(threads: workers.threads))
                    if let note = e.teamNote { Terminal.note("circuitgrad: rank \(world.rank): \(note)") }
                    return e
                }
            }
            var timing = DistributedTiming()
            let result = try distributed.evaluate(model, slice: slice, timing: &timing, timeWaiting: cluster.mpiTiming)
            if cluster.mpiTiming {
                Terminal.note("{\"rank\":\(world.rank),\"ranks\":\(world.size),\"samples\":\(slice.samples.count),"
                    + "\"evaluateSeconds\":\(timing.evaluateSeconds),\"waitSeconds\":\(timing.waitSeconds),"
                    + "\"gatherSeconds\":\(timing.gatherSeconds),\"reduceSeconds\":\(timing.reduceSeconds),"
                    + "\"placement\":\"\(placement)\"}")
            }
            // Rank 0 writes; the first NaN or infinity is located with the whole batch, read only then.
            let nonFinite: String? = try world.together {
                guard let result else { return nil }
                let finite = result.values.allSatisfy(\.isFinite) && result.inputGradients.allSatisfy(\.isFinite)
                    && result.paramGradients.allSatisfy(\.isFinite)
                let message = finite ? nil : nonFiniteMessage(circuit: circuit, batch: try loadBatch(for: circuit), result: result)
                try write(result, circuit: circuit, nonFinite: message)
                return message
            }
            try report(nonFinite: nonFinite)
        } catch let failures as RankFailures {
            if world.rank == 0 { Terminal.note("circuitgrad: error: \(failures)") }
            throw ExitCode.failure
        }
    }
}
#endif
