import ArgumentParser
import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// `circuitgrad eval`: value and gradient for every sample of a batch.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a circuit's value and gradient for every sample of a batch.",
        discussion: """
            Writes one row per sample: `value`, then `d_NAME` for each input wire in declaration order \
            (CSV on standard output unless --output is given; `-` is standard output; NPY when OUT ends in \
            .npy, any case). Parameter gradients, summed over the batch, go to --param-grads as `param,grad` \
            rows (CSV), or as an NPY structured array with fields param and grad when its name ends in .npy. \
            Both outputs land or neither does; an existing file keeps its mode, a symbolic link stays a link. A circuit without \
            inputs is evaluated once and needs no --inputs. When a value or gradient is NaN or infinite, \
            the first node that produced it (in level order, then file order) is named on standard error \
            for the first such sample; --check-finite makes that an error (exit status 1). With --json one \
            object is printed instead of CSV: circuit, inputs, params, samples, values, gradients (one array \
            per sample), paramGradients, nonFinite; numbers read back bit for bit, NaN and infinities are \
            the strings "nan", "inf", "-inf". `-` as the circuit or --inputs reads standard input (not both). \
            Errors go to standard error in every mode.
            """)

    @Argument(help: "The circuit file (.circuit text or .cgb binary; - reads standard input).")
    var circuit: String

    @Option(help: "The batch: a .csv with one column per input wire, or a .npy array of samples × inputs (- reads standard input).")
    var inputs: String?

    @Option(help: "Write per-sample results here (.csv or .npy) instead of standard output.")
    var output: String?

    @Option(name: .customLong("param-grads"), help: "Write parameter gradients (summed over the batch) to this file (.csv, or .npy).")
    var paramGrads: String?

    @Option(help: "Parameter values to use instead of the circuit's (a param,value CSV file, e.g. from train --params-out).")
    var params: String?

    @Option(help: "Which evaluator: engine (parallel, the default) or reference (sequential oracle).")
    var evaluator: EvaluatorKind = .engine

    @OptionGroup var engine: EngineArguments

    @OptionGroup var workers: ThreadsArgument

    @Flag(name: .customLong("check-finite"), help: "Fail (exit status 1) when any value or gradient is NaN or infinite.")
    var checkFinite = false

    @Flag(help: "Print the results as one JSON object on standard output instead of CSV.")
    var json = false

    @OptionGroup var cluster: MPIArguments

    func validate() throws {
        if circuit == "-" && inputs == "-" { throw ValidationError("the circuit and --inputs cannot both be standard input (-)") }
        if json && output != nil { throw ValidationError("--json prints the results on standard output; give --json or --output, not both") }
    }

    func run() throws {
        if cluster.mpi { return try runWithMPI() }
        let circuit = try loadCircuit()
        let batch = try loadBatch(for: circuit)
        try refuseOverwritingInputs()

        let result: EvaluationResult
        switch evaluator {
        case .reference:
            result = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
        case .engine:
            let e = try CircuitEvaluator(circuit: circuit, options: engine.options(threads: workers.threads, evaluatesOnce: true))
            if let note = e.teamNote { Terminal.note("circuitgrad: \(note)") }
            let progress = ProgressLine("evaluating")
            e.progress = { done, total in progress.update(done, of: total) }
            result = try e.evaluate(batch)
            progress.finish()
        }
        let nonFinite = nonFiniteMessage(circuit: circuit, batch: batch, result: result)
        try write(result, circuit: circuit, nonFinite: nonFinite)
        try report(nonFinite: nonFinite)
    }

    /// Writes per-sample results (--json, --output or standard output) and the parameter
    /// gradients (--param-grads) together: both files land, or neither does. With `samplesStaged`,
    /// `transaction` already holds the per-sample results file, written.
    func write(_ result: EvaluationResult, circuit: Circuit, nonFinite: String?,
               into transaction: OutputTransaction = OutputTransaction(), samplesStaged: Bool = false) throws {
        if !json && !samplesStaged {
            let samplesPath = output ?? "-"
            try transaction.add(samplesPath, ResultsWriter.samplesBody(result, inputNames: circuit.inputNames, path: samplesPath))
        }
        if let path = paramGrads {
            try transaction.add(path, ResultsWriter.paramGradientsBody(result, paramNames: circuit.paramNames, path: path))
        }
        try transaction.commit()
        if json {
            try ResultsJSON.writeEvaluation(circuitName: FileBytes.displayName(self.circuit), circuit: circuit,
                                            result: result, nonFinite: nonFinite)
        }
        for note in transaction.notes { Terminal.note("circuitgrad: \(note)") }
    }

    /// The circuit, with the parameter values of --params when given.
    func loadCircuit() throws -> Circuit {
        let circuit = try CircuitReader.read(contentsOf: self.circuit)
        guard let p = params else { return circuit }
        return try circuit.withParameterValues(try ParameterFile.read(contentsOf: p, for: circuit))
    }

    /// The batch from --inputs, or the single evaluation of a circuit without inputs.
    func loadBatch(for circuit: Circuit) throws -> Batch {
        if let path = inputs { return try Batch.read(contentsOf: path, for: circuit) }
        if circuit.inputCount == 0 { return .single }
        throw ValidationError("\(self.circuit) has input wires (\(NameListing.short(circuit.inputNames))): give a batch with --inputs")
    }

    /// Results never replace the circuit or the batch they were computed from.
    func refuseOverwritingInputs() throws {
        let sources = [circuit, inputs, params].compactMap { $0 }.filter { $0 != "-" }.map(OutputDestination.identity(of:))
        for (flag, path) in [("--output", output), ("--param-grads", paramGrads)] {
            guard let path, path != "-" else { continue }
            if sources.contains(OutputDestination.identity(of: path)) {
                throw CircuitError(file: path, kind: .outputWrite, "\(flag) names one of the input files; refusing to overwrite it")
            }
        }
        if let o = output, let p = paramGrads, OutputDestination.identity(of: o) == OutputDestination.identity(of: p) {
            throw CircuitError(file: p, kind: .invalidArgument, "--output and --param-grads name the same file")
        }
    }

    /// Where the first NaN or infinity came from, or nil when every result is finite.
    func nonFiniteMessage(circuit: Circuit, batch: Batch, result: EvaluationResult) -> String? {
        if result.isFinite() { return nil }
        let finding = NonFiniteLocator.locateFirst(in: ReferenceEvaluator(circuit: circuit), batch: batch, result: result)
        return finding.map { "non-finite result: \($0)" }
            ?? "non-finite result: the parameter gradients overflowed when summed over the batch"
    }

    /// Names the first node that produced a NaN or infinity on standard error; an error with --check-finite.
    func report(nonFinite message: String?) throws {
        guard let message else { return }
        if checkFinite {
            Terminal.note("circuitgrad: error: \(message)")
            throw ExitCode.failure
        }
        Terminal.note("circuitgrad: warning: \(message)")
    }
}
