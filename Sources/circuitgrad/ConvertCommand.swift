import ArgumentParser
import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// `circuitgrad convert`: `.circuit` text to the binary format and back.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a circuit between .circuit text and the binary .cgb format (either way, exactly).",
        discussion: """
            The input's format is told by its content (a binary file starts with \\x89CGB). The output's \
            format is --to, else the name's extension (.cgb binary, .circuit text). Both formats hold the \
            same circuit: converting text to binary and back gives the canonical text (the one the \
            reader and writer agree on: one input line, parameters, nodes in file order, written splits, \
            output; no comments), and converting that text again gives the same binary bytes. Every \
            command reads either format; binary files load much faster. See docs/format-binary.md. \
            `-` reads standard input or writes standard output. An existing output is kept unless --force.
            """)

    /// The circuit file formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, binary
    }

    @Argument(help: "The circuit to read (text or binary; - reads standard input).")
    var input: String

    @Argument(help: "Where to write it (- for standard output).")
    var output: String

    @Option(help: "text or binary (default: from the output's extension).")
    var to: Format?

    @Flag(help: "Replace an existing output file.")
    var force = false

    @Flag(help: "Print the seconds spent reading (wall clock and CPU) and writing on standard error.")
    var timing = false

    func validate() throws {
        if chosenFormat == nil {
            throw ValidationError("cannot tell the output format from '\(output)': give --to text|binary or end the name in .circuit or .cgb")
        }
    }

    private var chosenFormat: Format? {
        if let to { return to }
        let lower = output.lowercased()
        if lower.hasSuffix(".cgb") { return .binary }
        if lower.hasSuffix(".circuit") { return .text }
        return nil
    }

    func run() throws {
        try FilePaths.refuseOverwriting([input], with: output, flag: "the output")
        if output != "-" && !force && FilePaths.identity(output) != nil {
            throw CircuitError(file: output, "already exists; give --force to replace it")
        }
        let progress = ProgressLine()
        progress.phase("reading \(FileBytes.displayName(input))")
        let start = MonotonicClock.seconds(), startCPU = Self.processCPUSeconds()
        let circuit = try CircuitReader.read(contentsOf: input)
        let read = MonotonicClock.seconds(), readCPU = Self.processCPUSeconds() - startCPU
        progress.phase("writing")
        let bytes: [UInt8]
        switch chosenFormat! {
        case .binary: bytes = try BinaryCircuitWriter.bytes(of: circuit)
        case .text: bytes = Array(try CircuitWriter.text(of: circuit).utf8)
        }
        try ResultDestination.write(bytes, to: output)
        progress.finish()
        if timing {
            let written = MonotonicClock.seconds()
            Terminal.note("read \(read - start) s, \(readCPU) s CPU (\(circuit.nodeCount) function nodes); "
                          + "write \(written - read) s (\(bytes.count) bytes)")
        }
    }

    /// CPU seconds this process has used (user and system, all threads).
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
