/// The generators' pseudo-random numbers: **xoshiro256\*\*** (Blackman & Vigna, 2018) whose
/// 256-bit state is filled by four outputs of **SplitMix64** started at the seed.
///
/// Everything is integer arithmetic with wrapping operators, and doubles are made from
/// integer bits explicitly (``unit()``), so the same seed gives the same numbers on every
/// machine and every Swift version. It deliberately does not conform to
/// `RandomNumberGenerator`: the standard library's `random(in:using:)` algorithms are not
/// promised to stay the same, so generators must use the methods below.
package struct GeneratorRandom: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator whose state is four SplitMix64 outputs started at `seed`.
    /// `stream` picks an independent sequence for the same seed (the batch generator
    /// uses a different stream than the circuit generator).
    package init(seed: UInt64, stream: UInt64 = 0) {
        var splitMix = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        s0 = GeneratorRandom.splitMix64(&splitMix)
        s1 = GeneratorRandom.splitMix64(&splitMix)
        s2 = GeneratorRandom.splitMix64(&splitMix)
        s3 = GeneratorRandom.splitMix64(&splitMix)
    }

    /// A generator with the given xoshiro256\*\* state (not all zero); for checking against
    /// the published test vectors.
    package init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        (s0, s1, s2, s3) = state
    }

    /// One SplitMix64 step (Steele, Lea & Flood, 2014): advances `state` and returns the next output.
    package static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always) private static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// The next 64 random bits (one xoshiro256\*\* step).
    package mutating func next() -> UInt64 {
        let result = GeneratorRandom.rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = GeneratorRandom.rotateLeft(s3, 45)
        return result
    }

    /// A double in [0, 1): the top 53 bits of ``next()`` times 2⁻⁵³ (exact, no rounding).
    package mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A double in [`low`, `high`): `low + (high - low) * unit()`.
    package mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// An integer in `0..<bound` without bias (Lemire's multiply-and-reject method).
    package mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold { product = next().multipliedFullWidth(by: n) }
        }
        return Int(product.high)
    }

    /// Shuffles `values` in place (Fisher–Yates, from the last element down).
    package mutating func shuffle<T>(_ values: inout [T]) {
        var i = values.count - 1
        while i > 0 {
            let j = index(below: i + 1)
            values.swapAt(i, j)
            i -= 1
        }
    }
}
