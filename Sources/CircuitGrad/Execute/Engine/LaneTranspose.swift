/// The engine's two transposes: samples (one row of numbers per sample) into lane rows (one row
/// of `lanes` numbers per wire) before the sweeps, and lane rows back into samples after them.
///
/// Both work on squares of 8 wires × 8 lanes: eight contiguous loads, a transpose in registers,
/// eight contiguous stores, so a wide circuit's inputs move near memory speed. What does not fill
/// a square (the last wires, blocks of one lane) goes one number at a time. Only copies: the bits
/// are the same whichever path a number takes.
enum LaneTranspose {
    /// `lanes[i * laneStride + l] = samples[l][i]` for every wire `i < count` and lane `l < laneCount`.
    static func samplesToLanes(_ samples: UnsafePointer<UnsafePointer<Double>>, laneCount: Int, count: Int,
                               into lanes: UnsafeMutablePointer<Double>, laneStride: Int) {
        var l0 = 0
        while l0 + 8 <= laneCount {
            var i = 0
            while i + 8 <= count {
                var m = Square(loading: { k in UnsafeRawPointer(samples[l0 + k] + i) })
                m.transpose()
                m.store { k in UnsafeMutableRawPointer(lanes + (i + k) * laneStride + l0) }
                i += 8
            }
            for l in l0..<(l0 + 8) {
                let row = samples[l]
                for j in i..<count { lanes[j * laneStride + l] = row[j] }
            }
            l0 += 8
        }
        for l in l0..<laneCount {
            let row = samples[l]
            for i in 0..<count { lanes[i * laneStride + l] = row[i] }
        }
    }

    /// `samples[l][i] = lanes[rows[i] * laneStride + l]` for every wire `i < count` and lane
    /// `l < laneCount`, every NaN written as the canonical one (``Swift/Double/canonicalizingNaN``).
    static func lanesToSamples(_ lanes: UnsafePointer<Double>, rows: UnsafePointer<Int32>, laneStride: Int,
                               laneCount: Int, count: Int, into samples: UnsafePointer<UnsafeMutablePointer<Double>>) {
        var l0 = 0
        while l0 + 8 <= laneCount {
            var i = 0
            while i + 8 <= count {
                var m = Square(loading: { k in UnsafeRawPointer(lanes + Int(rows[i + k]) * laneStride + l0) })
                m.transpose()
                m.canonicalizeNaNs()
                m.store { k in UnsafeMutableRawPointer(samples[l0 + k] + i) }
                i += 8
            }
            for l in l0..<(l0 + 8) {
                let out = samples[l]
                for j in i..<count { out[j] = lanes[Int(rows[j]) * laneStride + l].canonicalizingNaN }
            }
            l0 += 8
        }
        for l in l0..<laneCount {
            let out = samples[l]
            for i in 0..<count { out[i] = lanes[Int(rows[i]) * laneStride + l].canonicalizingNaN }
        }
    }

    /// Eight rows of eight numbers.
    private struct Square {
        var r0, r1, r2, r3, r4, r5, r6, r7: SIMD8<Double>

        @inline(__always)
        init(loading row: (Int) -> UnsafeRawPointer) {
            r0 = row(0).loadUnaligned(as: SIMD8<Double>.self); r1 = row(1).loadUnaligned(as: SIMD8<Double>.self)
            r2 = row(2).loadUnaligned(as: SIMD8<Double>.self); r3 = row(3).loadUnaligned(as: SIMD8<Double>.self)
            r4 = row(4).loadUnaligned(as: SIMD8<Double>.self); r5 = row(5).loadUnaligned(as: SIMD8<Double>.self)
            r6 = row(6).loadUnaligned(as: SIMD8<Double>.self); r7 = row(7).loadUnaligned(as: SIMD8<Double>.self)
        }

        @inline(__always)
        func store(_ row: (Int) -> UnsafeMutableRawPointer) {
            row(0).storeBytes(of: r0, as: SIMD8<Double>.self); row(1).storeBytes(of: r1, as: SIMD8<Double>.self)
            row(2).storeBytes(of: r2, as: SIMD8<Double>.self); row(3).storeBytes(of: r3, as: SIMD8<Double>.self)
            row(4).storeBytes(of: r4, as: SIMD8<Double>.self); row(5).storeBytes(of: r5, as: SIMD8<Double>.self)
            row(6).storeBytes(of: r6, as: SIMD8<Double>.self); row(7).storeBytes(of: r7, as: SIMD8<Double>.self)
        }

        /// Row r, column c goes to row c, column r. One `unzip` rotates the six bits of an
        /// element's (row, column) index right by one; three rotations swap row and column.
        @inline(__always)
        mutating func transpose() { unzip(); unzip(); unzip() }

        /// Rows 2k and 2k+1 become row k (their even columns) and row k+4 (their odd columns).
        @inline(__always)
        private mutating func unzip() {
            let p0 = SIMD16(lowHalf: r0, highHalf: r1), p1 = SIMD16(lowHalf: r2, highHalf: r3)
            let p2 = SIMD16(lowHalf: r4, highHalf: r5), p3 = SIMD16(lowHalf: r6, highHalf: r7)
            r0 = p0.evenHalf; r1 = p1.evenHalf; r2 = p2.evenHalf; r3 = p3.evenHalf
            r4 = p0.oddHalf; r5 = p1.oddHalf; r6 = p2.oddHalf; r7 = p3.oddHalf
        }

        @inline(__always)
        mutating func canonicalizeNaNs() {
            @inline(__always) func c(_ v: SIMD8<Double>) -> SIMD8<Double> { v.replacing(with: .nan, where: v .!= v) }
            r0 = c(r0); r1 = c(r1); r2 = c(r2); r3 = c(r3); r4 = c(r4); r5 = c(r5); r6 = c(r6); r7 = c(r7)
        }
    }
}
