import Testing
@testable import CircuitGrad

@Suite struct PairwiseSumTests {
    @Test func smallTreesByHand() {
        #expect(PairwiseSum.sum([]) == 0)
        #expect(PairwiseSum.sum([5]) == 5)
        // ((1e16 + 1) + (-1e16 + 1)): the pairing is visible in the rounding.
        #expect(PairwiseSum.sum([1e16, 1, -1e16, 1]) == (1e16 + 1) + (-1e16 + 1))
        // Five elements: ((a+b)+(c+d)) + e.
        let v = [0.1, 0.2, 0.3, 0.4, 0.5]
        #expect(PairwiseSum.sum(v) == ((0.1 + 0.2) + (0.3 + 0.4)) + 0.5)
    }

    @Test(arguments: [1, 2, 4, 8, 16, 64])
    func blockSumsOfAlignedPowerOfTwoBlocksGiveTheSameBits(block: Int) {
        var g = SystemRandomNumberGenerator()
        for count in [1, 7, 8, 9, 100, 1000] {
            let v = (0..<count).map { _ in Double.random(in: -1...1, using: &g) * 1e8 }
            let whole = PairwiseSum.sum(v)
            let blockSums = stride(from: 0, to: count, by: block).map {
                PairwiseSum.sum(Array(v[$0..<Swift.min($0 + block, count)]))
            }
            #expect(PairwiseSum.sum(blockSums).bitPattern == whole.bitPattern)
        }
    }
}
