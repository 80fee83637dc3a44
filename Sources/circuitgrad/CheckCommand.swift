import ArgumentParser
import CircuitGrad

/// `circuitgrad check`: reverse-mode gradients against central differences and forward mode.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check gradients and Hessian-vector products against central differences and forward mode.",
        discussion: """
            Without --inputs, checks --samples random points whose inputs are drawn uniformly from \
            [--low, --high] (default [0.25, 2]: positive, so log, sqrt and pow are defined) with a fixed \
            --seed. Points where a coordinate sits on a kink (relu or abs at 0, a max/min tie) are \
            reported as skipped, not failed. The second-order check compares Hessian-vector products along \
            random directions with central differences of the gradient. Also checks that the parallel \
            engine's results (gradients and Hessian-vector products) equal the reference sweeps' bit for bit. \
            Exit status 1 when anything fails. --json prints one object instead of text: circuit, gradients \
            and secondOrder (each {comparisons, failed, skipped, worstAbsolute, worstRelative, failures, \
            skips, pass}), engine{threads, bitwiseEqualToReference, hessianVectorProductsEqualToReference}, \
            pass. `-` as the circuit or --inputs reads standard input (not both).
            """)

    @Argument(help: "The circuit file (.circuit text or .cgb binary; - reads standard input).")
    var circuit: String

    @Option(help: "Check at the samples of this batch (.csv or .npy; - reads standard input) instead of random points.")
    var inputs: String?

    @Option(help: "How many random points (without --inputs), or the most samples of --inputs to check.")
    var samples: Int = 8

    @Option(help: "Lower bound of random inputs.")
    var low: Double = 0.25

    @Option(help: "Upper bound of random inputs.")
    var high: Double = 2

    @Option(help: "Seed of the random points and directions.")
    var seed: UInt64 = 1

    @OptionGroup var engine: EngineArguments

    @OptionGroup var workers: ThreadsArgument

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        if circuit == "-" && inputs == "-" { throw ValidationError("the circuit and --inputs cannot both be standard input (-)") }
        if samples < 1 { throw ValidationError("--samples must be at least 1") }
        if !(low < high) || !low.isFinite || !high.isFinite { throw ValidationError("--low must be below --high, both finite") }
    }

    func run() throws {
        let circuit = try CircuitReader.read(contentsOf: self.circuit)
        let batch: Batch
        if let path = inputs {
            let full = try Batch.read(contentsOf: path, for: circuit)
            let n = min(samples, full.sampleCount)
            batch = try Batch(sampleCount: n, inputCount: full.inputCount, values: Array(full.values.prefix(n * full.inputCount)))
        } else if circuit.inputCount == 0 {
            batch = .single
        } else {
            batch = try randomBatch(circuit)
        }
        var options = GradientCheck.Options()
        options.seed = seed
        let reference = ReferenceEvaluator(circuit: circuit)
        let report = try GradientCheck.run(reference, on: batch, options: options)
        let evaluator = try CircuitEvaluator(circuit: circuit, options: engine.options(threads: workers.threads))
        let same = try evaluator.evaluate(batch).isBitwiseEqual(to: reference.evaluate(batch))
        let second = try SecondOrderCheck.run(reference, on: batch, options: options)
        let sameHVP = try SecondOrderEngineAgreement.check(circuit: circuit, batch: batch, seed: seed,
                                                           options: engine.options(threads: workers.threads))
        let pass = report.passed && same && second.passed && sameHVP
        if json {
            print(ResultsJSON.check(circuitName: FileBytes.displayName(self.circuit), gradients: report, secondOrder: second,
                                    engineThreads: evaluator.threadCount, engineEqual: same, engineHVPEqual: sameHVP))
            if !pass { throw ExitCode.failure }
            return
        }
        print(report.description)
        print("engine (\(evaluator.threadCount) thread\(evaluator.threadCount == 1 ? "" : "s")) vs reference: "
              + (same ? "bit for bit equal" : "DIFFERENT -> FAIL"))
        print("second-order " + second.description)
        print("engine Hessian-vector products vs reference: " + (sameHVP ? "bit for bit equal" : "DIFFERENT -> FAIL"))
        print(pass ? "PASS" : "FAIL")
        if !pass { throw ExitCode.failure }
    }

    /// `samples` points with inputs uniform in [low, high], drawn from ``GeneratorRandom`` seeded with `seed`.
    func randomBatch(_ circuit: Circuit) throws -> Batch {
        var random = GeneratorRandom(seed: seed)
        let values = (0..<(samples * circuit.inputCount)).map { _ in random.uniform(low, high) }
        return try Batch(sampleCount: samples, inputCount: circuit.inputCount, values: values)
    }
}
