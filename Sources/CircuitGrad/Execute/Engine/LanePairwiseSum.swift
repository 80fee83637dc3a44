/// ``PairwiseSum``'s fixed tree, vectorised for the engine's two hot cases. Both give the
/// same bits as ``PairwiseSum/sumInPlace(_:count:)`` because they perform the very same
/// additions (`x[2i] + x[2i+1]`, level by level), only several at once.
enum LanePairwiseSum {
    /// Sum of the `lanes` doubles at `row` (`lanes` a power of two, at least 8) in the
    /// pairwise tree. `scratch` holds at least `lanes / 2` doubles; `row` is not changed.
    ///
    /// A level of the tree pairs neighbours, so for 16 values loaded as one `SIMD16`
    /// `evenHalf + oddHalf` is exactly the level's 8 sums in order.
    @inline(__always)
    static func sum(_ row: UnsafePointer<Double>, lanes: Int, scratch: UnsafeMutablePointer<Double>) -> Double {
        var source = row
        var n = lanes
        while n > 16 {
            var i = 0
            while i < n {
                let v = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<Double>.self)
                UnsafeMutableRawPointer(scratch + i / 2).storeBytes(of: v.evenHalf + v.oddHalf, as: SIMD8<Double>.self)
                i += 16
            }
            source = UnsafePointer(scratch)
            n /= 2
        }
        var v8: SIMD8<Double>
        if n == 16 {
            let v = UnsafeRawPointer(source).loadUnaligned(as: SIMD16<Double>.self)
            v8 = v.evenHalf + v.oddHalf
        } else {
            v8 = UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Double>.self)
        }
        let v4 = v8.evenHalf + v8.oddHalf
        let v2 = v4.evenHalf + v4.oddHalf
        return v2[0] + v2[1]
    }

    /// Sums `count` rows of `width` doubles each (row `b` at `rows + b * width`) column by
    /// column in the pairwise tree over the row index, leaving the sums in row 0.
    /// Column `j` gets exactly `PairwiseSum.sumInPlace` of its `count` entries.
    static func sumRowsInPlace(_ rows: UnsafeMutablePointer<Double>, count: Int, width: Int) {
        var n = count
        while n > 1 {
            let pairs = n / 2
            for i in 0..<pairs {
                let target = rows + i * width
                let a = rows + 2 * i * width, b = rows + (2 * i + 1) * width
                for j in 0..<width { target[j] = a[j] + b[j] }
            }
            if n % 2 == 1 {
                let target = rows + pairs * width, last = rows + (n - 1) * width
                for j in 0..<width { target[j] = last[j] }
            }
            n = pairs + n % 2
        }
    }
}
