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
                        for r in runs {
                            for p in Int(s.runStart[r])..<Int(s.runEnd[r]) {
                                forward[p] += 1
                                #expect(plan.op[p] == s.runOp[r])
                                #expect(plan.level[p] >= lastLevel)
                                levelsInSegment.insert(plan.level[p])
                            }
                        }
                        for r in s.backwardRuns(segment: g, worker: w) {
                            for p in Int(s.runStart[r])..<Int(s.runEnd[r]) {
                                backward[p] += 1
                                #expect(plan.isLive[p])
                            }
                        }
                    }
                    if workersWithWork > 1 { #expect(levelsInSegment.count == 1) }
                    lastLevel = levelsInSegment.max() ?? lastLevel
                }
                #expect(forward.allSatisfy { $0 == 1 })
                #expect(zip(backward, plan.isLive).allSatisfy { $0 == ($1 ? 1 : 0) })
            }
        }
    }

    @Test func narrowLevelsMergeAndWideLevelsSplit() throws {
        let chain = try CircuitGenerator.chain(ChainShape(length: 5000), seed: 1)
        let s = LevelSchedule(plan: ExecutionPlan(circuit: chain), workers: 2, lanes: 1)
        #expect(s.segmentCount == 1)
        #expect(s.parallelSegmentCount == 0)
        let wide = try CircuitGenerator.layered(LayeredShape(nodes: 20_000, width: 2000), seed: 2)
        let w = LevelSchedule(plan: ExecutionPlan(circuit: wide), workers: 2, lanes: 1)
        #expect(w.parallelSegmentCount >= 9)
        #expect(w.widestLevel >= 2000)
        // One worker: never a parallel segment, all levels merged into one.
        #expect(LevelSchedule(plan: ExecutionPlan(circuit: wide), workers: 1, lanes: 1).segmentCount == 1)
    }

    /// Two slots that share a physical row never live at once: a row is written at a level only
    /// after every slot it held before has been read at a strictly higher level.
    @Test func reusedSlotRowsNeverOverlap() throws {
        for seed: UInt64 in [4, 5] {
            let c = try RandomCircuits.make(seed: seed, inputs: 6, params: 2, nodes: 400, window: 80)
            let plan = ExecutionPlan(circuit: c)
            let sources = plan.inputCount + plan.paramCount
            func level(ofValueRow r: Int32) -> Int32 { Int(r) < sources ? 0 : plan.level[Int(r) - sources] }
            // (row, written at, read at) for every live argument slot.
            var intervals: [(row: Int32, write: Int32, read: Int32)] = []
            for p in 0..<plan.nodeCount where plan.isLive[p] {
                for j in Int(plan.argumentStart[p])..<Int(plan.argumentStart[p + 1]) {
                    intervals.append((plan.argumentSlotRow[j], plan.level[p], level(ofValueRow: plan.argumentRow[j])))
                }
            }
            #expect(intervals.allSatisfy { $0.row >= 2 })
            let byRow = Dictionary(grouping: intervals, by: \.row)
            for (_, list) in byRow {
                let sorted = list.sorted { $0.write > $1.write }
                for k in 1..<max(sorted.count, 1) where sorted.count > 1 {
                    // The earlier occupant (higher levels) is read before the next one is written.
                    #expect(sorted[k - 1].read > sorted[k].write)
                }
            }
            #expect(plan.slotRowCount < 2 + plan.argumentRow.count + plan.splitterCount)
        }
    }
}

@Suite struct SchedulePlanLayoutTests {
    /// Without reuse every live argument slot and every reduced splitter has a row of its own.
    @Test func rowsWithoutReuseAreDistinct() throws {
        let c = try RandomCircuits.make(seed: 6, inputs: 6, params: 2, nodes: 300, window: 60)
        let plan = ExecutionPlan(circuit: c, reuseSlotRows: false)
        var rows: [Int32] = []
        for p in 0..<plan.nodeCount where plan.isLive[p] {
            for j in Int(plan.argumentStart[p])..<Int(plan.argumentStart[p + 1]) { rows.append(plan.argumentSlotRow[j]) }
        }
        for sp in plan.reductionSplitters + plan.finalReductionSplitters { rows.append(plan.splitterSlotRow[Int(sp)]) }
        #expect(Set(rows).count == rows.count)
        #expect(rows.allSatisfy { $0 >= 2 && Int($0) < plan.slotRowCount })
    }
}
