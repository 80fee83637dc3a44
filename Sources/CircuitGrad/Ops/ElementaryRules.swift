// Rules of the ops that need an elementary function. Forward kernels call SLEEF a whole row
// at a time (``ElementaryFunctions``), and so does the scalar definition, one element at a time,
// so every path gets the same bits.

/// `sqrt a`: √a, correctly rounded.
enum SqrtRule: OpRule {
    static let name = "sqrt"
    static let backwardReads: BackwardReads = .value
    static let arity = Op.Arity.exactly(1)
    static let kink = OpKink.signOfArgument(0)
    static let cost = OpCost(scalar: (20, 30), simd: (10, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { args[0].squareRoot() }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = 1 / (2 * v) }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.row(run, ElementaryFunctions.sqrt(_:_:_:))
    }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, _, v, _ in u * (V(broadcast: 1) / (V(broadcast: 2) * v)) }
    }
}

/// `exp a`: eᵃ.
enum ExpRule: RowFunctionRule {
    static let name = "exp"
    static let backwardReads: BackwardReads = .value
    static let cost = OpCost(scalar: (60, 20), simd: (25, 10))
    static func function(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        ElementaryFunctions.exp(x, y, n)
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = v }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, _, v, _ in u * v }
    }
}

/// `log a`: ln a.
enum LogRule: RowFunctionRule {
    static let name = "log"
    static let backwardReads: BackwardReads = .arguments
    static let kink = OpKink.signOfArgument(0)
    static let cost = OpCost(scalar: (60, 40), simd: (25, 14))
    static func function(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        ElementaryFunctions.log(x, y, n)
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = 1 / args[0] }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, x, _, _ in u * (V(broadcast: 1) / x) }
    }
}

/// `sin a`. A live node's forward keeps cos a, its partial, from the same call (SLEEF's sincos).
enum SinRule: RowFunctionRule {
    static let name = "sin"
    static let backwardReads: BackwardReads = []
    static let cost = OpCost(scalar: (80, 90), simd: (40, 45))
    static let keptRows = 1
    static func function(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        ElementaryFunctions.sin(x, y, n)
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = ElementaryFunctions.cos(args[0]) }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.rowKeeping(Self.self, run, function) { x, y, kept, n in ElementaryFunctions.sinCos(x, sin: y, cos: kept, n) }
    }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardKeptRow(Self.self, run) { u, cosA in u * cosA }
    }
}

/// `cos a`. A live node's forward keeps sin a (its partial is −sin a) from the same call.
enum CosRule: RowFunctionRule {
    static let name = "cos"
    static let backwardReads: BackwardReads = []
    static let cost = OpCost(scalar: (80, 90), simd: (40, 45))
    static let keptRows = 1
    static func function(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        ElementaryFunctions.cos(x, y, n)
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = -ElementaryFunctions.sin(args[0]) }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.rowKeeping(Self.self, run, function) { x, y, kept, n in ElementaryFunctions.sinCos(x, sin: kept, cos: y, n) }
    }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardKeptRow(Self.self, run) { u, sinA in u * sinA.negated() }
    }
}

/// `tanh a`.
enum TanhRule: RowFunctionRule {
    static let name = "tanh"
    static let backwardReads: BackwardReads = .value
    static let cost = OpCost(scalar: (90, 20), simd: (45, 10))
    static func function(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        ElementaryFunctions.tanh(x, y, n)
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = 1 - v * v }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, _, v, _ in u * (V(broadcast: 1) - v * v) }
    }
}

/// `sigmoid a`: 1 / (1 + e⁻ᵃ).
enum SigmoidRule: RowFunctionRule {
    static let name = "sigmoid"
    static let backwardReads: BackwardReads = .value
    static let cost = OpCost(scalar: (70, 20), simd: (30, 10))
    static func function(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        ElementaryFunctions.sigmoid(x, y, n)
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = v * (1 - v) }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, _, v, _ in u * (v * (V(broadcast: 1) - v)) }
    }
}

/// `pow a b`: aᵇ, with C99's special cases. A live node's forward keeps a^(b−1) and ln a, which
/// its partials need, from the same logarithm of a as its value.
enum PowRule: OpRule {
    static let name = "pow"
    static let backwardReads: BackwardReads = [.arguments, .value]
    static let arity = Op.Arity.exactly(2)
    static let kink = OpKink.signOfArgument(0)
    static let cost = OpCost(scalar: (120, 240), simd: (70, 110))
    static let keptRows = 2
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double {
        ElementaryFunctions.pow(args[0], args[1])
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) {
        let a = args[0], b = args[1]
        partials[0] = b * ElementaryFunctions.pow(a, b - 1)
        partials[1] = Op.powExponentPartial(a: a, b: b, value: v)
    }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        for i in 0..<run.count {
            let a = Int(run.argumentBase) + 2 * i, p = Int(run.start) + i
            if let kept = k.keptRows(Self.self, run, i) {
                ElementaryFunctions.powKeepingDerivatives(k.argument(a, 0), k.argument(a, 1), k.output(p),
                                                          d: kept, l: kept + k.lanes, k.lanes)
            } else {
                ElementaryFunctions.pow(k.argument(a, 0), k.argument(a, 1), k.output(p), k.lanes)
            }
        }
    }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        let w = V.width, L = k.lanes
        for i in 0..<run.count {
            let up = k.upstream(run, i)
            let a = Int(run.argumentBase) + 2 * i, p = Int(run.start) + i
            let x = k.argument(a, 0), y = k.argument(a, 1), v = k.output(p)
            let power = k.keptRowsOfLiveNode(Self.self, run, i), logA = power + L
            let gx = k.argumentSlot(a), gy = k.argumentSlot(a + 1)
            var c = 0
            while c < L {
                let u = V(loading: up + c), b = V(loading: y + c)
                (u * (b * V(loading: power + c))).store(to: gx + c)
                let pb = V.powExponentPartial(a: V(loading: x + c), b: b, value: V(loading: v + c), logA: V(loading: logA + c))
                (u * pb).store(to: gy + c)
                c += w
            }
        }
    }
}

/// `powc a c`: aᶜ for a number c. A live node's forward keeps a^(c−1) from the same logarithm
/// of a as its value.
enum PowcRule: OpRule {
    static let name = "powc"
    static let backwardReads: BackwardReads = []
    static let arity = Op.Arity.exactly(1)
    static let takesConstant = true
    static let kink = OpKink.signOfArgument(0)
    static let cost = OpCost(scalar: (120, 120), simd: (70, 80))
    static let keptRows = 1
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { ElementaryFunctions.pow(args[0], c) }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) {
        partials[0] = c * ElementaryFunctions.pow(args[0], c - 1)
    }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        for i in 0..<run.count {
            let c = k.plan.constants[Int(run.constantBase) + i], p = Int(run.start) + i
            if let kept = k.keptRows(Self.self, run, i) {
                ElementaryFunctions.powKeepingDerivative(k.argument(Int(run.argumentBase) + i, 0), c, k.output(p), d: kept, k.lanes)
            } else {
                ElementaryFunctions.pow(k.argument(Int(run.argumentBase) + i, 0), c, k.output(p), k.lanes)
            }
        }
    }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        let w = V.width, L = k.lanes
        for i in 0..<run.count {
            let up = k.upstream(run, i)
            let a = Int(run.argumentBase) + i
            let c = k.plan.constants[Int(run.constantBase) + i]
            let power = k.keptRowsOfLiveNode(Self.self, run, i)
            let g = k.argumentSlot(a), factor = V(broadcast: c)
            var j = 0
            while j < L { (V(loading: up + j) * (factor * V(loading: power + j))).store(to: g + j); j += w }
        }
    }
}

/// A one-argument op whose value is an elementary function: the scalar value and the forward
/// kernel both call ``function``, one element or a whole row at a time.
protocol RowFunctionRule: OpRule {
    /// The op's value over a row: `y[i] = f(x[i])` for `i < n`.
    static func function(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int)
}

extension RowFunctionRule {
    static var arity: Op.Arity { .exactly(1) }
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double {
        var y = 0.0
        function(args.baseAddress!, &y, 1)
        return y
    }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.row(run, function(_:_:_:)) }
}
