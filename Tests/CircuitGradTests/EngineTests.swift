import Testing
@testable import CircuitGrad

@Suite struct EngineTests {
    @Test func workedExampleByHand() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y"), z = b.input("z")
        let c = try b.build(output: (x + y) * z)
        let e = try CircuitEvaluator(circuit: c)
        let r = try e.evaluate(Batch(rows: [[-2, 5, -4]], inputCount: 3))
        #expect(r.values == [-12])
        #expect(r.inputGradients == [-4, -4, 3])
    }

    @Test func fanOutExampleByHand() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let c = try b.build(output: x / (x + y))
        for lanes in [1, 8] {
            let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(laneBlock: lanes))
            let r = try e.evaluate(Batch(rows: [[-1, 2], [-1, 2]], inputCount: 2))
            #expect(r.values == [-1, -1])
            #expect(r.inputGradients == [2, 1, 2, 1])
        }
    }

    @Test func parameterGradientsAreSummedOverTheBatch() throws {
        // f = w·x with x = 1..5: ∂f/∂w summed = 15, ∂f/∂x = w = 0.5.
        let b = CircuitBuilder()
        let x = b.input("x"), w = b.param("w", 0.5)
        let c = try b.build(output: w * x)
        let r = try CircuitEvaluator(circuit: c).evaluate(Batch(rows: [[1], [2], [3], [4], [5]], inputCount: 1))
        #expect(r.paramGradients == [15])
        #expect(r.inputGradients == [0.5, 0.5, 0.5, 0.5, 0.5])
    }

    @Test func outputThatIsAnInputAndDeadNodes() throws {
        // output x itself; y feeds only a dead node: gradients (1, 0).
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        _ = Wire.exp(y)
        _ = x * y
        let c = try b.build(output: x)
        let r = try CircuitEvaluator(circuit: c).evaluate(Batch(rows: [[3, 4]], inputCount: 2))
        #expect(r.values == [3])
        #expect(r.inputGradients.map(\.bitPattern) == [1.0, 0.0].map(\.bitPattern))
    }

    @Test(arguments: [1, 7, 8, 1000])
    func randomCircuitsMatchTheReference(samples: Int) throws {
        let seeds: [UInt64] = samples == 1000 ? [1, 2] : Array(1...12)
        for seed in seeds {
            let c = try RandomCircuits.make(seed: seed, nodes: samples == 1000 ? 40 : 70)
            let batch = try RandomCircuits.batch(for: c, samples: samples, seed: seed &+ 99)
            let expected = try ReferenceEvaluator(circuit: c).evaluate(batch)
            for lanes in [nil, 1, 8, 16, 64] as [Int?] {
                let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(laneBlock: lanes))
                let r = try e.evaluate(batch)
                #expect(sameBits(r, expected), "seed \(seed), samples \(samples), lanes \(String(describing: lanes))")
                // Evaluating again on the same rows gives the same bits (no state leaks between calls).
                #expect(sameBits(try e.evaluate(batch), expected))
            }
        }
    }

    /// relu, abs and two-argument max/min have lane kernels of their own: at ties, ±0, NaN and
    /// infinities they give the reference's bits (a tie shares the gradient half and half), for
    /// the scalar and the SIMD kernels.
    @Test func piecewiseKernelsAgreeWithTheReferenceAtEdgeCases() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let out = b.node(.add, [Wire.max(x, y), b.node(.min, [x, y]), Wire.relu(x), Wire.abs(y), Wire.max(x, y, Wire.relu(y)),
                                b.node(.mul, [Wire.max(x, x), b.node(.min, [y, y])])])
        let c = try b.build(output: out)
        let edges: [Double] = [0, -0.0, 1, -1, 2.5, .infinity, -.infinity, .nan, Double.leastNormalMagnitude / 4]
        var rows: [[Double]] = []
        for a in edges { for d in edges { rows.append([a, d]) } }
        let batch = try Batch(rows: rows, inputCount: 2)
        let expected = try ReferenceEvaluator(circuit: c).evaluate(batch)
        // By hand at x = y = 1 (every max/min a tie): value 6; dOut/dx = ½ (max) + ½ (min) + 1 (relu)
        // + ⅓ (three-way max) + 1 (mul: min(y,y) × (½ + ½)); dOut/dy = ½ + ½ + 1 (abs) + ⅓ + ⅓
        // (relu(y) in the three-way max) + 1.
        let tie = rows.firstIndex { $0 == [1, 1] }!
        #expect(expected.values[tie] == 6)
        let third: Double = 1.0 / 3
        let dx: Double = 0.5 + 0.5 + 1 + third + 1
        let dy: Double = 0.5 + 0.5 + 1 + 2 * third + 1
        #expect(abs(expected.inputGradients[2 * tie] - dx) < 1e-15)
        #expect(abs(expected.inputGradients[2 * tie + 1] - dy) < 1e-15)
        for lanes in [1, 8, 16] {
            for threads in [1, 2] {
                let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: threads, pin: .none, laneBlock: lanes))
                #expect(sameBits(try e.evaluate(batch), expected), "lanes \(lanes) threads \(threads)")
            }
        }
    }

    @Test func wrongBatchWidthIsAnError() throws {
        let b = CircuitBuilder()
        let x = b.input("x")
        let c = try b.build(output: x * x)
        let e = try CircuitEvaluator(circuit: c)
        #expect(throws: CircuitError.self) { try e.evaluate(Batch(rows: [[1, 2]], inputCount: 2)) }
        #expect(throws: CircuitError.self) { try CircuitEvaluator(circuit: c, options: EvaluatorOptions(laneBlock: 12)) }
    }

    @Test func emptyBatchAndCircuitWithoutInputs() throws {
        let b = CircuitBuilder()
        let w = b.param("w", 3)
        let c = try b.build(output: Wire.square(w) + b.constant(1))
        let r = try CircuitEvaluator(circuit: c).evaluate(.single)
        #expect(r.values == [10])
        #expect(r.paramGradients == [6])
        let b2 = CircuitBuilder()
        let x = b2.input("x")
        let c2 = try b2.build(output: Wire.sin(x))
        let r2 = try CircuitEvaluator(circuit: c2).evaluate(Batch(sampleCount: 0, inputCount: 1, values: []))
        #expect(r2.values.isEmpty)
    }
}

@Suite struct EngineLaneChoiceTests {
    @Test func laneBlockFollowsTheBatch() throws {
        let c = try RandomCircuits.make(seed: 9)
        let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1))
        #expect(e.planDescription(sampleCount: 1).laneBlock == 1)
        #expect(e.planDescription(sampleCount: 8).laneBlock == 8)
        #expect(e.planDescription(sampleCount: 20).laneBlock == 16)
        #expect(e.planDescription(sampleCount: 1000).laneBlock == CircuitEvaluator.maximumAutomaticLanes)
        #expect(e.planDescription(sampleCount: 1000).blocks == (1000 + CircuitEvaluator.maximumAutomaticLanes - 1) / CircuitEvaluator.maximumAutomaticLanes)
    }

    /// With several workers, blocks grow while each worker still gets a full one: 64 samples on
    /// two threads are two blocks of 32; 40 samples are blocks of 16 (16, 16, 8), not 32 and 8.
    @Test func eachWorkerGetsAFullBlock() throws {
        let c = try RandomCircuits.make(seed: 9)
        let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 2))
        try #require(e.threadCount == 2, "this test needs two allowed cores")
        #expect(e.planDescription(sampleCount: 64).laneBlock == 32 && e.planDescription(sampleCount: 64).blocks == 2)
        #expect(e.planDescription(sampleCount: 40).laneBlock == 16 && e.planDescription(sampleCount: 40).blocks == 3)
        #expect(e.planDescription(sampleCount: 1000).laneBlock == CircuitEvaluator.maximumAutomaticLanes)
    }

    /// A circuit of cheap ops keeps each block's rows near the core's L2 (its time goes to moving
    /// rows; a tree's inputs are half its rows, so within one L2); the same tree with `sin` at
    /// every node keeps the last-level rule.
    @Test func cheapCircuitsKeepTheirRowsNearTheSecondLevelCache() throws {
        // A tree's rows at 32 lanes take about 512 bytes a leaf: leaves enough for four L2s, so
        // that the last-level rule alone would pick 32 lanes and the L2 rule must pick fewer.
        let l2 = EvaluationPolicy.secondLevelCacheBytes
        var leaves = 1024
        while leaves * 512 < 4 * l2 { leaves *= 2 }
        let cheapAt32 = try CircuitEvaluator(circuit: PairwiseTreeCircuit.make(leaves: leaves), options: EvaluatorOptions(threads: 1, laneBlock: 32))
            .planDescription(sampleCount: 1024).workspaceBytesPerBlock
        try #require(cheapAt32 > 2 * l2 && cheapAt32 <= EvaluationPolicy.cacheBytes,
                     "\(leaves) leaves: \(cheapAt32) bytes at 32 lanes, L2 \(l2), last level \(EvaluationPolicy.cacheBytes)")
        let cheap = try CircuitEvaluator(circuit: PairwiseTreeCircuit.make(leaves: leaves), options: EvaluatorOptions(threads: 1)).planDescription(sampleCount: 1024)
        let dear = try CircuitEvaluator(circuit: PairwiseTreeCircuit.make(leaves: leaves, after: .sin), options: EvaluatorOptions(threads: 1)).planDescription(sampleCount: 1024)
        #expect(cheap.laneBlock == 8 || cheap.workspaceBytesPerBlock <= l2, "cheap: \(cheap.laneBlock) lanes, \(cheap.workspaceBytesPerBlock) bytes")
        #expect(cheap.laneBlock < 32)
        #expect(dear.laneBlock >= 32, "sin tree: \(dear.laneBlock) lanes")
    }

    /// A circuit of many inputs counts the batch it reads and the gradients it writes beside its
    /// rows: where one worker's footprint fits half the last-level cache but two workers' do not,
    /// one thread keeps 32-lane blocks and two threads take 16.
    @Test func blocksOfManyInputsShareTheCacheBetweenWorkers() throws {
        let half = EvaluationPolicy.cacheBytes / 2
        var leaves = 1024, policy: EvaluationPolicy
        repeat {
            leaves += leaves / 4   // steps of 25 %: the window between rows and footprint is wider (rows are about two thirds of the footprint)
            let c = try PairwiseTreeCircuit.make(leaves: leaves, after: .sin)
            policy = EvaluationPolicy(plan: ExecutionPlan(circuit: c), options: EvaluatorOptions(), threads: 2)
        } while 2 * policy.cacheFootprint(lanes: 32) <= half && leaves < 1 << 20
        let rows = BlockWorkspace.bytes(plan: policy.plan, lanes: 32)
        try #require(2 * rows <= half && !policy.streamsFromMemory(threads: 2, budget: .max),
                     "\(leaves) leaves: rows \(rows), footprint \(policy.cacheFootprint(lanes: 32)), half the cache \(half)")
        let one = EvaluationPolicy(plan: policy.plan, options: EvaluatorOptions(), threads: 1)
        #expect(one.choose(sampleCount: 64).lanes == 32)
        #expect(policy.choose(sampleCount: 64).lanes == 16)
        #expect(policy.choose(sampleCount: 1024).lanes == 16)
        // What the footprint counts: rows, plus a lane's inputs read and its value and input gradients written.
        #expect(policy.cacheFootprint(lanes: 16) - BlockWorkspace.bytes(plan: policy.plan, lanes: 16) == (2 * leaves + 1) * 16 * 8)
    }

    /// A chain (one node a level) takes the widest blocks the batch allows, 256 lanes, and gets
    /// the bits of 32-lane and one-lane blocks; a wide circuit of the same size keeps 32.
    @Test func chainsTakeWideBlocks() throws {
        var text = "circuit 1\ninput x\nn0 = sin x\n"
        let ops = ["tanh", "sigmoid", "cos", "sin", "exp"]
        for k in 1..<200 { text += "n\(k) = \(ops[k % ops.count]) n\(k - 1)\n" }
        text += "output n199\n"
        let chain = try CircuitReader.parse(text, sourceName: "chain.circuit")
        let e = try CircuitEvaluator(circuit: chain, options: EvaluatorOptions(threads: 1))
        #expect(e.planDescription(sampleCount: 1000).laneBlock == EvaluationPolicy.maximumStreamingLanes)
        #expect(e.planDescription(sampleCount: 100).laneBlock == 64)
        var g = GeneratorRandom(seed: 5)
        let batch = try Batch(sampleCount: 1000, inputCount: 1, values: (0..<1000).map { _ in g.uniform(-2, 2) })
        let wide = try e.evaluate(batch)
        for lanes in [1, 32] {
            let fixed = try CircuitEvaluator(circuit: chain, options: EvaluatorOptions(threads: 1, laneBlock: lanes)).evaluate(batch)
            #expect(sameBits(wide.values, fixed.values) && sameBits(wide.inputGradients, fixed.inputGradients), "lane block \(lanes)")
        }
        let flat = try RandomCircuits.make(seed: 9, nodes: 200, window: 200)
        let f = try CircuitEvaluator(circuit: flat, options: EvaluatorOptions(threads: 1))
        #expect(f.planDescription(sampleCount: 1000).laneBlock == CircuitEvaluator.maximumAutomaticLanes)

        // Evaluated once (`circuitgrad eval`), the chain keeps 8 blocks a worker: 64 lanes for
        // 1000 samples (128 would leave 7.8), 512 once the batch holds 8 blocks of 512; the same
        // bits. A circuit that fits the cache is not affected.
        var once = EvaluatorOptions(threads: 1)
        once.evaluatesOnce = true
        let o = try CircuitEvaluator(circuit: chain, options: once)
        #expect(o.planDescription(sampleCount: 1000).laneBlock == 64)
        #expect(o.planDescription(sampleCount: 1024).laneBlock == 128)
        #expect(o.planDescription(sampleCount: 8 * 512).laneBlock == EvaluationPolicy.maximumStreamingLanes)
        let onceResult = try o.evaluate(batch)
        #expect(sameBits(wide.values, onceResult.values) && sameBits(wide.inputGradients, onceResult.inputGradients))
        #expect(try CircuitEvaluator(circuit: flat, options: once).planDescription(sampleCount: 1000).laneBlock
                == CircuitEvaluator.maximumAutomaticLanes)
    }
}

/// Muls with one parameter argument run as plan-time variants that read the parameter as a number.
@Suite struct EngineParameterMulTests {
    @Test func parameterMulVariantsMatchTheReference() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let w = b.param("w", 0.75), v = b.param("v", -1.5), u = b.param("u", 3)
        // w first, v second, u fanned out (its uses read a splitter output), w·v (two params) and a
        // three-argument mul stay plain muls.
        // z and s are used once each: their nodes sum them over full lane blocks themselves.
        let z = b.param("z", 0.25), s = b.param("s", 2)
        let out = (w * x) + (y * v) + (u * x) + (y * u) + (w * v) + b.node(.mul, [x, u, y]) + (z * x) + (y * s)
        let c = try b.build(output: out)
        let plan = ExecutionPlan(circuit: c)
        let ops = (0..<plan.nodeCount).map { plan.op(ofPlanNode: $0) }
        let variants = ops.filter { $0 == .mulParameter(first: true) || $0 == .mulParameter(first: false) }
        #expect(variants.count == 6)
        #expect(plan.parameterSummedByNode == [false, false, false, true, true])
        #expect(plan.fusedParameters == [3, 4])
        #expect(plan.runs.filter(\.fusesParameter).reduce(0) { $0 + $1.count } == 2)
        #expect(ops.filter { $0 == .circuit(.mul) }.count == 2)
        var g = GeneratorRandom(seed: 7)
        let rows = (0..<19).map { _ in [Double.random(in: -2...2, using: &g), Double.random(in: -2...2, using: &g)] }
        let batch = try Batch(rows: rows, inputCount: 2)
        let expected = try ReferenceEvaluator(circuit: c).evaluate(batch)
        // Hand check of one parameter: ∂/∂w = Σ x + v·19 (w·x and w·v).
        #expect(abs(expected.paramGradients[0] - (rows.map { $0[0] }.reduce(0, +) - 1.5 * 19)) < 1e-9)
        for lanes in [1, 8, 16] {
            for threads in [1, 2] {
                let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: threads, pin: .none, laneBlock: lanes))
                #expect(sameBits(try e.evaluate(batch), expected))
            }
        }
    }
}
