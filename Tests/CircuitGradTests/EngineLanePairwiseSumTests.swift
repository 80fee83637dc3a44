import Testing
@testable import CircuitGrad

/// The vectorised pairwise sums must give PairwiseSum's bits exactly.
@Suite struct EngineLanePairwiseSumTests {
    /// Values with very different magnitudes, so a different summation order would show.
    private func values(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let unit = Double(state >> 11) / Double(1 << 53)
            return (unit - 0.5) * Double(1 << (i % 40)) + 1e-3
        }
    }

    @Test(arguments: [8, 16, 32, 64, 128, 256])
    func laneSumEqualsPairwiseSum(lanes: Int) {
        var someOrderMatters = false
        for seed in 1...20 as ClosedRange<UInt64> {
            let row = values(lanes, seed: seed)
            let expected = PairwiseSum.sum(row)
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: lanes)
            defer { scratch.deallocate() }
            let got = row.withUnsafeBufferPointer { LanePairwiseSum.sum($0.baseAddress!, lanes: lanes, scratch: scratch) }
            #expect(got.bitPattern == expected.bitPattern)
            if row.reduce(0, +).bitPattern != expected.bitPattern { someOrderMatters = true }
        }
        // Left-to-right summation differs for some seed, so the data can tell orders apart.
        #expect(someOrderMatters)
    }

    @Test(arguments: [1, 2, 3, 5, 8, 13])
    func rowSumsEqualColumnPairwiseSums(count: Int) {
        let width = 7
        var rows = values(count * width, seed: UInt64(count))
        let expected = (0..<width).map { j in PairwiseSum.sum((0..<count).map { rows[$0 * width + j] }) }
        rows.withUnsafeMutableBufferPointer { LanePairwiseSum.sumRowsInPlace($0.baseAddress!, count: count, width: width) }
        for j in 0..<width { #expect(rows[j].bitPattern == expected[j].bitPattern) }
    }
}
