import Testing
@testable import CircuitGrad

@Suite struct ScheduleTests {
    /// Every node runs forward exactly once and every live node backward exactly once, per sweep;
    /// a parallel segment holds one level; worker ranges follow plan order.
    @Test(arguments: [1, 2, 3])
    func segmentsCoverEveryNodeOnce(workers: Int) throws {
        for seed: UInt64 in [1, 2, 3] {
            let c = try RandomCircuits.make(seed: seed, inputs: 6, params: 2, nodes: 300, window: 60)
            let plan = ExecutionPlan(circuit: c)
            for lanes in [1, 8, 64] {
                let s = LevelSchedule(plan: plan, workers: workers, lanes: lanes)
                var forward = [Int](repeating: 0, count: plan.nodeCount)
                var backward = [Int](repeating: 0, count: plan.nodeCount)
                var lastLevel: Int32 = 0
                for g in 0..<s.segmentCount {
                    var levelsInSegment = Set<Int32>()
                    var workersWithWork = 0
                    for w in 0..<workers {
                        let runs = s.forwardRuns(segment: g, worker: w)
                        if !runs.isEmpty { workersWithWork += 1 }
                        for run in runs {
                            for p in Int(run.start)..<Int(run.end) {
                                forward[p] += 1
                                #expect(plan.op(ofPlanNode: p) == run.op)
                                #expect(plan.argumentPositions(ofPlanNode: p).lowerBound
                                        == Int(run.argumentBase) + (p - Int(run.start)) * Int(run.arity))
                                #expect(plan.level(ofPlanNode: p) >= lastLevel)
                                levelsInSegment.insert(plan.level(ofPlanNode: p))
                            }
                        }
                        for run in s.backwardRuns(segment: g, worker: w) {
                            for p in Int(run.start)..<Int(run.end) {
                                backward[p] += 1
                                #expect(plan.isLive(planNode: p))
                            }
                        }
                    }
                    if workersWithWork > 1 { #expect(levelsInSegment.count == 1) }
                    lastLevel = levelsInSegment.max() ?? lastLevel
                }
                #expect(forward.allSatisfy { $0 == 1 })
                for p in 0..<plan.nodeCount {
                    let needsBackward = plan.isLive(planNode: p) && plan.op(ofPlanNode: p) != .circuit(.const)
                    #expect(backward[p] == (needsBackward ? 1 : 0))
                }
            }
        }
    }

    /// The plan's runs describe their nodes: the multiset of (op, arity, level, liveness, gradient
    /// fan-in) over the plan's nodes equals the circuit's, computed here from the circuit alone;
    /// runs are maximal, in level order, and cover the nodes once.
    @Test func runsDescribeTheirNodes() throws {
        for seed: UInt64 in [7, 8, 9] {
            let c = try RandomCircuits.make(seed: seed, inputs: 6, params: 2, nodes: 300, window: 60)
            let plan = ExecutionPlan(circuit: c)
            struct Key: Hashable { var op: Op; var arity: Int; var level: Int32; var live: Bool; var fanIn: GradientFanIn }
            var expected: [Key: Int] = [:]
            for f in 0..<c.nodeCount {
                var fanIn = GradientFanIn.none
                if c.nodeIsLive[f] && c.ops[f] != .const, case .splitter(let s) = c.consumer(of: c.nodeWire(f)) {
                    let outs = c.outputs(ofSplitter: s)
                    let nested = outs.contains { if case .splitter = c.consumer(of: $0) { true } else { false } }
                    fanIn = nested ? .program : .rows(Int32(outs.count))
                }
                expected[Key(op: c.ops[f], arity: c.arguments(of: f).count, level: c.nodeLevel[f],
                             live: c.nodeIsLive[f], fanIn: fanIn), default: 0] += 1
            }
            var found: [Key: Int] = [:]
            var next: Int32 = 0
            for (i, run) in plan.runs.enumerated() {
                #expect(run.start == next && run.end > run.start)
                next = run.end
                if i > 0 {
                    let before = plan.runs[i - 1]
                    #expect(before.level <= run.level)
                    #expect((before.op, before.arity, before.isLive, before.gradientFanIn, before.fusesParameter, before.level)
                            != (run.op, run.arity, run.isLive, run.gradientFanIn, run.fusesParameter, run.level))
                }
                found[Key(op: run.op.circuitOp, arity: Int(run.arity), level: run.level,
                          live: run.isLive, fanIn: run.gradientFanIn), default: 0] += run.count
            }
            #expect(Int(next) == c.nodeCount)
            #expect(found == expected)
            #expect(expected.keys.contains { if case .rows(let k) = $0.fanIn { k >= 2 } else { false } })
        }
    }

    /// The rows nodes keep from their forward for their backward: two for each live `pow`
    /// (a^(b−1), ln a), one for each live `powc`, `sin` and `cos` (counted from the circuit), none
    /// for dead nodes or other ops; each past the node value rows, and no two nodes' rows overlap.
    @Test func keptRowsBelongToLiveNodesOfTheOpsThatKeepThem() throws {
        let rowsPerNode: [Op: Int] = [.pow: 2, .powc: 1, .sin: 1, .cos: 1]
        for seed: UInt64 in [7, 8, 9] {
            let c = try RandomCircuits.make(seed: seed, inputs: 6, params: 2, nodes: 400, window: 60)
            let plan = ExecutionPlan(circuit: c)
            var expected = 0, dead = 0
            for f in 0..<c.nodeCount {
                let rows = rowsPerNode[c.ops[f]] ?? 0
                if c.nodeIsLive[f] { expected += rows } else if rows > 0 { dead += 1 }
            }
            #expect(expected > 0 && dead > 0, "seed \(seed) should make live and dead nodes that keep rows")
            #expect(plan.keptRowCount == expected)
            #expect(plan.valueRowCountWithoutReuse == c.inputCount + c.paramCount + c.nodeCount + expected)
            var used = Set<Int32>()
            for run in plan.runs {
                let perNode = run.isLive ? rowsPerNode[run.op.circuitOp] ?? 0 : 0
                if perNode == 0 { #expect(run.keptBase == -1); continue }
                if run.count >= 2 {   // a worker's share of a run keeps its own nodes' rows
                    #expect(run.slice(Int(run.start) + 1, Int(run.end)).keptBase == run.keptBase + Int32(perNode))
                }
                for i in 0..<run.count {
                    let first = run.keptBase + Int32(i * perNode)
                    for r in first..<first + Int32(perNode) {
                        #expect(Int(r) >= c.inputCount + c.paramCount && Int(r) < c.inputCount + c.paramCount + expected)
                        #expect(used.insert(r).inserted, "row \(r) kept twice")
                    }
                }
            }
            #expect(used.count == expected)
        }
    }

    @Test func narrowLevelsMergeAndWideLevelsSplit() throws {
        let chain = try CircuitGenerator.chain(ChainShape(length: 5000), seed: 1)
        let s = LevelSchedule(plan: ExecutionPlan(circuit: chain), workers: 2, lanes: 1)
        #expect(s.segmentCount == 1)
        #expect(s.parallelSegmentCount == 0)
        let wide = try CircuitGenerator.layered(LayeredShape(nodes: 80_000, width: 8000), seed: 2)
        let w = LevelSchedule(plan: ExecutionPlan(circuit: wide), workers: 2, lanes: 1, weighTransfers: false)
        #expect(w.parallelSegmentCount >= 9)
        #expect(w.widestLevel >= 8000)
        // Levels 100 wide do not pay for a barrier at batch 1, but do at 64 lanes.
        let narrow = ExecutionPlan(circuit: try CircuitGenerator.layered(LayeredShape(nodes: 1000, width: 100), seed: 2))
        #expect(LevelSchedule(plan: narrow, workers: 2, lanes: 1, weighTransfers: false).parallelSegmentCount == 0)
        #expect(LevelSchedule(plan: narrow, workers: 2, lanes: 64, weighTransfers: false).parallelSegmentCount >= 9)
        // One worker: never a parallel segment, all levels merged into one.
        #expect(LevelSchedule(plan: ExecutionPlan(circuit: wide), workers: 1, lanes: 1).segmentCount == 1)
    }

    /// Weighing transfers between cores: wide levels of cheap ops are not worth splitting (moving
    /// their values costs as much as computing them, on the machine the constants come from);
    /// levels of dear ops are.
    @Test func cheapLevelsStayWholeAndDearOnesAreSplit() throws {
        let cheap = ExecutionPlan(circuit: try CircuitGenerator.layered(
            LayeredShape(nodes: 40_000, width: 8000, ops: try OpMix(parsing: "add:1,mul:1")), seed: 1))
        #expect(LevelSchedule(plan: cheap, workers: 2, lanes: 1).parallelSegmentCount == 0)
        #expect(LevelSchedule(plan: cheap, workers: 2, lanes: 1, weighTransfers: false).parallelSegmentCount >= 4)
        let dear = ExecutionPlan(circuit: try CircuitGenerator.layered(
            LayeredShape(nodes: 40_000, width: 8000, ops: try OpMix(parsing: "tanh:1")), seed: 1))
        #expect(LevelSchedule(plan: dear, workers: 2, lanes: 1).parallelSegmentCount >= 4)
    }

    /// A parallel level is cut into equal shares of cost, separately forward and backward: each
    /// worker's share is within one node's cost of total / workers.
    @Test(arguments: [2, 3])
    func parallelLevelsAreCutIntoEqualCosts(workers: Int) throws {
        let shape = LayeredShape(nodes: 60_000, width: 8000, ops: try OpMix(parsing: "add:1,tanh:1,sin:1,max:1"))
        let plan = ExecutionPlan(circuit: try CircuitGenerator.layered(shape, seed: 3))
        for lanes in [1, 16] {
            let s = LevelSchedule(plan: plan, workers: workers, lanes: lanes, weighTransfers: false)
            #expect(s.parallelSegmentCount >= 5)
            var unequalForwardAndBackward = false
            for g in 0..<s.segmentCount {
                for backward in [false, true] {
                    func cost(_ r: NodeRun) -> Int {
                        (backward ? OpCost.backward(r.op, lanes: lanes) : OpCost.forward(r.op, lanes: lanes)) * r.count
                    }
                    let shares = (0..<workers).map { w in
                        (backward ? s.backwardRuns(segment: g, worker: w) : s.forwardRuns(segment: g, worker: w))
                            .reduce(0) { $0 + cost($1) }
                    }
                    let total = shares.reduce(0, +)
                    guard shares.filter({ $0 > 0 }).count > 1 else { continue }
                    let dearest = 450   // no node costs more than a pow backward
                    for share in shares { #expect(abs(share * workers - total) <= dearest * workers) }
                }
                let f = s.forwardRuns(segment: g, worker: 0).reduce(0) { $0 + $1.count }
                let b = s.backwardRuns(segment: g, worker: 0).reduce(0) { $0 + $1.count }
                if f != b { unequalForwardAndBackward = true }
            }
            // tanh is dear forward and cheap backward, so the two cuts differ somewhere.
            #expect(unequalForwardAndBackward)
        }
    }

    /// Two slots that share a physical row never live at once: a row is written at a level only
    /// after every slot it held before has been read at a strictly higher level. A slot written by
    /// a node is read by its argument's producer and, when that producer is a live `add` or
    /// `offset` with no splitter (pass-through: its arguments' slots are its upstream row), by
    /// that producer's own argument producers, and so on down.
    @Test func reusedSlotRowsNeverOverlap() throws {
        for seed: UInt64 in [4, 5] {
            let c = try RandomCircuits.make(seed: seed, inputs: 6, params: 2, nodes: 400, window: 80)
            // One value row per node, so that a value row names its node (the slot rows are the same).
            let plan = ExecutionPlan(circuit: c, reuseValueRows: false)
            let sources = plan.inputCount + plan.paramCount + plan.keptRowCount
            func passesThrough(_ p: Int) -> Bool {
                let op = plan.op(ofPlanNode: p)
                return plan.isLive(planNode: p) && (op == .circuit(.add) || op == .circuit(.offset))
            }
            /// The lowest level that reads `row` as the gradient of value row `r`.
            func readLevel(ofValueRow r: Int32, row: Int32) -> Int32 {
                guard Int(r) >= sources else { return 0 }
                let p = Int(r) - sources
                var lowest = plan.level(ofPlanNode: p)
                if passesThrough(p) && plan.upstreamRow[p] == row {
                    for j in plan.argumentPositions(ofPlanNode: p) {
                        lowest = min(lowest, readLevel(ofValueRow: plan.argumentRow[j], row: row))
                    }
                }
                return lowest
            }
            // (row, written at, read at) for every argument slot a live node writes.
            var intervals: [(row: Int32, write: Int32, read: Int32)] = []
            var passThroughCount = 0
            for p in 0..<plan.nodeCount where plan.isLive(planNode: p) {
                if passesThrough(p) {
                    passThroughCount += 1
                    for j in plan.argumentPositions(ofPlanNode: p) { #expect(plan.argumentSlotRow[j] == plan.upstreamRow[p]) }
                    continue
                }
                for j in plan.argumentPositions(ofPlanNode: p) {
                    let row = plan.argumentSlotRow[j]
                    intervals.append((row, plan.level(ofPlanNode: p), readLevel(ofValueRow: plan.argumentRow[j], row: row)))
                }
            }
            #expect(passThroughCount > 10)
            #expect(intervals.allSatisfy { $0.row >= 2 })
            let byRow = Dictionary(grouping: intervals, by: \.row)
            for (_, list) in byRow {
                let sorted = list.sorted { $0.write > $1.write }
                for k in 1..<max(sorted.count, 1) where sorted.count > 1 {
                    // The earlier occupant (higher levels) is read before the next one is written.
                    #expect(sorted[k - 1].read > sorted[k].write)
                }
            }
            #expect(plan.slotRowCount < 2 + plan.argumentCount + plan.splitterCount)
        }
    }
}

@Suite struct SchedulePlanLayoutTests {
    /// Without reuse every live argument slot and every reduced splitter has a row of its own.
    @Test func rowsWithoutReuseAreDistinct() throws {
        let c = try RandomCircuits.make(seed: 6, inputs: 6, params: 2, nodes: 300, window: 60)
        let plan = ExecutionPlan(circuit: c, reuseSlotRows: false)
        var rows: [Int32] = []
        for p in 0..<plan.nodeCount where plan.isLive(planNode: p) {
            let op = plan.op(ofPlanNode: p)
            if op == .circuit(.add) || op == .circuit(.offset) {
                // Pass-through: its arguments' slots are its upstream row, written by someone else.
                for j in plan.argumentPositions(ofPlanNode: p) { #expect(plan.argumentSlotRow[j] == plan.upstreamRow[p]) }
                continue
            }
            for j in plan.argumentPositions(ofPlanNode: p) { rows.append(plan.argumentSlotRow[j]) }
        }
        rows += plan.splitterSumRows
        #expect(Set(rows).count == rows.count)
        #expect(rows.allSatisfy { $0 >= 2 && Int($0) < plan.slotRowCount })
        // The reuse plan knows this layout's size without building it.
        #expect(ExecutionPlan(circuit: c).slotRowCountWithoutReuse == plan.slotRowCount)
    }
}

/// The plan stays within the memory aim (32 bytes a node, splitters included) on wide
/// circuits, and the reported workspace figures follow from the row counts. Two kinds carry more,
/// for reasons the bounds spell out: a chain has one level per node, so one 40-byte run
/// descriptor per node; an MLP carries about one parameter per node (its value, gradient row
/// and flag, ~13 bytes) besides its nodes. Every node's value row (4 bytes,
/// ``PlanTables/nodeValueRow``) is in each figure.
@Suite struct PlanMemoryTests {
    @Test func planBytesPerNodeStayWithinTheAim() throws {
        let circuits: [(String, Circuit, Double)] = [
            ("layered", try CircuitGenerator.layered(LayeredShape(nodes: 20_000, width: 500), seed: 1), 32),
            ("layered add/mul", try CircuitGenerator.layered(
                LayeredShape(nodes: 20_000, width: 500, ops: try OpMix(parsing: "add:1,mul:1")), seed: 2), 32),
            ("grid", try CircuitGenerator.grid(GridShape(rows: 60, columns: 60), seed: 4), 32),
            ("tree", try CircuitGenerator.tree(TreeShape(leaves: 4096), seed: 5), 32),
            ("mlp", try CircuitGenerator.mlp(MLPShape(layerSizes: [16, 64, 64, 1]), seed: 3), 32 + 13 + 4),
            ("chain", try CircuitGenerator.chain(ChainShape(length: 5000), seed: 6),
             Double(16 + MemoryLayout<NodeRun>.stride + 1)),   // + the input's gradient row, program sentinel
        ]
        for (name, c, bound) in circuits {
            let plan = ExecutionPlan(circuit: c)
            #expect(plan.bytesPerNode <= bound, "\(name): \(plan.bytesPerNode) plan bytes per node")
            let e = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1, laneBlock: 16))
            let d = e.planDescription(sampleCount: 64)
            #expect(d.workspaceBytesPerBlock == (plan.valueRowCount + plan.slotRowCount) * 16 * 8, "\(name)")
            #expect(abs(d.workspaceBytesPerNodeLane * Double(c.nodeCount) * 16 - Double(d.workspaceBytesPerBlock)) < 1, "\(name)")
        }
    }
}
