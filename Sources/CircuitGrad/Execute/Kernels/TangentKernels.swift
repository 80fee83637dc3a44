/// The engine's second-order kernels: for one ``NodeRun`` over all lanes of a block, the
/// tangents of the nodes' values (forward) and of the gradient contributions they send back
/// (backward), next to the ordinary kernels (``LaneKernels``), which compute the values and
/// gradients themselves. Tangents live in a second workspace with the primal one's layout:
/// value rows hold value tangents, slot rows gradient tangents.
///
/// The expressions are those of `OpSecondOrder.swift` (same operations, same order), a chunk of
/// lanes at a time: dedicated loops for add, two-argument mul (also with a parameter) and
/// one-argument ops (their derivatives a row at a time, the elementary functions through the row
/// functions), and the other ops' partials a chunk at a time (`TangentKernels+Partials.swift`),
/// so each lane's bits equal the reference's.
struct TangentKernels<V: LaneChunk> {
    let plan: PlanView
    /// The ordinary kernels on the tangent workspace: they form gradient tangents' splitter
    /// sums exactly as gradients' (same rows, same order).
    let sums: LaneKernels<V>
    /// Primal rows (values and gradients), written by ``LaneKernels``.
    let values: UnsafeMutablePointer<Double>
    let slots: UnsafeMutablePointer<Double>
    /// Tangent rows.
    let tangentValues: UnsafeMutablePointer<Double>
    let tangentSlots: UnsafeMutablePointer<Double>
    let lanes: Int
    /// ``scratchCount(maxArity:)`` doubles of this worker's scratch (partials and their tangents, a chunk each).
    let scratch: UnsafeMutablePointer<Double>

    init(plan: PlanView, primal: BlockWorkspace, tangent: BlockWorkspace, worker: Int, scratch: UnsafeMutablePointer<Double>) {
        self.plan = plan
        sums = LaneKernels<V>(plan: plan, workspace: tangent, worker: worker)
        values = primal.values
        slots = primal.slots
        tangentValues = tangent.values
        tangentSlots = tangent.slots
        lanes = primal.lanes
        self.scratch = scratch
    }

    /// Scratch doubles one worker needs for a plan whose nodes have at most `maxArity` arguments:
    /// the partials `fⱼ` and their tangents `hⱼ`, a chunk of 8 lanes each (`TangentKernels+Partials.swift`).
    static func scratchCount(maxArity: Int) -> Int { 2 * max(maxArity, 1) * 8 }

    @inline(__always) func row(_ base: UnsafeMutablePointer<Double>, _ r: Int32) -> UnsafeMutablePointer<Double> {
        base + Int(r) * lanes
    }
    @inline(__always) func nodeRow(_ base: UnsafeMutablePointer<Double>, _ p: Int) -> UnsafeMutablePointer<Double> {
        base + Int(plan.nodeValueRow[p]) * lanes
    }
    /// Runs `body` at the first lane of each chunk of `V.width` lanes (explicit vectors: the
    /// compiler needs no overlap checks between rows, which cost as much as rows of 16 lanes).
    @inline(__always) func eachChunk(_ body: (Int) -> Void) {
        var c = 0
        while c < lanes { body(c); c += V.width }
    }
    @inline(__always) func load(_ p: UnsafeMutablePointer<Double>, _ c: Int) -> V { V(loading: p + c) }

    /// The first of the `R.keptRows` rows node `i` of `run` kept from its ordinary forward, or nil
    /// for a dead node (as ``LaneKernels/keptRows(_:_:_:)``, on the primal rows).
    @inline(__always) func keptRows<R: OpRule>(_: R.Type, _ run: NodeRun, _ i: Int) -> UnsafeMutablePointer<Double>? {
        run.keptBase < 0 ? nil : row(values, run.keptBase + Int32(i * R.keptRows))
    }

    /// The first derivative of node `i` of the one-argument `run` from the row its ordinary
    /// forward kept (``OpRule/keptRows``): a live `sin` kept cos a, its derivative itself; a live
    /// `cos` kept sin a and a live `powc` a^(c−1), whose derivatives −sin a and c·a^(c−1) are
    /// written into `scratch`. The bits of ``unaryDerivativeRows(_:_:_:_:first:second:)``
    /// without calling SLEEF again; nil for other ops and dead nodes.
    @inline(__always)
    func keptFirstDerivative(_ op: Op, _ run: NodeRun, _ i: Int, constant c: Double,
                             scratch: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double>? {
        switch op {
        case .sin:
            return keptRows(SinRule.self, run, i)
        case .cos:
            guard let sinA = keptRows(CosRule.self, run, i) else { return nil }
            eachChunk { j in load(sinA, j).negated().store(to: scratch + j) }
            return scratch
        case .powc:
            guard let power = keptRows(PowcRule.self, run, i) else { return nil }
            let factor = V(broadcast: c)
            eachChunk { j in (factor * load(power, j)).store(to: scratch + j) }
            return scratch
        default:
            return nil
        }
    }

    // MARK: Forward

    /// Value tangents of the nodes of `run` (their values are already computed).
    func forward(_ run: NodeRun) {
        switch run.op {
        case .circuit(let op): forward(op, run)
        case .mulParameter(let first): forwardMulParameter(run, parameterFirst: first)
        }
    }

    private func forward(_ op: Op, _ run: NodeRun) {
        let L = lanes, start = Int(run.start), base = Int(run.argumentBase), k = Int(run.arity)
        switch op {
        case .const:
            for i in 0..<run.count { nodeRow(tangentValues, start + i).update(repeating: 0, count: L) }
        case .add:
            for i in 0..<run.count {
                let a = base + i * k
                let out = nodeRow(tangentValues, start + i)
                eachChunk { c in
                    var t = load(row(tangentValues, plan.argumentRow[a]), c)
                    for j in 1..<k { t = t + load(row(tangentValues, plan.argumentRow[a + j]), c) }
                    t.store(to: out + c)
                }
            }
        case .mul where k == 2:
            for i in 0..<run.count {
                let a = base + 2 * i
                let x = row(values, plan.argumentRow[a]), y = row(values, plan.argumentRow[a + 1])
                let tx = row(tangentValues, plan.argumentRow[a]), ty = row(tangentValues, plan.argumentRow[a + 1])
                let out = nodeRow(tangentValues, start + i)
                eachChunk { c in (load(y, c) * load(tx, c) + load(x, c) * load(ty, c)).store(to: out + c) }
            }
        default:
            if k == 1 {
                for i in 0..<run.count {
                    let r = plan.argumentRow[base + i]
                    let x = row(values, r), tx = row(tangentValues, r)
                    let v = nodeRow(values, start + i), out = nodeRow(tangentValues, start + i)
                    let c = run.takesConstant ? plan.constants[Int(run.constantBase) + i] : 0
                    let scratch = sums.scratchRow(0)
                    let f = keptFirstDerivative(op, run, i, constant: c, scratch: scratch) ?? {
                        unaryDerivativeRows(op, x, v, c, first: scratch, second: nil)
                        return scratch
                    }()
                    eachChunk { j in (load(f, j) * load(tx, j)).store(to: out + j) }
                }
            } else {
                forwardFromPartials(op, run)
            }
        }
    }

    /// The rows of first and (when `second` is given) second derivatives of the one-argument
    /// `op` at arguments `x` with values `v`: ``Op/unaryDerivatives(_:_:value:constant:)``'s
    /// expressions, with the elementary functions a whole row at a time (same bits per element).
    @inline(__always)
    private func unaryDerivativeRows(_ op: Op, _ x: UnsafeMutablePointer<Double>, _ v: UnsafeMutablePointer<Double>, _ c: Double,
                                     first: UnsafeMutablePointer<Double>?, second s: UnsafeMutablePointer<Double>?) {
        let L = lanes
        switch op {
        case .sin:
            if let f = first { ElementaryFunctions.cos(x, f, L) }
            if let s { eachChunk { c in load(v, c).negated().store(to: s + c) } }
        case .cos:
            if let f = first {
                ElementaryFunctions.sin(x, f, L)
                eachChunk { c in load(f, c).negated().store(to: f + c) }
            }
            if let s { eachChunk { c in load(v, c).negated().store(to: s + c) } }
        case .log:
            if let f = first { eachChunk { j in (V(broadcast: 1) / load(x, j)).store(to: f + j) } }
            if let s { eachChunk { j in let a = load(x, j); (V(broadcast: -1) / (a * a)).store(to: s + j) } }
        case .sqrt:
            if let f = first { eachChunk { j in (V(broadcast: 1) / (V(broadcast: 2) * load(v, j))).store(to: f + j) } }
            if let s { eachChunk { j in (V(broadcast: -1) / (V(broadcast: 4) * (load(v, j) * load(x, j)))).store(to: s + j) } }
        case .scale:
            first?.update(repeating: c, count: L)
            s?.update(repeating: 0, count: L)
        case .exp:
            first?.update(from: v, count: L)
            if let s { s.update(from: v, count: L) }
        case .tanh:
            let one = V(broadcast: 1)
            if let f = first { eachChunk { j in let y = load(v, j); (one - y * y).store(to: f + j) } }
            if let s { eachChunk { j in let y = load(v, j); ((V(broadcast: -2) * y) * (one - y * y)).store(to: s + j) } }
        case .sigmoid:
            let one = V(broadcast: 1)
            if let f = first { eachChunk { j in let y = load(v, j); (y * (one - y)).store(to: f + j) } }
            if let s { eachChunk { j in let y = load(v, j); ((y * (one - y)) * (one - V(broadcast: 2) * y)).store(to: s + j) } }
        case .powc:
            if let f = first {
                ElementaryFunctions.pow(x, c - 1, f, L)
                eachChunk { j in (V(broadcast: c) * load(f, j)).store(to: f + j) }
            }
            if let s {
                ElementaryFunctions.pow(x, c - 2, s, L)
                let cc = V(broadcast: c * (c - 1))
                eachChunk { j in (cc * load(s, j)).store(to: s + j) }
            }
        case .neg:
            first?.update(repeating: -1, count: L)
            s?.update(repeating: 0, count: L)
        case .recip:
            if let f = first { eachChunk { j in let a = load(x, j); (V(broadcast: -1) / (a * a)).store(to: f + j) } }
            if let s { eachChunk { j in let a = load(x, j); (V(broadcast: 2) / ((a * a) * a)).store(to: s + j) } }
        case .square:
            if let f = first { eachChunk { j in (V(broadcast: 2) * load(x, j)).store(to: f + j) } }
            s?.update(repeating: 2, count: L)
        case .relu:
            if let f = first { eachChunk { j in load(x, j).positiveStep().store(to: f + j) } }
            s?.update(repeating: 0, count: L)
        case .abs:
            if let f = first { eachChunk { j in load(x, j).signOfLanes().store(to: f + j) } }
            s?.update(repeating: 0, count: L)
        case .offset:
            first?.update(repeating: 1, count: L)
            s?.update(repeating: 0, count: L)
        default:
            preconditionFailure("\(op.name) does not take one argument")
        }
    }

    // MARK: Backward

    /// Completes the gradient tangent arriving on node `i` of `run` and returns its row.
    @inline(__always)
    func upstreamTangent(_ run: NodeRun, _ i: Int) -> UnsafeMutablePointer<Double> { sums.upstream(run, i) }

    /// Gradients and gradient tangents of the nodes of `run` (live, not `const`): the ordinary
    /// kernel of `primal` for the gradients and this type's for their tangents. Two-argument
    /// `mul`s and the one-argument ops whose gradient contribution is `u·f`
    /// (``writesUpstreamTimesFirstDerivative(_:)``) do both at once, node by node, so the rows
    /// both read are read once; `u·f` is bit for bit the op rule's (the same `f`, from the kept
    /// row for `sin`, `cos` and `powc`).
    func backward(_ run: NodeRun, primal k: LaneKernels<V>) {
        guard case .circuit(let op) = run.op else {
            k.backward(run)
            if case .mulParameter(let first) = run.op { backwardMulParameter(run, parameterFirst: first) }
            return
        }
        switch (op, run.arity) {
        case (.add, _), (.offset, _):
            // Pass-through: the arguments' slots are this node's upstream row, in both workspaces.
            k.backward(run)
            if run.gradientFanIn != .none { for i in 0..<run.count { _ = upstreamTangent(run, i) } }
        case (.mul, 2):
            backwardMul(run, primal: k)
        case (_, 1):
            if Self.writesUpstreamTimesFirstDerivative(op) {
                backwardUnary(op, run, primal: k, writesGradient: true)
            } else {
                k.backward(run)
                backwardUnary(op, run, primal: k, writesGradient: false)
            }
        default:
            k.backward(run)
            backwardFromPartials(op, run)
        }
    }

    /// Whether `op`'s rule writes `u·f` as a node's gradient contribution, `f` exactly
    /// ``Op/unaryDerivatives(_:_:value:constant:)``'s first derivative (`neg`, `recip`, `square`,
    /// `relu` and `abs` write other expressions of the same value).
    static func writesUpstreamTimesFirstDerivative(_ op: Op) -> Bool {
        switch op {
        case .exp, .log, .sqrt, .tanh, .sigmoid, .scale, .sin, .cos, .powc: true
        default: false
        }
    }

    /// Two-argument `mul`: gradients `u·y`, `u·x` and their tangents `u̇·y + u·ẏ`, `u̇·x + u·ẋ`.
    private func backwardMul(_ run: NodeRun, primal k: LaneKernels<V>) {
        let base = Int(run.argumentBase)
        for i in 0..<run.count {
            let u = k.upstream(run, i), du = upstreamTangent(run, i)
            let a = base + 2 * i
            let x = row(values, plan.argumentRow[a]), y = row(values, plan.argumentRow[a + 1])
            let tx = row(tangentValues, plan.argumentRow[a]), ty = row(tangentValues, plan.argumentRow[a + 1])
            let gx = row(slots, plan.argumentSlotRow[a]), gy = row(slots, plan.argumentSlotRow[a + 1])
            let tgx = row(tangentSlots, plan.argumentSlotRow[a]), tgy = row(tangentSlots, plan.argumentSlotRow[a + 1])
            eachChunk { c in
                let uc = load(u, c), d = load(du, c), xc = load(x, c), yc = load(y, c)
                (uc * yc).store(to: gx + c)
                (uc * xc).store(to: gy + c)
                (d * yc + uc * load(ty, c)).store(to: tgx + c)
                (d * xc + uc * load(tx, c)).store(to: tgy + c)
            }
        }
    }

    /// One-argument ops: the gradient tangent `u̇·f + u·(h·ȧ)` (`u̇·f` without second derivatives)
    /// and, with `writesGradient`, the gradient `u·f` too (else `primal`'s kernel has written it
    /// and completed `u`). Called with a literal `writesGradient`, so each caller's loops carry no
    /// test of it.
    @inline(__always)
    private func backwardUnary(_ op: Op, _ run: NodeRun, primal k: LaneKernels<V>, writesGradient: Bool) {
        let start = Int(run.start), base = Int(run.argumentBase)
        let second = op.hasSecondDerivatives
        let h = sums.scratchRow(1)
        for i in 0..<run.count {
            let u = writesGradient ? k.upstream(run, i) : row(slots, plan.upstreamRow[start + i])
            let du = upstreamTangent(run, i)
            let r = plan.argumentRow[base + i]
            let x = row(values, r), tx = row(tangentValues, r), v = nodeRow(values, start + i)
            let c = run.takesConstant ? plan.constants[Int(run.constantBase) + i] : 0
            let kept = keptFirstDerivative(op, run, i, constant: c, scratch: sums.scratchRow(0))
            let f = kept ?? sums.scratchRow(0)
            unaryDerivativeRows(op, x, v, c, first: kept == nil ? f : nil, second: second ? h : nil)
            let g = row(slots, plan.argumentSlotRow[base + i]), tg = row(tangentSlots, plan.argumentSlotRow[base + i])
            if second {
                eachChunk { j in
                    let uj = load(u, j), fj = load(f, j)
                    if writesGradient { (uj * fj).store(to: g + j) }
                    (load(du, j) * fj + uj * (load(h, j) * load(tx, j))).store(to: tg + j)
                }
            } else {
                eachChunk { j in
                    let fj = load(f, j)
                    if writesGradient { (load(u, j) * fj).store(to: g + j) }
                    (load(du, j) * fj).store(to: tg + j)
                }
            }
        }
    }
}
