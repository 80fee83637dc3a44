/// Second order on the engine: for every sample, the value, the gradient, the directional
/// derivative `∇f·d` and the Hessian-vector product `H·d` along a direction `d`, by forward
/// over reverse (``evaluate(_:direction:)``), on a ``CircuitEvaluator``'s plan, level
/// schedule, lane blocks and workers. Tangents live in a second workspace per lane block, so
/// an HVP needs twice the rows of a gradient evaluation (the derivatives of `sin`, `cos`, `pow`
/// and `powc` come from the rows their ordinary forward keeps, ``OpRule/keptRows``). Every lane is computed alone, by the
/// rules of `OpSecondOrder.swift`, so results are the same bits for any thread count, lane
/// block or strategy, and equal the sequential reference's.
///
/// The direction has one column per input wire and one row per sample, or a single row used
/// for every sample; parameters are held fixed (their tangent is 0).
///
/// ```swift
/// let hvp = try HessianVectorEvaluator(circuit: circuit)
/// let second = try hvp.evaluate(batch, direction: try Batch(rows: [[1, 0, 0]], inputCount: 3))
/// print(second.tangents, second.hessianVectorProducts)
/// ```
public final class HessianVectorEvaluator {
    /// The engine whose plan, schedule and workers are used.
    package let evaluator: CircuitEvaluator
    private var tangentLayout: (lanes: Int, count: Int, storage: ObjectIdentifier, workspaces: [BlockWorkspace])?
    private var scratch: UnsafeMutablePointer<Double>
    private var scratchStride = 0

    /// Second order on `evaluator` (calls must not overlap with its own).
    package init(evaluator: CircuitEvaluator) {
        self.evaluator = evaluator
        scratchStride = TangentKernels<SIMD8<Double>>.scratchCount(maxArity: evaluator.plan.maxArity)
        scratch = .allocate(capacity: scratchStride * evaluator.threadCount)
    }

    /// Second order on a new engine for `circuit`, with `options` as for ``CircuitEvaluator``.
    /// - Throws: ``CircuitError`` as ``CircuitEvaluator/init(circuit:options:)`` does.
    public convenience init(circuit: Circuit, options: EvaluatorOptions = EvaluatorOptions()) throws {
        self.init(evaluator: try CircuitEvaluator(circuit: circuit, options: options))
    }

    deinit {
        scratch.deallocate()
    }

    /// Values, gradients, tangents and Hessian-vector products for every sample of `batch` along `direction`.
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/batchShape`` when the batch or the
    ///   direction does not have one column per input, or the direction neither one row per
    ///   sample nor a single row.
    public func evaluate(_ batch: Batch, direction: Batch) throws -> SecondOrderResult {
        try run(batch, direction: direction, reverse: true)
    }

    /// Bytes of the primal and tangent rows that a product of `sampleCount` samples keeps for all
    /// its blocks in flight (the lane block ``EvaluationPolicy/chooseForTangents(sampleCount:laneCap:)`` picks).
    package func workspaceBytes(sampleCount: Int) -> Int {
        let c = evaluator.policy.chooseForTangents(sampleCount: sampleCount)
        return blockBytes(c) * (c.strategy == .blocks ? min(c.workers, c.blocks) : 1)
    }

    /// Bytes of one block's primal and tangent rows as `c` runs it (building its plan if needed).
    private func blockBytes(_ c: EvaluationPolicy.Choice) -> Int {
        MemoryEstimate.product(2, BlockWorkspace.bytes(plan: evaluator.storage(for: c, tangents: true).plan, lanes: c.lanes))
    }

    /// How a product of `S` samples is run, after checking the memory its results (value,
    /// gradient, tangent and product per sample) and its blocks' rows need, as
    /// ``CircuitEvaluator/evaluate(_:)`` checks its own.
    private func choiceWithinMemory(sampleCount S: Int, reverse: Bool) throws -> EvaluationPolicy.Choice {
        let policy = evaluator.policy, I = evaluator.circuit.inputCount
        let perSample = MemoryEstimate.product(reverse ? 2 * (I + 1) : 2, MemoryLayout<Double>.stride)
        return try policy.chooseWithinMemory(sampleCount: S, resultBytesPerSample: perSample, sumsParameters: false,
                                             choose: { policy.chooseForTangents(sampleCount: S, laneCap: $0) },
                                             workspace: { (blockBytes($0), 0) })
    }

    /// Values and tangents (`∇f·d` per sample) only: the forward sweeps of ``evaluate(_:direction:)``.
    package func directionalDerivatives(_ batch: Batch, direction: Batch) throws -> SecondOrderResult {
        try run(batch, direction: direction, reverse: false)
    }

    private func run(_ batch: Batch, direction: Batch, reverse: Bool) throws -> SecondOrderResult {
        let e = evaluator, I = e.circuit.inputCount, S = batch.sampleCount
        guard batch.inputCount == I, direction.inputCount == I else {
            throw CircuitError(file: "<direction>", kind: .batchShape, "the batch and the direction need \(I) columns, one per input wire")
        }
        guard direction.sampleCount == S || direction.sampleCount == 1 else {
            throw CircuitError(file: "<direction>", kind: .batchShape, "the direction has \(direction.sampleCount) rows; give one per sample (\(S)) or a single row")
        }
        if S == 0 { return SecondOrderResult(sampleCount: 0, inputCount: I, gradients: reverse) }
        let choice = try choiceWithinMemory(sampleCount: S, reverse: reverse)
        var result = SecondOrderResult(sampleCount: S, inputCount: I, gradients: reverse)
        e.useStorage(for: choice, tangents: true)
        let L = choice.lanes, B = choice.blocks, T = e.threadCount
        let levels = choice.strategy == .levels
        let s = e.policy.schedule(lanes: L, workers: levels ? choice.workers : 1)
        let count = choice.strategy == .blocks ? min(T, B) : 1
        let primal = e.workspaces(lanes: L, count: count)
        let tangent = tangentWorkspaces(lanes: L, count: count)
        let view = e.storage.view
        let scratch = self.scratch, stride = scratchStride

        batch.values.withUnsafeBufferPointer { inputs in
          direction.values.withUnsafeBufferPointer { dir in
            result.values.withUnsafeMutableBufferPointer { values in
              result.inputGradients.withUnsafeMutableBufferPointer { grads in
                result.tangents.withUnsafeMutableBufferPointer { tangents in
                  result.hessianVectorProducts.withUnsafeMutableBufferPointer { hvp in
                    let io = CircuitEvaluator.BlockIO(inputs: inputs.baseAddress, sampleCount: S, values: values.baseAddress!,
                                                      inputGradients: grads.baseAddress, blockParamSums: nil, lanes: L)
                    let out = TangentIO(direction: dir.baseAddress, directionRows: direction.sampleCount,
                                        tangents: tangents.baseAddress!, hvp: hvp.baseAddress)
                    func load(_ b: Int, _ w: Int) {
                        e.load(block: b, io: io, into: primal[w])
                        loadTangents(block: b, io: io, out: out, into: tangent[w])
                    }
                    func sweep(_ g: Int, worker: Int, _ w: Int, forward: Bool) {
                        // Workspace w's worker (blocks) or worker `worker` of the shared workspace (levels).
                        let own = scratch + (w + worker) * stride
                        if L == 1 {
                            Self.sweep(Double.self, view, primal[w], tangent[w], own, s, g, worker, forward)
                        } else {
                            Self.sweep(SIMD8<Double>.self, view, primal[w], tangent[w], own, s, g, worker, forward)
                        }
                    }
                    func finish(_ b: Int, _ w: Int) {
                        if reverse { e.finish(block: b, io: io, workspace: primal[w]) }
                        finishTangents(block: b, io: io, out: out, primal: primal[w], tangent: tangent[w], reverse: reverse)
                    }
                    func whole(_ b: Int, worker: Int, _ w: Int) {
                        load(b, w)
                        for g in 0..<s.segmentCount { sweep(g, worker: worker, w, forward: true) }
                        if reverse { for g in (0..<s.segmentCount).reversed() { sweep(g, worker: worker, w, forward: false) } }
                        finish(b, w)
                    }
                    // Samples done so far, as the evaluation reports them (worker 0, after each of its blocks).
                    let report = e.progress
                    func reportBlock(_ b: Int) { report?(io.samplesDone(throughBlock: b), S) }
                    switch choice.strategy {
                    case .blocks:
                        let dispenser = BlockDispenser(count: B)
                        e.team.run { worker in
                            guard worker < count else { return }
                            while let b = dispenser.next() {
                                whole(b, worker: 0, worker)
                                if worker == 0 { reportBlock(b) }
                            }
                        }
                    case .levels:
                        e.team.run { worker in
                            for b in 0..<B {
                                if worker == 0 { load(b, 0) }
                                e.team.barrier(worker)
                                for g in 0..<s.segmentCount { sweep(g, worker: worker, 0, forward: true); e.team.barrier(worker) }
                                if reverse {
                                    for g in (0..<s.segmentCount).reversed() { sweep(g, worker: worker, 0, forward: false); e.team.barrier(worker) }
                                }
                                if worker == 0 { finish(b, 0); reportBlock(b) }
                            }
                        }
                    case .serial:
                        for b in 0..<B { whole(b, worker: 0, 0); reportBlock(b) }
                    }
                    report?(S, S)
                  }
                }
              }
            }
          }
        }
        return result
    }

    /// One segment of one worker: each run's ordinary kernel, then its tangent kernel (in the
    /// reverse sweep ``TangentKernels/backward(_:primal:)`` runs both).
    @inline(__always)
    private static func sweep<V: LaneChunk>(_: V.Type, _ view: PlanView, _ primal: BlockWorkspace, _ tangent: BlockWorkspace,
                                            _ scratch: UnsafeMutablePointer<Double>, _ s: LevelSchedule, _ g: Int,
                                            _ worker: Int, _ forward: Bool) {
        let k = LaneKernels<V>(plan: view, workspace: primal, worker: worker)
        let t = TangentKernels<V>(plan: view, primal: primal, tangent: tangent, worker: worker, scratch: scratch)
        if forward {
            for run in s.forwardRuns(segment: g, worker: worker) { k.forward(run); t.forward(run) }
        } else {
            for run in s.backwardRuns(segment: g, worker: worker).reversed() { t.backward(run, primal: k) }
        }
    }

    /// Where tangents are read and written.
    private struct TangentIO: @unchecked Sendable {
        let direction: UnsafePointer<Double>?
        let directionRows: Int
        let tangents: UnsafeMutablePointer<Double>
        let hvp: UnsafeMutablePointer<Double>?
    }

    /// Tangent workspaces with the primal plan's layout (the seed row and parameter rows are 0).
    private func tangentWorkspaces(lanes: Int, count: Int) -> [BlockWorkspace] {
        let plan = evaluator.storage.plan, layout = ObjectIdentifier(evaluator.storage)
        if let c = tangentLayout, c.lanes == lanes, c.count >= count, c.storage == layout { return c.workspaces }
        tangentLayout = nil
        let ws = (0..<count).map { _ in
            let w = BlockWorkspace(plan: plan, lanes: lanes, maxArity: evaluator.storage.view.maxArity, workers: evaluator.threadCount)
            for l in 0..<lanes { w.slots[lanes + l] = 0 }
            w.broadcastParameters([Double](repeating: 0, count: plan.paramCount), inputCount: plan.inputCount)
            return w
        }
        tangentLayout = (lanes, count, layout, ws)
        return ws
    }

    /// Block `b`'s direction rows into the tangent input rows (padding lanes repeat the last sample).
    private func loadTangents(block b: Int, io: CircuitEvaluator.BlockIO, out: TangentIO, into w: BlockWorkspace) {
        guard let d = out.direction else { return }
        let I = evaluator.plan.inputCount, L = io.lanes
        let first = b * L, count = min(L, io.sampleCount - first)
        for l in 0..<L {
            let sample = first + min(l, count - 1)
            let row = d + (out.directionRows == 1 ? 0 : sample) * I
            for i in 0..<I { w.values[i * L + l] = row[i] }
        }
    }

    /// The tangent of the output, and after the reverse sweep the input wires' gradient tangents.
    private func finishTangents(block b: Int, io: CircuitEvaluator.BlockIO, out: TangentIO,
                                primal: BlockWorkspace, tangent: BlockWorkspace, reverse: Bool) {
        let plan = evaluator.storage.plan, view = evaluator.storage.view, L = io.lanes, I = plan.inputCount
        let first = b * L, count = min(L, io.sampleCount - first)
        let t = tangent.values + Int(plan.outputValueRow) * L
        for l in 0..<count { out.tangents[first + l] = t[l].canonicalizingNaN }
        if !reverse {
            let v = primal.values + Int(plan.outputValueRow) * L
            for l in 0..<count { io.values[first + l] = v[l].canonicalizingNaN }
            return
        }
        if view.sourceProgramCount > 0 {
            if L == 1 {
                LaneKernels<Double>(plan: view, workspace: tangent, worker: 0).runProgram(view.sourceProgram, 0, view.sourceProgramCount)
            } else {
                LaneKernels<SIMD8<Double>>(plan: view, workspace: tangent, worker: 0).runProgram(view.sourceProgram, 0, view.sourceProgramCount)
            }
        }
        guard let hvp = out.hvp else { return }
        for l in 0..<count {
            for i in 0..<I { hvp[(first + l) * I + i] = tangent.slots[Int(plan.sourceGradientRow[i]) * L + l].canonicalizingNaN }
        }
    }
}

/// What ``HessianVectorEvaluator`` gives per sample: the value, the gradient, the directional
/// derivative `∇f·d` and the Hessian-vector product `H·d`.
///
/// ```swift
/// let hvp0 = second.hessianVectorProducts[0..<second.inputCount]   // (H·d) at sample 0
/// ```
public struct SecondOrderResult: Sendable, Equatable {
    /// Number of samples.
    public let sampleCount: Int
    /// Number of input wires.
    public let inputCount: Int
    /// The output value of each sample.
    public package(set) var values: [Double]
    /// `∇f·d` of each sample.
    public package(set) var tangents: [Double]
    /// `inputGradients[s * inputCount + i]`: ∂f/∂(input i) at sample s (empty for forward mode alone).
    public package(set) var inputGradients: [Double]
    /// `hessianVectorProducts[s * inputCount + i]`: (H·d)ᵢ at sample s (empty for forward mode alone).
    public package(set) var hessianVectorProducts: [Double]

    /// A result with every number zero; without `gradients`, no input gradients or products
    /// (forward mode alone).
    package init(sampleCount: Int, inputCount: Int, gradients: Bool = true) {
        self.sampleCount = sampleCount
        self.inputCount = inputCount
        values = [Double](repeating: 0, count: sampleCount)
        tangents = values
        inputGradients = [Double](repeating: 0, count: gradients ? sampleCount * inputCount : 0)
        hessianVectorProducts = inputGradients
    }

    /// Whether every number equals the other result's bit for bit.
    package func isBitwiseEqual(to other: SecondOrderResult) -> Bool {
        func same(_ a: [Double], _ b: [Double]) -> Bool { a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern } }
        return sampleCount == other.sampleCount && inputCount == other.inputCount && same(values, other.values)
            && same(tangents, other.tangents) && same(inputGradients, other.inputGradients)
            && same(hessianVectorProducts, other.hessianVectorProducts)
    }
}
