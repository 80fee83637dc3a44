/// How the plan's nodes are cut into runs for one worker team: per *segment* (a parallel level,
/// or consecutive narrow levels merged into one serial stretch) and per worker, a list of
/// op runs for the forward sweep and a list of live-node op runs for the backward sweep.
///
/// A level is run in parallel only when its work (Σ ``Op/cost`` × lanes) pays for a barrier;
/// narrower levels are merged into serial segments run by worker 0. Every segment ends with
/// one barrier, so a sweep costs ``segmentCount`` barriers.
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

    /// Run `r` applies op `runOp[r]` to plan nodes `runStart[r]..<runEnd[r]`.
    let runOp: [UInt8]
    let runStart: [Int32]
    let runEnd: [Int32]
    /// Forward runs of segment `g`, worker `w`: `forwardRunStart[g*T+w]..<forwardRunStart[g*T+w+1]`.
    let forwardRunStart: [Int32]
    /// Backward runs (live nodes only), indexed like ``forwardRunStart``.
    let backwardRunStart: [Int32]

    /// Work (Σ cost × lanes) a level needs, per worker, to be run in parallel rather than merged.
    public static let parallelWorkPerWorker = 192

    /// Cuts `plan` for `workers` workers and `lanes` lanes per block.
    public init(plan: ExecutionPlan, workers: Int, lanes: Int) {
        workerCount = workers
        self.lanes = lanes
        let n = plan.nodeCount
        // Level ranges in plan order.
        var levelBounds: [Int] = [0]
        if n > 0 {
            for p in 1..<n where plan.level[p] != plan.level[p - 1] { levelBounds.append(p) }
            levelBounds.append(n)
        }
        let levels = levelBounds.count - 1
        levelCount = levels
        var widest = 0
        for l in 0..<levels { widest = max(widest, levelBounds[l + 1] - levelBounds[l]) }
        widestLevel = widest

        let costs = plan.op.map { Int(ExecutionPlan.circuitOp($0).cost) }
        // Segments: (start, end, parallel).
        var segments: [(Int, Int, Bool)] = []
        for l in 0..<levels {
            let a = levelBounds[l], b = levelBounds[l + 1]
            var work = 0
            for p in a..<b { work += costs[p] }
            let parallel = workers > 1 && work * max(lanes, 1) >= LevelSchedule.parallelWorkPerWorker * workers
            if !parallel, let last = segments.last, !last.2 {
                segments[segments.count - 1].1 = b
            } else {
                segments.append((a, b, parallel))
            }
        }
        segmentCount = segments.count
        parallelSegmentCount = segments.filter { $0.2 }.count

        var rOp = [UInt8](), rStart = [Int32](), rEnd = [Int32]()
        var fStart = [Int32](), bStart = [Int32]()
        func appendRuns(_ a: Int, _ b: Int, liveOnly: Bool) {
            var p = a
            while p < b {
                if liveOnly && !plan.isLive[p] { p += 1; continue }
                var q = p + 1
                while q < b && plan.op[q] == plan.op[p] && plan.level[q] == plan.level[p]
                    && (!liveOnly || plan.isLive[q]) { q += 1 }
                rOp.append(plan.op[p]); rStart.append(Int32(p)); rEnd.append(Int32(q))
                p = q
            }
        }
        for (a, b, parallel) in segments {
            // Node range of each worker.
            var bounds = [Int](repeating: parallel ? b : a, count: workers + 1)
            bounds[0] = a
            if parallel {
                var total = 0
                for p in a..<b { total += costs[p] }
                var acc = 0, w = 1, p = a
                while p < b && w < workers {
                    acc += costs[p]
                    p += 1
                    while w < workers && acc * workers >= total * w { bounds[w] = p; w += 1 }
                }
                while w < workers { bounds[w] = b; w += 1 }
                bounds[workers] = b
            } else {
                for w in 1...workers { bounds[w] = b }
            }
            for w in 0..<workers {
                fStart.append(Int32(rOp.count))
                appendRuns(bounds[w], bounds[w + 1], liveOnly: false)
            }
            for w in 0..<workers {
                bStart.append(Int32(rOp.count))
                appendRuns(bounds[w], bounds[w + 1], liveOnly: true)
            }
        }
        // Interleaved layout: convert to plain CSR by recording run ranges explicitly.
        // fStart/bStart hold the start of each (segment, worker) list; the end is the next start
        // in creation order, which we store alongside.
        var fRanges = [Int32](), bRanges = [Int32]()
        var k = 0
        for _ in segments {
            for w in 0..<workers {
                fRanges.append(fStart[k + w])
                fRanges.append(w + 1 < workers ? fStart[k + w + 1] : bStart[k])
            }
            for w in 0..<workers {
                bRanges.append(bStart[k + w])
                let next = k + workers < fStart.count ? fStart[k + workers] : Int32(rOp.count)
                bRanges.append(w + 1 < workers ? bStart[k + w + 1] : next)
            }
            k += workers
        }
        runOp = rOp
        runStart = rStart
        runEnd = rEnd
        forwardRunStart = fRanges
        backwardRunStart = bRanges
    }

    /// Forward run indexes of segment `g` for worker `w`.
    @inline(__always) func forwardRuns(segment g: Int, worker w: Int) -> Range<Int> {
        let i = 2 * (g * workerCount + w)
        return Int(forwardRunStart[i])..<Int(forwardRunStart[i + 1])
    }

    /// Backward run indexes of segment `g` for worker `w`.
    @inline(__always) func backwardRuns(segment g: Int, worker w: Int) -> Range<Int> {
        let i = 2 * (g * workerCount + w)
        return Int(backwardRunStart[i])..<Int(backwardRunStart[i + 1])
    }
}
