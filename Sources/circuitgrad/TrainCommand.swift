import ArgumentParser
import CircuitGrad
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension OptimizerSettings.Kind: ExpressibleByArgument {}

/// How `train` orders the samples of each epoch.
enum ShuffleMode: String, ExpressibleByArgument, CaseIterable {
    /// File order.
    case none
    /// A permutation per epoch from --seed.
    case seeded
}

/// `circuitgrad train`: gradient descent on the circuit's parameters.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Minimise a circuit's output over a data set by gradient descent on its parameters.",
        discussion: """
            The circuit holds the loss (targets are input wires). Each step takes a minibatch of \
            --batch-size samples (default: all), evaluates the loss and its parameter gradients with the \
            parallel engine, and applies the optimizer to the mean gradient. The optimizers are chains of \
            small transforms: sgd = [clip] [weight decay] scale(-lr); momentum and nesterov add a velocity \
            (v = momentum*v + g) before the scale; adam = [clip] adam-scaling [decoupled weight decay] \
            scale(-lr), with bias correction. Trajectories are the same bits for any --threads. \
            --loss-out writes step,epoch,loss (the minibatch's mean loss before the step's update) and, with \
            --plot, a picture of the curve beside it (same name, .svg). Ctrl-C stops after the current step \
            and still writes every output (exit status 130).
            """)

    @Argument(help: "The .circuit file (its output is the per-sample loss).")
    var circuit: String

    @Option(help: "The data set: a .csv with one column per input wire, or a .npy array of samples × inputs.")
    var inputs: String

    @Option(help: "The optimizer: sgd, momentum, nesterov or adam.")
    var optimizer: OptimizerSettings.Kind = .adam

    @Option(help: "Learning rate.")
    var lr: Double = 0.01

    @Option(help: "Adam's beta1.")
    var beta1: Double = 0.9

    @Option(help: "Adam's beta2.")
    var beta2: Double = 0.999

    @Option(help: "Adam's epsilon.")
    var eps: Double = 1e-8

    @Option(help: "Momentum of momentum and nesterov.")
    var momentum: Double = 0.9

    @Option(name: .customLong("weight-decay"), help: "Weight decay (0: none).")
    var weightDecay: Double = 0

    @Option(help: "Clip the mean gradient to this global norm (default: no clipping).")
    var clip: Double?

    @Option(help: "Passes over the data set.")
    var epochs: Int = 10

    @Option(name: .customLong("batch-size"), help: "Samples per step (default: all samples).")
    var batchSize: Int?

    @Option(help: "Sample order in each epoch: none (file order) or seeded (a permutation from --seed).")
    var shuffle: ShuffleMode = .none

    @Option(help: "Seed of the seeded shuffle.")
    var seed: UInt64 = 0

    @Option(name: .customLong("params-in"), help: "Start from these parameter values (param,value CSV) instead of the circuit's.")
    var paramsIn: String?

    @Option(name: .customLong("params-out"), help: "Write the parameters reached (param,value CSV).")
    var paramsOut: String?

    @Option(name: .customLong("circuit-out"), help: "Write the circuit with the parameters reached (.cgb: binary, else text).")
    var circuitOut: String?

    @Option(name: .customLong("loss-out"), help: "Write step,epoch,loss per step (CSV). Every output of train lands together or not at all.")
    var lossOut: String?

    @Flag(help: "With --loss-out, also draw the loss curve beside it (same name, .svg).")
    var plot = false

    @OptionGroup var engine: EngineArguments

    @OptionGroup var workers: ThreadsArgument

    @Flag(help: "Run as one rank of an MPI job (mpirun … circuitgrad train … --mpi): every step's minibatch is shared among the ranks; the trajectory is that of one process.")
    var mpi = false

    func validate() throws {
        #if !MPI
        if mpi { throw ValidationError(MPIArguments.unavailable) }
        #endif
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let b = batchSize, b < 1 { throw ValidationError("--batch-size must be at least 1") }
        if plot && lossOut == nil { throw ValidationError("--plot needs --loss-out (the picture is written beside it)") }
        if shuffle == .none && seed != 0 { throw ValidationError("--seed needs --shuffle seeded") }
    }

    /// Where the loss picture goes: the loss file's name with `.svg` for its extension.
    var plotPath: String? {
        guard plot, let l = lossOut else { return nil }
        let base = l.hasSuffix(".csv") ? String(l.dropLast(4)) : l
        return base + ".svg"
    }

    func run() throws {
        #if MPI
        if mpi { return try runWithMPI() }
        #endif
        let circuit = try CircuitReader.read(contentsOf: self.circuit)
        let data = try Batch.read(contentsOf: inputs, for: circuit)
        let start = try paramsIn.map { try ParameterFile.read(contentsOf: $0, for: circuit) } ?? circuit.paramValues
        try refuseOverwritingSources()
        let settings = try optimizerSettings()

        let evaluator = try CircuitEvaluator(circuit: circuit, options: engine.options(threads: workers.threads))
        if let note = evaluator.teamNote { Terminal.note("circuitgrad: \(note)") }
        let source = try EngineMinibatchGradient(evaluator: evaluator, data: data)
        let trainer = try Trainer(parameters: start, optimizer: settings.makeTransform(parameterCount: circuit.paramCount),
                                  sampleCount: data.sampleCount, batchSize: batchSize,
                                  order: shuffle == .seeded ? .seeded(seed) : .fileOrder)
        var log: [Trainer.Step] = []
        var nonFinite: Trainer.Step?
        let progress = ProgressLine("training")
        let began = MonotonicClock.seconds()
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let finished = try trainer.run(epochs: epochs, gradient: source.sums) { step in
            log.append(step)
            let rate = Double(step.samplesDone) / max(MonotonicClock.seconds() - began, 1e-9)
            progress.status("epoch \(step.epoch)/\(epochs)  step \(step.step)  loss \(NumberText.format(Double(Float(step.loss))))  \(Int(rate)) samples/s")
            if !step.loss.isFinite { nonFinite = step; return false }
            return !InterruptFlag.isSet
        }
        progress.finish()
        try writeOutputs(circuit: circuit, parameters: trainer.parameters, log: log)
        let last = log.last.map { "loss \(NumberText.format($0.loss)) at step \($0.step)" } ?? "no step"
        if let bad = nonFinite {
            Terminal.note("circuitgrad: error: the loss became \(NumberText.format(bad.loss)) at step \(bad.step) (epoch \(bad.epoch)); stopped there, outputs written")
            throw ExitCode.failure
        }
        if !finished {
            Terminal.note("circuitgrad: interrupted after step \(trainer.stepCount); \(last); outputs written")
            throw ExitCode(130)
        }
        Terminal.note("circuitgrad: trained \(trainer.stepCount) steps in \(format3(MonotonicClock.seconds() - began)) s; \(last)")
    }

    /// Outputs never replace the circuit or the data set.
    func refuseOverwritingSources() throws {
        try OutputPaths.refuseOverwriting(
            [("--params-out", paramsOut), ("--circuit-out", circuitOut), ("--loss-out", lossOut), ("--plot", plotPath)],
            sources: [self.circuit, inputs])
    }

    /// The optimizer the options describe.
    func optimizerSettings() throws -> OptimizerSettings {
        var settings = OptimizerSettings(kind: optimizer, learningRate: lr)
        (settings.beta1, settings.beta2, settings.epsilon) = (beta1, beta2, eps)
        settings.momentum = momentum
        settings.weightDecay = weightDecay
        settings.clipNorm = clip
        try settings.validate()
        return settings
    }

    /// Writes every output asked for as one transaction: all of them land, or none does.
    func writeOutputs(circuit: Circuit, parameters: [Double], log: [Trainer.Step]) throws {
        let transaction = OutputTransaction()
        if let p = paramsOut {
            let text = ParameterFile.text(names: circuit.paramNames, values: parameters)
            try transaction.add(p) { $0.write(text) }
        }
        if let c = circuitOut {
            let trained = try circuit.withParameterValues(parameters)
            if c.lowercased().hasSuffix(".cgb") {
                let bytes = try BinaryCircuitWriter.bytes(of: trained)
                try transaction.add(c) { out in bytes.withUnsafeBytes { out.write(bytes: $0) } }
            } else {
                let text = try CircuitWriter.text(of: trained)
                try transaction.add(c) { $0.write(text) }
            }
        }
        if let l = lossOut {
            try transaction.add(l) { out in
                out.write("step,epoch,loss\n")
                for s in log { out.write("\(s.step),\(s.epoch),\(NumberText.format(s.loss))\n") }
            }
        }
        if let svg = plotPath {
            let text = LossCurveSVG.text(losses: log.map(\.loss), title: "\(optimizer.rawValue), lr \(NumberText.format(lr)): loss per step")
            try transaction.add(svg) { $0.write(text) }
        }
        try transaction.commit()
        for note in transaction.notes { Terminal.note("circuitgrad: \(note)") }
    }

    func format3(_ x: Double) -> String { NumberText.format(Double(Int(x * 1000)) / 1000) }
}

/// Ctrl-C during training: the first SIGINT sets a flag the step loop reads after each step;
/// a second one ends the process as usual.
enum InterruptFlag {
    private static let flag = Atomic<Bool>(false)

    /// Whether SIGINT arrived.
    static var isSet: Bool { flag.load(ordering: .relaxed) }

    /// Catches SIGINT.
    static func install() {
        flag.store(false, ordering: .relaxed)
        // A parent may have started us with SIGINT blocked; this thread takes it.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT) { _ in
            InterruptFlag.flag.store(true, ordering: .relaxed)
            signal(SIGINT, SIG_DFL)
        }
    }

    /// Restores the default handling.
    static func uninstall() { signal(SIGINT, SIG_DFL) }
}
