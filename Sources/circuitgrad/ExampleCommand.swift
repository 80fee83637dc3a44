import ArgumentParser
import CircuitGrad

/// `circuitgrad example`: evaluates built-in example circuits and shows the results,
/// so a fresh install proves itself in one command.
struct ExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example",
        abstract: "Evaluate two built-in example circuits and check the engine against the reference.")

    @OptionGroup var engine: EngineArguments

    @OptionGroup var workers: ThreadsArgument

    /// The worked example of docs/format.md, f(x, y, z) = (x + y)·z.
    static let worked = """
        circuit 1
        input x y z
        v1 = add x y
        f = mul v1 z
        output f
        """

    /// The seeds' logistic neuron σ(w0 + w1·x1 + w2·x2) with its weights as parameters.
    static let neuron = """
        circuit 1
        input x1 x2
        param w0 -3
        param w1 2
        param w2 -3
        p1 = mul w1 x1
        p2 = mul w2 x2
        z = add w0 p1 p2
        f = sigmoid z
        output f
        """

    func run() throws {
        try show(title: "The worked example f(x, y, z) = (x + y)·z", text: Self.worked, name: "worked.circuit",
                 rows: [[-2, 5, -4], [1, 2, 3], [0.5, -0.25, 10]])
        print("")
        try show(title: "A logistic neuron σ(w0 + w1·x1 + w2·x2), weights as parameters", text: Self.neuron,
                 name: "neuron.circuit", rows: [[-1, -2], [0.5, 1]])
        print("")
        print("Next: circuitgrad eval Examples/worked.circuit --inputs Examples/worked.csv")
        print("      circuitgrad info Examples/neuron.circuit; circuitgrad check Examples/neuron.circuit --inputs Examples/neuron.csv")
    }

    func show(title: String, text: String, name: String, rows: [[Double]]) throws {
        let circuit = try CircuitReader.parse(text, sourceName: name)
        let batch = try Batch(rows: rows, inputCount: circuit.inputCount)
        let evaluator = try CircuitEvaluator(circuit: circuit, options: engine.options(threads: workers.threads))
        let result = try evaluator.evaluate(batch)
        let reference = try ReferenceEvaluator(circuit: circuit).evaluate(batch)

        print("\(title):\n")
        for line in text.split(separator: "\n") { print("    \(line)") }
        print("")
        let headers = circuit.inputNames + ["f"] + circuit.inputNames.map { "df/d\($0)" }
        var table = [headers]
        for s in 0..<batch.sampleCount {
            let cells = Array(batch.row(s)) + [result.values[s]] + Array(result.gradient(ofSample: s))
            table.append(cells.map(NumberText.format))
        }
        let widths = (0..<headers.count).map { c in table.map { $0[c].count }.max() ?? 0 }
        for row in table {
            let line = zip(row, widths).map { $0.padded(to: $1) }.joined(separator: "  ")
            print("    " + String(line.reversed().drop(while: { $0 == " " }).reversed()))
        }
        if circuit.paramCount > 0 {
            let grads = zip(circuit.paramNames, result.paramGradients).map { "df/d\($0) = \(NumberText.format($1))" }
            print("    parameter gradients summed over the \(batch.sampleCount) samples: " + grads.joined(separator: ", "))
        }
        let check = try GradientCheck.run(ReferenceEvaluator(circuit: circuit), on: batch)
        let same = result.isBitwiseEqual(to: reference)
        print("    engine (\(evaluator.threadCount) thread\(evaluator.threadCount == 1 ? "" : "s")) vs reference sweeps: "
              + (same ? "bit for bit equal" : "DIFFERENT"))
        print("    gradient vs central differences and forward mode: " + (check.passed ? "pass" : "FAIL")
              + (check.worstRelative.map { " (worst relative error \(NumberText.format($0.relativeError)))" } ?? ""))
        if !same || !check.passed { throw ExitCode.failure }
    }
}
