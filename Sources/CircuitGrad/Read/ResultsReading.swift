/// Per-sample results read back from a CSV or NPY file (for tests and tools that compare
/// result files). NaN is allowed here, since results may hold it.
public struct SampleResultsTable: Sendable, Equatable {
    /// Column names: `value`, then `d_NAME` per input (for NPY files, made up the same way as `c0`, `c1`, …).
    public var columnNames: [String]
    /// Number of samples.
    public var rowCount: Int
    /// Row-major values, `rowCount × columnNames.count`.
    public var values: [Double]

    /// Value at `row`, `column`.
    public subscript(row: Int, column: Int) -> Double { values[row * columnNames.count + column] }

    /// Reads a results file, NPY or CSV (told apart by ``FileKind``); `-` reads standard input.
    public static func read(contentsOf path: String) throws -> SampleResultsTable {
        try parse(try FileBytes.read(path), sourceName: FileBytes.displayName(path))
    }

    /// Parses results bytes, CSV or NPY (told apart by ``FileKind``, which also checks the name).
    public static func parse(_ bytes: [UInt8], sourceName: String) throws -> SampleResultsTable {
        let kind = try FileKind.of(bytes, name: sourceName)
        if kind == .binaryCircuit { throw CircuitError(file: sourceName, "this is a binary circuit file, not results") }
        if kind == .npy {
            let a = try NPYArray.parse(bytes, file: sourceName, allowingNaN: true)
            return SampleResultsTable(columnNames: (0..<a.columns).map { "c\($0)" }, rowCount: a.rows, values: a.values)
        }
        let t = try NumericCSV.parse(bytes, file: sourceName, allowingNaN: true)
        return SampleResultsTable(columnNames: t.columnNames, rowCount: t.rowCount, values: t.values)
    }

    /// The values as an ``EvaluationResult`` (no parameter gradients), when the columns are
    /// `value` followed by gradients.
    public func asResult() -> EvaluationResult {
        let inputs = max(columnNames.count - 1, 0)
        var r = EvaluationResult(sampleCount: rowCount, inputCount: inputs, paramCount: 0)
        for s in 0..<rowCount {
            r.values[s] = self[s, 0]
            for i in 0..<inputs { r.inputGradients[s * inputs + i] = self[s, i + 1] }
        }
        return r
    }
}

/// Parameter gradients read back from a `param,grad` CSV file.
public struct ParamGradientsTable: Sendable, Equatable {
    /// Parameter names in file order.
    public var names: [String]
    /// Gradients, parallel to ``names``.
    public var gradients: [Double]

    /// Reads a `param,grad` CSV file.
    public static func read(contentsOf path: String) throws -> ParamGradientsTable {
        try parse(try FileBytes.read(path), sourceName: path)
    }

    /// Parses `param,grad` CSV bytes.
    public static func parse(_ bytes: [UInt8], sourceName: String) throws -> ParamGradientsTable {
        let t = try NumericCSV.parse(bytes, file: sourceName, allowingNaN: true, textColumns: 1)
        guard t.columnNames == ["param", "grad"] else {
            throw CircuitError(file: sourceName, location: t.columnLocations.first ?? .none,
                               "expected the header 'param,grad', found '\(t.columnNames.joined(separator: ","))'")
        }
        return ParamGradientsTable(names: t.textValues, gradients: t.values)
    }
}
