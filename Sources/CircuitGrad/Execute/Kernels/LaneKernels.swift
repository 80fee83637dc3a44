/// The forward and backward kernels: each applies one op to a ``NodeRun`` over all lanes of a
/// block, `V.width` lanes at a time. Within a run every node has the same argument count and
/// gradient shape, so the loops have fixed trip counts and no per-node branches. The
/// op's own kernels live in its ``OpRule`` (next to its scalar definition, which they match
/// bit for bit); this type dispatches a run to its rule once and offers the loop shapes the
/// rules are written with.
///
/// The loop shapes are in `LaneKernels+Forward.swift` and `LaneKernels+Backward.swift`, the
/// kernels of the plan's fused parameter muls in `LaneKernels+ParameterMul.swift`.
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
    @inline(__always) func valueRow(_ r: Int32) -> UnsafeMutablePointer<Double> { values + Int(r) * lanes }
    @inline(__always) func valueRow(_ r: Int) -> UnsafeMutablePointer<Double> { values + r * lanes }
    @inline(__always) func slotRow(_ r: Int32) -> UnsafeMutablePointer<Double> { slots + Int(r) * lanes }
    /// Value row of argument `k` of the node whose first argument position is `a`.
    @inline(__always) func argument(_ a: Int, _ k: Int) -> UnsafeMutablePointer<Double> {
        valueRow(plan.argumentRow[a + k])
    }
    /// Slot row argument position `j` writes.
    @inline(__always) func argumentSlot(_ j: Int) -> UnsafeMutablePointer<Double> {
        slotRow(plan.argumentSlotRow[j])
    }
    @inline(__always) func output(_ p: Int) -> UnsafeMutablePointer<Double> {
        valueRow(plan.nodeValueRow[p])
    }
    /// The first of the `R.keptRows` consecutive rows node `i` of `run` keeps from its forward
    /// for its backward, or nil when it keeps none (a dead node).
    @inline(__always) func keptRows<R: OpRule>(_: R.Type, _ run: NodeRun, _ i: Int) -> UnsafeMutablePointer<Double>? {
        run.keptBase < 0 ? nil : valueRow(Int(run.keptBase) + i * R.keptRows)
    }
    /// ``keptRows(_:_:_:)`` for a backward: every live node of an op that keeps rows has them
    /// (the plan places them, ``NodeRun/keptBase``, and the forward fills them).
    @inline(__always) func keptRowsOfLiveNode<R: OpRule>(_: R.Type, _ run: NodeRun, _ i: Int) -> UnsafeMutablePointer<Double> {
        assert(run.keptBase >= 0, "a live \(R.name) run without kept rows")
        return valueRow(Int(run.keptBase) + i * R.keptRows)
    }

    // MARK: Forward

    /// Computes the values of the nodes of `run` (the op decoded once for the whole run).
    @inline(__always)
    func forward(_ run: NodeRun) {
        switch run.op {
        case .circuit(let op): op.visit(Forward(kernels: self, run: run))
        case .mulParameter(let first): forwardMulParameter(run, parameterFirst: first)
        }
    }

    private struct Forward: OpRuleVisitor {
        let kernels: LaneKernels
        let run: NodeRun
        @inline(__always) func visit<R: OpRule>(_ rule: R.Type) { R.forward(kernels, run) }
    }

    // MARK: Backward

    /// Runs the backward of the nodes of `run` (live, not `const`): each first completes its
    /// upstream gradient, then writes upstream × partial into its argument slots.
    @inline(__always)
    func backward(_ run: NodeRun) {
        switch run.op {
        case .circuit(let op): op.visit(Backward(kernels: self, run: run))
        case .mulParameter(let first): backwardMulParameter(run, parameterFirst: first)
        }
    }

    private struct Backward: OpRuleVisitor {
        let kernels: LaneKernels
        let run: NodeRun
        @inline(__always) func visit<R: OpRule>(_ rule: R.Type) { R.backward(kernels, run) }
    }

    /// Completes the gradient arriving on the output of node `i` of `run` (its splitter sums)
    /// and returns its row.
    @inline(__always)
    func upstream(_ run: NodeRun, _ i: Int) -> UnsafeMutablePointer<Double> {
        let up = slotRow(plan.upstreamRow[Int(run.start) + i])
        switch run.gradientFanIn {
        case .none: break
        case .rows(let count):
            let k = Int(count)
            sumSlotRows(plan.gradientSources + Int(run.sourceBase) + i * k, count: k, into: up)
        case .program:
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
}
