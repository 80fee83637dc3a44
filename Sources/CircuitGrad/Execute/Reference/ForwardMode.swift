/// Forward-mode differentiation (a tangent sweep, i.e. dual numbers): an independent way to
/// get a gradient, used to check the reverse sweep (`∇f · d` must equal the tangent).
extension ReferenceEvaluator {
    /// The directional derivative `∇f · d` at one sample, where `d` is `inputDirection` for the
    /// input wires and `paramDirection` (zeros when nil) for the parameter wires.
    ///
    /// Each value wire carries a tangent `t`; a node's tangent is `Σ_i partial_i · t(arg_i)`
    /// (partials from ``Op/partials(_:value:constant:into:)`` at the forward values, so ties
    /// at `max`/`min` share the tangent exactly as the reverse sweep shares the gradient).
    package func directionalDerivative(
        inputs: some Collection<Double>, inputDirection: [Double], paramDirection: [Double]? = nil
    ) -> Double {
        precondition(inputDirection.count == circuit.inputCount, "one direction component per input")
        let paramDirection = paramDirection ?? [Double](repeating: 0, count: circuit.paramCount)
        precondition(paramDirection.count == circuit.paramCount, "one direction component per parameter")
        let values = forwardValues(inputs: inputs)
        var tangent = [Double](repeating: 0, count: circuit.valueCount)
        for i in 0..<circuit.inputCount { tangent[i] = inputDirection[i] }
        for p in 0..<circuit.paramCount { tangent[circuit.inputCount + p] = paramDirection[p] }
        var args: [Double] = []
        for n in forwardOrder {
            gatherArguments(of: n, values: values, into: &args)
            var partials = [Double](repeating: 0, count: args.count)
            args.withUnsafeBufferPointer { a in
                partials.withUnsafeMutableBufferPointer { p in
                    circuit.ops[n].partials(a, value: values[circuit.nodeWire(n)], constant: circuit.constants[n], into: p)
                }
            }
            var t = 0.0
            for (position, wire) in circuit.arguments(of: n).enumerated() {
                t += partials[position] * tangent[Int(circuit.wireValue[Int(wire)])]
            }
            tangent[circuit.nodeWire(n)] = t
        }
        return tangent[Int(circuit.wireValue[Int(circuit.outputWire)])]
    }

    /// ``directionalDerivative(inputs:inputDirection:paramDirection:)`` at sample `sample` of `batch`.
    package func directionalDerivative(
        sample: Int, of batch: Batch, inputDirection: [Double], paramDirection: [Double]? = nil
    ) -> Double {
        directionalDerivative(inputs: batch.row(sample), inputDirection: inputDirection, paramDirection: paramDirection)
    }
}
