/// What one node of an op costs per lane, forward and backward, for cutting a level into equal
/// shares and for deciding whether a level is worth a barrier. Each op states its own in its
/// ``OpRule``.
///
/// Units are tenths of a nanosecond per lane, measured with `circuitgrad bench` on one-op
/// layered circuits (2-core Xeon, release build; only the ratios matter). Blocks of one lane
/// run the scalar kernels; wider blocks run `SIMD8` kernels and whole-row SLEEF calls, where
/// everything gets cheaper per lane, so the two pairs differ.
struct OpCost {
    /// Forward and backward per lane on blocks of one lane.
    let scalar: (forward: Int, backward: Int)
    /// Forward and backward per lane on blocks of 8·k lanes.
    let simd: (forward: Int, backward: Int)

    /// Forward cost of plan op `op` per lane.
    static func forward(_ op: PlanOp, lanes: Int) -> Int {
        let c = table[Int(op.circuitOp.rawValue)]
        return lanes == 1 ? c.scalar.forward : c.simd.forward
    }

    /// Backward cost of plan op `op` per lane (upstream sums included on average).
    static func backward(_ op: PlanOp, lanes: Int) -> Int {
        let c = table[Int(op.circuitOp.rawValue)]
        return lanes == 1 ? c.scalar.backward : c.simd.backward
    }

    private static let table: [OpCost] = Op.allCases.map { $0.rule.cost }
}
