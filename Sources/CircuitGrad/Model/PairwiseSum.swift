/// The one summation order CircuitGrad uses to sum per-sample parameter gradients
/// over a batch, so that the result does not depend on thread count or lane-block size.
///
/// The tree is fixed by the sample index alone: level by level, element `2i + 1` is
/// added to element `2i` (as `x[2i] + x[2i+1]`), and a last element without a partner
/// moves up unchanged. Any aligned block of `2^j` samples is a complete subtree, so an
/// engine may sum each block of `2^j` lanes first and then sum the block sums with the
/// same rule, and get the same bits as summing all samples at once.
package enum PairwiseSum {
    /// Sums the first `count` elements of `buffer` in the fixed tree order, using the
    /// buffer as scratch (its contents are destroyed). Returns 0 for `count == 0`.
    @inlinable
    package static func sumInPlace(_ buffer: UnsafeMutablePointer<Double>, count: Int) -> Double {
        if count == 0 { return 0 }
        var n = count
        while n > 1 {
            let pairs = n / 2
            for i in 0..<pairs { buffer[i] = buffer[2 * i] + buffer[2 * i + 1] }
            if n % 2 == 1 { buffer[pairs] = buffer[n - 1] }
            n = pairs + n % 2
        }
        return buffer[0]
    }

    /// Sums `values` in the fixed tree order.
    package static func sum(_ values: [Double]) -> Double {
        var scratch = values
        return scratch.withUnsafeMutableBufferPointer { sumInPlace($0.baseAddress!, count: $0.count) }
    }
}
