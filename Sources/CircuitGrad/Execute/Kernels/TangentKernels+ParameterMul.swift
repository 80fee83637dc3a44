/// The tangent kernels of the plan's fused parameter muls (``PlanOp/mulParameter(first:)``): the
/// parameter's tangent is 0, and its value is the run's number.
extension TangentKernels {
    /// Value tangents of ``LaneKernels/forwardMulParameter(_:parameterFirst:)``.
    func forwardMulParameter(_ run: NodeRun, parameterFirst first: Bool) {
        let start = Int(run.start), base = Int(run.argumentBase)
        let wire = first ? 1 : 0
        for i in 0..<run.count {
            let r = plan.argumentRow[base + 2 * i + wire]
            let x = row(values, r), tx = row(tangentValues, r)
            let p = plan.constants[Int(run.constantBase) + i]
            let out = nodeRow(tangentValues, start + i)
            // Partials (x, p) for (p·x), (p, x) for (x·p); the parameter's tangent is 0.
            let pv = V(broadcast: p), zero = V(broadcast: 0)
            if first {
                eachChunk { c in (load(x, c) * zero + pv * load(tx, c)).store(to: out + c) }
            } else {
                eachChunk { c in (pv * load(tx, c) + load(x, c) * zero).store(to: out + c) }
            }
        }
    }

    /// Gradient tangents of ``LaneKernels/backwardMulParameter(_:parameterFirst:)``.
    func backwardMulParameter(_ run: NodeRun, parameterFirst first: Bool) {
        let start = Int(run.start), base = Int(run.argumentBase)
        let wire = first ? 1 : 0
        for i in 0..<run.count {
            let du = upstreamTangent(run, i), u = row(slots, plan.upstreamRow[start + i])
            let a = base + 2 * i
            let r = plan.argumentRow[a + wire]
            let x = row(values, r), tx = row(tangentValues, r)
            let p = plan.constants[Int(run.constantBase) + i]
            let gWire = row(tangentSlots, plan.argumentSlotRow[a + wire])
            let gParameter = row(tangentSlots, plan.argumentSlotRow[a + 1 - wire])
            let pv = V(broadcast: p), zero = V(broadcast: 0)
            eachChunk { c in
                let d = load(du, c), uc = load(u, c)
                (d * load(x, c) + uc * load(tx, c)).store(to: gParameter + c)
                (d * pv + uc * zero).store(to: gWire + c)
            }
        }
    }
}
