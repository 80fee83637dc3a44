/// The oracle: a plain, sequential, one-sample-at-a-time forward and reverse pass.
///
/// It is written to be read, not to be fast. The parallel engine must agree with it bit
/// for bit, so it follows the project's agreed summation orders exactly:
///
/// - **Forward**: function nodes in level order, ties in node (file) order
///   (`forwardOrder`); every value wire is stored.
/// - **Backward**: seeded with 1 on the output wire; live function nodes in the reverse of
///   `forwardOrder` (dead nodes are skipped, so their argument wires keep gradient +0.0).
///   A node sends `upstream * partial` to each argument wire (always the multiply, also for
///   `add`/`sub`/`neg`/`offset`, where it is exact).
/// - **A wire's gradient** is decided by its single consumer: a node's contribution, the
///   splitter sum `s = g[out0]; s += g[out1]; …` in output order (dead consumers give +0.0
///   and are not skipped; splitters may feed splitters), 1 for the `output` line, 0 for none.
/// - **Parameter gradients**: per sample, then summed over the batch with `PairwiseSum`.
package struct ReferenceEvaluator: GradientEvaluating, Sendable {
    /// The circuit being evaluated.
    package let circuit: Circuit
    /// Parameter values used by every sweep (the circuit's own unless overridden).
    package let paramValues: [Double]
    /// Function nodes in forward order: by level, ties in node order.
    package let forwardOrder: [Int]

    /// An evaluator for `circuit` using the circuit's own parameter values.
    package init(circuit: Circuit) {
        self.init(circuit: circuit, checkedParamValues: circuit.paramValues)
    }

    /// An evaluator for `circuit` with other parameter values, one per parameter in
    /// declaration order (the gradient check perturbs parameters this way).
    /// - Throws: ``CircuitError`` when `paramValues` does not have one value per parameter.
    package init(circuit: Circuit, paramValues: [Double]) throws {
        guard paramValues.count == circuit.paramCount else {
            throw CircuitError(file: "<parameters>", kind: .invalidArgument,
                               "\(paramValues.count) parameter values given but the circuit has \(circuit.paramCount) parameters")
        }
        self.init(circuit: circuit, checkedParamValues: paramValues)
    }

    private init(circuit: Circuit, checkedParamValues params: [Double]) {
        self.circuit = circuit
        self.paramValues = params
        self.forwardOrder = (0..<circuit.nodeCount).sorted {
            (circuit.nodeLevel[$0], $0) < (circuit.nodeLevel[$1], $1)
        }
    }

    /// The same evaluator with other parameter values (`paramValues.count` must equal
    /// `circuit.paramCount`; callers in the package pass perturbed copies of the current ones).
    package func with(paramValues: [Double]) -> ReferenceEvaluator {
        precondition(paramValues.count == circuit.paramCount, "one value per parameter is needed")
        return ReferenceEvaluator(circuit: circuit, checkedParamValues: paramValues)
    }

    // MARK: Batch evaluation

    /// Values and gradients for every sample; parameter gradients summed with `PairwiseSum`.
    /// - Throws: ``CircuitError`` when the batch does not have one column per input wire.
    package func evaluate(_ batch: Batch) throws -> EvaluationResult {
        try checkColumns(of: batch)
        let n = batch.sampleCount, inputCount = circuit.inputCount, paramCount = circuit.paramCount
        var memory = MemoryEstimate()
        memory.add("results", count: n, bytesEach: MemoryEstimate.product(inputCount + 1, 8))
        memory.add("per-sample parameter gradients", count: n, bytesEach: MemoryEstimate.product(paramCount, 8))
        memory.add("one sample's sweeps", count: circuit.nodeCount + inputCount + paramCount, bytesEach: 32)
        try memory.check("the reference evaluator on \(n) samples", remedy: "a smaller batch or the engine evaluator lowers it")
        var result = EvaluationResult(sampleCount: n, inputCount: inputCount, paramCount: paramCount)
        var perSampleParamGradient = [[Double]](repeating: [Double](repeating: 0, count: n), count: paramCount)
        for s in 0..<n {
            let trace = self.trace(inputs: batch.row(s))
            result.values[s] = trace.outputValue.canonicalizingNaN
            for i in 0..<inputCount { result.inputGradients[s * inputCount + i] = trace.wireGradients[i].canonicalizingNaN }
            for p in 0..<paramCount { perSampleParamGradient[p][s] = trace.wireGradients[inputCount + p] }
        }
        for p in 0..<paramCount { result.paramGradients[p] = PairwiseSum.sum(perSampleParamGradient[p]).canonicalizingNaN }
        return result
    }

    /// Throws unless `batch` has exactly one column per input wire.
    func checkColumns(of batch: Batch) throws {
        if batch.inputCount != circuit.inputCount {
            throw CircuitError(file: "<batch>", kind: .invalidArgument,
                               "the batch has \(batch.inputCount) input columns but the circuit has \(circuit.inputCount) inputs")
        }
    }

    // MARK: One sample

    /// Everything one sample's sweeps computed.
    package struct SampleTrace: Sendable {
        /// The value of every value wire (`circuit.valueCount` entries: inputs, params, nodes).
        package var values: [Double]
        /// The gradient of every wire (`circuit.wireCount` entries, splitter outputs included).
        /// For a wire read by a function node this is that node's contribution; for a wire
        /// read by a splitter it is the splitter's sum.
        package var wireGradients: [Double]
        /// The output wire's value.
        package var outputValue: Double
    }

    /// The forward values of every value wire for one sample's inputs (declaration order).
    package func forwardValues(inputs: some Collection<Double>) -> [Double] {
        precondition(inputs.count == circuit.inputCount, "one value per input wire is needed")
        var values = [Double](repeating: 0, count: circuit.valueCount)
        for (i, x) in inputs.enumerated() { values[i] = x }
        for p in 0..<circuit.paramCount { values[circuit.inputCount + p] = paramValues[p] }
        var args: [Double] = []
        for n in forwardOrder {
            gatherArguments(of: n, values: values, into: &args)
            values[circuit.nodeWire(n)] = args.withUnsafeBufferPointer {
                circuit.ops[n].value($0, constant: circuit.constants[n])
            }
        }
        return values
    }

    /// The forward values of sample `sample` of `batch`.
    package func forwardValues(sample: Int, of batch: Batch) -> [Double] { forwardValues(inputs: batch.row(sample)) }

    /// The gradient of every wire for one sample's inputs (see ``SampleTrace/wireGradients``).
    package func wireGradients(inputs: some Collection<Double>) -> [Double] { trace(inputs: inputs).wireGradients }

    /// The gradient of every wire for sample `sample` of `batch`.
    package func wireGradients(sample: Int, of batch: Batch) -> [Double] { wireGradients(inputs: batch.row(sample)) }

    /// Forward and backward sweeps for one sample's inputs.
    package func trace(inputs: some Collection<Double>) -> SampleTrace {
        let values = forwardValues(inputs: inputs)
        let gradients = backward(values: values)
        return SampleTrace(values: values, wireGradients: gradients,
                           outputValue: values[Int(circuit.wireValue[Int(circuit.outputWire)])])
    }

    /// Forward and backward sweeps for sample `sample` of `batch`.
    package func trace(sample: Int, of batch: Batch) -> SampleTrace { trace(inputs: batch.row(sample)) }

    /// The reverse sweep over stored forward `values`; returns every wire's gradient.
    package func backward(values: [Double]) -> [Double] {
        // contribution[w]: what w's consumer node wrote (0 until then, and for dead consumers).
        var gradient = [Double](repeating: 0, count: circuit.wireCount)
        var args: [Double] = []
        var partials: [Double] = []
        for n in forwardOrder.reversed() where circuit.nodeIsLive[n] {
            let upstream = resolvedGradient(of: circuit.nodeWire(n), contributions: &gradient)
            gatherArguments(of: n, values: values, into: &args)
            if partials.count < args.count { partials = [Double](repeating: 0, count: args.count) }
            args.withUnsafeBufferPointer { a in
                partials.withUnsafeMutableBufferPointer { p in
                    let mine = UnsafeMutableBufferPointer(rebasing: p[0..<a.count])
                    circuit.ops[n].partials(a, value: values[circuit.nodeWire(n)], constant: circuit.constants[n], into: mine)
                }
            }
            for (position, wire) in circuit.arguments(of: n).enumerated() {
                gradient[Int(wire)] = upstream * partials[position]
            }
        }
        // Resolve every remaining wire (inputs, params, splitter sums, dead wires).
        for w in 0..<circuit.wireCount { _ = resolvedGradient(of: w, contributions: &gradient) }
        return gradient
    }

    /// The gradient of `wire` from its consumer, storing it in `gradient[wire]`.
    /// Node contributions are already in place; splitter sums are formed here, in output order.
    @discardableResult
    func resolvedGradient(of wire: Int, contributions gradient: inout [Double]) -> Double {
        switch circuit.consumer(of: wire) {
        case .none:
            gradient[wire] = 0
        case .output:
            gradient[wire] = 1
        case .node:
            break   // written by the consumer node (still +0.0 if that node is dead)
        case .splitter(let s):
            let outputs = circuit.outputs(ofSplitter: s)
            var sum = resolvedGradient(of: outputs.lowerBound, contributions: &gradient)
            for o in outputs.dropFirst() { sum += resolvedGradient(of: o, contributions: &gradient) }
            gradient[wire] = sum
        }
        return gradient[wire]
    }

    /// The values read by node `n`, in argument order.
    func gatherArguments(of n: Int, values: [Double], into args: inout [Double]) {
        args.removeAll(keepingCapacity: true)
        for w in circuit.arguments(of: n) { args.append(values[Int(circuit.wireValue[Int(w)])]) }
    }
}
