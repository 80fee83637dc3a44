/// How the plan's nodes are cut for one worker team: per *segment* (a parallel level, or
/// consecutive narrow levels merged into one serial stretch) and per worker, the ``NodeRun``s
/// of the forward sweep and the live runs of the backward sweep.
///
/// A level is run in parallel only when its work (``OpCost`` × lanes, forward and backward)
/// pays for a barrier and for moving its values between cores (``transferCostPerNode(lanes:)``);
/// other levels are merged into serial segments run by worker 0. Every
/// segment ends with one barrier, so a sweep costs ``segmentCount`` barriers. A parallel level
/// is cut into one contiguous stretch of plan nodes per worker, of equal cost, separately for
/// the forward and the backward sweep (their costs per op differ: `tanh` is dear forward and
/// cheap backward, `add` the other way round).
package struct LevelSchedule: Sendable {
    /// Number of workers the schedule was cut for.
    package let workerCount: Int
    /// Lanes per block the costs were weighed with.
    package let lanes: Int
    /// Number of levels of the circuit.
    package let levelCount: Int
    /// Number of segments after merging narrow levels.
    package let segmentCount: Int
    /// How many segments run in parallel.
    package let parallelSegmentCount: Int
    /// Number of nodes in the widest level.
    package let widestLevel: Int

    /// Forward runs, grouped by (segment, worker): ``forwardRuns(segment:worker:)``.
    private let forwardRunList: [NodeRun]
    private let forwardStart: [Int32]
    /// Backward runs (live nodes with a backward), grouped like the forward runs.
    private let backwardRunList: [NodeRun]
    private let backwardStart: [Int32]

    /// Work a level needs per worker, forward plus backward, before a barrier is worth paying
    /// (``OpCost`` units: 20,000 ≈ 2 µs, some ten barriers).
    package static let parallelWorkPerWorker = 20_000

    /// What splitting a level costs per node, in ``OpCost`` units per lane row, besides the
    /// barrier: every worker reads the values and gradients the others wrote, a cross-core
    /// transfer per cache line. Measured on the 2-core Xeon guest (`scripts/probe-level-exchange`
    /// and batch-1/batch-4 layered sweeps): with `T(W) = work/W + transfer·nodes·(W−1)/W`, two
    /// threads broke even on mixed-op levels of 10,000 nodes at batch 1 and lost 0.69× at
    /// 8 lanes, which these constants reproduce. A different machine would want its own.
    static func transferCostPerNode(lanes: Int) -> Int { lanes == 1 ? 56 : 108 * lanes }

    /// A level is split only if the model above predicts at least this speedup (1 / 0.8).
    static let requiredSpeedup = 1.25

    /// Cuts `plan` for `workers` workers and `lanes` lanes per block. With `weighTransfers`
    /// false, every level that pays for a barrier is split, whatever moving its values between
    /// cores costs (what `--strategy levels` asks for). `minimumWorkPerWorker` is the barrier
    /// threshold (tests split tiny levels with 0).
    package init(plan: ExecutionPlan, workers: Int, lanes: Int, weighTransfers: Bool = true,
                minimumWorkPerWorker: Int = LevelSchedule.parallelWorkPerWorker) {
        workerCount = workers
        self.lanes = lanes
        let runs = plan.runs
        let lanesWeight = max(lanes, 1)
        func forwardCost(_ r: NodeRun) -> Int { OpCost.forward(r.op, lanes: lanes) * lanesWeight }
        func backwardCost(_ r: NodeRun) -> Int { r.hasBackward ? OpCost.backward(r.op, lanes: lanes) * lanesWeight : 0 }

        // Levels as ranges of runs.
        var levelRuns: [Range<Int>] = []
        var i = 0
        while i < runs.count {
            var j = i + 1
            while j < runs.count && runs[j].level == runs[i].level { j += 1 }
            levelRuns.append(i..<j)
            i = j
        }
        levelCount = levelRuns.count
        widestLevel = levelRuns.map { r in r.reduce(0) { $0 + runs[$1].count } }.max() ?? 0

        // Segments: (runs, parallel).
        var segments: [(runs: Range<Int>, parallel: Bool)] = []
        for r in levelRuns {
            let work = r.reduce(0) { $0 + (forwardCost(runs[$1]) + backwardCost(runs[$1])) * runs[$1].count }
            let nodes = r.reduce(0) { $0 + runs[$1].count }
            let split = Double(work) / Double(workers)
                + Double(LevelSchedule.transferCostPerNode(lanes: lanes) * nodes) * Double(workers - 1) / Double(workers)
            let parallel = workers > 1 && nodes >= workers && work >= minimumWorkPerWorker * workers
                && (!weighTransfers || split * LevelSchedule.requiredSpeedup <= Double(work))
            if !parallel, let last = segments.last, !last.parallel {
                segments[segments.count - 1].runs = last.runs.lowerBound..<r.upperBound
            } else {
                segments.append((r, parallel))
            }
        }
        segmentCount = segments.count
        parallelSegmentCount = segments.filter(\.parallel).count

        var fList: [NodeRun] = [], bList: [NodeRun] = []
        var fStart: [Int32] = [], bStart: [Int32] = []
        /// Cut points (plan nodes) of equal cost: worker w gets bounds[w]..<bounds[w+1].
        func bounds(_ segmentRuns: Range<Int>, parallel: Bool, cost: (NodeRun) -> Int) -> [Int] {
            let a = Int(runs[segmentRuns.lowerBound].start), b = Int(runs[segmentRuns.upperBound - 1].end)
            var bounds = [Int](repeating: b, count: workers + 1)
            bounds[0] = a
            guard parallel else { return bounds }
            let total = segmentRuns.reduce(0) { $0 + cost(runs[$1]) * runs[$1].count }
            var acc = 0, w = 1
            for k in segmentRuns where w < workers {
                let run = runs[k], c = cost(run)
                // The first node at which the cost before it reaches total·w/workers.
                while w < workers {
                    let need = (total * w + workers - 1) / workers - acc
                    let nodes = c == 0 ? (need <= 0 ? 0 : run.count + 1) : (need + c - 1) / c
                    if nodes > run.count { break }
                    bounds[w] = Int(run.start) + max(nodes, 0)
                    w += 1
                }
                acc += c * run.count
            }
            return bounds
        }
        func append(_ segmentRuns: Range<Int>, _ bounds: [Int], worker w: Int, backward: Bool, to list: inout [NodeRun]) {
            let lo = bounds[w], hi = bounds[w + 1]
            guard lo < hi else { return }
            for k in segmentRuns {
                let run = runs[k]
                if backward && !run.hasBackward { continue }
                let s = max(lo, Int(run.start)), e = min(hi, Int(run.end))
                if s < e { list.append(run.slice(s, e)) }
            }
        }
        for (segmentRuns, parallel) in segments {
            let forwardBounds = bounds(segmentRuns, parallel: parallel, cost: forwardCost)
            let backwardBounds = bounds(segmentRuns, parallel: parallel, cost: backwardCost)
            for w in 0..<workers {
                fStart.append(Int32(fList.count))
                bStart.append(Int32(bList.count))
                append(segmentRuns, forwardBounds, worker: w, backward: false, to: &fList)
                append(segmentRuns, backwardBounds, worker: w, backward: true, to: &bList)
            }
        }
        fStart.append(Int32(fList.count))
        bStart.append(Int32(bList.count))
        forwardRunList = fList
        backwardRunList = bList
        forwardStart = fStart
        backwardStart = bStart
    }

    /// Runs of the forward sweep, all segments and workers together.
    package var forwardRunCount: Int { forwardRunList.count }
    /// Runs of the backward sweep, all segments and workers together.
    package var backwardRunCount: Int { backwardRunList.count }

    /// The forward runs of segment `g` for worker `w`, in plan order.
    @inline(__always) func forwardRuns(segment g: Int, worker w: Int) -> ArraySlice<NodeRun> {
        let i = g * workerCount + w
        return forwardRunList[Int(forwardStart[i])..<Int(forwardStart[i + 1])]
    }

    /// The backward runs of segment `g` for worker `w`, in plan order (run them in reverse).
    @inline(__always) func backwardRuns(segment g: Int, worker w: Int) -> ArraySlice<NodeRun> {
        let i = g * workerCount + w
        return backwardRunList[Int(backwardStart[i])..<Int(backwardStart[i + 1])]
    }
}
