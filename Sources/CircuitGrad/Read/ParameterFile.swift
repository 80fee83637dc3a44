/// Parameter files: CSV with the header `param,value` and one row per parameter,
/// written in declaration order, e.g.
///
///     param,value
///     w1_0_0,0.25
///     b1_0,-0.1
///
/// Layout rules as for batches (`NumericCSV`). Reading accepts the rows in any order but
/// needs every parameter exactly once; an unknown or repeated name, a missing parameter, or a
/// value that is not a number (`nan` included) is an error naming the file, line and column.
package enum ParameterFile {
    /// Reads values for `circuit`'s parameters (declaration order) from `path`.
    /// - Throws: ``CircuitError`` naming the file, with line and column where one applies.
    package static func read(contentsOf path: String, for circuit: Circuit) throws -> [Double] {
        try parse(try FileBytes.read(path), sourceName: path, for: circuit)
    }

    /// Parses parameter-file bytes for `circuit`; errors name `sourceName`.
    package static func parse(_ bytes: [UInt8], sourceName: String, for circuit: Circuit) throws -> [Double] {
        let table = try NumericCSV.parse(bytes, file: sourceName, allowingNaN: false, textColumns: 1)
        guard table.columnNames == ["param", "value"] else {
            throw CircuitError(file: sourceName, location: table.columnLocations[0],
                               "the header must be 'param,value', got '\(table.columnNames.joined(separator: ","))'")
        }
        var indexOfName = [String: Int]()
        for (q, name) in circuit.paramNames.enumerated() { indexOfName[name] = q }
        var values = [Double?](repeating: nil, count: circuit.paramCount)
        for r in 0..<table.rowCount {
            let name = table.textValues[r], at = table.textLocations[r]
            guard let q = indexOfName[name] else {
                let known = circuit.paramNames.isEmpty ? "the circuit has no parameters"
                    : "its parameters are " + Self.list(circuit.paramNames)
                throw CircuitError(file: sourceName, location: at, "'\(name)' is not a parameter of the circuit; \(known)")
            }
            if values[q] != nil {
                throw CircuitError(file: sourceName, location: at, "parameter '\(name)' appears twice")
            }
            values[q] = table.values[r]
        }
        let missing = circuit.paramNames.indices.filter { values[$0] == nil }.map { circuit.paramNames[$0] }
        if !missing.isEmpty {
            throw CircuitError(file: sourceName,
                               "no value for parameter\(missing.count == 1 ? "" : "s") \(Self.list(missing))")
        }
        return values.map { $0! }
    }

    /// The text of a parameter file: `param,value`, then one row per parameter in declaration order.
    package static func text(names: [String], values: [Double]) -> String {
        precondition(names.count == values.count, "one value per parameter name")
        var out = "param,value\n"
        for (name, v) in zip(names, values) { out += name + "," + NumberText.format(v) + "\n" }
        return out
    }

    /// Writes `values` for `circuit`'s parameters to `path` atomically.
    package static func write(_ values: [Double], for circuit: Circuit, to path: String) throws {
        try AtomicFile.write(text(names: circuit.paramNames, values: values), to: path)
    }

    /// At most eight names, then a count of the rest.
    static func list(_ names: [String]) -> String {
        names.count <= 8 ? names.joined(separator: ", ")
            : names.prefix(8).joined(separator: ", ") + " and \(names.count - 8) more"
    }
}
