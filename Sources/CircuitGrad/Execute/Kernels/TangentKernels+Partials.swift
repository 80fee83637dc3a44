/// Second-order kernels of the ops with two or more arguments other than `add` and two-argument
/// `mul` (`sub`, `div`, `pow`, `max`, `min`, `mul` with three or more), a chunk of `V.width`
/// lanes at a time: the first partials `fⱼ` exactly as the op rule's `partials` computes them,
/// and for `mul`, `div` and `pow` the partial tangents `hⱼ` exactly as
/// ``Op/partialTangents(_:tangents:value:constant:into:)`` does (same operations, same order),
/// so every lane has the reference's bits.
extension TangentKernels {
    /// Value tangents `ẏ = f₀·ȧ₀ + f₁·ȧ₁ + …` of the nodes of `run` (their values are computed).
    func forwardFromPartials(_ op: Op, _ run: NodeRun) {
        withConstant(op) { forwardFromPartials($0, run, specialized: ()) }
    }

    @inline(__always)
    private func forwardFromPartials(_ op: Op, _ run: NodeRun, specialized: ()) {
        let k = Int(run.arity), w = V.width, start = Int(run.start)
        let f = scratch
        for i in 0..<run.count {
            let a = Int(run.argumentBase) + i * k, p = start + i
            let v = nodeRow(values, p), out = nodeRow(tangentValues, p)
            let pow = op == .pow ? powRows(run, i, a) : nil
            eachChunk { c in
                firstPartials(op, a, k, c, value: v, pow: pow, into: f)
                var t = load(f, 0) * argumentTangent(a, c)
                for j in 1..<k { t = t + V(loading: f + j * w) * argumentTangent(a + j, c) }
                t.store(to: out + c)
            }
        }
    }

    /// Gradient tangents `u̇·fⱼ + u·hⱼ` (`u̇·fⱼ` for `sub`, `max`, `min`) of the live nodes of
    /// `run`, after the ordinary kernel has written their gradients and completed `u`.
    func backwardFromPartials(_ op: Op, _ run: NodeRun) {
        withConstant(op) { backwardFromPartials($0, run, specialized: ()) }
    }

    @inline(__always)
    private func backwardFromPartials(_ op: Op, _ run: NodeRun, specialized: ()) {
        let k = Int(run.arity), w = V.width, start = Int(run.start)
        let second = op.hasSecondDerivatives
        let f = scratch, h = scratch + k * w
        for i in 0..<run.count {
            let du = upstreamTangent(run, i), u = row(slots, plan.upstreamRow[start + i])
            let a = Int(run.argumentBase) + i * k, p = start + i
            let v = nodeRow(values, p)
            let pow = op == .pow ? powRows(run, i, a) : nil
            if let pow { secondPowRow(a, exponent: sums.scratchRow(0), into: pow.second) }
            eachChunk { c in
                firstPartials(op, a, k, c, value: v, pow: pow, into: f)
                let duc = load(du, c)
                if second {
                    partialTangents(op, a, k, c, value: v, pow: pow, into: h)
                    let uc = load(u, c)
                    for j in 0..<k {
                        (duc * V(loading: f + j * w) + uc * V(loading: h + j * w)).store(to: argumentTangentSlot(a + j) + c)
                    }
                } else {
                    for j in 0..<k { (duc * V(loading: f + j * w)).store(to: argumentTangentSlot(a + j) + c) }
                }
            }
        }
    }

    /// Calls `body` with `op` spelled as a constant in each case: `body`, inlined into every case,
    /// becomes one copy of its loop per op, so that the chunk loop does not switch on the op at
    /// every chunk (HVP of the every-op layered 10k at batch 256, one thread, fastest of 9, four
    /// alternated runs: 6.86–7.05 → 6.44–6.69 ms; its fan-in-4 variant 8.98–9.22 → 8.35–8.75 ms;
    /// measured with a switch of this shape in each entry point, which this function replaces).
    @inline(__always) private func withConstant(_ op: Op, _ body: (Op) -> Void) {
        switch op {
        case .sub: body(.sub)
        case .div: body(.div)
        case .pow: body(.pow)
        case .max: body(.max)
        case .min: body(.min)
        case .mul: body(.mul)
        default: preconditionFailure("\(op.name) has its own tangent kernels")
        }
    }

    @inline(__always) private func argumentValue(_ a: Int, _ c: Int) -> V { load(row(values, plan.argumentRow[a]), c) }
    @inline(__always) private func argumentTangent(_ a: Int, _ c: Int) -> V { load(row(tangentValues, plan.argumentRow[a]), c) }
    @inline(__always) private func argumentTangentSlot(_ a: Int) -> UnsafeMutablePointer<Double> { row(tangentSlots, plan.argumentSlotRow[a]) }

    /// The rows a `pow` node's partials read: `a^(b−1)` and `ln a` (kept by a live node's forward,
    /// else computed here into scratch rows 0 and 1; only the forward meets dead nodes), and
    /// scratch row 2 for `a^(b−2)`.
    private struct PowRows {
        let power: UnsafeMutablePointer<Double>
        let logA: UnsafeMutablePointer<Double>
        let second: UnsafeMutablePointer<Double>
    }

    private func powRows(_ run: NodeRun, _ i: Int, _ a: Int) -> PowRows {
        if let power = keptRows(PowRule.self, run, i) {
            return PowRows(power: power, logA: power + lanes, second: sums.scratchRow(2))
        }
        let power = sums.scratchRow(0), logA = sums.scratchRow(1), unused = sums.scratchRow(2)
        ElementaryFunctions.powKeepingDerivatives(row(values, plan.argumentRow[a]), row(values, plan.argumentRow[a + 1]),
                                                  unused, d: power, l: logA, lanes)
        return PowRows(power: power, logA: logA, second: sums.scratchRow(2))
    }

    /// `a^(b−2)` of the `pow` node whose arguments start at position `a`, into `out`, by way of
    /// the row `exponent` (`b − 2`, rounded as the scalar rule rounds it).
    private func secondPowRow(_ a: Int, exponent: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let b = row(values, plan.argumentRow[a + 1])
        eachChunk { c in (load(b, c) - V(broadcast: 2)).store(to: exponent + c) }
        ElementaryFunctions.pow(row(values, plan.argumentRow[a]), exponent, out, lanes)
    }

    /// The first partials of the node whose arguments start at position `a`, at chunk `c`, into
    /// `f` (chunk j at `f + j·V.width`): the op rule's `partials`, operation for operation.
    @inline(__always)
    private func firstPartials(_ op: Op, _ a: Int, _ k: Int, _ c: Int, value v: UnsafeMutablePointer<Double>,
                               pow: PowRows?, into f: UnsafeMutablePointer<Double>) {
        let w = V.width
        switch op {
        case .sub:
            V(broadcast: 1).store(to: f)
            V(broadcast: -1).store(to: f + w)
        case .div:
            let x = argumentValue(a, c), y = argumentValue(a + 1, c)
            (V(broadcast: 1) / y).store(to: f)
            (x.negated() / (y * y)).store(to: f + w)
        case .pow:
            let x = argumentValue(a, c), b = argumentValue(a + 1, c)
            (b * load(pow!.power, c)).store(to: f)
            V.powExponentPartial(a: x, b: b, value: load(v, c), logA: load(pow!.logA, c)).store(to: f + w)
        case .max, .min:
            let value = load(v, c)
            var ties = V(broadcast: 0)
            for j in 0..<k { ties = ties + V.oneWhere(argumentValue(a + j, c), equals: value) }
            let share = V(broadcast: 1) / ties   // where no argument ties, every partial is 0 below
            for j in 0..<k { V.share(share, where: argumentValue(a + j, c), equals: value).store(to: f + j * w) }
        case .mul:
            // Prefix products from 1, then times the suffix products from 1, built from the end.
            var prefix = V(broadcast: 1)
            for j in 0..<k {
                prefix.store(to: f + j * w)
                prefix = prefix * argumentValue(a + j, c)
            }
            var suffix = V(broadcast: 1)
            for j in stride(from: k - 1, through: 0, by: -1) {
                (V(loading: f + j * w) * suffix).store(to: f + j * w)
                suffix = suffix * argumentValue(a + j, c)
            }
        default:
            preconditionFailure("\(op.name) has its own tangent kernels")
        }
    }

    /// The partial tangents `hⱼ` of a `mul`, `div` or `pow` node at chunk `c`, into `h`.
    @inline(__always)
    private func partialTangents(_ op: Op, _ a: Int, _ k: Int, _ c: Int, value v: UnsafeMutablePointer<Double>,
                                 pow: PowRows?, into h: UnsafeMutablePointer<Double>) {
        let w = V.width
        switch op {
        case .mul:
            for j in 0..<k {
                var sum = V(broadcast: 0), first = true
                for m in 0..<k where m != j {
                    var term = argumentTangent(a + m, c)
                    for i in 0..<k where i != j && i != m { term = term * argumentValue(a + i, c) }
                    sum = first ? term : sum + term
                    first = false
                }
                sum.store(to: h + j * w)
            }
        case .div:
            let x = argumentValue(a, c), y = argumentValue(a + 1, c)
            let tx = argumentTangent(a, c), ty = argumentTangent(a + 1, c)
            let fab = V(broadcast: -1) / (y * y)
            (fab * ty).store(to: h)
            (fab * tx + ((V(broadcast: 2) * x) / ((y * y) * y)) * ty).store(to: h + w)
        case .pow:
            let x = argumentValue(a, c), b = argumentValue(a + 1, c), value = load(v, c)
            let tx = argumentTangent(a, c), tb = argumentTangent(a + 1, c)
            let logA = load(pow!.logA, c)
            let faa = (b * (b - V(broadcast: 1))) * load(pow!.second, c)
            // f_ab and f_bb are 0 where a = 0 < b, as ∂/∂b is: the same mask as the exponent partial.
            let fab = V.powExponentPartial(a: x, b: b, value: load(pow!.power, c), logA: V(broadcast: 1) + b * logA)
            let fbb = V.powExponentPartial(a: x, b: b, value: value, logA: logA * logA)
            (faa * tx + fab * tb).store(to: h)
            (fab * tx + fbb * tb).store(to: h + w)
        default:
            preconditionFailure("\(op.name) has no partial tangents here")
        }
    }
}
