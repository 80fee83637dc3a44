// Rules of the ops with kinks: selections and sign-bit operations, exact for every lane width.

/// `relu a`: max(a, 0); NaN stays NaN.
enum ReluRule: OpRule {
    static let name = "relu"
    static let backwardReads: BackwardReads = .arguments
    static let arity = Op.Arity.exactly(1)
    static let kink = OpKink.signOfArgument(0)
    static let cost = OpCost(scalar: (10, 20), simd: (6, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { Op.relu(args[0]) }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = args[0] > 0 ? 1 : 0 }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) { k.unary(run) { a, _ in a.relu() } }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, x, _, _ in u * x.positiveStep() }
    }
}

/// `abs a`: |a| (the sign bit cleared).
enum AbsRule: OpRule {
    static let name = "abs"
    static let backwardReads: BackwardReads = .arguments
    static let arity = Op.Arity.exactly(1)
    static let kink = OpKink.signOfArgument(0)
    static let cost = OpCost(scalar: (10, 20), simd: (5, 10))
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { Swift.abs(args[0]) }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) { partials[0] = Op.sign(args[0]) }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.unary(run) { a, _ in a.magnitudeOfLanes() }
    }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        k.backwardUnary(run) { u, x, _, _ in u * x.signOfLanes() }
    }
}

/// `max a b …`: the first largest argument; NaN as soon as one is NaN. Ties share the gradient.
enum MaxRule: ExtremeRule {
    static let name = "max"
    static let greater = true
}

/// `min a b …`: the first smallest argument; NaN as soon as one is NaN. Ties share the gradient.
enum MinRule: ExtremeRule {
    static let name = "min"
    static let greater = false
}

/// What `max` and `min` share: all but the direction of the comparison.
protocol ExtremeRule: OpRule {
    /// Whether the rule keeps the larger argument.
    static var greater: Bool { get }
}

extension ExtremeRule {
    static var arity: Op.Arity { .atLeastTwo }
    static var kink: OpKink { .tiesWithValue }
    static var cost: OpCost { OpCost(scalar: (15, 90), simd: (8, 14)) }
    static var backwardReads: BackwardReads { [.arguments, .value] }
    static func value(_ args: UnsafeBufferPointer<Double>, constant c: Double) -> Double { Op.extreme(args, greater: greater) }
    static func partials(_ args: UnsafeBufferPointer<Double>, value v: Double, constant c: Double,
                         into partials: UnsafeMutableBufferPointer<Double>) {
        // Ties share equally, counted per argument position. A NaN extreme equals no argument,
        // so every partial is 0 (the value is NaN anyway).
        var ties = 0
        for i in 0..<args.count where args[i] == v { ties += 1 }
        let share = ties == 0 ? 0 : 1 / Double(ties)
        for i in 0..<args.count { partials[i] = args[i] == v ? share : 0 }
    }
    @inline(__always) static func forward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        // The first extreme of many is the left fold of the first extreme of two.
        k.fold(run) { V.extreme($0, $1, greater: greater) }
    }
    @inline(__always) static func backward<V: LaneChunk>(_ k: LaneKernels<V>, _ run: NodeRun) {
        if run.arity == 2 {
            k.backwardBinaryWithValue(run) { u, x, y, v in
                let (px, py) = V.extremePartials(x, y, value: v)
                return (u * px, u * py)
            }
        } else {
            k.backwardTiesShare(run)
        }
    }
}
