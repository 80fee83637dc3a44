#if MPI
import ArgumentParser
import CircuitGrad
import CircuitGradMPI

extension TrainCommand {
    /// `train --mpi`: this process is one rank of an MPI job. Every rank reads the circuit and the
    /// whole data set and runs the same trainer; each step's minibatch is shared among the ranks
    /// and its sums combined in the pairwise tree's order on every rank
    /// (``DistributedMinibatchGradient``), so every rank holds the parameters one process would,
    /// after every step. Rank 0 shows progress and writes the outputs. A failure on any rank stops
    /// every rank (rank 0 names it); Ctrl-C ends the job through mpirun, without outputs.
    func runWithMPI() throws {
        let world = try MPIWorld()
        defer { world.finish() }
        do {
            _ = try world.together { try RankPlacement.shareCores(world, threads: workers.threads) }
            let circuit = try world.together { try CircuitReader.read(contentsOf: self.circuit) }
            let data = try world.together { try Batch.read(contentsOf: inputs, for: circuit) }
            let start = try world.together {
                try paramsIn.map { try ParameterFile.read(contentsOf: $0, for: circuit) } ?? circuit.paramValues
            }
            try world.together { if world.rank == 0 { try refuseOverwritingSources() } }
            let (source, trainer) = try world.together {
                let settings = try optimizerSettings()
                let evaluator = try CircuitEvaluator(circuit: circuit, options: engine.options(threads: workers.threads))
                if let note = evaluator.teamNote { Terminal.note("circuitgrad: rank \(world.rank): \(note)") }
                let source = try DistributedMinibatchGradient(world: world, evaluator: evaluator, data: data)
                let trainer = try Trainer(parameters: start, optimizer: settings.makeTransform(parameterCount: circuit.paramCount),
                                          sampleCount: data.sampleCount, batchSize: batchSize,
                                          order: shuffle == .seeded ? .seeded(seed) : .fileOrder)
                return (source, trainer)
            }
            var log: [Trainer.Step] = []
            var nonFinite: Trainer.Step?
            let progress = ProgressLine("training", enabled: world.rank == 0 && Terminal.standardErrorIsTerminal)
            let began = MonotonicClock.seconds()
            // The loss is the same bits on every rank, so every rank stops at the same step.
            try trainer.run(epochs: epochs, gradient: source.sums) { step in
                log.append(step)
                progress.status("epoch \(step.epoch)/\(epochs)  step \(step.step)  loss \(NumberText.format(Double(Float(step.loss))))")
                if !step.loss.isFinite { nonFinite = step; return false }
                return true
            }
            progress.finish()
            try world.together { if world.rank == 0 { try writeOutputs(circuit: circuit, parameters: trainer.parameters, log: log) } }
            guard world.rank == 0 else { return }
            let last = log.last.map { "loss \(NumberText.format($0.loss)) at step \($0.step)" } ?? "no step"
            if let bad = nonFinite {
                Terminal.note("circuitgrad: error: the loss became \(NumberText.format(bad.loss)) at step \(bad.step) (epoch \(bad.epoch)); stopped there, outputs written")
                throw ExitCode.failure
            }
            Terminal.note("circuitgrad: trained \(trainer.stepCount) steps on \(world.size) ranks in \(format3(MonotonicClock.seconds() - began)) s; \(last)")
        } catch let failures as RankFailures {
            if world.rank == 0 { Terminal.note("circuitgrad: error: \(failures)") }
            throw ExitCode.failure
        }
    }
}
#endif
