extension Circuit {
    /// The same circuit with other parameter values (one per parameter, declaration order);
    /// ``CircuitWriter`` writes it back as a `.circuit` file.
    public func withParameterValues(_ values: [Double]) -> Circuit {
        precondition(values.count == paramCount, "one value per parameter is needed")
        var copy = self
        copy.paramValues = values
        return copy
    }
}
