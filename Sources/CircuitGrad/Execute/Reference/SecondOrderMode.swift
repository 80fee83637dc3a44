/// Second order, one sample at a time: forward mode along a direction, and Hessian-vector
/// products by forward over reverse, with the rules of `OpSecondOrder.swift`.
///
/// Each value wire carries a tangent (inputs: the direction; parameters: 0); each wire's
/// gradient gets a tangent, formed exactly as the gradient is (node contributions, splitter
/// sums `s = t[out0]; s += t[out1]; …` in output order), but seeded with 0 on the output wire.
/// The input wires' gradient tangents are then `H·d`, the Hessian of the output with respect to
/// the inputs times the direction. The engine (``HessianVectorEvaluator``) must agree bit for bit.
extension ReferenceEvaluator {
    /// What one sample's second-order sweep gives.
    package struct SecondOrderTrace: Sendable {
        /// The output value.
        package var value: Double
        /// `∇f·d`: the output's tangent.
        package var tangent: Double
        /// ∂f/∂input, declaration order.
        package var inputGradient: [Double]
        /// `(H·d)ᵢ` for each input, declaration order.
        package var hessianVectorProduct: [Double]
    }

    /// Value, gradient, tangent and Hessian-vector product at one sample's `inputs` along `direction`.
    package func secondOrder(inputs: some Collection<Double>, direction: [Double]) -> SecondOrderTrace {
        precondition(direction.count == circuit.inputCount, "one direction component per input")
        let c = circuit
        let values = forwardValues(inputs: inputs)
        var tangent = [Double](repeating: 0, count: c.valueCount)
        for i in 0..<c.inputCount { tangent[i] = direction[i] }
        var args: [Double] = [], argTangents: [Double] = []
        var scratch = [Double](repeating: 0, count: 2 * max(1, c.args.count))
        func gather(_ n: Int) {
            gatherArguments(of: n, values: values, into: &args)
            argTangents = c.arguments(of: n).map { tangent[Int(c.wireValue[Int($0)])] }
        }
        for n in forwardOrder {
            gather(n)
            tangent[c.nodeWire(n)] = args.withUnsafeBufferPointer { a in
                argTangents.withUnsafeBufferPointer { t in
                    scratch.withUnsafeMutableBufferPointer { s in
                        c.ops[n].tangent(a, tangents: t, value: values[c.nodeWire(n)], constant: c.constants[n], scratch: s)
                    }
                }
            }
        }
        var gradient = [Double](repeating: 0, count: c.wireCount)
        var gradientTangent = [Double](repeating: 0, count: c.wireCount)
        var out = [Double](repeating: 0, count: max(1, c.args.count))
        for n in forwardOrder.reversed() where c.nodeIsLive[n] {
            let w = c.nodeWire(n)
            let u = resolvedGradient(of: w, contributions: &gradient)
            let du = resolved(w, &gradientTangent, seed: 0)
            gather(n)
            let v = values[w]
            args.withUnsafeBufferPointer { a in
                argTangents.withUnsafeBufferPointer { t in
                    scratch.withUnsafeMutableBufferPointer { s in
                        out.withUnsafeMutableBufferPointer { o in
                            let mine = UnsafeMutableBufferPointer(rebasing: o[0..<a.count])
                            c.ops[n].contributionTangents(a, tangents: t, value: v, constant: c.constants[n],
                                                          upstream: u, upstreamTangent: du, scratch: s, into: mine)
                            let partials = UnsafeMutableBufferPointer(rebasing: s[0..<a.count])
                            c.ops[n].partials(a, value: v, constant: c.constants[n], into: partials)
                        }
                    }
                }
            }
            for (position, wire) in c.arguments(of: n).enumerated() {
                gradient[Int(wire)] = u * scratch[position]
                gradientTangent[Int(wire)] = out[position]
            }
        }
        for w in 0..<c.inputCount {
            resolvedGradient(of: w, contributions: &gradient)
            resolved(w, &gradientTangent, seed: 0)
        }
        // NaNs canonical, as in every evaluator's results (see `CanonicalNaN.swift`).
        var inputGradient = Array(gradient[0..<c.inputCount]), product = Array(gradientTangent[0..<c.inputCount])
        inputGradient.canonicalizeNaNs()
        product.canonicalizeNaNs()
        return SecondOrderTrace(value: values[Int(c.wireValue[Int(c.outputWire)])].canonicalizingNaN,
                                tangent: tangent[Int(c.wireValue[Int(c.outputWire)])].canonicalizingNaN,
                                inputGradient: inputGradient, hessianVectorProduct: product)
    }

    /// The full Hessian of the output with respect to the inputs at `inputs`, assembled column by
    /// column from Hessian-vector products along the unit vectors (`result[i][j] = ∂²f/∂xᵢ∂xⱼ`).
    package func inputHessian(inputs: some Collection<Double>) -> [[Double]] {
        let n = circuit.inputCount
        var columns: [[Double]] = []
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            columns.append(secondOrder(inputs: inputs, direction: e).hessianVectorProduct)
        }
        return (0..<n).map { i in (0..<n).map { j in columns[j][i] } }
    }

    /// `wire`'s gradient tangent from its consumer, as ``resolvedGradient(of:contributions:)``
    /// forms gradients, but with `seed` on the `output` line.
    @discardableResult
    private func resolved(_ wire: Int, _ t: inout [Double], seed: Double) -> Double {
        switch circuit.consumer(of: wire) {
        case .none: t[wire] = 0
        case .output: t[wire] = seed
        case .node: break
        case .splitter(let s):
            let outputs = circuit.outputs(ofSplitter: s)
            var sum = resolved(outputs.lowerBound, &t, seed: seed)
            for o in outputs.dropFirst() { sum += resolved(o, &t, seed: seed) }
            t[wire] = sum
        }
        return t[wire]
    }
}
