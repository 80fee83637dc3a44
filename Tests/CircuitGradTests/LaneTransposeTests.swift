import Testing
@testable import CircuitGrad

/// The register transposes must move every number to the place a plain double loop puts it,
/// bits included, for every shape: whole 8 × 8 squares, ragged wire tails and lane tails.
@Suite struct LaneTransposeTests {
    /// Distinct bit patterns, NaNs with payloads and signed zeros among them.
    private func number(_ k: Int) -> Double {
        switch k % 11 {
        case 3: return -0.0
        case 5: return Double(bitPattern: 0x7FF0_0000_0000_0000 | UInt64(k + 1))   // signalling NaN, payload k + 1
        case 7: return Double(bitPattern: 0xFFF8_0000_0000_0000 | UInt64(k))       // negative quiet NaN
        default: return Double(k) * 1.25 - 7
        }
    }

    @Test(arguments: [1, 3, 7, 8, 9, 16, 17, 32])
    func samplesToLanesMatchesTheDoubleLoop(laneCount: Int) {
        for count in [0, 1, 5, 8, 9, 15, 16, 23] {
            let stride = laneCount + 2
            let samples = (0..<laneCount).map { l in (0..<count).map { i in number(l * 1000 + i) } }
            var lanes = [Double](repeating: 99, count: max(count, 1) * stride)
            let pointers = samples.map { row in
                let p = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
                p.initialize(from: row, count: count)
                return UnsafePointer(p)
            }
            defer { pointers.forEach { $0.deallocate() } }
            pointers.withUnsafeBufferPointer { rows in
                lanes.withUnsafeMutableBufferPointer {
                    LaneTranspose.samplesToLanes(rows.baseAddress!, laneCount: laneCount, count: count,
                                                 into: $0.baseAddress!, laneStride: stride)
                }
            }
            for i in 0..<count {
                for l in 0..<stride {
                    let expected = l < laneCount ? samples[l][i] : 99
                    #expect(lanes[i * stride + l].bitPattern == expected.bitPattern, "wire \(i) lane \(l) of \(laneCount)×\(count)")
                }
            }
        }
    }

    @Test(arguments: [1, 3, 7, 8, 9, 16, 17, 32])
    func lanesToSamplesMatchesTheDoubleLoopWithCanonicalNaNs(laneCount: Int) {
        for count in [0, 1, 5, 8, 9, 15, 16, 23] {
            let stride = laneCount + 3
            let rowCount = count + 4
            let lanes = (0..<(rowCount * stride)).map(number)
            // Rows out of order and one row read twice, as gradient rows are.
            let rows: [Int32] = (0..<count).map { i in Int32((i * 5 + 2) % rowCount) }
            let outputs = (0..<laneCount).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: count + 1) }
            defer { outputs.forEach { $0.deallocate() } }
            for p in outputs { p[count] = 42 }
            lanes.withUnsafeBufferPointer { source in
                rows.withUnsafeBufferPointer { rowPointer in
                    outputs.withUnsafeBufferPointer { out in
                        LaneTranspose.lanesToSamples(source.baseAddress!, rows: rowPointer.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                                     laneStride: stride, laneCount: laneCount, count: count,
                                                     into: UnsafePointer(out.baseAddress!))
                    }
                }
            }
            for l in 0..<laneCount {
                for i in 0..<count {
                    let raw = lanes[Int(rows[i]) * stride + l]
                    let expected = raw.isNaN ? Double.nan : raw
                    #expect(outputs[l][i].bitPattern == expected.bitPattern, "lane \(l) wire \(i) of \(laneCount)×\(count)")
                }
                #expect(outputs[l][count] == 42, "nothing written past the row")
            }
        }
    }
}
