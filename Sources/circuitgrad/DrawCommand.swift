import ArgumentParser
import CircuitGrad

/// `circuitgrad draw`: a picture of a circuit with the values and gradients on its wires.
struct DrawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw a circuit with each wire's value and gradient (SVG, PNG or DOT; Graphviz lays it out).",
        discussion: """
            Inputs are on the left, the output on the right, one column per dependency level. Function \
            nodes are labelled by their op, splitters are junction dots, parameters sit in a dashed box, \
            dead nodes are grey. With --inputs every wire is labelled `NAME = VALUE` over `grad GRADIENT` \
            (the derivative of the output with respect to that wire) for sample --sample of the batch; a \
            circuit without inputs is labelled from its single evaluation; otherwise wires show names only. \
            Above \(CircuitDrawing.automaticLimit) function nodes and splitters the automatic view draws a \
            level summary instead: levels grouped into at most \(LevelSummary.bandLimit) bands with their \
            width, op mix and fan-out, the wires flowing between them, and the most-read wires. The output \
            format is --format, else the name's extension (.svg, .png, .dot); `-o -` writes to standard \
            output. SVG and PNG need Graphviz's `dot` (Debian package graphviz); .dot does not.
            """)

    /// What to draw.
    enum View: String, ExpressibleByArgument, CaseIterable {
        case auto, nodes, summary
    }

    /// The picture's file format.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case svg, png, dot
    }

    /// The node view is refused above this many function nodes and splitters.
    static let nodeViewLimit = 5000

    @Argument(help: "The circuit file (.circuit text or .cgb binary; - reads standard input).")
    var circuit: String

    @Option(help: "A batch (.csv or .npy; - reads standard input) whose sample --sample labels the wires.")
    var inputs: String?

    @Option(help: "Which sample of --inputs to show, counting from 0.")
    var sample: Int = 0

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the picture (.svg, .png, .dot; - for standard output).")
    var output: String

    @Option(help: "svg, png or dot (default: from the output's extension).")
    var format: Format?

    @Option(help: "auto (nodes up to \(CircuitDrawing.automaticLimit) nodes and splitters, else summary), nodes, or summary.")
    var view: View = .auto

    @Option(help: "Significant digits of the numbers on wires (17 shows every bit).")
    var digits: Int = 4

    func validate() throws {
        if circuit == "-" && inputs == "-" { throw ValidationError("the circuit and --inputs cannot both be standard input (-)") }
        if sample < 0 { throw ValidationError("--sample counts from 0") }
        if !(1...17).contains(digits) { throw ValidationError("--digits must be between 1 and 17") }
        if format == nil && chosenFormat == nil {
            throw ValidationError("cannot tell the picture's format from '\(output)': give --format svg|png|dot or end the name in .svg, .png or .dot")
        }
    }

    private var chosenFormat: Format? {
        if let format { return format }
        let lower = output.lowercased()
        return Format.allCases.first { lower.hasSuffix("." + $0.rawValue) }
    }

    func run() throws {
        let c = try CircuitReader.read(contentsOf: circuit)
        try FilePaths.refuseOverwriting([circuit, inputs].compactMap { $0 }, with: output, flag: "--output")
        var batchName = ""
        var batch: Batch? = c.inputCount == 0 ? .single : nil
        if let path = inputs {
            batch = try Batch.read(contentsOf: path, for: c)
            batchName = FileBytes.displayName(path)
        }
        if let b = batch, sample >= b.sampleCount {
            throw ValidationError("--sample \(sample) is past the batch's \(b.sampleCount) sample\(b.sampleCount == 1 ? "" : "s") (counting from 0)")
        }
        let size = c.nodeCount + c.splitterCount
        let nodes = view == .nodes || (view == .auto && size <= CircuitDrawing.automaticLimit)
        if nodes && size > Self.nodeViewLimit {
            throw ValidationError("\(size) function nodes and splitters are too many for the node view (at most \(Self.nodeViewLimit)); use --view summary")
        }
        let progress = ProgressLine()
        if batch != nil { progress.phase("evaluating") }
        let trace = batch.map { ReferenceEvaluator(circuit: c).trace(sample: sample, of: $0) }
        var title = baseName(circuit)
        if trace != nil && !batchName.isEmpty { title += ", sample \(sample) of \(baseName(batchName))" }
        if trace != nil { title += " (green: value, red: gradient of the output)" }
        let dot: String
        if nodes {
            dot = CircuitDrawing(circuit: c, trace: trace, digits: digits, title: title).dot()
        } else {
            let value = trace.map { DotText.number($0.outputValue, digits: digits) }
            dot = LevelSummary(circuit: c).dot(title: baseName(circuit), outputValue: value)
        }
        let format = chosenFormat!
        progress.phase(format == .dot ? "writing" : "laying out with Graphviz")
        let bytes = format == .dot ? Array(dot.utf8) : try Graphviz.render(dot, format: format.rawValue, target: output)
        progress.finish()
        try ResultDestination.write(bytes, to: output)
    }

    /// The last part of a path (`<stdin>` for `-`).
    private func baseName(_ path: String) -> String {
        String(FileBytes.displayName(path).split(separator: "/").last ?? "")
    }
}
