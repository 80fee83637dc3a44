import Testing
@testable import CircuitGrad

/// Values that only the forward reads share rows (``ValueRowAllocator``): a hand-counted layout,
/// a replay of the forward and backward reads against the plan without sharing, and each op's
/// declared backward reads (``OpRule/backwardReads``) checked by clobbering every row it does not
/// declare.
@Suite struct ValueRowReuseTests {
    @Test func aChainOfSinAndAddSharesTwoRows() throws {
        // x → sin → add y → sin → add y → sin → add y (the output). sin keeps its cosine and add
        // reads nothing in its backward, so only the output's value is held; each other value is
        // read by the next level alone, so two rows take turns.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        var w = x
        for _ in 0..<3 { w = b.node(.add, [b.node(.sin, [w]), y]) }
        let circuit = try b.build(output: w)
        let plan = ExecutionPlan(circuit: circuit)
        #expect(plan.keptRowCount == 3)
        #expect(plan.valueRowCountWithoutReuse == 2 + 3 + 6)
        #expect(plan.valueRowCount == 2 + 3 + 1 + 2)
        let batch = try Batch(rows: [[0.3, -1.2], [2, 0.5]], inputCount: 2)
        let reference = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
        for lanes in [1, 8] {
            let engine = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 1, laneBlock: lanes)).evaluate(batch)
            #expect(firstBitDifference(reference, engine) == nil, "\(lanes) lanes")
        }
    }

    /// Replays the plan: in plan order every argument row must hold its producer's value when it
    /// is read, and after the forward every row a live node's backward reads (or the output)
    /// must still hold it. Producers come from the plan without sharing, where node `p` has a row
    /// of its own.
    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func everyReadFindsItsProducersValue(seed: UInt64) throws {
        let c = try RandomCircuits.make(seed: seed, inputs: 5, params: 2, nodes: 600, window: 40)
        let plan = ExecutionPlan(circuit: c), own = ExecutionPlan(circuit: c, reuseValueRows: false)
        let S = c.inputCount + c.paramCount, K = plan.keptRowCount
        #expect(plan.valueRowCount < own.valueRowCount, "seed \(seed): some rows should be shared")
        func producer(_ j: Int) -> Int { Int(own.argumentRow[j]) - S - K }   // < 0: an input or parameter
        var owner = [Int](repeating: -1, count: plan.valueRowCount)
        for run in plan.runs {
            for j in run.argumentPositions where producer(j) >= 0 {
                #expect(plan.argumentRow[j] == plan.nodeValueRow[producer(j)])
                #expect(owner[Int(plan.argumentRow[j])] == producer(j), "seed \(seed): position \(j) reads a row overwritten")
            }
            for p in Int(run.start)..<Int(run.end) { owner[Int(plan.nodeValueRow[p])] = p }
        }
        for run in plan.runs where run.hasBackward {
            let reads = run.op.backwardReads
            if reads.contains(.value) {
                for p in Int(run.start)..<Int(run.end) { #expect(owner[Int(plan.nodeValueRow[p])] == p) }
            }
            if reads.contains(.arguments) {
                for j in run.argumentPositions where producer(j) >= 0 {
                    #expect(owner[Int(plan.argumentRow[j])] == producer(j), "seed \(seed): a backward reads a row overwritten")
                }
            }
        }
        let output = Int(own.outputValueRow) - S - K
        if output >= 0 { #expect(owner[Int(plan.outputValueRow)] == output) }
    }

    /// Each op's node reads two values made for it alone (`sin x`, `cos y`) and its own value is
    /// read once by the next level; ten `add`s after it reuse every row freed. A rule whose
    /// backward read a row it does not declare would read an `add`'s value instead.
    @Test func everyOpsBackwardReadsOnlyWhatItDeclares() throws {
        var rng = GeneratorRandom(seed: 3)
        let rows = (0..<19).map { _ in [0.5 + Double(rng.next() % 1000) / 1000, 0.5 + Double(rng.next() % 1000) / 1000] }
        let batch = try Batch(rows: rows, inputCount: 2)
        for op in Op.allCases where op != .const {
            let b = CircuitBuilder()
            let x = b.input("x"), y = b.input("y")
            let a = b.node(.sin, [x]), c = b.node(.cos, [y])
            let node: Wire
            switch op.arity {
            case .exactly(1): node = b.node(op, [a], constant: op == .powc ? 2.5 : 0.75)
            default: node = b.node(op, [a, c])
            }
            var w = b.node(.add, [node, x])
            for _ in 0..<10 { w = b.node(.add, [w, y]) }
            let circuit = try b.build(output: w)
            let reference = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
            for lanes in [1, 8] {
                let engine = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 1, laneBlock: lanes)).evaluate(batch)
                #expect(firstBitDifference(reference, engine) == nil, "\(op.name), \(lanes) lanes")
            }
        }
    }
}
