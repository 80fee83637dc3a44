/// Parameter gradients read back from a `param,grad` CSV file.
package struct ParamGradientsTable: Sendable, Equatable {
    /// Parameter names in file order.
    package var names: [String]
    /// Gradients, parallel to ``names``.
    package var gradients: [Double]

    /// Reads a `param,grad` CSV file.
    package static func read(contentsOf path: String) throws -> ParamGradientsTable {
        try parse(try FileBytes.read(path), sourceName: path)
    }

    /// Parses `param,grad` CSV bytes.
    package static func parse(_ bytes: [UInt8], sourceName: String) throws -> ParamGradientsTable {
        let t = try NumericCSV.parse(bytes, file: sourceName, allowingNaN: true, textColumns: 1)
        guard t.columnNames == ["param", "grad"] else {
            throw CircuitError(file: sourceName, location: t.columnLocations.first ?? .none,
                               "expected the header 'param,grad', found '\(t.columnNames.joined(separator: ","))'")
        }
        return ParamGradientsTable(names: t.textValues, gradients: t.values)
    }
}
