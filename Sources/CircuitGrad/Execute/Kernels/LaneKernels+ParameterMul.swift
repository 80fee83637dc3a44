/// The kernels of the plan's fused parameter muls (``PlanOp/mulParameter(first:)``): the
/// parameter is read as one number (``PlanTables/constants``) instead of a broadcast row.
extension LaneKernels {
    /// `mul` of a parameter (its value in `constants`) and a wire, in argument order.
    @inline(__always)
    func forwardMulParameter(_ run: NodeRun, parameterFirst: Bool) {
        let w = V.width, L = lanes
        let wireOffset = parameterFirst ? 1 : 0
        for i in 0..<run.count {
            let x = argument(Int(run.argumentBase) + 2 * i, wireOffset)
            let out = output(Int(run.start) + i)
            let k = V(broadcast: plan.constants[Int(run.constantBase) + i])
            var c = 0
            if parameterFirst {
                while c < L { (k * V(loading: x + c)).store(to: out + c); c += w }
            } else {
                while c < L { (V(loading: x + c) * k).store(to: out + c); c += w }
            }
        }
    }

    /// Backward of ``forwardMulParameter(_:parameterFirst:)``: the parameter's slot gets
    /// upstream × wire value, the wire's slot upstream × parameter (as for a plain `mul`).
    @inline(__always)
    func backwardMulParameter(_ run: NodeRun, parameterFirst: Bool) {
        let w = V.width, L = lanes
        let wirePosition = parameterFirst ? 1 : 0
        let sums = run.fusesParameter ? parameterSums : nil
        for i in 0..<run.count {
            let up = upstream(run, i)
            let a = Int(run.argumentBase) + 2 * i
            let x = argument(a, wirePosition)
            let gWire = argumentSlot(a + wirePosition), gParameter = argumentSlot(a + 1 - wirePosition)
            let k = V(broadcast: plan.constants[Int(run.constantBase) + i])
            var c = 0
            while c < L {
                let u = V(loading: up + c)
                (u * V(loading: x + c)).store(to: gParameter + c)
                (u * k).store(to: gWire + c)
                c += w
            }
            if let sums {
                let q = Int(plan.argumentRow[a + 1 - wirePosition]) - plan.inputCount
                sums[q] = LanePairwiseSum.sum(gParameter, lanes: L, scratch: laneScratch)
            }
        }
    }
}
