/// The forward loop shapes the op rules' kernels are written with (``OpRule/forward(_:_:)``).
extension LaneKernels {
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

    /// One-argument ops of rule `R` whose live nodes keep one row from the forward for the
    /// backward: `both(argument, output, kept row, lanes)` for those, `value(argument, output,
    /// lanes)` for the others.
    @inline(__always)
    func rowKeeping<R: OpRule>(_: R.Type, _ run: NodeRun, _ value: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void,
                               both: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void) {
        for i in 0..<run.count {
            let x = argument(Int(run.argumentBase) + i, 0), y = output(Int(run.start) + i)
            if let kept = keptRows(R.self, run, i) { both(x, y, kept, lanes) } else { value(x, y, lanes) }
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
}
