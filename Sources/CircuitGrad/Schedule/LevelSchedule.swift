/// How the plan's nodes are cut for one worker team: per *segment* (a parallel level, or
/// consecutive narrow levels merged into one serial stretch) and per worker, the ``NodeRun``s
/// of the forward sweep and the live runs of the backward sweep.
///
/// A level is run in parallel only when its work (Σ ``Op/cost`` × lanes) pays for a barrier;
/// narrower levels are merged into serial segments run by worker 0. Every segment ends with
/// one barrier, so a sweep costs ``segmentCount`` barriers. A parallel level is cut into one
/// contiguous stretch of plan nodes per worker, of equal cost.
public struct LevelSchedule: Sendable {
    /// Number of workers the schedule was cut for.
    public let workerCount: Int
    /// Lanes per block the costs were weighed with.
    public let lanes: Int
    /// Number of levels of the circuit.
    public let levelCount: Int
    /// Number of segments after merging narrow levels.
    public let segmentCount: Int
    /// How many segments run in parallel.
    public let parallelSegmentCount: Int
    /// Number of nodes in the widest level.
    public let widestLevel: Int

    /// Forward runs, grouped by (segment, worker): ``forwardRuns(segment:worker:)``.
    private let forwardRunList: [NodeRun]
    private let forwardStart: [Int32]
    /// Backward runs (live nodes with a backward), grouped like the forward runs.
    private let backwardRunList: [NodeRun]
    private let backwardStart: [Int32]

    /// Work (Σ cost × lanes) a level needs, per worker, to be run in parallel rather than merged.
    public static let parallelWorkPerWorker = 192

    /// Cuts `plan` for `workers` workers and `lanes` lanes per block.
    public init(plan: ExecutionPlan, workers: Int, lanes: Int) {
        workerCount = workers
        self.lanes = lanes
        let runs = plan.runs
        func cost(_ r: NodeRun) -> Int { Int(ExecutionPlan.circuitOp(r.op).cost) }

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
            let work = r.reduce(0) { $0 + cost(runs[$1]) * runs[$1].count }
            let parallel = workers > 1 && work * max(lanes, 1) >= LevelSchedule.parallelWorkPerWorker * workers
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
        for (segmentRuns, parallel) in segments {
            // Cut points (plan nodes) of equal cost: worker w gets bounds[w]..<bounds[w+1].
            let a = segmentRuns.isEmpty ? 0 : Int(runs[segmentRuns.lowerBound].start)
            let b = segmentRuns.isEmpty ? 0 : Int(runs[segmentRuns.upperBound - 1].end)
            var bounds = [Int](repeating: b, count: workers + 1)
            bounds[0] = a
            if parallel {
                let total = segmentRuns.reduce(0) { $0 + cost(runs[$1]) * runs[$1].count }
                var acc = 0, w = 1
                for k in segmentRuns where w < workers {
                    let run = runs[k], c = cost(run)
                    // First node p of this run at which acc + c·(p − start + 1) reaches total·w/workers.
                    while w < workers {
                        let need = (total * w + workers - 1) / workers - acc
                        let nodes = (need + c - 1) / c
                        if nodes > run.count { break }
                        bounds[w] = Int(run.start) + max(nodes, 0)
                        w += 1
                    }
                    acc += c * run.count
                }
            }
            for w in 0..<workers {
                fStart.append(Int32(fList.count))
                bStart.append(Int32(bList.count))
                let lo = bounds[w], hi = bounds[w + 1]
                guard lo < hi else { continue }
                for k in segmentRuns {
                    let run = runs[k]
                    let s = max(lo, Int(run.start)), e = min(hi, Int(run.end))
                    guard s < e else { continue }
                    let piece = run.slice(s, e)
                    fList.append(piece)
                    if piece.hasBackward { bList.append(piece) }
                }
            }
        }
        fStart.append(Int32(fList.count))
        bStart.append(Int32(bList.count))
        forwardRunList = fList
        backwardRunList = bList
        forwardStart = fStart
        backwardStart = bStart
    }

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
