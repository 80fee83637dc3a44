/// The backward loop shapes the op rules' kernels are written with (``OpRule/backward(_:_:)``):
/// each node first completes its upstream gradient (``LaneKernels/upstream(_:_:)``).
extension LaneKernels {
    @inline(__always)
    func backwardBinary(_ run: NodeRun, _ f: (V, V, V) -> (V, V)) {
        backwardBinaryWithValue(run) { u, x, y, _ in f(u, x, y) }   // the unused value load is dropped
    }

    /// Backward of ops whose every partial is 1 (`add`, `offset`): upstream × 1 is upstream, and
    /// the arguments' slots are this node's upstream row (see ExecutionPlan, pass-through), so
    /// only the splitter sums, if any, are left to do.
    @inline(__always)
    func passThrough(_ run: NodeRun) {
        if run.gradientFanIn != .none {
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

    /// One-argument ops of rule `R` whose forward kept a row for the backward (its one
    /// ``OpRule/keptRows`` row): `combine(upstream, kept row)` per chunk.
    @inline(__always)
    func backwardKeptRow<R: OpRule>(_: R.Type, _ run: NodeRun, _ combine: (V, V) -> V) {
        let w = V.width, L = lanes
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + i
            let t = keptRowsOfLiveNode(R.self, run, i)
            let g = argumentSlot(a)
            var c = 0
            while c < L { combine(V(loading: up + c), V(loading: t + c)).store(to: g + c); c += w }
        }
    }

    /// Backward of `mul` with any number of arguments: argument j's partial is the product of
    /// the others, made as ``MulRule/partials(_:value:constant:into:)`` makes it (the product of
    /// the arguments before j, from 1, times the product of those after it, from 1, built from
    /// the end), a chunk at a time; the prefixes wait in this worker's ``scratchPartials``.
    @inline(__always)
    func backwardProductOfOthers(_ run: NodeRun) {
        let w = V.width, L = lanes, k = Int(run.arity)
        let prefixes = scratchPartials
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + i * k
            var c = 0
            while c < L {
                var prefix = V(broadcast: 1)
                for j in 0..<k {
                    prefix.store(to: prefixes + j * w)
                    prefix = prefix * V(loading: argument(a, j) + c)
                }
                let u = V(loading: up + c)
                var suffix = V(broadcast: 1)
                for j in stride(from: k - 1, through: 0, by: -1) {
                    (u * (V(loading: prefixes + j * w) * suffix)).store(to: argumentSlot(a + j) + c)
                    suffix = suffix * V(loading: argument(a, j) + c)
                }
                c += w
            }
        }
    }

    /// Backward of `max`/`min` with any number of arguments: the arguments equal to the value
    /// share the gradient equally (1 / their count, 0 when none is, as for a NaN value), as
    /// ``ExtremeRule``'s scalar partials share it.
    @inline(__always)
    func backwardTiesShare(_ run: NodeRun) {
        let w = V.width, L = lanes, k = Int(run.arity)
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + i * k
            let v = output(Int(run.start) + i)
            var c = 0
            while c < L {
                let value = V(loading: v + c)
                var ties = V(broadcast: 0)
                for j in 0..<k { ties = ties + V.oneWhere(V(loading: argument(a, j) + c), equals: value) }
                // 1 / ties where some argument ties; where none does, no argument equals the value
                // and `share` gives 0 whatever `share` holds there.
                let share = V(broadcast: 1) / ties, u = V(loading: up + c)
                for j in 0..<k {
                    (u * V.share(share, where: V(loading: argument(a, j) + c), equals: value)).store(to: argumentSlot(a + j) + c)
                }
                c += w
            }
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
