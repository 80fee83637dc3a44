extension Circuit {
    /// The same circuit with other parameter values (one per parameter, declaration order);
    /// ``CircuitWriter`` writes it back as a `.circuit` file.
    ///
    /// ```swift
    /// let trained = try circuit.withParameterValues(trainer.parameters)
    /// ```
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` when `values`
    ///   does not hold one value per parameter.
    public func withParameterValues(_ values: [Double]) throws -> Circuit {
        guard values.count == paramCount else {
            throw CircuitError(file: "<parameters>", kind: .invalidArgument,
                               "\(values.count) parameter values given; the circuit has \(paramCount) parameters")
        }
        var copy = self
        copy.paramValues = values
        return copy
    }
}
