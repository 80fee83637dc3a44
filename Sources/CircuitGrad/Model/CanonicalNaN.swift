/// Every NaN that leaves an evaluator is the one quiet NaN, `0x7FF8_0000_0000_0000`.
///
/// Which NaN an operation on two NaNs returns is the processor's choice of operand, and the
/// compiler may swap the operands of a commutative operation differently in two builds or two
/// code paths (a scalar lane and a vector of eight), so the sign and payload of such a NaN are
/// not a property of the circuit. Results, gradients and second-order results are therefore
/// written through ``Swift/Double/canonicalizingNaN``: bit for bit equality then holds for NaNs
/// too, whatever the build, the path, the thread count or the lane block.
extension Double {
    /// This number, or `Double.nan` (positive, payload 0) when it is any NaN.
    @inline(__always) package var canonicalizingNaN: Double { isNaN ? .nan : self }
}

extension Array where Element == Double {
    /// Replaces every NaN by `Double.nan` (see ``Swift/Double/canonicalizingNaN``).
    package mutating func canonicalizeNaNs() {
        withUnsafeMutableBufferPointer { b in
            for i in b.indices where b[i].isNaN { b[i] = .nan }
        }
    }
}
