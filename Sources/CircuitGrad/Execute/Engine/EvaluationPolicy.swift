/// The engine's choices for a batch, apart from running it: the lane block (sized to the
/// last-level cache, which it probes once, and to the memory budget), the strategy and the
/// workers, the level schedules those choices need (cut once per lane block and worker count,
/// then cached), and the worker team's size. ``CircuitEvaluator`` asks it once per evaluation.
final class EvaluationPolicy {
    /// How one batch runs.
    struct Choice {
        var lanes: Int
        var blocks: Int
        var strategy: ExecutionStrategy
        var workers: Int
    }

    let plan: ExecutionPlan
    let options: EvaluatorOptions
    /// Workers of the team.
    let threads: Int
    private var schedules: [Int: LevelSchedule] = [:]
    /// The memory the last batch found available (read again only when it matters).
    private var availableMemory = AvailableMemoryReading()
    /// The circuit's average forward + backward ``OpCost`` per node and lane (vector kernels),
    /// worked out once from the plan's runs.
    let averageNodeCost: Double

    init(plan: ExecutionPlan, options: EvaluatorOptions, threads: Int) {
        self.plan = plan
        self.options = options
        self.threads = threads
        var total = 0, nodes = 0
        for run in plan.runs {
            total += (OpCost.forward(run.op, lanes: 8) + OpCost.backward(run.op, lanes: 8)) * run.count
            nodes += run.count
        }
        averageNodeCost = nodes == 0 ? 0 : Double(total) / Double(nodes)
    }

    /// The largest lane block the engine picks by itself for a circuit whose rows fit the cache.
    static let maximumAutomaticLanes = 32
    /// The largest lane block it picks for a circuit that streams from memory (``streamsFromMemory(threads:budget:)``).
    /// Every-op layered 200k at batch 1024, one core, fastest of 4 alternated runs: 256 / 512 /
    /// 1024 lanes 472 / 404 / 411 ms (grid 300×300 and chain 100k: the same within noise), so
    /// 512, which keeps the rows at half the bytes of 1024.
    static let maximumStreamingLanes = 512
    /// Blocks each worker runs, at least, when an evaluator that evaluates once
    /// (``EvaluatorOptions/evaluatesOnce``) evaluates a circuit that streams from memory (while the
    /// batch allows 8-lane blocks). Wider blocks save per-node work in every later evaluation, but
    /// their rows are touched first in this one, and fresh pages cost about 2 s/GB on the AMD
    /// EPYC guest (`clear_page_erms` took 57 % of a one-shot product on the grid). `circuitgrad
    /// eval` of 1,024 samples, one thread, three alternated runs, automatic (512 lanes) / 128 lanes:
    /// grid 300×300 0.48–0.65 / 0.36–0.49 s, every-op layered 200k 0.72–0.79 / 0.53–0.54 s, chain
    /// 100k 0.48–0.59 / 0.36–0.50 s; repeated evaluations (`bench`) keep 512: 128 lanes there took
    /// the grid from 163–172 to 197–202 ms.
    static let blocksPerWorkerEvaluatingOnce = 8
    /// The largest lane block an evaluator accepts.
    static let largestLaneBlock = 1024

    /// Whether the circuit runs from memory whatever the block, or is a chain, so that wider
    /// blocks win: its rows at ``maximumAutomaticLanes`` lanes, for every worker, take more than
    /// half the last-level cache (or the budget), or its levels hold fewer than ``chainLevelWidth`` nodes
    /// on average (each step of a chain waits on the last; wider blocks give a step more
    /// independent lanes). Per-node work is then spread over more lanes. One core, batch 1024,
    /// fastest of 4, lane blocks 32 → 256: layered 200k every op 954 → 717 ms, grid 300×300 329 →
    /// 285 ms, chain 100k 731 → 373 ms; circuits that fit lost at 256 (tree 10k 44 → 82 ms,
    /// MLP 5.7 → 16.8 ms, layered 20k 28 → 41 ms), so they keep the cache rule. Half, not all of
    /// it: once values only the forward reads shared rows (``ValueRowAllocator``), the grid's
    /// 32-lane rows took 22 MiB of a 32 MiB cache and ran at 32 / 128 / 512 lanes in 219 / 202 /
    /// 170 ms (AMD EPYC guest, one core, batch 1024); the largest circuit seen to lose with wider
    /// blocks, the tree, takes 7 MiB.
    func streamsFromMemory(threads: Int, budget: Int) -> Bool {
        let levels = plan.runs.last.map { Int($0.level) + 1 } ?? 0
        if levels > 0 && plan.nodeCount < EvaluationPolicy.chainLevelWidth * levels { return true }
        return BlockWorkspace.bytes(plan: plan, lanes: EvaluationPolicy.maximumAutomaticLanes) * threads
            > min(budget, EvaluationPolicy.cacheBytes / 2)
    }

    /// The bytes one worker's block passes through the cache in a sweep: its rows, and its slice of
    /// the batch read in and of the results (value and input gradients) written out. A circuit that
    /// fits the cache keeps every worker's footprint within half the last-level cache, together:
    /// `scripts/probe-shared-bandwidth` (AMD EPYC guest, 32 MiB L3) moved 1.77× one core's bytes
    /// with two cores sweeping 8 MiB each, 1.60× at 12 MiB and 1.06× at 16 MiB, and one core alone
    /// fell from 183 to 125 GB/s between 8 and 16 MiB. The every-op tree of 10,000 inputs (7.4 MiB
    /// of rows and 4.9 MiB of batch and gradients a 32-lane block) at batch 64 on two threads, 12
    /// alternated runs: 32 lanes 1.40–2.06 ms, 16 lanes 1.07–1.63 ms; one thread ties at 16 and 32.
    func cacheFootprint(lanes: Int) -> Int {
        BlockWorkspace.bytes(plan: plan, lanes: lanes) + (2 * plan.inputCount + 1) * lanes * MemoryLayout<Double>.stride
    }

    /// Average nodes per level below which a circuit counts as a chain (``streamsFromMemory(threads:budget:)``).
    static let chainLevelWidth = 4

    /// Whether `lanes` is an allowed lane-block size.
    static func isValidLaneBlock(_ lanes: Int) -> Bool {
        lanes == 1 || (lanes >= 8 && lanes <= largestLaneBlock && lanes & (lanes - 1) == 0)
    }

    /// Refuses options no evaluator can run with: a lane block that is not allowed, fewer than one thread.
    static func check(_ options: EvaluatorOptions) throws {
        if let l = options.laneBlock, !isValidLaneBlock(l) {
            throw CircuitError(file: "<options>", kind: .invalidArgument, "lane block \(l) is not 1 or a power of two from 8 to \(largestLaneBlock)")
        }
        if let t = options.threads, t < 1 {
            throw CircuitError(file: "<options>", kind: .invalidArgument, "thread count \(t) must be at least 1")
        }
    }

    /// The per-core cache a cheap circuit's blocks are sized for (hwloc's level-2 data or unified
    /// cache, 1 MiB if unknown).
    static let secondLevelCacheBytes: Int = {
        let caches = Topology.current.caches.filter { $0.kind != "instruction" && $0.level == 2 }
        return caches.first?.sizeBytes ?? (1 << 20)
    }()

    /// Average forward + backward cost per node and lane below which a circuit is cheap
    /// (``OpCost`` units, tenths of a nanosecond): adds, muls and the like, whose time goes to
    /// moving rows rather than computing them.
    static let cheapNodeCost = 25.0

    /// The last-level cache the lane block is sized for (hwloc's largest data cache, 16 MiB if unknown).
    static let cacheBytes: Int = {
        let caches = Topology.current.caches.filter { $0.kind != "instruction" }
        return caches.max { $0.level < $1.level }?.sizeBytes ?? (16 << 20)
    }()

    /// Lane block, blocks, strategy and workers for `sampleCount` samples, lane blocks at most `laneCap`.
    func choose(sampleCount: Int, laneCap: Int = EvaluationPolicy.largestLaneBlock) -> Choice {
        let samples = min(max(sampleCount, 1), Int.max / 1024)   // sizes past this are refused by the memory check
        let budget = options.memoryBudgetBytes
        var lanes: Int
        if let l = options.laneBlock {
            lanes = l
        } else if samples == 1 || laneCap < 8 {
            lanes = 1
        } else {
            lanes = 8
            // Grow while every worker still gets a full block and the rows of all workers'
            // blocks still fit the last-level cache, or, for a circuit that streams from memory,
            // the budget. (Two blocks a worker, the rule until the blocks were handed out by a
            // shared counter, cost more than they balanced: at batch 64 on 2 threads, a worker's
            // two 16-lane blocks took 0.90 ms where one 32-lane block of the same samples took
            // 0.65–0.68 ms, on the every-op layered 10k; with 32-lane blocks the layered 200k,
            // grid and chain ran 7–25 % faster as well, fastest of 4 alternating runs.)
            let streams = streamsFromMemory(threads: threads, budget: budget)
            let most = streams ? EvaluationPolicy.maximumStreamingLanes : EvaluationPolicy.maximumAutomaticLanes
            var room = streams ? budget : min(budget, EvaluationPolicy.cacheBytes)
            // A cheap circuit keeps each worker's rows near its core's L2: its time goes to moving
            // rows, not computing them. Within three L2s, or one when its inputs are at least
            // half its nodes (every block moves all its inputs in and their gradients out, and
            // a block whose rows stay in L2 moves them between memory and L2 only). One core,
            // fastest of 3 alternating runs: MLP 16,64,64,1 at batch 1024, 8 / 16 / 32 lanes
            // 7.9 / 6.2 / 7.9 ms; 10,001-leaf add tree at 256, 2.42 / 3.00 / 3.41 ms; 20,000-leaf
            // add tree at 256, 9.7 / 11.2 / 12.9 ms; 4,000-leaf add/mul/max/min tree at 1024, 7.0 /
            // 7.3 / 7.7 ms. Circuits of dearer ops keep the rule above (the every-op layered 10k
            // ran faster at 64 lanes than at 32).
            if !streams && averageNodeCost <= EvaluationPolicy.cheapNodeCost {
                let secondLevelCaches = 2 * plan.inputCount >= plan.nodeCount ? 1 : 3
                room = min(room, secondLevelCaches * EvaluationPolicy.secondLevelCacheBytes * threads)
            }
            while lanes < min(most, laneCap)
                && 2 * lanes * threads <= samples
                && BlockWorkspace.bytes(plan: plan, lanes: 2 * lanes) * threads <= room
                && (streams || cacheFootprint(lanes: 2 * lanes) * threads <= EvaluationPolicy.cacheBytes / 2)
                && !(streams && options.evaluatesOnce && 2 * lanes * threads * EvaluationPolicy.blocksPerWorkerEvaluatingOnce > samples) {
                lanes *= 2
            }
        }
        let blocks = samples / lanes + (samples % lanes == 0 ? 0 : 1)
        let perBlock = BlockWorkspace.bytes(plan: plan, lanes: lanes)
        if threads == 1 { return Choice(lanes: lanes, blocks: blocks, strategy: .serial, workers: 1) }
        let blocksFit = blocks >= 2 && perBlock * min(threads, blocks) <= budget
        switch options.strategy {
        case .blocks:
            return Choice(lanes: lanes, blocks: blocks, strategy: .blocks, workers: threads)
        case .levels:
            return Choice(lanes: lanes, blocks: blocks, strategy: .levels, workers: threads)
        case .auto:
            if blocks >= threads && blocksFit {
                return Choice(lanes: lanes, blocks: blocks, strategy: .blocks, workers: threads)
            }
            if schedule(lanes: lanes, workers: threads).parallelSegmentCount > 0 {
                return Choice(lanes: lanes, blocks: blocks, strategy: .levels, workers: threads)
            }
            return Choice(lanes: lanes, blocks: blocks, strategy: .serial, workers: 1)
        }
    }

    /// The choice for a Hessian-vector product of `sampleCount` samples: as ``choose(sampleCount:laneCap:)``
    /// with an automatic lane block halved (not below 8), so that a block's primal and tangent
    /// rows together take the bytes one evaluation's block was sized to. (Layered 20k nodes, batch
    /// 4096: with 32 lanes the product took 3.2–3.4 evaluations on 1 thread and 2.9–3.4 on 2;
    /// with 16, 2.6–2.9 on both. MLP 8,64,64,1: 2.1–2.4 either way.)
    ///
    /// A circuit that streams from memory gets at most ``maximumTangentLanes``: its tangent plan
    /// keeps a row per node (values only the forward reads share rows in gradient plans alone), so
    /// a product's rows are 3–6 times an evaluation's, and filling fresh pages costs more than
    /// wide blocks save. `circuitgrad hvp` on 1,024 samples, one core (AMD EPYC guest), three
    /// alternated runs: grid 300×300 at 256 lanes (the choice before this cap) 2.7–4.1 s and 1.3 GB
    /// resident, at 64 lanes 1.2–1.3 s and 385 MB; layered 200k every op 2.3–3.5 s and 1.06 GB
    /// against 1.6–1.7 s and 315 MB. Repeated products (`bench-steps`, rows already touched) were
    /// 13–24 % faster at 256 lanes than at 64.
    func chooseForTangents(sampleCount: Int, laneCap: Int = EvaluationPolicy.largestLaneBlock) -> Choice {
        let choice = choose(sampleCount: sampleCount, laneCap: laneCap)
        guard options.laneBlock == nil, choice.lanes > 8 else { return choice }
        return choose(sampleCount: sampleCount, laneCap: min(choice.lanes / 2, EvaluationPolicy.maximumTangentLanes))
    }

    /// The largest lane block the engine picks by itself for second order (``chooseForTangents(sampleCount:laneCap:)``).
    static let maximumTangentLanes = 64

    /// The choice for `sampleCount` samples whose memory fits (``EvaluationMemory``): with an
    /// automatic lane block, smaller blocks are tried before giving up. `levelPlanBuilt` says
    /// whether the level strategy's plan exists already (else it counts as memory to find).
    /// - Throws: ``CircuitError`` (``CircuitError/Kind/resourceLimit``) saying what is needed and what lowers it.
    func chooseWithinMemory(sampleCount: Int, levelPlanBuilt: Bool) throws -> Choice {
        try chooseWithinMemory(sampleCount: sampleCount, resultBytesPerSample: MemoryEstimate.product(plan.inputCount + 1, 8),
                               choose: { choose(sampleCount: sampleCount, laneCap: $0) }) { c in
            let levels = c.strategy == .levels
            return (levels ? MemoryEstimate.product(plan.valueRowCountWithoutReuse + plan.slotRowCountWithoutReuse, c.lanes * 8)
                           : BlockWorkspace.bytes(plan: plan, lanes: c.lanes),
                    levels && !levelPlanBuilt ? Int(plan.bytesPerNode * Double(max(plan.nodeCount, 1))) : 0)
        }
    }

    /// The first of `choose(cap)` for caps from the largest lane block down, halving, whose memory
    /// fits, or the last tried with a chosen lane block or a block of one lane (then refused if
    /// it does not fit). `workspace(choice)` gives the bytes of one block's rows and of a plan
    /// still to build; the results take `resultBytesPerSample` a sample; with `sumsParameters`
    /// every block also sums its parameter gradients.
    /// - Throws: ``CircuitError`` (``CircuitError/Kind/resourceLimit``) saying what is needed and what lowers it.
    func chooseWithinMemory(sampleCount: Int, resultBytesPerSample: Int, sumsParameters: Bool = true, choose: (Int) -> Choice,
                            workspace: (Choice) -> (bytesPerBlock: Int, planBytes: Int)) throws -> Choice {
        let params = sumsParameters ? plan.paramCount : 0
        var cap = EvaluationPolicy.largestLaneBlock
        while true {
            let c = choose(cap)
            let (perBlock, planBytes) = workspace(c)
            let estimate = EvaluationMemory.estimate(
                samples: sampleCount, resultBytesPerSample: resultBytesPerSample, params: params,
                workspaceBytesPerBlock: perBlock, blocksInFlight: c.strategy == .blocks ? min(c.workers, c.blocks) : 1,
                chunkBlocks: EvaluationMemory.chunkBlocks(blocks: c.blocks, params: params), extraPlanBytes: planBytes)
            let available = availableMemory.bytes(toHold: estimate.totalBytes)
            if estimate.totalBytes <= available || options.laneBlock != nil || c.lanes == 1 {
                let remedy = options.laneBlock != nil ? "a smaller --lane-block, fewer --threads or a smaller batch lowers it"
                    : "a smaller batch lowers it (the results alone need \(MemoryEstimate.format(estimate.parts[0].bytes)))"
                try estimate.check("evaluating \(sampleCount) samples with lane blocks of \(c.lanes)", available: available, remedy: remedy)
                return c
            }
            cap = c.lanes / 2
        }
    }

    /// The schedule for `lanes` and `workers`; levels are split as the strategy option says
    /// (automatic: only where the transfer model predicts a gain; `levels`: wherever a barrier pays).
    func schedule(lanes: Int, workers: Int) -> LevelSchedule {
        let weigh = options.strategy != .levels
        let key = lanes * 1024 + workers
        if let s = schedules[key] { return s }
        let s = LevelSchedule(plan: plan, workers: workers, lanes: lanes, weighTransfers: weigh,
                              minimumWorkPerWorker: options.minimumParallelWorkPerWorker)
        schedules[key] = s
        return s
    }

    /// How a batch of `sampleCount` samples would be run.
    func description(sampleCount: Int) -> EnginePlanDescription {
        let c = choose(sampleCount: sampleCount)
        let s = schedule(lanes: c.lanes, workers: c.strategy == .levels ? c.workers : 1)
        return EnginePlanDescription(
            nodes: plan.nodeCount, splitters: plan.splitterCount, levels: s.levelCount,
            widestLevel: s.widestLevel, segments: s.segmentCount, parallelSegments: s.parallelSegmentCount,
            barriersPerSweep: c.strategy == .levels ? s.segmentCount : 0,
            forwardRuns: s.forwardRunCount, backwardRuns: s.backwardRunCount, threads: c.workers,
            strategy: c.strategy, laneBlock: c.lanes, blocks: c.blocks,
            planBytesPerNode: plan.bytesPerNode,
            workspaceBytesPerBlock: c.strategy == .levels
                ? (plan.valueRowCountWithoutReuse + plan.slotRowCountWithoutReuse) * c.lanes * MemoryLayout<Double>.stride
                : BlockWorkspace.bytes(plan: plan, lanes: c.lanes))
    }

    /// The worker team `options` ask for: threads clamped to the allowed processing units
    /// (the note says why the team differs from what was asked, if it does).
    static func makeTeam(options: EvaluatorOptions) throws -> (team: any WorkerTeam, note: String?) {
        let topology = Topology.current
        let wanted = options.threads ?? topology.allowedCoreCount
        let allowed = max(1, topology.allowedPUCount)
        var notes: [String] = []
        var count = wanted
        if wanted > allowed {
            count = allowed
            notes.append("\(wanted) threads asked for but only \(allowed) processing unit(s) allowed: using \(allowed)")
        }
        if count == 1 { return (SerialTeam(), notes.isEmpty ? nil : notes.joined(separator: "; ")) }
        let pool = try WorkerPool(threads: count, pin: options.pin)
        if let n = pool.pinningNote { notes.append(n) }
        return (pool, notes.isEmpty ? nil : notes.joined(separator: "; "))
    }
}
