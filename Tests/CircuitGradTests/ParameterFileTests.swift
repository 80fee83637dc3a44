import Testing
@testable import CircuitGrad

/// Parameter files (round trip, located errors) and live parameters (a built evaluator given
/// new values equals a fresh evaluator of the circuit written with them, bit for bit).
@Suite struct ParameterFileTests {
    static let circuit = """
        circuit 1
        input x
        param w 0.5
        param b -1
        m = mul w x
        f = add m b
        output f
        """

    func parse(_ text: String) throws -> [Double] {
        let c = try CircuitReader.parse(Array(Self.circuit.utf8), sourceName: "c.circuit")
        return try ParameterFile.parse(Array(text.utf8), sourceName: "p.csv", for: c)
    }

    func error(_ text: String) -> String {
        do { _ = try parse(text); return "no error" } catch { return "\(error)" }
    }

    @Test func roundTripKeepsEveryBit() throws {
        let c = try CircuitReader.parse(Array(Self.circuit.utf8), sourceName: "c.circuit")
        let values = [0.1 + 0.2, -.leastNonzeroMagnitude]
        let text = ParameterFile.text(names: c.paramNames, values: values)
        #expect(text.hasPrefix("param,value\nw,"))
        #expect(try parse(text).map(\.bitPattern) == values.map(\.bitPattern))
        // Any row order is accepted; spaces around fields too.
        #expect(try parse("param,value\n b , 2\nw,3\n") == [3, 2])
        // The circuit written back with new values reads back with them.
        let back = try CircuitReader.parse(Array(try CircuitWriter.text(of: c.withParameterValues(values)).utf8), sourceName: "w")
        #expect(back.paramValues.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func badFilesNameTheLineAndColumn() {
        #expect(error("param,value\nw,1\nv,2\n").hasPrefix("p.csv:3:1: 'v' is not a parameter of the circuit; its parameters are w, b"))
        #expect(error("param,value\nw,1\nb,1e999\n").hasPrefix("p.csv:3:3: "))
        #expect(error("param,value\nw,1\nb,nan\n").hasPrefix("p.csv:3:3: "))
        #expect(error("param,value\nw,1\nb,abc\n").hasPrefix("p.csv:3:3: "))
        #expect(error("param,value\nw,1\n  w,2\n") == "p.csv:3:3: parameter 'w' appears twice")
        #expect(error("param,value\nw,1\n") == "p.csv: no value for parameter b")
        #expect(error("name,value\nw,1\nb,2\n").hasPrefix("p.csv:1:1: the header must be 'param,value'"))
        #expect(error("param,value\nw,1,2\nb,2\n").hasPrefix("p.csv:2:"))
        #expect(error("").hasPrefix("p.csv: the file is empty"))
    }

    @Test(arguments: [1, 2, 3])
    func liveParametersEqualAFreshPlan(threads: Int) throws {
        for seed in [41, 42] as [UInt64] {
            let c = try RandomCircuits.make(seed: seed, inputs: 3, params: 4, nodes: 70, window: 20)
            let batch = try RandomCircuits.batch(for: c, samples: 37, seed: seed)
            var g = GeneratorRandom(seed: seed)
            for strategy in [.auto, .levels, .blocks] as [EvaluatorOptions.Strategy] {
                var options = EvaluatorOptions(threads: threads, pin: .none, strategy: strategy)
                options.minimumParallelWorkPerWorker = 0
                let live = try CircuitEvaluator(circuit: c, options: options)
                _ = try live.evaluate(batch)   // workspaces exist with the old values
                for _ in 0..<2 {
                    let values = (0..<c.paramCount).map { _ in g.uniform(-2, 2) }
                    let fresh = try CircuitEvaluator(circuit: c.withParameterValues(values), options: options).evaluate(batch)
                    let r = try live.evaluate(batch, parameters: values)
                    #expect(sameBits(r, fresh), "seed \(seed) threads \(threads) \(strategy)")
                    #expect(sameBits(r, try ReferenceEvaluator(circuit: c, paramValues: values).evaluate(batch)))
                }
            }
        }
    }

    /// Parameters read only as fused `mul` numbers get no row broadcast on a change; these
    /// circuits mix that with every other way a parameter is read: as an `add` argument, both
    /// arguments of one `mul`, through a splitter, and as the output itself.
    @Test(arguments: [1, 2])
    func liveParametersReachEveryReaderOfAParameter(threads: Int) throws {
        let texts = [
            "circuit 1\ninput x\nparam w 1\nparam b 0\nh = mul x w\nf = add h b\noutput f\n",
            "circuit 1\ninput x\nparam w 1\nparam v 2\nh = mul w v\nk = mul x h\noutput k\n",
            "circuit 1\ninput x\nparam w 1\nh = mul x w\nk = add h w\nf = mul k w\noutput f\n",
            "circuit 1\ninput x\nparam w 3\nh = sin x\noutput w\n",
            "circuit 1\ninput x\nparam w 1\nparam b 0\nh = mul w x\ns = tanh h\nf = mul s w\ng = add f b\noutput g\n",
        ]
        let batch = try Batch(sampleCount: 19, inputCount: 1, values: (0..<19).map { Double($0) / 7 - 1 })
        for text in texts {
            let c = try CircuitReader.parse(text, sourceName: "c")
            let options = EvaluatorOptions(threads: threads, pin: .none)
            let live = try CircuitEvaluator(circuit: c, options: options)
            _ = try live.evaluate(batch)
            let values = (0..<c.paramCount).map { Double($0) * 0.75 - 1.5 }
            try live.setParameters(values)
            let r = try live.evaluate(batch)
            #expect(sameBits(r, try ReferenceEvaluator(circuit: c, paramValues: values).evaluate(batch)), "\(text)")
        }
    }

    /// Each workspace's parameter rows are rewritten by the worker that next loads a block into
    /// it: after two changes, evaluations (levels, blocks, one lane) and Hessian-vector products
    /// in either order equal those of evaluators built with the new values.
    @Test(arguments: [EvaluatorOptions.Strategy.levels, .blocks])
    func liveParametersReachEveryWorkspaceAndTheHVP(strategy: EvaluatorOptions.Strategy) throws {
        let text = "circuit 1\ninput x\nparam w 1\nparam b 0\nh = mul w x\ns = tanh h\nf = mul s w\ng = add f b\noutput g\n"
        let c = try CircuitReader.parse(text, sourceName: "c")
        let batch = try Batch(sampleCount: 43, inputCount: 1, values: (0..<43).map { Double($0) / 11 - 2 })
        let direction = try Batch(sampleCount: 1, inputCount: 1, values: [0.5])
        for lanes in [8, 1] {
            let options = EvaluatorOptions(threads: 2, pin: .none, laneBlock: lanes, strategy: strategy)
            let live = try CircuitEvaluator(circuit: c, options: options)
            _ = try live.evaluate(batch)
            for (k, values) in [[0.25, -1.5], [-2.0, 0.75]].enumerated() {
                try live.setParameters(values)
                let fresh = try CircuitEvaluator(circuit: c.withParameterValues(values), options: options)
                let expectedHVP = try HessianVectorEvaluator(evaluator: fresh).evaluate(batch, direction: direction)
                let hvpFirst = k == 1
                let hvp = hvpFirst ? try HessianVectorEvaluator(evaluator: live).evaluate(batch, direction: direction) : nil
                let r = try live.evaluate(batch)
                #expect(sameBits(r, try ReferenceEvaluator(circuit: c, paramValues: values).evaluate(batch)), "\(lanes) lanes, change \(k + 1)")
                let h = try hvp ?? HessianVectorEvaluator(evaluator: live).evaluate(batch, direction: direction)
                #expect(sameBits(h.hessianVectorProducts, expectedHVP.hessianVectorProducts) && sameBits(h.values, expectedHVP.values),
                        "HVP, \(lanes) lanes, change \(k + 1)")
            }
        }
    }
}
