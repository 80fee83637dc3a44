import ArgumentParser
import CircuitGrad

/// `circuitgrad hvp`: Hessian-vector products per sample, by forward over reverse.
struct HVPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hvp",
        abstract: "Hessian-vector products of a circuit's output with respect to its inputs, per sample.",
        discussion: """
            For every sample of --inputs, along the direction d of --direction: writes `value`, `d_NAME` \
            (the gradient, as eval writes it) and `hvp_NAME` (H·d, the Hessian of the output with respect \
            to the inputs times d) for each input wire in declaration order. The direction file is a batch \
            (CSV with one column per input wire, or NPY) with one row per sample or a single row used for \
            every sample; parameters are held fixed. Results go to standard output as CSV unless --output \
            is given (NPY when it ends in .npy). The same bits for any thread count.
            """)

    @Argument(help: "The .circuit file.")
    var circuit: String

    @Option(help: "The batch: a .csv with one column per input wire, or a .npy array of samples × inputs.")
    var inputs: String?

    @Option(help: "The direction: one row per sample, or a single row (.csv or .npy, like a batch).")
    var direction: String

    @Option(help: "Write the results here (.csv or .npy) instead of standard output.")
    var output: String?

    @Option(help: "Parameter values to use instead of the circuit's (a param,value CSV file).")
    var params: String?

    @OptionGroup var engine: EngineArguments

    @OptionGroup var workers: ThreadsArgument

    func run() throws {
        var circuit = try CircuitReader.read(contentsOf: self.circuit)
        if let p = params { circuit = try circuit.withParameterValues(try ParameterFile.read(contentsOf: p, for: circuit)) }
        let batch: Batch
        if let path = inputs {
            batch = try Batch.read(contentsOf: path, for: circuit)
        } else if circuit.inputCount == 0 {
            batch = .single
        } else {
            throw ValidationError("\(self.circuit) has input wires (\(circuit.inputNames.joined(separator: ", "))): give a batch with --inputs")
        }
        let direction = circuit.inputCount == 0 ? Batch.single : try Batch.read(contentsOf: self.direction, for: circuit)
        guard direction.sampleCount == batch.sampleCount || direction.sampleCount == 1 else {
            throw CircuitError(file: self.direction, "has \(direction.sampleCount) rows; give one per sample of the batch (\(batch.sampleCount)) or a single row")
        }
        try OutputPaths.refuseOverwriting([("--output", output)], sources: [self.circuit, inputs, self.direction, params])
        let hvp = try HessianVectorEvaluator(circuit: circuit, options: engine.options(threads: workers.threads))
        if let note = hvp.evaluator.teamNote { Terminal.note("circuitgrad: \(note)") }
        let progress = ProgressLine("second order")
        hvp.evaluator.progress = { done, total in progress.update(done, of: total) }
        let result = try hvp.evaluate(batch, direction: direction)
        progress.finish()
        if let path = output {
            try SecondOrderResultsWriter.write(result, inputNames: circuit.inputNames, to: path)
        } else {
            let out = BufferedOutput.standardOutput()
            SecondOrderResultsWriter.writeCSV(result, inputNames: circuit.inputNames, to: out)
            try out.flush()
        }
    }
}

/// Refusing to write results over the files they were computed from.
enum OutputPaths {
    /// Throws when one of `outputs` (flag, path) names one of `sources` or another output.
    static func refuseOverwriting(_ outputs: [(String, String?)], sources: [String?]) throws {
        let sourceIDs = sources.compactMap { $0 }.compactMap(FilePaths.identity)
        var seen: [String: String] = [:]
        for (flag, path) in outputs {
            guard let path else { continue }
            if let id = FilePaths.identity(path), sourceIDs.contains(id) {
                throw CircuitError(file: path, "\(flag) names one of the input files; refusing to overwrite it")
            }
            let key = FilePaths.identity(path) ?? path
            if let other = seen[key] { throw CircuitError(file: path, "\(other) and \(flag) name the same file") }
            seen[key] = flag
        }
    }
}
