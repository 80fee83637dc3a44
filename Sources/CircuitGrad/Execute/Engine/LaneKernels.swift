/// The forward and backward kernels: each applies one op to a ``NodeRun`` over all lanes of a
/// block, `V.width` lanes at a time. Within a run every node has the same argument count and
/// gradient shape, so the loops below have fixed trip counts and no per-node branches. The
/// op's own kernels live in its ``OpRule`` (next to its scalar definition, which they match
/// bit for bit); this type dispatches a run to its rule once and offers the loop shapes the
/// rules are written with.
struct LaneKernels<V: LaneChunk> {
    let plan: PlanView
    let values: UnsafeMutablePointer<Double>
    let slots: UnsafeMutablePointer<Double>
    /// Lanes per block. The scalar specialisation (`V == Double`) only runs blocks of one lane,
    /// so it returns the constant 1 and the compiler drops every lane loop and its checks.
    @inline(__always) var lanes: Int { V.width == 1 ? 1 : blockLanes }
    private let blockLanes: Int
    let scratchArguments: UnsafeMutablePointer<Double>
    let scratchPartials: UnsafeMutablePointer<Double>

    /// Where this block's parameter sums go when nodes make them (full blocks of ≥ 8 lanes), else nil.
    let parameterSums: UnsafeMutablePointer<Double>?
    /// ``BlockWorkspace/laneScratchRows`` rows of `lanes` doubles, this worker's own.
    let laneScratch: UnsafeMutablePointer<Double>

    init(plan: PlanView, workspace w: BlockWorkspace, worker: Int, parameterSums: UnsafeMutablePointer<Double>? = nil) {
        precondition(V.width > 1 || w.lanes == 1, "the scalar kernels run blocks of one lane only")
        self.plan = plan
        self.parameterSums = V.width == 8 ? parameterSums : nil
        laneScratch = w.laneScratch + worker * w.lanes * BlockWorkspace.laneScratchRows
        values = w.values
        slots = w.slots
        blockLanes = w.lanes
        scratchArguments = w.scratchArguments + worker * w.scratchStride
        scratchPartials = w.scratchPartials + worker * w.scratchStride
    }

    /// Scratch row `i` (below ``BlockWorkspace/laneScratchRows``) of this worker.
    @inline(__always) func scratchRow(_ i: Int) -> UnsafeMutablePointer<Double> { laneScratch + i * lanes }
    @inline(__always) private func valueRow(_ r: Int32) -> UnsafeMutablePointer<Double> { values + Int(r) * lanes }
    @inline(__always) private func valueRow(_ r: Int) -> UnsafeMutablePointer<Double> { values + r * lanes }
    @inline(__always) private func slotRow(_ r: Int32) -> UnsafeMutablePointer<Double> { slots + Int(r) * lanes }
    /// Value row of argument `k` of the node whose first argument position is `a`.
    @inline(__always) func argument(_ a: Int, _ k: Int) -> UnsafeMutablePointer<Double> {
        valueRow(plan.argumentRow[a + k])
    }
    /// Slot row argument position `j` writes.
    @inline(__always) func argumentSlot(_ j: Int) -> UnsafeMutablePointer<Double> {
        slotRow(plan.argumentSlotRow[j])
    }
    @inline(__always) func output(_ p: Int) -> UnsafeMutablePointer<Double> {
        valueRow(plan.firstNodeValueRow + p)
    }

    // MARK: Forward

    /// Computes the values of the nodes of `run`.
    @inline(__always)
    func forward(_ run: NodeRun) {
        let op = run.op
        if op >= ExecutionPlan.mulParameterFirst {
            forwardMulParameter(run, parameterFirst: op == ExecutionPlan.mulParameterFirst)
            return
        }
        Op(rawValue: op)!.visit(Forward(kernels: self, run: run))
    }

    private struct Forward: OpRuleVisitor {
        let kernels: LaneKernels
        let run: NodeRun
        @inline(__always) func visit<R: OpRule>(_ rule: R.Type) { R.forward(kernels, run) }
    }

    private struct Backward: OpRuleVisitor {
        let kernels: LaneKernels
        let run: NodeRun
        @inline(__always) func visit<R: OpRule>(_ rule: R.Type) { R.backward(kernels, run) }
    }

    /// `mul` of a parameter (its value in `constants`) and a wire, in argument order.
    @inline(__always)
    private func forwardMulParameter(_ run: NodeRun, parameterFirst: Bool) {
        let w = V.width, L = lanes
        let wireOffset = parameterFirst ? 1 : 0
        for i in 0..<run.count {
            let x = argument(Int(run.argumentBase) + 2 * i, wireOffset)
            let out = output(Int(run.start) + i)
            let k = V(broadcast: plan.constants[Int(run.constantBase) + i])
            var c = 0
            if parameterFirst {
                while c < L { (k * V(loading: x + c)).store(to: out + c); c += w }
            } else {
                while c < L { (V(loading: x + c) * k).store(to: out + c); c += w }
            }
        }
    }

    /// Every node's number broadcast into its row (`const`).
    @inline(__always)
    func broadcastConstants(_ run: NodeRun) {
        let w = V.width, L = lanes
        for i in 0..<run.count {
            let out = output(Int(run.start) + i)
            let k = V(broadcast: plan.constants[Int(run.constantBase) + i])
            var c = 0
            while c < L { k.store(to: out + c); c += w }
        }
    }

    /// `a0 ∘ a1 ∘ … ∘ a(k−1)` left to right for every node of the run (add and mul, k ≥ 2),
    /// with the common two-argument case unrolled.
    @inline(__always)
    func fold(_ run: NodeRun, _ f: (V, V) -> V) {
        let w = V.width, L = lanes
        let k = Int(run.arity)
        var a = Int(run.argumentBase)
        for p in Int(run.start)..<Int(run.end) {
            let out = output(p)
            if k == 2 {
                let x = argument(a, 0), y = argument(a, 1)
                var c = 0
                while c < L { f(V(loading: x + c), V(loading: y + c)).store(to: out + c); c += w }
            } else {
                var c = 0
                while c < L {
                    var s = V(loading: argument(a, 0) + c)
                    for j in 1..<k { s = f(s, V(loading: argument(a, j) + c)) }
                    s.store(to: out + c)
                    c += w
                }
            }
            a += k
        }
    }

    @inline(__always)
    func binary(_ run: NodeRun, _ f: (V, V) -> V) {
        let w = V.width, L = lanes
        var a = Int(run.argumentBase)
        for p in Int(run.start)..<Int(run.end) {
            let x = argument(a, 0), y = argument(a, 1)
            let out = output(p)
            var c = 0
            while c < L { f(V(loading: x + c), V(loading: y + c)).store(to: out + c); c += w }
            a += 2
        }
    }

    /// One-argument ops; `f(argument, number)` (the number is 0 for ops without one).
    @inline(__always)
    func unary(_ run: NodeRun, _ f: (V, Double) -> V) {
        let w = V.width, L = lanes
        let hasConstant = run.takesConstant
        for i in 0..<run.count {
            let x = argument(Int(run.argumentBase) + i, 0)
            let out = output(Int(run.start) + i)
            let k = hasConstant ? plan.constants[Int(run.constantBase) + i] : 0
            var c = 0
            while c < L { f(V(loading: x + c), k).store(to: out + c); c += w }
        }
    }

    /// One-argument ops computed a whole row at a time (`f(argument row, output row, lanes)`).
    @inline(__always)
    func row(_ run: NodeRun, _ f: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void) {
        for i in 0..<run.count {
            f(argument(Int(run.argumentBase) + i, 0), output(Int(run.start) + i), lanes)
        }
    }

    /// `value(args, c)` of rule `R` lane by lane (ops without a vector kernel).
    func forwardPerLane<R: OpRule>(_: R.Type, _ run: NodeRun) {
        let L = lanes
        let k = Int(run.arity)
        let args = UnsafeBufferPointer(start: scratchArguments, count: k)
        for i in 0..<run.count {
            let a = Int(run.argumentBase) + i * k
            let out = output(Int(run.start) + i)
            let c = run.takesConstant ? plan.constants[Int(run.constantBase) + i] : 0
            for l in 0..<L {
                for j in 0..<k { scratchArguments[j] = argument(a, j)[l] }
                out[l] = R.value(args, constant: c)
            }
        }
    }

    // MARK: Backward

    /// Completes the gradient arriving on the output of node `i` of `run` (its splitter sums)
    /// and returns its row.
    @inline(__always)
    func upstream(_ run: NodeRun, _ i: Int) -> UnsafeMutablePointer<Double> {
        let up = slotRow(plan.upstreamRow[Int(run.start) + i])
        let k = Int(run.gradientFanIn)
        if k >= 2 {
            sumSlotRows(plan.gradientSources + Int(run.sourceBase) + i * k, count: k, into: up)
        } else if k == Int(ExecutionPlan.programFanIn) {
            let n = Int(run.sourceBase) + i
            runProgram(plan.program, Int(plan.programStart[n]), Int(plan.programStart[n + 1]))
        }
        return up
    }

    /// Runs the reduction program `program[r0..<r1]`: per splitter `count, target, sources…`,
    /// each summed `s = g0; s += g1; …`.
    func runProgram(_ program: UnsafePointer<Int32>, _ r0: Int, _ r1: Int) {
        var r = r0
        while r < r1 {
            let count = Int(program[r])
            sumSlotRows(program + r + 2, count: count, into: slotRow(program[r + 1]))
            r += 2 + count
        }
    }

    /// One splitter's sum: `target = g0; target += g1; …` over the `count` slot rows at `sources`.
    @inline(__always)
    private func sumSlotRows(_ sources: UnsafePointer<Int32>, count: Int, into target: UnsafeMutablePointer<Double>) {
        let w = V.width, L = lanes
        var c = 0
        while c < L {
            var acc = V(loading: slotRow(sources[0]) + c)
            for j in 1..<count { acc = acc + V(loading: slotRow(sources[j]) + c) }
            acc.store(to: target + c)
            c += w
        }
    }

    /// Runs the backward of the nodes of `run` (live, not `const`): each first completes its
    /// upstream gradient, then writes upstream × partial into its argument slots.
    @inline(__always)
    func backward(_ run: NodeRun) {
        let op = run.op
        if op >= ExecutionPlan.mulParameterFirst {
            backwardMulParameter(run, parameterFirst: op == ExecutionPlan.mulParameterFirst)
            return
        }
        Op(rawValue: op)!.visit(Backward(kernels: self, run: run))
    }

    /// Backward of ``forwardMulParameter(_:parameterFirst:)``: the parameter's slot gets
    /// upstream × wire value, the wire's slot upstream × parameter (as for a plain `mul`).
    @inline(__always)
    private func backwardMulParameter(_ run: NodeRun, parameterFirst: Bool) {
        let w = V.width, L = lanes
        let wirePosition = parameterFirst ? 1 : 0
        let sums = run.fusesParameter ? parameterSums : nil
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + 2 * i
            let x = argument(a, wirePosition)
            let gWire = argumentSlot(a + wirePosition), gParameter = argumentSlot(a + 1 - wirePosition)
            let k = V(broadcast: plan.constants[Int(run.constantBase) + i])
            var c = 0
            while c < L {
                let u = V(loading: up + c)
                (u * V(loading: x + c)).store(to: gParameter + c)
                (u * k).store(to: gWire + c)
                c += w
            }
            if let sums {
                let q = Int(plan.argumentRow[a + 1 - wirePosition]) - plan.inputCount
                sums[q] = LanePairwiseSum.sum(gParameter, lanes: L, scratch: laneScratch)
            }
        }
    }

    @inline(__always)
    func backwardBinary(_ run: NodeRun, _ f: (V, V, V) -> (V, V)) {
        backwardBinaryWithValue(run) { u, x, y, _ in f(u, x, y) }   // the unused value load is dropped
    }

    /// Backward of ops whose every partial is 1 (`add`, `offset`): upstream × 1 is upstream, and
    /// the arguments' slots are this node's upstream row (see ExecutionPlan, pass-through), so
    /// only the splitter sums, if any, are left to do.
    @inline(__always)
    func passThrough(_ run: NodeRun) {
        if run.gradientFanIn != 0 {
            for i in 0..<run.count { _ = upstream(run, i) }
        }
    }

    /// Two-argument ops whose partials need the node's value: `f(upstream, x, y, value)`.
    @inline(__always)
    func backwardBinaryWithValue(_ run: NodeRun, _ f: (V, V, V, V) -> (V, V)) {
        let w = V.width, L = lanes
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + 2 * i
            let x = argument(a, 0), y = argument(a, 1), v = output(Int(run.start) + i)
            let gx = argumentSlot(a), gy = argumentSlot(a + 1)
            var c = 0
            while c < L {
                let (g0, g1) = f(V(loading: up + c), V(loading: x + c), V(loading: y + c), V(loading: v + c))
                g0.store(to: gx + c)
                g1.store(to: gy + c)
                c += w
            }
        }
    }

    /// `f(upstream, argument, value, number)` gives the argument's contribution.
    @inline(__always)
    func backwardUnary(_ run: NodeRun, _ f: (V, V, V, Double) -> V) {
        let w = V.width, L = lanes
        let hasConstant = run.takesConstant
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + i
            let x = argument(a, 0)
            let v = output(Int(run.start) + i)
            let g = argumentSlot(a)
            let k = hasConstant ? plan.constants[Int(run.constantBase) + i] : 0
            var c = 0
            while c < L {
                f(V(loading: up + c), V(loading: x + c), V(loading: v + c), k).store(to: g + c)
                c += w
            }
        }
    }

    /// One-argument ops whose partial is a row function of the argument:
    /// `partialRow(argument row, scratch row, lanes)`, then `combine(upstream, scratch)` per chunk.
    @inline(__always)
    func backwardRow(_ run: NodeRun, _ partialRow: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void,
                     _ combine: (V, V) -> V) {
        let w = V.width, L = lanes
        let t = scratchRow(0)
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + i
            partialRow(argument(a, 0), t, L)
            let g = argumentSlot(a)
            var c = 0
            while c < L { combine(V(loading: up + c), V(loading: t + c)).store(to: g + c); c += w }
        }
    }

    /// `partials(args, v, c)` of rule `R` lane by lane.
    func backwardPerLane<R: OpRule>(_: R.Type, _ run: NodeRun) {
        let L = lanes
        let k = Int(run.arity)
        let args = UnsafeBufferPointer(start: scratchArguments, count: k)
        let partials = UnsafeMutableBufferPointer(start: scratchPartials, count: k)
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + i * k
            let v = output(Int(run.start) + i)
            let c = run.takesConstant ? plan.constants[Int(run.constantBase) + i] : 0
            for l in 0..<L {
                for j in 0..<k { scratchArguments[j] = argument(a, j)[l] }
                R.partials(args, value: v[l], constant: c, into: partials)
                let u = up[l]
                for j in 0..<k { argumentSlot(a + j)[l] = u * partials[j] }
            }
        }
    }
}
