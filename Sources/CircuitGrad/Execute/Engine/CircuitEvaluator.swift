import Glibc

/// The parallel engine: values and reverse-mode gradients of a circuit for whole batches,
/// bit for bit equal to the sequential reference evaluator whatever the thread count, strategy or lane block.
///
/// The plan (`ExecutionPlan`) and the worker team are built once; ``evaluate(_:)`` may be
/// called many times with new batches. Calls must not overlap (the evaluator is not reentrant).
/// What to run for a batch (lane block, strategy, workers, schedules) is `EvaluationPolicy`'s
/// choice; block input and output are in `CircuitEvaluator+BlockIO.swift`.
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

    /// The plan with reused slot and value rows (serial and block strategies).
    let blockStorage: PlanStorage
    /// The plan with one slot row per use and one value row per node (level strategy: workers
    /// write disjoint rows), built on first use.
    var levelStorage: PlanStorage?
    /// The plan with reused slot rows and one value row per node (second order: the tangent
    /// sweeps read values the gradient's backward does not), built on first use.
    var tangentStorage: PlanStorage?
    /// The plan of the evaluation in progress.
    var storage: PlanStorage
    let team: any WorkerTeam
    /// Workers available.
    public var threadCount: Int { team.threadCount }
    /// Why the worker team differs from what was asked (clamped threads, pinning problems), if so.
    package private(set) var teamNote: String?

    /// Lane block, strategy, workers and level schedules (``EvaluationPolicy``).
    let policy: EvaluationPolicy
    /// The workspaces of the last evaluation on each plan storage (block, level, tangent), so that
    /// gradients and second order can alternate without allocating rows again.
    var cachedLayouts: [ObjectIdentifier: (lanes: Int, count: Int, workspaces: [BlockWorkspace])] = [:]
    /// The parameter values evaluations use (the circuit's own until ``setParameters(_:)``).
    public internal(set) var parameterValues: [Double]
    /// Advanced by every ``setParameters(_:)``; a workspace whose ``BlockWorkspace/parameterGeneration``
    /// differs has stale parameter rows (``refreshParameterRows(of:)``).
    var parameterGeneration = 0

    /// Compiles `circuit` and starts the workers.
    /// - Throws: when the worker team cannot be started.
    public init(circuit: Circuit, options: EvaluatorOptions = EvaluatorOptions()) throws {
        try EvaluationPolicy.check(options)
        self.circuit = circuit
        self.options = options
        self.plan = ExecutionPlan(circuit: circuit)
        self.parameterValues = circuit.paramValues
        self.blockStorage = PlanStorage(plan: plan)
        self.storage = blockStorage
        let made = try EvaluationPolicy.makeTeam(options: options)
        self.team = made.team
        self.teamNote = made.note
        self.policy = EvaluationPolicy(plan: plan, options: options, threads: made.team.threadCount)
    }

    /// Whether `lanes` is an allowed lane-block size (``EvaluationPolicy/isValidLaneBlock(_:)``).
    package static func isValidLaneBlock(_ lanes: Int) -> Bool { EvaluationPolicy.isValidLaneBlock(lanes) }
    /// The largest lane block an evaluator accepts.
    package static var largestLaneBlock: Int { EvaluationPolicy.largestLaneBlock }

    /// The largest lane block the engine picks by itself.
    package static var maximumAutomaticLanes: Int { EvaluationPolicy.maximumAutomaticLanes }

    /// How a batch of `sampleCount` samples would be run.
    package func planDescription(sampleCount: Int) -> EnginePlanDescription { policy.description(sampleCount: sampleCount) }

    func workspaces(lanes: Int, count: Int) -> [BlockWorkspace] {
        let layout = ObjectIdentifier(storage)
        if let c = cachedLayouts[layout], c.lanes == lanes, c.count >= count { return c.workspaces }
        cachedLayouts[layout] = nil
        let ws = (0..<count).map { _ in
            BlockWorkspace(plan: storage.plan, lanes: lanes, maxArity: storage.view.maxArity, workers: team.threadCount)
        }
        for w in ws {
            w.broadcastParameters(parameterValues, inputCount: plan.inputCount)
            w.parameterGeneration = parameterGeneration
        }
        cachedLayouts[layout] = (lanes, count, ws)
        return ws
    }

    // MARK: Evaluation

    /// Values and gradients for every sample of `batch`.
    public func evaluate(_ batch: Batch) throws -> EvaluationResult {
        var timing = EvaluationTiming()
        return try evaluate(batch, timing: &timing)
    }

    /// Like ``evaluate(_:)``, and reports how long the forward and backward sweeps took.
    package func evaluate(_ batch: Batch, timing: inout EvaluationTiming) throws -> EvaluationResult {
        let start = MonotonicClock.seconds()
        // The memory check comes before the result is allocated (a huge batch is refused, not trapped on).
        guard let choice = try choice(for: batch) else {
            return EvaluationResult(sampleCount: 0, inputCount: circuit.inputCount, paramCount: circuit.paramCount)
        }
        var result = EvaluationResult(sampleCount: batch.sampleCount, inputCount: circuit.inputCount, paramCount: circuit.paramCount,
                                      writingEveryValueAndInputGradient: ())
        result.paramGradients = result.values.withUnsafeMutableBufferPointer { values in
            result.inputGradients.withUnsafeMutableBufferPointer { grads in
                run(batch, values: values, inputGradients: grads, choice: choice, start: start, timing: &timing)
            }
        }
        return result
    }

    /// Values and gradients for every sample of `batch`, written straight into `values` and
    /// `inputGradients` (see ``GradientEvaluating/evaluate(_:values:inputGradients:)``).
    package func evaluate(_ batch: Batch, values: UnsafeMutableBufferPointer<Double>,
                          inputGradients: UnsafeMutableBufferPointer<Double>) throws -> [Double] {
        let start = MonotonicClock.seconds()
        precondition(values.count == batch.sampleCount && inputGradients.count == batch.sampleCount * circuit.inputCount,
                     "the destinations must hold the batch's values and input gradients")
        guard let choice = try choice(for: batch) else { return [Double](repeating: 0, count: circuit.paramCount) }
        var timing = EvaluationTiming()
        return run(batch, values: values, inputGradients: inputGradients, choice: choice, start: start, timing: &timing)
    }

    /// How `batch` is run, after checking its columns and the memory it needs; nil for no samples.
    private func choice(for batch: Batch) throws -> EvaluationPolicy.Choice? {
        guard batch.inputCount == circuit.inputCount else {
            throw CircuitError(file: "<batch>", kind: .invalidArgument,
                               "the batch has \(batch.inputCount) input columns but the circuit has \(circuit.inputCount) inputs")
        }
        if batch.sampleCount == 0 { return nil }
        return try policy.chooseWithinMemory(sampleCount: batch.sampleCount, levelPlanBuilt: levelStorage != nil)
    }

    /// The engine's evaluation of a non-empty `batch` run as `choice`, into the caller's memory;
    /// returns the parameter gradients.
    private func run(_ batch: Batch, values resultValues: UnsafeMutableBufferPointer<Double>,
                     inputGradients resultGradients: UnsafeMutableBufferPointer<Double>,
                     choice: EvaluationPolicy.Choice, start: Double, timing: inout EvaluationTiming) -> [Double] {
        let S = batch.sampleCount
        var paramGradients = [Double](repeating: 0, count: circuit.paramCount)
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
                blockSums.withUnsafeMutableBufferPointer { sums in
                    let io = BlockIO(inputs: inputs.baseAddress.map { $0 + first * I }, sampleCount: min(S - first, chunkBlocks * L),
                                     values: resultValues.baseAddress! + first, inputGradients: resultGradients.baseAddress.map { $0 + first * I },
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
            // Parameter gradients: block sums combined by the same fixed tree, whole rows at once
            // (each parameter's column follows PairwiseSum's tree over blocks), chunk by chunk.
            if P > 0 {
                blockSums.withUnsafeMutableBufferPointer { LanePairwiseSum.sumRowsInPlace($0.baseAddress!, count: chunkBlocks, width: P) }
                if chunkBlocks == C { sumStack.push(Array(blockSums[0..<P]), blocks: C) } else { lastChunkSum = Array(blockSums[0..<P]) }
            }
        }
        if P > 0, let total = sumStack.total(last: lastChunkSum) {
            paramGradients = total
            paramGradients.canonicalizeNaNs()
        }
        progress = outerProgress
        progress?(S, S)
        timing.forwardSeconds = fwd
        timing.backwardSeconds = bwd
        timing.totalSeconds = MonotonicClock.seconds() - start
        return paramGradients
    }

    /// Uses the plan `choice` needs (``storage(for:tangents:)``).
    func useStorage(for choice: EvaluationPolicy.Choice, tangents: Bool = false) {
        storage = storage(for: choice, tangents: tangents)
    }

    /// The plan `choice` needs, built on first use: one slot row per use and one value row per
    /// node for the level strategy, one value row per node for second order (`tangents`), else
    /// reused rows.
    func storage(for choice: EvaluationPolicy.Choice, tangents: Bool = false) -> PlanStorage {
        func built(_ storage: inout PlanStorage?, reuseSlotRows: Bool) -> PlanStorage {
            if let storage { return storage }
            let made = PlanStorage(plan: ExecutionPlan(circuit: circuit, reuseSlotRows: reuseSlotRows, reuseValueRows: false))
            made.setParameters(parameterValues)
            storage = made
            return made
        }
        if choice.strategy == .levels { return built(&levelStorage, reuseSlotRows: false) }
        return tangents ? built(&tangentStorage, reuseSlotRows: true) : blockStorage
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
        let s = policy.schedule(lanes: io.lanes, workers: 1)
        let w = workspaces(lanes: io.lanes, count: 1)[0]
        var fwd = 0.0, bwd = 0.0
        for b in 0..<blocks {
            evaluateBlock(b, io: io, schedule: s, workspace: w, fwd: &fwd, bwd: &bwd)
            progress?(io.samplesDone(throughBlock: b), io.sampleCount)
        }
        return (fwd, bwd)
    }

    private func runBlocks(io: BlockIO, blocks: Int) -> (Double, Double) {
        let T = team.threadCount
        let s = policy.schedule(lanes: io.lanes, workers: 1)
        let ws = workspaces(lanes: io.lanes, count: min(T, blocks))
        var fwd = 0.0, bwd = 0.0
        let report = progress
        let dispenser = BlockDispenser(count: blocks)
        team.run { worker in
            guard worker < ws.count else { return }
            var f = 0.0, g = 0.0
            while let b = dispenser.next() {
                evaluateBlock(b, io: io, schedule: s, workspace: ws[worker], fwd: &f, bwd: &g)
                if worker == 0, let report { report(io.samplesDone(throughBlock: b), io.sampleCount) }
            }
            if worker == 0 { fwd = f; bwd = g }
        }
        return (fwd, bwd)
    }

    private func runLevels(io: BlockIO, blocks: Int, workers T: Int) -> (Double, Double) {
        let s = policy.schedule(lanes: io.lanes, workers: T)
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
                    report?(io.samplesDone(throughBlock: b), io.sampleCount)
                }
            }
            if worker == 0 { fwd = f; bwd = g }
        }
        return (fwd, bwd)
    }
}
