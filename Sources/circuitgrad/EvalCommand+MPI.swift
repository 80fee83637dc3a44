#if MPI
import ArgumentParser
import CircuitGrad
import CircuitGradMPI

extension EvalCommand {
    /// `eval --mpi`: this process is one rank of an MPI job. Every rank reads the circuit and
    /// parses its own rows of the batch and evaluates them on its own cores; the results are
    /// written atomically, as in one process, by every rank into rank 0's temporary file or by
    /// rank 0 alone (``writeWithMPI(_:distributed:rows:sampleCount:circuit:timing:)``). A failure
    /// on any rank stops every rank, and rank 0 names the rank and the cause; no output file is
    /// then written.
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
                    let e = try CircuitEvaluator(circuit: circuit, options: engine.options(threads: workers.threads, evaluatesOnce: true))
                    if let note = e.teamNote { Terminal.note("circuitgrad: rank \(world.rank): \(note)") }
                    return e
                }
            }
            var timing = DistributedTiming()
            var rows = try distributed.evaluateRows(model, slice: slice, timing: &timing, timeWaiting: cluster.mpiTiming)
            let writeStart = MonotonicClock.seconds()
            let nonFinite = try writeWithMPI(world, distributed: distributed, rows: &rows, sampleCount: slice.sampleCount,
                                             circuit: circuit, timing: &timing)
            let writeSeconds = MonotonicClock.seconds() - writeStart - timing.gatherSeconds   // the gather, if any, apart
            if cluster.mpiTiming {
                Terminal.note("{\"rank\":\(world.rank),\"ranks\":\(world.size),\"samples\":\(slice.samples.count),"
                    + "\"evaluateSeconds\":\(timing.evaluateSeconds),\"waitSeconds\":\(timing.waitSeconds),"
                    + "\"gatherSeconds\":\(timing.gatherSeconds),\"reduceSeconds\":\(timing.reduceSeconds),"
                    + "\"writeSeconds\":\(writeSeconds),\"placement\":\"\(placement)\"}")
            }
            try report(nonFinite: nonFinite)
        } catch let failures as RankFailures {
            if world.rank == 0 { Terminal.note("circuitgrad: error: \(failures)") }
            throw ExitCode.failure
        }
    }

    /// Writes the outputs of `rows` (from ``DistributedEvaluation/evaluateRows(_:slice:timing:timeWaiting:)``)
    /// and returns rank 0's non-finite message. When the per-sample results go to a file and every
    /// rank runs on rank 0's machine, each rank writes its own rows into rank 0's temporary file
    /// (``SharedRowsFile``); otherwise, or when a result is NaN or infinite (located with the whole
    /// batch), rank 0 gathers the rows and writes them. Rank 0 renames the files into place last.
    private func writeWithMPI(_ world: MPIWorld, distributed: DistributedEvaluation, rows: inout EvaluationResult,
                              sampleCount: Int, circuit: Circuit, timing: inout DistributedTiming) throws -> String? {
        let transaction = OutputTransaction()
        let samplesPath = output ?? "-"
        let staged = try world.together { () -> (temporary: String, descriptor: Int32)? in
            guard world.rank == 0, !json, world.nodeSize == world.size, try OutputDestination(samplesPath).kind == .file else { return nil }
            return try transaction.addFile(samplesPath)
        }
        let temporary = try world.broadcast(staged?.temporary ?? "")
        let mine = distributed.partition(sampleCount: sampleCount).samples(ofRank: world.rank).count
        let finite = rows.isFinite(samples: 0..<mine)
        if let shared = try SharedRowsFile.open(world, temporary: temporary, staged: staged?.descriptor, eligible: finite, path: samplesPath) {
            // NPY rows have a known length and stream straight to the file; CSV rows are formatted
            // first, so that their length is known before the offsets are.
            let names = circuit.inputNames, own = rows
            let writeRows = { (out: BufferedOutput) in try ResultsWriter.writeSampleRows(own, samples: 0..<mine, inputNames: names, path: samplesPath, to: out) }
            var text: [UInt8] = []
            let length = try ResultsWriter.sampleRowsLength(sampleCount: mine, inputCount: names.count, path: samplesPath) ?? world.together {
                let memory = BufferedOutput(collectingIn: samplesPath)
                try writeRows(memory)
                text = memory.takeBytes()
                return text.count
            }
            try shared.write(header: ResultsWriter.samplesHeader(sampleCount: sampleCount, inputNames: names, path: samplesPath), length: length) { out in
                if text.isEmpty { return try writeRows(out) }
                for start in stride(from: 0, to: text.count, by: 1 << 16) {
                    text[start..<min(start + (1 << 16), text.count)].withUnsafeBytes { out.write(bytes: $0) }
                }
            }
            try world.together { if world.rank == 0 { try write(rows, circuit: circuit, nonFinite: nil, into: transaction, samplesStaged: true) } }
            return nil
        }
        try distributed.gatherRows(&rows, sampleCount: sampleCount, timing: &timing)
        // Rank 0 writes; the first NaN or infinity is located with the whole batch, read only then.
        return try world.together { () -> String? in
            guard world.rank == 0 else { return nil }
            let message = rows.isFinite() ? nil : nonFiniteMessage(circuit: circuit, batch: try loadBatch(for: circuit), result: rows)
            if let staged {
                try OutputTransaction.fill(staged.descriptor, path: samplesPath,
                                           with: ResultsWriter.samplesBody(rows, inputNames: circuit.inputNames, path: samplesPath))
            }
            try write(rows, circuit: circuit, nonFinite: message, into: transaction, samplesStaged: staged != nil)
            return message
        }
    }
}
#endif
