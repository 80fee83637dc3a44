import ArgumentParser
import CircuitGrad

/// `circuitgrad bench-steps`: what a training step and a Hessian-vector product cost next to
/// one evaluation of the same samples.
struct BenchStepsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-steps",
        abstract: "Time a training step and a Hessian-vector product against one evaluation of the same batch.",
        discussion: """
            Draws a data set of 2 × --batch samples (uniform in [-1, 1], from --seed) and a minibatch of \
            --batch of them in shuffled order. Per thread count, alternating in each repetition: one \
            evaluate of the minibatch (already gathered), one training step on it (gather the rows, set \
            the live parameters, evaluate, Adam update), one Hessian-vector product of the minibatch. \
            Prints medians (or, with --statistic minimum, the fastest repetitions: what a machine \
            shared with other work can still show of the quiet cost) and the ratios step/evaluate and \
            hvp/evaluate, plus the engine's workspace bytes for the gradient and for the HVP (a tangent \
            workspace beside each primal one, at the lane block the HVP picks).
            """)

    @Argument(help: "The .circuit file.")
    var circuit: String

    @Option(help: "Samples in the minibatch.")
    var batch: Int = 256

    @Option(help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Option(help: "Timed repetitions.")
    var reps: Int = 9

    /// What each column reports of the repetitions.
    enum Statistic: String, ExpressibleByArgument, CaseIterable {
        case median, minimum
    }

    @Option(help: "What to report of the repetitions: median or minimum.")
    var statistic: Statistic = .median

    @Option(help: "Seed of the data.")
    var seed: UInt64 = 1

    @OptionGroup var engine: EngineArguments

    func run() throws {
        let circuit = try CircuitReader.read(contentsOf: self.circuit)
        let counts = threads.split(separator: ",").compactMap { Int($0) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 >= 1 }), batch >= 1, reps >= 1 else {
            throw ValidationError("--threads must be positive integers, --batch and --reps at least 1")
        }
        var random = GeneratorRandom(seed: seed)
        let I = circuit.inputCount
        let data = try Batch(sampleCount: 2 * batch, inputCount: I, values: (0..<(2 * batch * I)).map { _ in random.uniform(-1, 1) })
        var order = Array(0..<(2 * batch))
        random.shuffle(&order)
        let indices = order[0..<batch]
        let minibatch = try Batch(rows: indices.map { Array(data.row($0)) }, inputCount: I)
        let direction = try Batch(sampleCount: batch, inputCount: I, values: (0..<(batch * I)).map { _ in random.uniform(-1, 1) })
        print("circuit \(self.circuit): \(circuit.nodeCount) nodes, \(circuit.paramCount) params; minibatch \(batch)")
        print("threads  evaluate_s  step_s  hvp_s  step/eval  hvp/eval  eval_workspace_bytes  hvp_workspace_bytes")
        for t in counts {
            let evaluator = try CircuitEvaluator(circuit: circuit, options: engine.options(threads: t))
            let hvp = HessianVectorEvaluator(evaluator: evaluator)
            let source = try EngineMinibatchGradient(evaluator: evaluator, data: data)
            let trainer = try Trainer(parameters: circuit.paramValues,
                                      optimizer: OptimizerSettings(kind: .adam, learningRate: 1e-6).makeTransform(parameterCount: circuit.paramCount),
                                      sampleCount: data.sampleCount)
            var eval: [Double] = [], step: [Double] = [], second: [Double] = []
            for r in 0...reps {
                let t0 = MonotonicClock.seconds()
                _ = try evaluator.evaluate(minibatch)
                let t1 = MonotonicClock.seconds()
                trainer.step(with: try source.sums(indices, trainer.parameters))
                let t2 = MonotonicClock.seconds()
                _ = try hvp.evaluate(minibatch, direction: direction)
                let t3 = MonotonicClock.seconds()
                if r > 0 { eval.append(t1 - t0); step.append(t2 - t1); second.append(t3 - t2) }
            }
            func summary(_ a: [Double]) -> Double { let s = a.sorted(); return statistic == .median ? s[s.count / 2] : s[0] }
            let (e, s, h) = (summary(eval), summary(step), summary(second))
            let d = evaluator.planDescription(sampleCount: batch)
            let inFlight = d.strategy == .blocks ? min(d.threads, d.blocks) : 1
            let bytes = d.workspaceBytesPerBlock * inFlight
            print("\(t)  \(e)  \(s)  \(h)  \(ratio(s / e))  \(ratio(h / e))  \(bytes)  \(hvp.workspaceBytes(sampleCount: batch))")
        }
    }

    private func ratio(_ x: Double) -> String { NumberText.format(Double(Int(x * 1000)) / 1000) }
}
