/// Per-sample results read back from a CSV or NPY file (for tests and tools that compare
/// result files). NaN is allowed here, since results may hold it.
package struct SampleResultsTable: Sendable, Equatable {
    /// Column names: `value`, then `d_NAME` per input (for NPY files, made up the same way as `c0`, `c1`, …).
    package var columnNames: [String]
    /// Number of samples.
    package var rowCount: Int
    /// Row-major values, `rowCount × columnNames.count`.
    package var values: [Double]

    /// Value at `row`, `column`.
    package subscript(row: Int, column: Int) -> Double { values[row * columnNames.count + column] }

    /// Reads a results file, NPY or CSV (told apart by ``FileKind``); `-` reads standard input.
    package static func read(contentsOf path: String) throws -> SampleResultsTable {
        try parse(try FileBytes.read(path), sourceName: FileBytes.displayName(path))
    }

    /// Parses results bytes, CSV or NPY (told apart by ``FileKind``, which also checks the name).
    package static func parse(_ bytes: [UInt8], sourceName: String) throws -> SampleResultsTable {
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
    package func asResult() -> EvaluationResult {
        let inputs = max(columnNames.count - 1, 0)
        var r = EvaluationResult(sampleCount: rowCount, inputCount: inputs, paramCount: 0)
        for s in 0..<rowCount {
            r.values[s] = self[s, 0]
            for i in 0..<inputs { r.inputGradients[s * inputs + i] = self[s, i + 1] }
        }
        return r
    }
}
