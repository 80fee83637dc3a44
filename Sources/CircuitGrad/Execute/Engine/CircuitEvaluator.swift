import Glibc

/// The parallel engine: values and reverse-mode gradients of a circuit for whole batches,
/// bit for bit equal to the sequential reference evaluator whatever the thread count, strategy or lane block.
///
/// The plan (`ExecutionPlan`) and the worker team are built once; ``evaluate(_:)`` may be
/// called many times with new batches. Calls must not overlap (the evaluator is not reentrant).
///
/// ```swift
/// let evaluator = try CircuitEvaluator(circuit: circuit, options: EvaluatorOptions(threads: 2))
/// for batch in batches {
///     let result = try evaluator.evaluate(batch)     // same bits with any thread count
///     print(result.values)
/// }
/// ```
public final class CircuitEvaluator: GradientEvaluating {
    /// The circuit being evaluated.
    public let circuit: Circuit
    /// The options it was built with.
    package let options: EvaluatorOptions
    /// The compiled plan.
    package let plan: ExecutionPlan
    /// Called after lane blocks complete with (samples done, total samples); may be approximate
    /// while blocks run in parallel, and is called with (total, total) at the end.
    package var progress: ((Int, Int) -> Void)?

    /// The plan with reused slot rows (serial and block strategies).
    let blockStorage: PlanStorage
    /// The plan with one slot row per use (level strategy: workers write disjoint rows), built on first use.
    var levelStorage: PlanStorage?
    /// The plan of the evaluation in progress.
    var storage: PlanStorage
    let team: any WorkerTeam
    /// Workers available.
    public var threadCount: Int { team.threadCount }
    /// Why the worker team differs from what was asked (clamped threads, pinning problems), if so.
    package private(set) var teamNote: String?

    private var schedules: [Int: LevelSchedule] = [:]
    var cachedLayout: (lanes: Int, count: Int, reuse: Bool, workspaces: [BlockWorkspace])?
    /// The parameter values evaluations use (the circuit's own until ``setParameters(_:)``).
    public internal(set) var parameterValues: [Double]

    /// Compiles `circuit` and starts the workers.
    /// - Throws: when the worker team cannot be started.
    public init(circuit: Circuit, options: EvaluatorOptions = EvaluatorOptions()) throws {
        if let l = options.laneBlock, !CircuitEvaluator.isValidLaneBlock(l) {
            throw CircuitError(file: "<options>", kind: .invalidArgument, "lane block \(l) is not 1 or a power of two from 8 to 256")
        }
        if let t = options.threads, t < 1 {
            throw CircuitError(file: "<options>", kind: .invalidArgument, "thread count \(t) must be at least 1")
        }
        self.circuit = circuit
        self.options = options
        self.plan = ExecutionPlan(circuit: circuit)
        self.parameterValues = circuit.paramValues
        self.blockStorage = PlanStorage(plan: plan)
        self.storage = blockStorage
        let made = try CircuitEvaluator.makeTeam(options: options)
        self.team = made.team
        self.teamNote = made.note
    }

    /// Whether `lanes` is an allowed lane-block size.
    package static func isValidLaneBlock(_ lanes: Int) -> Bool {
        lanes == 1 || (lanes >= 8 && lanes <= 256 && lanes & (lanes - 1) == 0)
    }

    // MARK: Choices

    struct Choice {
        var lanes: Int
        var blocks: Int
        var strategy: ExecutionStrategy
        var workers: Int
    }

    func choose(sampleCount: Int, laneCap: Int = 256) -> Choice {
        let threads = team.threadCount
        let samples = min(max(sampleCount, 1), Int.max / 1024)   // sizes past this are refused by the memory check
        let budget = options.memoryBudgetBytes
        var lanes: Int
        if let l = options.laneBlock {
            lanes = l
        } else if samples == 1 || laneCap < 8 {
            lanes = 1
        } else {
            lanes = 8
            // Grow while every worker still gets a block (with several workers, two blocks:
            // mlp.circuit at batch 64 on 2 threads ran 1.45x faster with 16 lanes than with 32)
            // and the rows of all workers' blocks still fit the last-level cache.
            let blocksWanted = threads == 1 ? 1 : 2 * threads
            while lanes < min(CircuitEvaluator.maximumAutomaticLanes, laneCap)
                && 2 * lanes <= samples
                && (samples + 2 * lanes - 1) / (2 * lanes) >= blocksWanted
                && BlockWorkspace.bytes(plan: plan, lanes: 2 * lanes) * threads <= min(budget, CircuitEvaluator.cacheBytes) {
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

    /// The last-level cache the lane block is sized for (hwloc's largest data cache, 16 MiB if unknown).
    static let cacheBytes: Int = {
        let caches = Topology.current.caches.filter { $0.kind != "instruction" }
        return caches.max { $0.level < $1.level }?.sizeBytes ?? (16 << 20)
    }()

    /// The largest lane block the engine picks by itself.
    package static let maximumAutomaticLanes = 32

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

    func workspaces(lanes: Int, count: Int) -> [BlockWorkspace] {
        let reuse = storage.plan.reusesSlotRows
        if let c = cachedLayout, c.lanes == lanes, c.count >= count, c.reuse == reuse { return c.workspaces }
        cachedLayout = nil
        let ws = (0..<count).map { _ in
            BlockWorkspace(plan: storage.plan, lanes: lanes, maxArity: storage.view.maxArity, workers: team.threadCount)
        }
        for w in ws { w.broadcastParameters(parameterValues, inputCount: plan.inputCount) }
        cachedLayout = (lanes, count, reuse, ws)
        return ws
    }

    /// How a batch of `sampleCount` samples would be run.
    package func planDescription(sampleCount: Int) -> EnginePlanDescription {
        let c = choose(sampleCount: sampleCount)
        let s = schedule(lanes: c.lanes, workers: c.strategy == .levels ? c.workers : 1)
        return EnginePlanDescription(
            nodes: circuit.nodeCount, splitters: circuit.splitterCount, levels: s.levelCount,
            widestLevel: s.widestLevel, segments: s.segmentCount, parallelSegments: s.parallelSegmentCount,
            barriersPerSweep: c.strategy == .levels ? s.segmentCount : 0, threads: c.workers,
            strategy: c.strategy, laneBlock: c.lanes, blocks: c.blocks,
            planBytesPerNode: plan.bytesPerNode,
            workspaceBytesPerBlock: c.strategy == .levels
                ? (plan.valueRowCount + plan.slotRowCountWithoutReuse) * c.lanes * MemoryLayout<Double>.stride
                : BlockWorkspace.bytes(plan: plan, lanes: c.lanes))
    }

    // MARK: Evaluation

    /// Values and gradients for every sample of `batch`.
    public func evaluate(_ batch: Batch) throws -> EvaluationResult {
        var timing = EvaluationTiming()
        return try evaluate(batch, timing: &timing)
    }

    /// Like ``evaluate(_:)``, and reports how long the forward and backward sweeps took.
    package func evaluate(_ batch: Batch, timing: inout EvaluationTiming) throws -> EvaluationResult {
        guard batch.inputCount == circuit.inputCount else {
            throw CircuitError(file: "<batch>", kind: .invalidArgument,
                               "the batch has \(batch.inputCount) input columns but the circuit has \(circuit.inputCount) inputs")
        }
        let start = MonotonicClock.seconds()
        let S = batch.sampleCount
        if S == 0 { return EvaluationResult(sampleCount: 0, inputCount: circuit.inputCount, paramCount: circuit.paramCount) }
        let choice = try chooseWithinMemory(sampleCount: S)
        var result = EvaluationResult(sampleCount: S, inputCount: circuit.inputCount, paramCount: circuit.paramCount,
                                      writingEveryValueAndInputGradient: ())
        useStorage(for: choice)
        let L = choice.lanes, B = choice.blocks, P = circuit.paramCount, I = circuit.inputCount
        let C = EvaluationMemory.chunkBlocks(blocks: B, params: P)
        var blockSums = [Double](repeating: 0, count: min(B, C) * P)
        var sumStack = BlockSumStack(), lastChunkSum: [Double]?
        var fwd = 0.0, bwd = 0.0
        let outerProgress = progress
        defer { progress = outerProgress }

        for chunkStart in stride(from: 0, to: B, by: C) {
            let chunkBlocks = min(C, B - chunkStart), first = chunkStart * L
            if B > C, let outerProgress { progress = { done, _ in outerProgress(first + done, S) } }
            batch.values.withUnsafeBufferPointer { inputs in
                result.values.withUnsafeMutableBufferPointer { values in
                    result.inputGradients.withUnsafeMutableBufferPointer { grads in
                        blockSums.withUnsafeMutableBufferPointer { sums in
                            let io = BlockIO(inputs: inputs.baseAddress.map { $0 + first * I }, sampleCount: min(S - first, chunkBlocks * L),
                                             values: values.baseAddress! + first, inputGradients: grads.baseAddress.map { $0 + first * I },
                                             blockParamSums: sums.baseAddress, lanes: L)
                            let (f, b): (Double, Double)
                            switch choice.strategy {
                            case .levels: (f, b) = runLevels(io: io, blocks: chunkBlocks, workers: choice.workers)
                            case .blocks: (f, b) = runBlocks(io: io, blocks: chunkBlocks)
                            case .serial: (f, b) = runSerial(io: io, blocks: chunkBlocks)
                            }
                            fwd += f
                            bwd += b
                        }
                    }
                }
            }
            // Parameter gradients: block sums combined by the same fixed tree, whole rows at once
            // (each parameter's column follows PairwiseSum's tree over blocks), chunk by chunk.
            if P > 0 {
                blockSums.withUnsafeMutableBufferPointer { LanePairwiseSum.sumRowsInPlace($0.baseAddress!, count: chunkBlocks, width: P) }
                if chunkBlocks == C { sumStack.push(Array(blockSums[0..<P]), blocks: C) } else { lastChunkSum = Array(blockSums[0..<P]) }
            }
        }
        if P > 0, let total = sumStack.total(last: lastChunkSum) {
            result.paramGradients = total
            result.paramGradients.canonicalizeNaNs()
        }
        progress = outerProgress
        progress?(S, S)
        timing.forwardSeconds = fwd
        timing.backwardSeconds = bwd
        timing.totalSeconds = MonotonicClock.seconds() - start
        return result
    }

    /// Uses the plan `choice` needs: one slot row per use for the level strategy, else reused rows.
    func useStorage(for choice: Choice) {
        if choice.strategy == .levels {
            if levelStorage == nil {
                levelStorage = PlanStorage(plan: ExecutionPlan(circuit: circuit, reuseSlotRows: false))
                levelStorage!.setParameters(parameterValues)
            }
            storage = levelStorage!
        } else {
            storage = blockStorage
        }
    }

    /// Forward then backward of the nodes of `runs` on one workspace, by one worker.
    @inline(__always)
    private func sweep<V: LaneChunk>(_: V.Type, schedule s: LevelSchedule, segment g: Int, worker: Int,
                                     workspace w: BlockWorkspace, forward: Bool,
                                     parameterSums: UnsafeMutablePointer<Double>?) {
        let k = LaneKernels<V>(plan: storage.view, workspace: w, worker: worker, parameterSums: parameterSums)
        if forward {
            for run in s.forwardRuns(segment: g, worker: worker) { k.forward(run) }
        } else {
            for run in s.backwardRuns(segment: g, worker: worker).reversed() { k.backward(run) }
        }
    }

    private func sweepSegment(schedule s: LevelSchedule, segment g: Int, worker: Int,
                              workspace w: BlockWorkspace, forward: Bool, block b: Int, io: BlockIO) {
        if w.lanes == 1 {
            sweep(Double.self, schedule: s, segment: g, worker: worker, workspace: w, forward: forward, parameterSums: nil)
        } else {
            // Nodes sum their parameter's lanes only for full blocks (finish does partial ones).
            let full = (b + 1) * io.lanes <= io.sampleCount
            let sums = full ? io.blockParamSums.map { $0 + b * plan.paramCount } : nil
            sweep(SIMD8<Double>.self, schedule: s, segment: g, worker: worker, workspace: w, forward: forward,
                  parameterSums: sums)
        }
    }

    /// Evaluates block `b` alone on `w` (one worker, every segment).
    private func evaluateBlock(_ b: Int, io: BlockIO, schedule s: LevelSchedule, workspace w: BlockWorkspace,
                               fwd: inout Double, bwd: inout Double) {
        load(block: b, io: io, into: w)
        let t0 = MonotonicClock.seconds()
        for g in 0..<s.segmentCount { sweepSegment(schedule: s, segment: g, worker: 0, workspace: w, forward: true, block: b, io: io) }
        let t1 = MonotonicClock.seconds()
        for g in (0..<s.segmentCount).reversed() {
            sweepSegment(schedule: s, segment: g, worker: 0, workspace: w, forward: false, block: b, io: io)
        }
        finish(block: b, io: io, workspace: w)
        let t2 = MonotonicClock.seconds()
        fwd += t1 - t0
        bwd += t2 - t1
    }

    private func runSerial(io: BlockIO, blocks: Int) -> (Double, Double) {
        let s = schedule(lanes: io.lanes, workers: 1)
        let w = workspaces(lanes: io.lanes, count: 1)[0]
        var fwd = 0.0, bwd = 0.0
        for b in 0..<blocks {
            evaluateBlock(b, io: io, schedule: s, workspace: w, fwd: &fwd, bwd: &bwd)
            progress?(min(io.sampleCount, (b + 1) * io.lanes), io.sampleCount)
        }
        return (fwd, bwd)
    }

    private func runBlocks(io: BlockIO, blocks: Int) -> (Double, Double) {
        let T = team.threadCount
        let s = schedule(lanes: io.lanes, workers: 1)
        let ws = workspaces(lanes: io.lanes, count: min(T, blocks))
        var fwd = 0.0, bwd = 0.0
        let report = progress
        team.run { worker in
            guard worker < ws.count else { return }
            var f = 0.0, g = 0.0
            var b = worker
            while b < blocks {
                evaluateBlock(b, io: io, schedule: s, workspace: ws[worker], fwd: &f, bwd: &g)
                if worker == 0, let report { report(min(io.sampleCount, (b + 1) * io.lanes), io.sampleCount) }
                b += T
            }
            if worker == 0 { fwd = f; bwd = g }
        }
        return (fwd, bwd)
    }

    private func runLevels(io: BlockIO, blocks: Int, workers T: Int) -> (Double, Double) {
        let s = schedule(lanes: io.lanes, workers: T)
        let w = workspaces(lanes: io.lanes, count: 1)[0]
        var fwd = 0.0, bwd = 0.0
        let report = progress
        team.run { worker in
            var f = 0.0, g = 0.0
            for b in 0..<blocks {
                if worker == 0 { load(block: b, io: io, into: w) }
                team.barrier(worker)
                let t0 = MonotonicClock.seconds()
                for seg in 0..<s.segmentCount {
                    sweepSegment(schedule: s, segment: seg, worker: worker, workspace: w, forward: true, block: b, io: io)
                    team.barrier(worker)
                }
                let t1 = MonotonicClock.seconds()
                for seg in (0..<s.segmentCount).reversed() {
                    sweepSegment(schedule: s, segment: seg, worker: worker, workspace: w, forward: false, block: b, io: io)
                    team.barrier(worker)
                }
                if worker == 0 {
                    finish(block: b, io: io, workspace: w)
                    f += t1 - t0
                    g += MonotonicClock.seconds() - t1
                    report?(min(io.sampleCount, (b + 1) * io.lanes), io.sampleCount)
                }
            }
            if worker == 0 { fwd = f; bwd = g }
        }
        return (fwd, bwd)
    }

    // MARK: Team

    private static func makeTeam(options: EvaluatorOptions) throws -> (team: any WorkerTeam, note: String?) {
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
