import Testing
@testable import CircuitGrad

@Suite("GeneratorRandom")
struct GeneratorRandomTests {
    @Test("xoshiro256** reproduces the published outputs from state (1, 2, 3, 4)")
    func publishedXoshiroVector() {
        // The reference implementation's outputs (Blackman & Vigna's xoshiro256starstar.c), as
        // quoted in the test suites of its ports (e.g. Rust's rand_xoshiro).
        var random = GeneratorRandom(state: (1, 2, 3, 4))
        let expected: [UInt64] = [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
                                  607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832,
                                  10_595_114_339_597_558_777, 2_904_607_092_377_533_576]
        #expect((0..<10).map { _ in random.next() } == expected)
    }

    @Test("SplitMix64 reproduces its published first outputs from 0")
    func publishedSplitMixVector() {
        var state: UInt64 = 0
        let outputs = (0..<4).map { _ in GeneratorRandom.splitMix64(&state) }
        #expect(outputs == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC])
    }

    @Test("The state is seeded with four SplitMix64 outputs of the seed")
    func seedingUsesSplitMix() {
        var state: UInt64 = 12345
        let words = (0..<4).map { _ in GeneratorRandom.splitMix64(&state) }
        var seeded = GeneratorRandom(seed: 12345)
        var direct = GeneratorRandom(state: (words[0], words[1], words[2], words[3]))
        #expect((0..<8).map { _ in seeded.next() } == (0..<8).map { _ in direct.next() })
    }

    @Test("Same seed, same numbers; another seed or stream, other numbers")
    func determinism() {
        var a = GeneratorRandom(seed: 7), b = GeneratorRandom(seed: 7)
        var c = GeneratorRandom(seed: 8), d = GeneratorRandom(seed: 7, stream: 1)
        let sa = (0..<16).map { _ in a.next() }
        #expect(sa == (0..<16).map { _ in b.next() })
        #expect(sa != (0..<16).map { _ in c.next() })
        #expect(sa != (0..<16).map { _ in d.next() })
    }

    @Test("unit() is the top 53 bits scaled by 2^-53")
    func unitFromBits() {
        var a = GeneratorRandom(seed: 99), b = GeneratorRandom(seed: 99)
        for _ in 0..<1000 {
            let bits = a.next()
            let u = b.unit()
            #expect(u == Double(bits >> 11) / 9_007_199_254_740_992)
            #expect(u >= 0 && u < 1)
        }
    }

    @Test("index(below:) stays below the bound and reaches every value")
    func indexBelow() {
        var random = GeneratorRandom(seed: 3)
        var seen = [Int](repeating: 0, count: 7)
        for _ in 0..<7000 { seen[random.index(below: 7)] += 1 }
        #expect(seen.allSatisfy { $0 > 800 && $0 < 1200 })
        #expect(random.index(below: 1) == 0)
    }

    @Test("shuffle gives a permutation")
    func shuffleIsPermutation() {
        var random = GeneratorRandom(seed: 5)
        var values = Array(0..<100)
        random.shuffle(&values)
        #expect(values != Array(0..<100))
        #expect(values.sorted() == Array(0..<100))
    }

    @Test("Op mixes parse, draw in proportion and reject bad text")
    func opMix() throws {
        let mix = try OpMix(parsing: "add:3, mul:1")
        #expect(mix.description == "add:3,mul:1")
        var random = GeneratorRandom(seed: 11)
        var adds = 0
        for _ in 0..<4000 where mix.draw(&random) == .add { adds += 1 }
        #expect(adds > 2800 && adds < 3200)
        #expect(try OpMix(parsing: "sin").entries.map(\.weight) == [1])
        #expect(throws: GeneratorError.self) { try OpMix(parsing: "frob:2") }
        #expect(throws: GeneratorError.self) { try OpMix(parsing: "add:0") }
        #expect(throws: GeneratorError.self) { try OpMix(parsing: "add:x") }
        #expect(throws: GeneratorError.self) { try OpMix(parsing: "add,add") }
        #expect(throws: GeneratorError.self) { try OpMix(parsing: "") }
    }
}
