// Rules of the arithmetic ops: exact IEEE operations, vector kernels for every lane width.

/// `add a b …`: a + b + … left to right.
enum AddRule: OpRule {
    static let name = "add"
    static let backwardReads: BackwardReads = []
    static let arity = Op.Arity.atLeastTwo
    static let cost = OpCost(scalar: (10, 20), simd: (5, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double {
        var s = args[0]
        for i in 1..<args.count { s += args[i] }
        return s
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<args.count { partials[i] = 1 }
    }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.fold(run) { $0 + $1 } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.passThrough(run) }
}

/// `sub a b`: a − b.
enum SubRule: OpRule {
    static let name = "sub"
    static let backwardReads: BackwardReads = []
    static let arity = Op.Arity.exactly(2)
    static let cost = OpCost(scalar: (10, 20), simd: (5, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { args[0] - args[1] }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) {
        partials[0] = 1
        partials[1] = -1
    }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.binary(run) { $0 - $1 } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardBinary(run) { u, _, _ in (u * V(broadcast: 1), u * V(broadcast: -1)) }
    }
}

/// `mul a b …`: a · b · … left to right.
enum MulRule: OpRule {
    static let name = "mul"
    static let backwardReads: BackwardReads = .arguments
    static let arity = Op.Arity.atLeastTwo
    static let cost = OpCost(scalar: (13, 30), simd: (7, 14))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double {
        var p = args[0]
        for i in 1..<args.count { p *= args[i] }
        return p
    }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) {
        // Π over j ≠ i of a_j without dividing: prefix products times suffix products.
        let k = args.count
        var prefix = 1.0
        for i in 0..<k {
            partials[i] = prefix
            prefix *= args[i]
        }
        var suffix = 1.0
        for i in stride(from: k - 1, through: 0, by: -1) {
            partials[i] *= suffix
            suffix *= args[i]
        }
    }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.fold(run) { $0 * $1 } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        // Two arguments: the partials are (1·y, 1·x), and 1·a is a, so u·y and u·x.
        if run.arity == 2 {
            k.backwardBinary(run) { u, x, y in (u * y, u * x) }
        } else {
            k.backwardProductOfOthers(run)
        }
    }
}

/// `div a b`: a / b.
enum DivRule: OpRule {
    static let name = "div"
    static let backwardReads: BackwardReads = .arguments
    static let arity = Op.Arity.exactly(2)
    static let kink = OpKink.signOfArgument(1)
    static let cost = OpCost(scalar: (15, 40), simd: (7, 14))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { args[0] / args[1] }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) {
        partials[0] = 1 / args[1]
        partials[1] = -args[0] / (args[1] * args[1])
    }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.binary(run) { $0 / $1 } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardBinary(run) { u, x, y in (u * (V(broadcast: 1) / y), u * (x.negated() / (y * y))) }
    }
}

/// `neg a`: −a (the sign bit flipped, also at 0 and for NaN).
enum NegRule: OpRule {
    static let name = "neg"
    static let backwardReads: BackwardReads = []
    static let arity = Op.Arity.exactly(1)
    static let cost = OpCost(scalar: (10, 20), simd: (5, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { -args[0] }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = -1 }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.unary(run) { a, _ in a.negated() } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, _, _, _ in u * V(broadcast: -1) }
    }
}

/// `recip a`: 1 / a.
enum RecipRule: OpRule {
    static let name = "recip"
    static let backwardReads: BackwardReads = .arguments
    static let arity = Op.Arity.exactly(1)
    static let kink = OpKink.signOfArgument(0)
    static let cost = OpCost(scalar: (15, 40), simd: (7, 14))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { 1 / args[0] }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = -1 / (args[0] * args[0]) }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.unary(run) { a, _ in V(broadcast: 1) / a } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, x, _, _ in u * (V(broadcast: -1) / (x * x)) }
    }
}

/// `square a`: a · a.
enum SquareRule: OpRule {
    static let name = "square"
    static let backwardReads: BackwardReads = .arguments
    static let arity = Op.Arity.exactly(1)
    static let cost = OpCost(scalar: (10, 20), simd: (5, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { args[0] * args[0] }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = 2 * args[0] }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.unary(run) { a, _ in a * a } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, x, _, _ in u * (V(broadcast: 2) * x) }
    }
}

/// `scale a c`: c · a.
enum ScaleRule: OpRule {
    static let name = "scale"
    static let backwardReads: BackwardReads = []
    static let arity = Op.Arity.exactly(1)
    static let takesConstant = true
    static let cost = OpCost(scalar: (10, 20), simd: (5, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { c * args[0] }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = c }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.unary(run) { a, c in V(broadcast: c) * a } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, _, _, c in u * V(broadcast: c) }
    }
}

/// `offset a c`: a + c.
enum OffsetRule: OpRule {
    static let name = "offset"
    static let backwardReads: BackwardReads = []
    static let arity = Op.Arity.exactly(1)
    static let takesConstant = true
    static let cost = OpCost(scalar: (10, 20), simd: (5, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { args[0] + c }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = 1 }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.unary(run) { a, c in a + V(broadcast: c) } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.passThrough(run) }
}

/// `const c`: the number c, no wires.
enum ConstRule: OpRule {
    static let name = "const"
    static let backwardReads: BackwardReads = []
    static let arity = Op.Arity.exactly(0)
    static let takesConstant = true
    static let cost = OpCost(scalar: (5, 0), simd: (5, 0))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { c }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) {}
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.broadcastConstants(run) }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {}
}
