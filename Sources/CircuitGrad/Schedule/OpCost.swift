/// What one node costs per lane, forward and backward, for cutting a level into equal shares
/// and for deciding whether a level is worth a barrier.
///
/// Units are tenths of a nanosecond per lane, measured with `circuitgrad bench` on one-op
/// layered circuits (2-core Xeon, release build; only the ratios matter). Blocks of one lane
/// run the scalar kernels; wider blocks run `SIMD8` kernels, where arithmetic gets cheaper per
/// lane but libm calls (one per lane) do not, so the two tables differ.
enum OpCost {
    /// Forward cost of plan op `code` per lane.
    static func forward(_ code: UInt8, lanes: Int) -> Int {
        let op = ExecutionPlan.circuitOp(code)
        return lanes == 1 ? scalarForward(op) : simdForward(op)
    }

    /// Backward cost of plan op `code` per lane (upstream sums included on average).
    static func backward(_ code: UInt8, lanes: Int) -> Int {
        let op = ExecutionPlan.circuitOp(code)
        if op == .const { return 0 }
        return lanes == 1 ? scalarBackward(op) : simdBackward(op)
    }

    private static func scalarForward(_ op: Op) -> Int {
        switch op {
        case .add, .sub, .neg, .scale, .offset, .square, .relu, .abs: 10
        case .const: 5
        case .mul: 13
        case .div, .recip, .max, .min: 15
        case .sqrt: 20
        case .exp, .log: 40
        case .sigmoid: 50
        case .sin, .cos: 55
        case .tanh: 90
        case .pow, .powc: 200
        }
    }

    private static func scalarBackward(_ op: Op) -> Int {
        switch op {
        case .add, .sub, .neg, .scale, .offset, .square, .relu, .abs: 20
        case .const: 0
        case .mul, .sqrt: 30
        case .div, .recip, .log: 40
        case .exp, .tanh, .sigmoid: 20
        case .sin, .cos: 65
        case .max, .min: 90
        case .pow, .powc: 400
        }
    }

    private static func simdForward(_ op: Op) -> Int {
        switch op {
        case .add, .sub, .neg, .scale, .offset, .square, .const: 5
        case .mul, .div, .recip: 7
        case .sqrt: 10
        case .log: 20
        case .exp: 26
        case .relu, .abs: 8
        case .max, .min: 40
        case .sin, .cos, .sigmoid: 50
        case .tanh: 90
        case .pow, .powc: 250
        }
    }

    private static func simdBackward(_ op: Op) -> Int {
        switch op {
        case .add, .sub, .neg, .scale, .offset, .square, .exp, .log, .sqrt, .tanh, .sigmoid: 10
        case .const: 0
        case .mul, .div, .recip: 14
        case .relu, .abs: 12
        case .sin, .cos: 60
        case .max, .min: 60
        case .pow, .powc: 450
        }
    }
}
