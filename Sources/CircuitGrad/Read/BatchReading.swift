/// Reading batches from CSV and NPY files.
///
/// CSV: a header row naming the circuit's input wires in any order (the set must equal
/// the circuit's inputs), then one row per sample; layout rules as in ``NumericCSV``
/// (blank lines skipped, CR LF, BOM, spaces around fields ignored). A header with no
/// rows is a batch of zero samples. NPY: a 2-D `'<f8'` array of samples × inputs in
/// declaration order (C or Fortran order). Values follow ``NumberSyntax``: `inf` is
/// allowed, NaN is not. A circuit without inputs needs no batch (``Batch/single``);
/// a CSV batch for one is refused, an NPY array of shape (n, 0) gives n samples.
extension Batch {
    /// Reads a batch for `circuit` from a CSV or NPY file (told apart by `FileKind`);
    /// `-` reads standard input.
    /// - Throws: ``CircuitError`` naming the file (and line and column for CSV).
    public static func read(contentsOf path: String, for circuit: Circuit) throws -> Batch {
        try FileBytes.withContents(of: path) { try parse($0, sourceName: FileBytes.displayName(path), for: circuit) }
    }

    /// Parses batch bytes, CSV or NPY (told apart by `FileKind`, which also checks the name).
    package static func parse(_ bytes: [UInt8], sourceName: String, for circuit: Circuit) throws -> Batch {
        try bytes.withUnsafeBufferPointer { try parse($0, sourceName: sourceName, for: circuit) }
    }

    /// Parses batch bytes, CSV or NPY, from a buffer.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>, sourceName: String, for circuit: Circuit) throws -> Batch {
        switch try FileKind.of(UnsafeRawBufferPointer(bytes), name: sourceName) {
        case .npy: return try parseNPY(bytes, sourceName: sourceName, for: circuit)
        case .binaryCircuit: throw CircuitError(file: sourceName, "this is a binary circuit file (it starts with \\x89CGB), not a batch")
        case .text: return try parseCSV(bytes, sourceName: sourceName, for: circuit)
        }
    }

    /// Parses a CSV batch whose header names the circuit's input wires in any order.
    package static func parseCSV(_ bytes: [UInt8], sourceName: String, for circuit: Circuit) throws -> Batch {
        try bytes.withUnsafeBufferPointer { try parseCSV($0, sourceName: sourceName, for: circuit) }
    }

    /// Parses a CSV batch, from a buffer.
    package static func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, sourceName: String, for circuit: Circuit) throws -> Batch {
        if circuit.inputCount == 0 {
            throw CircuitError(file: sourceName, kind: .batchShape, "the circuit has no input wires, so it needs no batch (it is evaluated once)")
        }
        let table = try NumericCSV.parse(bytes, file: sourceName, allowingNaN: false)
        // Map file columns to input wires.
        var inputOfName = [String: Int]()
        for (i, name) in circuit.inputNames.enumerated() { inputOfName[name] = i }
        var inputOfColumn = [Int]()
        var columnOfInput = [Int](repeating: -1, count: circuit.inputCount)
        for (c, name) in table.columnNames.enumerated() {
            guard let i = inputOfName[name] else {
                throw CircuitError(file: sourceName, location: table.columnLocations[c], kind: .batchShape,
                                   "column '\(name)' is not an input wire of the circuit; its inputs are \(NameListing.short(circuit.inputNames))")
            }
            if columnOfInput[i] >= 0 {
                throw CircuitError(file: sourceName, location: table.columnLocations[c], kind: .batchShape, "column '\(name)' appears twice in the header")
            }
            columnOfInput[i] = c
            inputOfColumn.append(i)
        }
        let missing = (0..<circuit.inputCount).filter { columnOfInput[$0] < 0 }.map { circuit.inputNames[$0] }
        if !missing.isEmpty {
            throw CircuitError(file: sourceName, location: SourceLocation(line: table.columnLocations[0].line, column: 0), kind: .batchShape,
                               "the header lacks column\(missing.count == 1 ? "" : "s") for input wire\(missing.count == 1 ? "" : "s") \(NameListing.short(missing))")
        }
        let width = circuit.inputCount
        if inputOfColumn == Array(0..<width) {
            return try Batch(sampleCount: table.rowCount, inputCount: width, values: table.values)
        }
        var values = [Double](repeating: 0, count: table.values.count)
        for r in 0..<table.rowCount {
            for c in 0..<width { values[r * width + inputOfColumn[c]] = table.values[r * width + c] }
        }
        return try Batch(sampleCount: table.rowCount, inputCount: width, values: values)
    }

    /// Parses an NPY batch: a 2-D `'<f8'` array, samples × inputs in declaration order.
    package static func parseNPY(_ bytes: [UInt8], sourceName: String, for circuit: Circuit) throws -> Batch {
        try bytes.withUnsafeBufferPointer { try parseNPY($0, sourceName: sourceName, for: circuit) }
    }

    /// Parses an NPY batch, from a buffer.
    package static func parseNPY(_ bytes: UnsafeBufferPointer<UInt8>, sourceName: String, for circuit: Circuit) throws -> Batch {
        let array = try NPYArray.parse(bytes, file: sourceName, allowingNaN: false)
        if array.columns != circuit.inputCount {
            throw CircuitError(file: sourceName, kind: .batchShape, "NPY: the array has \(array.columns) columns; the circuit has \(circuit.inputCount) input wires (\(NameListing.short(circuit.inputNames)))")
        }
        return try Batch(sampleCount: array.rows, inputCount: array.columns, values: array.values)
    }
}
