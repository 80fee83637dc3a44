/// Writes a circuit as canonical `.circuit` text, which reads back to an identical circuit.
///
/// Order: the header, one `input` line, `param` lines, function nodes in node order,
/// written `split` lines in order, `output`. Inserted splitters are invisible: an
/// argument that reads an inserted splitter output is written as the wire it copies
/// (`Circuit/fileName(ofWire:)`), so the reader inserts the same splitters again.
/// Numbers are written by `NumberText`.
///
/// ```swift
/// try CircuitWriter.write(try circuit.withParameterValues(trainer.parameters), to: "trained.circuit")
/// ```
public enum CircuitWriter {
    /// The canonical text of `circuit`.
    /// - Throws: ``CircuitError`` when a parameter or constant is NaN, which version 1 files cannot hold.
    public static func text(of circuit: Circuit) throws -> String {
        var out = "circuit 1\n"
        if circuit.inputCount > 0 { out += "input " + circuit.inputNames.joined(separator: " ") + "\n" }
        for p in 0..<circuit.paramCount {
            out += "param \(circuit.paramNames[p]) \(try number(circuit.paramValues[p], circuit.paramNames[p]))\n"
        }
        for n in 0..<circuit.nodeCount {
            let op = circuit.ops[n]
            out += circuit.nodeNames[n] + " = " + op.name
            for a in circuit.arguments(of: n) { out += " " + circuit.fileName(ofWire: Int(a)) }
            if op.takesConstant { out += " " + (try number(circuit.constants[n], circuit.nodeNames[n])) }
            out += "\n"
        }
        for s in 0..<circuit.explicitSplitterCount {
            let outputs = circuit.outputs(ofSplitter: s).map { circuit.name(ofWire: $0) }
            out += outputs.joined(separator: " ") + " = split " + circuit.fileName(ofWire: Int(circuit.splitterSource[s])) + "\n"
        }
        out += "output " + circuit.fileName(ofWire: Int(circuit.outputWire)) + "\n"
        return out
    }

    /// Writes `circuit` to `path` atomically.
    public static func write(_ circuit: Circuit, to path: String) throws {
        try AtomicFile.write(try text(of: circuit), to: path)
    }

    private static func number(_ x: Double, _ owner: String) throws -> String {
        if x.isNaN {
            throw CircuitError(file: "<writer>", kind: .invalidArgument, "'\(owner)' holds NaN, which a .circuit file cannot hold")
        }
        return NumberText.format(x)
    }
}
