import Glibc

/// The forward and backward kernels: each applies one op to a run of plan nodes over all
/// lanes of a block, `V.width` lanes at a time. Every expression is the one in
/// `OpSemantics.swift` (same operations, same order, same libm calls), so each lane's bits
/// equal the reference's. Ops without a dedicated loop go through ``Op/value(_:constant:)``
/// and ``Op/partials(_:value:constant:into:)`` lane by lane.
struct LaneKernels<V: LaneChunk> {
    let plan: PlanView
    let values: UnsafeMutablePointer<Double>
    let slots: UnsafeMutablePointer<Double>
    let lanes: Int
    let scratchArguments: UnsafeMutablePointer<Double>
    let scratchPartials: UnsafeMutablePointer<Double>

    /// Where this block's parameter sums go when nodes make them (full blocks of ≥ 8 lanes), else nil.
    let parameterSums: UnsafeMutablePointer<Double>?
    let laneScratch: UnsafeMutablePointer<Double>

    init(plan: PlanView, workspace w: BlockWorkspace, worker: Int, parameterSums: UnsafeMutablePointer<Double>? = nil) {
        self.plan = plan
        self.parameterSums = V.width == 8 ? parameterSums : nil
        laneScratch = w.laneScratch + worker * w.lanes
        values = w.values
        slots = w.slots
        lanes = w.lanes
        scratchArguments = w.scratchArguments + worker * w.scratchStride
        scratchPartials = w.scratchPartials + worker * w.scratchStride
    }

    @inline(__always) private func valueRow(_ r: Int32) -> UnsafeMutablePointer<Double> { values + Int(r) * lanes }
    @inline(__always) private func valueRow(_ r: Int) -> UnsafeMutablePointer<Double> { values + r * lanes }
    @inline(__always) private func slotRow(_ r: Int) -> UnsafeMutablePointer<Double> { slots + r * lanes }
    @inline(__always) private func argumentSlot(_ j: Int) -> UnsafeMutablePointer<Double> {
        slots + Int(plan.argumentSlotRow[j]) * lanes
    }

    // MARK: Forward

    /// Computes the values of plan nodes `start..<end`, all of op `op`.
    @inline(__always)
    func forward(op: UInt8, start: Int, end: Int) {
        let w = V.width
        let L = lanes
        let first = plan.firstNodeValueRow
        if op >= ExecutionPlan.mulParameterFirst {
            forwardMulParameter(parameterFirst: op == ExecutionPlan.mulParameterFirst, start, end)
            return
        }
        switch Op(rawValue: op)! {
        case .add: fold(start, end) { $0 + $1 }
        case .mul: fold(start, end) { $0 * $1 }
        case .sub: binary(start, end) { $0 - $1 }
        case .div: binary(start, end) { $0 / $1 }
        case .neg: unary(start, end) { a, _ in -a }
        case .recip: unary(start, end) { a, _ in V(broadcast: 1) / a }
        case .square: unary(start, end) { a, _ in a * a }
        case .scale: unary(start, end) { a, c in V(broadcast: c) * a }
        case .offset: unary(start, end) { a, c in a + V(broadcast: c) }
        case .const:
            for p in start..<end {
                let out = valueRow(first + p)
                let k = V(broadcast: plan.constant[p])
                var c = 0
                while c < L { k.store(to: out + c); c += w }
            }
        case .exp: laneUnary(start, end) { Glibc.exp($0) }
        case .log: laneUnary(start, end) { Glibc.log($0) }
        case .sin: laneUnary(start, end) { Glibc.sin($0) }
        case .cos: laneUnary(start, end) { Glibc.cos($0) }
        case .tanh: laneUnary(start, end) { Glibc.tanh($0) }
        case .sqrt: laneUnary(start, end) { Glibc.sqrt($0) }
        case .sigmoid: laneUnary(start, end) { 1 / (1 + Glibc.exp(-$0)) }
        case let other: forwardPerLane(other, start, end)
        }
    }

    /// `mul` of a parameter (its value in `constant`) and a wire, in argument order.
    @inline(__always)
    private func forwardMulParameter(parameterFirst: Bool, _ start: Int, _ end: Int) {
        let w = V.width, L = lanes
        let wireOffset = parameterFirst ? 1 : 0
        for p in start..<end {
            let x = valueRow(plan.argumentRow[Int(plan.argumentStart[p]) + wireOffset])
            let out = valueRow(plan.firstNodeValueRow + p)
            let k = V(broadcast: plan.constant[p])
            var c = 0
            if parameterFirst {
                while c < L { (k * V(loading: x + c)).store(to: out + c); c += w }
            } else {
                while c < L { (V(loading: x + c) * k).store(to: out + c); c += w }
            }
        }
    }

    /// Backward of ``forwardMulParameter(parameterFirst:_:_:)``: the parameter's slot gets
    /// upstream × wire value, the wire's slot upstream × parameter (as for a plain `mul`).
    @inline(__always)
    private func backwardMulParameter(parameterFirst: Bool, _ start: Int, _ end: Int) {
        let w = V.width, L = lanes
        let wirePosition = parameterFirst ? 1 : 0
        for p in start..<end {
            reduceSplitters(of: p)
            let up = slotRow(Int(plan.upstreamRow[p]))
            let a = Int(plan.argumentStart[p])
            let x = valueRow(plan.argumentRow[a + wirePosition])
            let gWire = argumentSlot(a + wirePosition), gParameter = argumentSlot(a + 1 - wirePosition)
            let k = V(broadcast: plan.constant[p])
            var c = 0
            while c < L {
                let u = V(loading: up + c)
                (u * V(loading: x + c)).store(to: gParameter + c)
                (u * k).store(to: gWire + c)
                c += w
            }
            if let sums = parameterSums {
                let q = Int(plan.fusedParameter[p])
                if q >= 0 { sums[q] = LanePairwiseSum.sum(gParameter, lanes: L, scratch: laneScratch) }
            }
        }
    }

    /// `a0 ∘ a1 ∘ … ∘ a(k−1)` left to right for every node of the run (add and mul, k ≥ 2),
    /// with the common two-argument case unrolled.
    @inline(__always)
    private func fold(_ start: Int, _ end: Int, _ f: (V, V) -> V) {
        let w = V.width, L = lanes
        let argStart = plan.argumentStart, argRow = plan.argumentRow
        for p in start..<end {
            let a = Int(argStart[p]), e = Int(argStart[p + 1])
            let out = valueRow(plan.firstNodeValueRow + p)
            if e - a == 2 {
                let x = valueRow(argRow[a]), y = valueRow(argRow[a + 1])
                var c = 0
                while c < L { f(V(loading: x + c), V(loading: y + c)).store(to: out + c); c += w }
            } else {
                var c = 0
                while c < L {
                    var s = V(loading: valueRow(argRow[a]) + c)
                    for j in (a + 1)..<e { s = f(s, V(loading: valueRow(argRow[j]) + c)) }
                    s.store(to: out + c)
                    c += w
                }
            }
        }
    }

    @inline(__always)
    private func binary(_ start: Int, _ end: Int, _ f: (V, V) -> V) {
        let w = V.width, L = lanes
        for p in start..<end {
            let a = Int(plan.argumentStart[p])
            let x = valueRow(plan.argumentRow[a]), y = valueRow(plan.argumentRow[a + 1])
            let out = valueRow(plan.firstNodeValueRow + p)
            var c = 0
            while c < L { f(V(loading: x + c), V(loading: y + c)).store(to: out + c); c += w }
        }
    }

    @inline(__always)
    private func unary(_ start: Int, _ end: Int, _ f: (V, Double) -> V) {
        let w = V.width, L = lanes
        for p in start..<end {
            let x = valueRow(plan.argumentRow[Int(plan.argumentStart[p])])
            let out = valueRow(plan.firstNodeValueRow + p)
            let k = plan.constant[p]
            var c = 0
            while c < L { f(V(loading: x + c), k).store(to: out + c); c += w }
        }
    }

    @inline(__always)
    private func laneUnary(_ start: Int, _ end: Int, _ f: (Double) -> Double) {
        let L = lanes
        for p in start..<end {
            let x = valueRow(plan.argumentRow[Int(plan.argumentStart[p])])
            let out = valueRow(plan.firstNodeValueRow + p)
            for l in 0..<L { out[l] = f(x[l]) }
        }
    }

    private func forwardPerLane(_ op: Op, _ start: Int, _ end: Int) {
        let L = lanes
        for p in start..<end {
            let a = Int(plan.argumentStart[p]), k = Int(plan.argumentStart[p + 1]) - a
            let out = valueRow(plan.firstNodeValueRow + p)
            let c = plan.constant[p]
            let args = UnsafeBufferPointer(start: scratchArguments, count: k)
            for l in 0..<L {
                for j in 0..<k { scratchArguments[j] = valueRow(plan.argumentRow[a + j])[l] }
                out[l] = op.value(args, constant: c)
            }
        }
    }

    // MARK: Backward

    /// Sums the splitters plan node `p` needs before its backward (post-order).
    @inline(__always)
    private func reduceSplitters(of p: Int) {
        var r = Int(plan.reductionProgramStart[p])
        let r1 = Int(plan.reductionProgramStart[p + 1])
        if r == r1 { return }
        let program = plan.reductionProgram
        let w = V.width, L = lanes
        while r < r1 {
            let count = Int(program[r])
            let target = slotRow(Int(program[r + 1]))
            let sources = r + 2
            var c = 0
            while c < L {
                var acc = V(loading: slotRow(Int(program[sources])) + c)
                for j in 1..<count { acc = acc + V(loading: slotRow(Int(program[sources + j])) + c) }
                acc.store(to: target + c)
                c += w
            }
            r = sources + count
        }
    }

    /// Sums splitters `list[r0..<r1]` in that order: `s = g0; s += g1; …`.
    func reduce(_ list: UnsafePointer<Int32>, _ r0: Int, _ r1: Int) {
        let w = V.width, L = lanes
        for r in r0..<r1 {
            let s = Int(list[r])
            let a = Int(plan.splitterSumStart[s]), e = Int(plan.splitterSumStart[s + 1])
            let target = slotRow(Int(plan.splitterSlotRow[s]))
            var c = 0
            while c < L {
                var acc = V(loading: slotRow(Int(plan.splitterSumSources[a])) + c)
                for j in (a + 1)..<e { acc = acc + V(loading: slotRow(Int(plan.splitterSumSources[j])) + c) }
                acc.store(to: target + c)
                c += w
            }
        }
    }

    /// Runs the backward of live plan nodes `start..<end`, all of op `op`: each first completes
    /// its upstream gradient (splitter sums), then writes upstream × partial into its argument slots.
    @inline(__always)
    func backward(op: UInt8, start: Int, end: Int) {
        let w = V.width
        let L = lanes
        let argStart = plan.argumentStart, argRow = plan.argumentRow
        if op >= ExecutionPlan.mulParameterFirst {
            backwardMulParameter(parameterFirst: op == ExecutionPlan.mulParameterFirst, start, end)
            return
        }
        switch Op(rawValue: op)! {
        case .const: return
        case .add, .offset:
            for p in start..<end {
                reduceSplitters(of: p)
                let up = slotRow(Int(plan.upstreamRow[p]))
                let a = Int(argStart[p]), e = Int(argStart[p + 1])
                var c = 0
                while c < L {
                    let g = V(loading: up + c) * V(broadcast: 1)
                    for j in a..<e { g.store(to: argumentSlot(j) + c) }
                    c += w
                }
            }
        case .mul:
            for p in start..<end {
                reduceSplitters(of: p)
                let up = slotRow(Int(plan.upstreamRow[p]))
                let a = Int(argStart[p]), e = Int(argStart[p + 1])
                if e - a == 2 {
                    let x = valueRow(argRow[a]), y = valueRow(argRow[a + 1])
                    let gx = argumentSlot(a), gy = argumentSlot(a + 1)
                    var c = 0
                    while c < L {
                        let u = V(loading: up + c)
                        (u * V(loading: y + c)).store(to: gx + c)
                        (u * V(loading: x + c)).store(to: gy + c)
                        c += w
                    }
                } else {
                    backwardPerLane(.mul, p)
                }
            }
        case .sub:
            backwardBinary(start, end) { u, _, _ in (u * V(broadcast: 1), u * V(broadcast: -1)) }
        case .div:
            backwardBinary(start, end) { u, x, y in
                (u * (V(broadcast: 1) / y), u * (-x / (y * y)))
            }
        case .neg: backwardUnary(start, end) { u, _, _, _ in u * V(broadcast: -1) }
        case .scale: backwardUnary(start, end) { u, _, _, c in u * V(broadcast: c) }
        case .square: backwardUnary(start, end) { u, x, _, _ in u * (V(broadcast: 2) * x) }
        case .recip: backwardUnary(start, end) { u, x, _, _ in u * (V(broadcast: -1) / (x * x)) }
        case .exp: backwardUnary(start, end) { u, _, v, _ in u * v }
        case .sqrt: backwardUnary(start, end) { u, _, v, _ in u * (V(broadcast: 1) / (V(broadcast: 2) * v)) }
        case .tanh: backwardUnary(start, end) { u, _, v, _ in u * (V(broadcast: 1) - v * v) }
        case .sigmoid: backwardUnary(start, end) { u, _, v, _ in u * (v * (V(broadcast: 1) - v)) }
        case .log: backwardUnary(start, end) { u, x, _, _ in u * (V(broadcast: 1) / x) }
        case .sin: backwardLaneUnary(start, end) { x in Glibc.cos(x) }
        case .cos: backwardLaneUnary(start, end) { x in -Glibc.sin(x) }
        case let other:
            for p in start..<end { backwardPerLane(other, p) }
        }
    }

    @inline(__always)
    private func backwardBinary(_ start: Int, _ end: Int, _ f: (V, V, V) -> (V, V)) {
        let w = V.width, L = lanes
        for p in start..<end {
            reduceSplitters(of: p)
            let up = slotRow(Int(plan.upstreamRow[p]))
            let a = Int(plan.argumentStart[p])
            let x = valueRow(plan.argumentRow[a]), y = valueRow(plan.argumentRow[a + 1])
            let gx = argumentSlot(a), gy = argumentSlot(a + 1)
            var c = 0
            while c < L {
                let (g0, g1) = f(V(loading: up + c), V(loading: x + c), V(loading: y + c))
                g0.store(to: gx + c)
                g1.store(to: gy + c)
                c += w
            }
        }
    }

    /// `f(upstream, argument, value, constant)` gives the argument's contribution.
    @inline(__always)
    private func backwardUnary(_ start: Int, _ end: Int, _ f: (V, V, V, Double) -> V) {
        let w = V.width, L = lanes
        for p in start..<end {
            reduceSplitters(of: p)
            let up = slotRow(Int(plan.upstreamRow[p]))
            let a = Int(plan.argumentStart[p])
            let x = valueRow(plan.argumentRow[a])
            let v = valueRow(plan.firstNodeValueRow + p)
            let g = argumentSlot(a)
            let k = plan.constant[p]
            var c = 0
            while c < L {
                f(V(loading: up + c), V(loading: x + c), V(loading: v + c), k).store(to: g + c)
                c += w
            }
        }
    }

    /// Unary ops whose partial needs a libm call of the argument, lane by lane.
    @inline(__always)
    private func backwardLaneUnary(_ start: Int, _ end: Int, _ partial: (Double) -> Double) {
        let L = lanes
        for p in start..<end {
            reduceSplitters(of: p)
            let up = slotRow(Int(plan.upstreamRow[p]))
            let a = Int(plan.argumentStart[p])
            let x = valueRow(plan.argumentRow[a])
            let g = argumentSlot(a)
            for l in 0..<L { g[l] = up[l] * partial(x[l]) }
        }
    }

    private func backwardPerLane(_ op: Op, _ p: Int) {
        reduceSplitters(of: p)
        let L = lanes
        let up = slotRow(Int(plan.upstreamRow[p]))
        let a = Int(plan.argumentStart[p]), k = Int(plan.argumentStart[p + 1]) - a
        let v = valueRow(plan.firstNodeValueRow + p)
        let c = plan.constant[p]
        let args = UnsafeBufferPointer(start: scratchArguments, count: k)
        let partials = UnsafeMutableBufferPointer(start: scratchPartials, count: k)
        for l in 0..<L {
            for j in 0..<k { scratchArguments[j] = valueRow(plan.argumentRow[a + j])[l] }
            op.partials(args, value: v[l], constant: c, into: partials)
            let u = up[l]
            for j in 0..<k { argumentSlot(a + j)[l] = u * partials[j] }
        }
    }
}
