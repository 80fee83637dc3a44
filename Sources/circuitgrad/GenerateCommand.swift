import ArgumentParser
import CircuitGrad
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `circuitgrad generate`: writes a deterministic generated circuit, and optionally a batch for it.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a generated circuit (and a batch for it); the same seed and options give the same bytes.",
        discussion: """
        Kinds and their options (options of other kinds are refused):

        layered   random layered DAG; units nothing reads are averaged
                  --nodes N (1000)  --width W | --depth D (width √N)
                  --inputs N (width)  --params N (0)  --fan-in K (2)
                  --ops MIX (add:3,mul:3,tanh:1,sin:1,cos:1,sigmoid:1)
                  allowed: every op
        mlp       neural network as gates, loss against targets y0…
                  --layers 4,16,16,1  --activation sigmoid|tanh|relu (tanh)
                  --loss squared|logistic (squared)
        logistic  σ(w0 + w1·x1 + … + wn·xn), w as params
                  --features N (8)
        tree      reduction tree over the inputs
                  --inputs N (1024)  --fan-in K (2)
                  --ops MIX (add; allowed: add mul max min, and
                  sin cos tanh sigmoid applied to a group's add)
        chain     N nodes, each reading the one before
                  --nodes N (1000)  --ops MIX (sin,cos,tanh,sigmoid;
                  allowed: sin cos tanh sigmoid neg abs)
        grid      2-D wavefront: cell (i,j) = OP(above + left)
                  --rows R --columns C (32 × 32)
                  --ops MIX (sin; allowed: sin tanh sigmoid)

        MIX is OP[:WEIGHT],…  e.g. add:4,mul:4,sin:1,exp:1

        --batch N --batch-out FILE.csv|FILE.npy also writes N samples,
        drawn uniformly from ranges that keep every op finite (inputs in
        [-1, 1], mlp targets in [0, 1]), from --batch-seed (default --seed).
        Existing files are kept unless --force is given.

        Example:
          circuitgrad generate layered --seed 7 --nodes 1000000 \\
            --width 1000 -o big.circuit --batch 64 --batch-out big.npy
        """)

    @Argument(help: "The kind of circuit: \(CircuitGenerator.kinds.joined(separator: ", ")).")
    var kind: String

    @Option(help: "Seed of the generator (an unsigned 64-bit integer).")
    var seed: UInt64

    @Option(name: [.customShort("o"), .customLong("output")], help: "The .circuit file to write.")
    var output: String

    @Option(help: "layered: about this many function nodes; chain: its length.")
    var nodes: Int?

    @Option(help: "layered: units per layer.")
    var width: Int?

    @Option(help: "layered: number of layers (instead of --width).")
    var depth: Int?

    @Option(help: "layered: number of input wires; tree: number of leaves.")
    var inputs: Int?

    @Option(help: "layered: number of parameter wires joining the inputs.")
    var params: Int?

    @Option(name: .customLong("fan-in"), help: "layered, tree: wires per add/mul/max/min node.")
    var fanIn: Int?

    @Option(help: "layered, tree, chain, grid: weighted op mix, e.g. add:4,mul:4,sin:1.")
    var ops: String?

    @Option(help: "mlp: layer sizes, inputs first, e.g. 4,16,16,1.")
    var layers: String?

    @Option(help: "mlp: hidden activation (sigmoid, tanh, relu).")
    var activation: String?

    @Option(help: "mlp: loss (squared, logistic).")
    var loss: String?

    @Option(help: "logistic: number of features.")
    var features: Int?

    @Option(help: "grid: number of rows.")
    var rows: Int?

    @Option(help: "grid: number of columns.")
    var columns: Int?

    @Option(help: "Also write a batch of this many samples (needs --batch-out).")
    var batch: Int?

    @Option(name: .customLong("batch-out"), help: "Where to write the batch: FILE.csv or FILE.npy.")
    var batchOut: String?

    @Option(name: .customLong("batch-seed"), help: "Seed of the batch (default: --seed).")
    var batchSeed: UInt64?

    @Flag(help: "Overwrite existing output files.")
    var force = false

    @Flag(name: .customLong("quiet"), help: "No progress or summary on standard error.")
    var quiet = false

    /// The options each kind accepts, by their command-line names.
    static let optionsOfKind: [String: Set<String>] = [
        "layered": ["--nodes", "--width", "--depth", "--inputs", "--params", "--fan-in", "--ops"],
        "mlp": ["--layers", "--activation", "--loss"],
        "logistic": ["--features"],
        "tree": ["--inputs", "--fan-in", "--ops"],
        "chain": ["--nodes", "--ops"],
        "grid": ["--rows", "--columns", "--ops"],
    ]

    /// The shape options that were given, by their command-line names.
    var givenShapeOptions: [String] {
        let given: [(String, Bool)] = [
            ("--nodes", nodes != nil), ("--width", width != nil), ("--depth", depth != nil),
            ("--inputs", inputs != nil), ("--params", params != nil), ("--fan-in", fanIn != nil),
            ("--ops", ops != nil), ("--layers", layers != nil), ("--activation", activation != nil),
            ("--loss", loss != nil), ("--features", features != nil), ("--rows", rows != nil),
            ("--columns", columns != nil),
        ]
        return given.filter(\.1).map(\.0)
    }

    mutating func validate() throws {
        guard let allowed = GenerateCommand.optionsOfKind[kind] else {
            throw ValidationError("unknown kind '\(kind)'; kinds: \(CircuitGenerator.kinds.joined(separator: ", "))")
        }
        for option in givenShapeOptions where !allowed.contains(option) {
            throw ValidationError("\(option) does not apply to '\(kind)'; it takes: \(allowed.sorted().joined(separator: ", "))")
        }
        if (batch == nil) != (batchOut == nil) {
            throw ValidationError("--batch N and --batch-out FILE go together")
        }
        if let n = batch, n < 1 { throw ValidationError("--batch must be at least 1, got \(n)") }
        if let path = batchOut, BatchWriter.Format(path: path) == nil {
            throw ValidationError("--batch-out '\(path)' must end in .csv or .npy")
        }
        if batchOut == output { throw ValidationError("--batch-out and -o name the same file '\(output)'") }
    }

    /// The shape for the kind and options.
    func shape() throws -> any CircuitShape {
        let mix = try ops.map { try OpMix(parsing: $0) }
        switch kind {
        case "layered":
            return LayeredShape(nodes: nodes ?? 1000, width: width, depth: depth, inputs: inputs, params: params ?? 0,
                                fanIn: fanIn ?? 2, ops: mix ?? LayeredShape.defaultOps)
        case "mlp":
            var sizes = [4, 16, 16, 1]
            if let text = layers {
                let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.filter { $0 != " " }) }
                guard parts.allSatisfy({ $0 != nil }) else {
                    throw GeneratorError("--layers '\(text)' should be sizes separated by commas, e.g. 4,16,16,1")
                }
                sizes = parts.map { $0! }
            }
            guard let act = MLPShape.Activation(rawValue: activation ?? "tanh") else {
                throw GeneratorError("--activation must be one of: \(MLPShape.Activation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let lossKind = MLPShape.Loss(rawValue: loss ?? "squared") else {
                throw GeneratorError("--loss must be one of: \(MLPShape.Loss.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return MLPShape(layerSizes: sizes, activation: act, loss: lossKind)
        case "logistic":
            return LogisticShape(features: features ?? 8)
        case "tree":
            return TreeShape(leaves: inputs ?? 1024, fanIn: fanIn ?? 2, ops: mix ?? TreeShape.defaultOps)
        case "chain":
            return ChainShape(length: nodes ?? 1000, ops: mix ?? ChainShape.defaultOps)
        default:
            return GridShape(rows: rows ?? 32, columns: columns ?? 32, ops: mix ?? GridShape.defaultOps)
        }
    }

    func run() throws {
        for path in [output, batchOut].compactMap({ $0 }) where !force && access(path, F_OK) == 0 {
            throw GeneratorError("'\(path)' exists; pass --force to overwrite it")
        }
        let shape = try self.shape()
        try shape.validate()
        try CircuitGenerator.checkSize(wires: shape.wireEstimate, kind: kind)
        if let samples = batch { try OptionLimits.checkBatchMemory(samples: samples, inputs: shape.inputCount, option: "--batch") }
        let report = ProgressLine(enabled: !quiet && Terminal.standardErrorIsTerminal)
        let start = MonotonicClock.seconds()
        let circuit = try shape.circuit(seed: seed) { fraction in
            if fraction < 1 { report.show("generating", fraction: fraction) } else { report.phase("resolving names, splitters and levels") }
        }
        report.phase("resolved \(circuit.nodeCount) nodes; writing \(output)")
        // The circuit and its batch land together or not at all.
        let transaction = OutputTransaction()
        let text = try CircuitWriter.text(of: circuit)
        try transaction.add(output) { $0.write(text) }
        if let samples = batch, let path = batchOut {
            report.phase("writing batch \(path)")
            let values = try shape.batch(samples: samples, seed: batchSeed ?? seed)
            try transaction.add(path, BatchWriter.body(values, inputNames: circuit.inputNames, format: BatchWriter.Format(path: path)!))
        }
        try transaction.commit()
        for note in transaction.notes { Terminal.note("circuitgrad: \(note)") }
        report.finish()
        if !quiet {
            let seconds = MonotonicClock.seconds() - start
            var line = "\(kind): \(circuit.nodeCount) nodes, \(circuit.inputCount) inputs, \(circuit.paramCount) params, "
                + "\(circuit.splitterCount) splitters, \(circuit.levelCount) levels -> \(output)"
            if let samples = batch, let path = batchOut { line += "; \(samples) samples -> \(path)" }
            line += " (\(String(Int(seconds * 1000))) ms)"
            Terminal.note(line)
        }
    }
}
