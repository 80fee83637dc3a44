import Glibc
import Testing
@testable import CircuitGrad

/// The SLEEF row functions: every vector width this CPU runs gives, at every position of rows of
/// any length, the bits of the one-element path the reference uses; IEEE special values are
/// exact; finite results stay within 2 ULP of glibc (each is within 1 ULP of the truth).
@Suite(.serialized) struct ElementaryFunctionsTests {
    typealias Row = @Sendable (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void

    static let unary: [(name: String, row: Row, scalar: @Sendable (Double) -> Double, glibc: @Sendable (Double) -> Double)] = [
        ("exp", ElementaryFunctions.exp, ElementaryFunctions.exp, Glibc.exp),
        ("log", ElementaryFunctions.log, ElementaryFunctions.log, Glibc.log),
        ("sin", ElementaryFunctions.sin, ElementaryFunctions.sin, Glibc.sin),
        ("cos", ElementaryFunctions.cos, ElementaryFunctions.cos, Glibc.cos),
        ("tanh", ElementaryFunctions.tanh, ElementaryFunctions.tanh, Glibc.tanh),
        ("sigmoid", ElementaryFunctions.sigmoid, ElementaryFunctions.sigmoid, { 1 / (1 + Glibc.exp(-$0)) }),
    ]

    /// ±0, subnormals, ±inf, NaN of both signs, huge arguments, exp's overflow and underflow edges, …
    static let edges: [Double] = [
        0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude / 4,
        .infinity, -.infinity, .nan, -Double.nan, 1e300, -1e300, 1e22, .greatestFiniteMagnitude,
        709.78271114955, 709.79, -708.39641853226408, -745.1332191019411, -746, 1, -1, 0.5, 2, -2,
        3.141592653589793, 1e-8, -1e-300, 20, -20, 37, 710, 1e6, 2.5e15,
    ]

    /// Edge cases and spread-out values, in rows of 1, 7, 9 and 64 (every position of a chunk, tails).
    static let inputs: [Double] = {
        var g = GeneratorRandom(seed: 11)
        var xs = edges
        for _ in 0..<200 { xs.append(Double.random(in: -40...40, using: &g)) }
        for _ in 0..<50 { xs.append(Double.random(in: -1e6...1e6, using: &g)) }
        return xs
    }()

    static func sameBits(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }

    /// Runs `body` once per vector width this CPU runs (8, 4, 2, 1), restoring the start-up choice.
    static func forEachWidth(_ body: (Int) -> Void) {
        for w in [8, 4, 2, 1] where ElementaryFunctions.forceWidth(w) { body(w) }
        _ = ElementaryFunctions.forceWidth(0)
    }

    @Test func rowsOfEveryWidthAndLengthMatchTheScalarPath() {
        #expect(ElementaryFunctions.usesFMA, "this machine should run the FMA family")
        for f in Self.unary {
            let expected = Self.inputs.map(f.scalar)
            Self.forEachWidth { width in
                for length in [1, 7, 9, 64] {
                    var out = [Double](repeating: 0, count: Self.inputs.count)
                    var start = 0
                    while start < Self.inputs.count {
                        let n = min(length, Self.inputs.count - start)
                        Self.inputs.withUnsafeBufferPointer { x in
                            out.withUnsafeMutableBufferPointer { y in f.row(x.baseAddress! + start, y.baseAddress! + start, n) }
                        }
                        start += n
                    }
                    for (i, x) in Self.inputs.enumerated() where !Self.sameBits(out[i], expected[i]) {
                        Issue.record("\(f.name)(\(x)) width \(width) rows of \(length): \(out[i]) vs scalar \(expected[i])")
                    }
                }
            }
        }
    }

    /// The square-root rows give Swift's scalar `squareRoot()` bit for bit at every position of
    /// rows of every length (-0 stays -0, a negative argument gives the CPU's default NaN, a NaN
    /// comes back quieted), on edges, subnormals and spread-out values.
    @Test func squareRootRowsMatchTheScalarSquareRoot() {
        var xs = Self.inputs
        var g = GeneratorRandom(seed: 12)
        for _ in 0..<100 { xs.append(Double.random(in: 0...1e-300, using: &g)) }
        for length in [1, 3, 7, 9, 16, 64, xs.count] {
            for start in stride(from: 0, to: xs.count, by: length) {
                let row = Array(xs[start..<min(start + length, xs.count)])
                var out = [Double](repeating: 0, count: row.count)
                ElementaryFunctions.sqrt(row, &out, row.count)
                for (x, y) in zip(row, out) {
                    #expect(Self.sameBits(y, x.squareRoot()), "sqrt(\(x)) in a row of \(row.count): \(y) vs \(x.squareRoot())")
                }
            }
        }
    }

    @Test func powRowsMatchTheScalarPath() {
        let bases: [Double] = [0, -0.0, 1, -1, 2, -2, 0.5, .infinity, -.infinity, .nan, Double.leastNormalMagnitude / 64, 3, -8, 1e300]
        let exponents: [Double] = [0, -0.0, 1, -1, 2, 3, -3, 0.5, -0.5, .infinity, -.infinity, .nan, 1e10, 1.5]
        var a: [Double] = [], b: [Double] = []
        for x in bases { for y in exponents { a.append(x); b.append(y) } }
        let expected = zip(a, b).map { ElementaryFunctions.pow($0, $1) }
        Self.forEachWidth { width in
            for length in [1, 7, 9, 64] {
                var out = [Double](repeating: 0, count: a.count)
                var start = 0
                while start < a.count {
                    let n = min(length, a.count - start)
                    a.withUnsafeBufferPointer { x in
                        b.withUnsafeBufferPointer { e in
                            out.withUnsafeMutableBufferPointer { y in
                                ElementaryFunctions.pow(x.baseAddress! + start, e.baseAddress! + start, y.baseAddress! + start, n)
                            }
                        }
                    }
                    start += n
                }
                for i in a.indices where !Self.sameBits(out[i], expected[i]) {
                    Issue.record("pow(\(a[i]), \(b[i])) width \(width) rows of \(length): \(out[i]) vs scalar \(expected[i])")
                }
            }
            // powc (a number exponent) is pow with a broadcast exponent.
            var out = [Double](repeating: 0, count: bases.count)
            for c in exponents {
                bases.withUnsafeBufferPointer { x in
                    out.withUnsafeMutableBufferPointer { y in ElementaryFunctions.pow(x.baseAddress!, c, y.baseAddress!, bases.count) }
                }
                for (i, x) in bases.enumerated() where !Self.sameBits(out[i], ElementaryFunctions.pow(x, c)) {
                    Issue.record("powc(\(x), \(c)) width \(width): \(out[i])")
                }
            }
        }
    }

    /// 4,000 (a, b) pairs for pow: the circuits' range, both sides of the fast path's edge, bases
    /// near 1 with large exponents, special bases and exponents, negative bases.
    static func mixedPowArguments() -> (a: [Double], b: [Double]) {
        var g = GeneratorRandom(seed: 29)
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, -Double.nan, .leastNonzeroMagnitude,
                                  .leastNormalMagnitude / 4, -1, -2.5, 1, 2]
        var a: [Double] = [], b: [Double] = []
        for k in 0..<4000 {
            switch k % 8 {
            case 0, 1, 2:   // the circuits' range
                a.append(Double.random(in: 1...3, using: &g)); b.append(Double.random(in: -1...1.5, using: &g))
            case 3:   // wide bases, products near and past the fast path's edge (|b·ln a| ≤ 708)
                let x = Glibc.exp(Double.random(in: -700...700, using: &g))
                a.append(x); b.append(Double.random(in: -720...720, using: &g) / Glibc.log(x))
            case 4:   // bases near 1, large exponents
                a.append(1 + Double.random(in: -1e-3...1e-3, using: &g)); b.append(Double.random(in: -1e6...1e6, using: &g))
            case 5:   // a special base
                a.append(specials.randomElement(using: &g)!); b.append(Double.random(in: -4...4, using: &g))
            case 6:   // a special exponent
                a.append(Double.random(in: 0.1...4, using: &g)); b.append(specials.randomElement(using: &g)!)
            default:   // integer exponents, negative bases
                a.append(-Double.random(in: 0.1...10, using: &g)); b.append(Double(Int.random(in: -30...30, using: &g)))
            }
        }
        return (a, b)
    }

    /// pow's own fast path and SLEEF's pow (lanes outside it) meet in one row: every width gives
    /// the same bits for every lane, and a lane's bits do not depend on its neighbours (each
    /// element alone gives them too).
    @Test func powWidthsAgreeOnRowsMixingFastAndSpecialLanes() {
        let (a, b) = Self.mixedPowArguments()
        func row() -> [Double] {
            var out = [Double](repeating: 0, count: a.count)
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { e in
                    out.withUnsafeMutableBufferPointer { y in ElementaryFunctions.pow(x.baseAddress!, e.baseAddress!, y.baseAddress!, a.count) }
                }
            }
            return out
        }
        var first: (width: Int, out: [Double])?
        Self.forEachWidth { width in
            let out = row()
            if let first {
                for i in a.indices where !Self.sameBits(out[i], first.out[i]) {
                    Issue.record("pow(\(a[i]), \(b[i])) width \(width): \(out[i]) vs width \(first.width): \(first.out[i])")
                }
            } else {
                first = (width, out)
            }
            for i in stride(from: 0, to: a.count, by: 7) where !Self.sameBits(out[i], ElementaryFunctions.pow(a[i], b[i])) {
                Issue.record("pow(\(a[i]), \(b[i])) width \(width): \(out[i]) in a row, \(ElementaryFunctions.pow(a[i], b[i])) alone")
            }
        }
        #expect(first != nil)
    }

    /// sin and cos from one call (what a live `sin` or `cos` node's forward runs) give, at every
    /// width, every position and in rows with a partial last chunk, the bits of the separate rows.
    @Test func sinCosGivesTheBitsOfSinAndCos() {
        let xs = Self.inputs
        for n in [1, 7, 9, xs.count] {
            Self.forEachWidth { width in
                var s = [Double](repeating: 0, count: n), c = s, s1 = s, c1 = s
                xs.withUnsafeBufferPointer { x in
                    ElementaryFunctions.sinCos(x.baseAddress!, sin: &s, cos: &c, n)
                    ElementaryFunctions.sin(x.baseAddress!, &s1, n)
                    ElementaryFunctions.cos(x.baseAddress!, &c1, n)
                }
                for i in 0..<n where !Self.sameBits(s[i], s1[i]) || !Self.sameBits(c[i], c1[i]) {
                    Issue.record("width \(width), n \(n), x = \(xs[i]): sincos (\(s[i]), \(c[i])), apart (\(s1[i]), \(c1[i]))")
                }
            }
        }
    }

    /// pow with its derivatives' rows (one log of a for a^b, a^(b−1) and ln a) gives, at every
    /// width and in a row whose last chunk is partial, the bits of the separate calls the
    /// reference makes; powc's likewise; and pow's log of a is within 1 ULP of glibc's log.
    @Test func powKeepingDerivativesGivesTheBitsOfTheSeparateCalls() {
        let (a, b) = Self.mixedPowArguments()
        let n = a.count - 3
        let bMinusOne = b.map { $0 - 1 }
        func rows(_ body: (UnsafePointer<Double>, UnsafePointer<Double>, UnsafePointer<Double>,
                           UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void)
            -> (y: [Double], d: [Double], l: [Double]) {
            var y = [Double](repeating: 0, count: n), d = y, l = y
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { e in
                    bMinusOne.withUnsafeBufferPointer { e1 in
                        y.withUnsafeMutableBufferPointer { yp in
                            d.withUnsafeMutableBufferPointer { dp in
                                l.withUnsafeMutableBufferPointer { lp in
                                    body(x.baseAddress!, e.baseAddress!, e1.baseAddress!, yp.baseAddress!, dp.baseAddress!, lp.baseAddress!)
                                }
                            }
                        }
                    }
                }
            }
            return (y, d, l)
        }
        Self.forEachWidth { width in
            let kept = rows { x, e, _, y, d, l in ElementaryFunctions.powKeepingDerivatives(x, e, y, d: d, l: l, n) }
            let apart = rows { x, e, e1, y, d, l in
                ElementaryFunctions.pow(x, e, y, n)
                ElementaryFunctions.pow(x, e1, d, n)
                ElementaryFunctions.powLog(x, l, n)
            }
            for (name, got, want) in [("a^b", kept.y, apart.y), ("a^(b-1)", kept.d, apart.d), ("ln a", kept.l, apart.l)] {
                for i in 0..<n where !Self.sameBits(got[i], want[i]) {
                    Issue.record("width \(width), \(name) at (\(a[i]), \(b[i])): \(got[i]) kept, \(want[i]) apart")
                }
            }
            for c in [1.5, -0.5, 3.0] {
                let keptc = rows { x, _, _, y, d, _ in ElementaryFunctions.powKeepingDerivative(x, c, y, d: d, n) }
                let apartc = rows { x, _, _, y, d, _ in
                    ElementaryFunctions.pow(x, c, y, n)
                    ElementaryFunctions.pow(x, c - 1, d, n)
                }
                for i in 0..<n where !Self.sameBits(keptc.y[i], apartc.y[i]) || !Self.sameBits(keptc.d[i], apartc.d[i]) {
                    Issue.record("width \(width), powc \(c) at \(a[i]): (\(keptc.y[i]), \(keptc.d[i])) kept, (\(apartc.y[i]), \(apartc.d[i])) apart")
                }
            }
            for i in 0..<n {
                let got = kept.l[i], want = Glibc.log(a[i])
                if want.isFinite {
                    #expect(Swift.abs(got - want) <= want.ulp, "pow's log of \(a[i]) at width \(width): \(got), glibc \(want)")
                } else {
                    #expect(got.isNaN == want.isNaN && (got.isNaN || got == want), "pow's log of \(a[i]): \(got), glibc \(want)")
                }
            }
        }
    }

    @Test func specialValuesAreExact() {
        typealias E = ElementaryFunctions
        let inf = Double.infinity
        let cases: [(String, Double, Double)] = [
            ("exp(0)", E.exp(0), 1), ("exp(-0)", E.exp(-0.0), 1), ("exp(inf)", E.exp(inf), inf),
            ("exp(-inf)", E.exp(-inf), 0), ("exp(710)", E.exp(710), inf), ("exp(-746)", E.exp(-746), 0),
            ("log(1)", E.log(1), 0), ("log(0)", E.log(0), -inf), ("log(-0)", E.log(-0.0), -inf), ("log(inf)", E.log(inf), inf),
            ("sin(0)", E.sin(0), 0), ("sin(-0)", E.sin(-0.0), -0.0), ("cos(0)", E.cos(0), 1), ("cos(-0)", E.cos(-0.0), 1),
            ("tanh(-0)", E.tanh(-0.0), -0.0), ("tanh(inf)", E.tanh(inf), 1), ("tanh(-inf)", E.tanh(-inf), -1),
            ("tanh(40)", E.tanh(40), 1), ("sigmoid(0)", E.sigmoid(0), 0.5), ("sigmoid(inf)", E.sigmoid(inf), 1),
            ("sigmoid(-inf)", E.sigmoid(-inf), 0),
            // C99 Annex F pow.
            ("pow(nan, 0)", E.pow(.nan, 0), 1), ("pow(nan, -0)", E.pow(.nan, -0.0), 1), ("pow(1, nan)", E.pow(1, .nan), 1),
            ("pow(-1, inf)", E.pow(-1, inf), 1), ("pow(-1, -inf)", E.pow(-1, -inf), 1),
            ("pow(0, -3)", E.pow(0, -3), inf), ("pow(-0, -3)", E.pow(-0.0, -3), -inf), ("pow(-0, -2)", E.pow(-0.0, -2), inf),
            ("pow(0, -inf)", E.pow(0, -inf), inf), ("pow(-0, 3)", E.pow(-0.0, 3), -0.0), ("pow(-0, 2)", E.pow(-0.0, 2), 0),
            ("pow(0.5, -inf)", E.pow(0.5, -inf), inf), ("pow(2, -inf)", E.pow(2, -inf), 0),
            ("pow(0.5, inf)", E.pow(0.5, inf), 0), ("pow(2, inf)", E.pow(2, inf), inf),
            ("pow(-inf, -3)", E.pow(-inf, -3), -0.0), ("pow(-inf, -2)", E.pow(-inf, -2), 0),
            ("pow(-inf, 3)", E.pow(-inf, 3), -inf), ("pow(-inf, 2)", E.pow(-inf, 2), inf),
            ("pow(inf, -1)", E.pow(inf, -1), 0), ("pow(inf, 1)", E.pow(inf, 1), inf),
            ("pow(-8, 1/3)", E.pow(-8, 1.0 / 3), .nan), ("pow(-2, 3)", E.pow(-2, 3), -8), ("pow(2, 10)", E.pow(2, 10), 1024),
        ]
        for (label, got, want) in cases {
            #expect(Self.sameBits(got, want) || (got.isNaN && want.isNaN), "\(label) = \(got), expected \(want)")
        }
        // NaN results: a NaN argument comes back (quieted, its sign kept); NaN made from numbers
        // is the CPU's default NaN, as its own arithmetic makes it (0 · inf).
        #if arch(x86_64)
        let defaultNaN: UInt64 = 0xFFF8_0000_0000_0000   // x86's default NaN: sign bit set
        #expect(E.log(-1).bitPattern == defaultNaN)
        #expect(E.sin(.infinity).bitPattern == defaultNaN)
        #expect(E.pow(-8, 0.5).bitPattern == defaultNaN)
        #endif
        #expect(E.exp(-Double.nan).bitPattern == (-Double.nan).bitPattern)
        #expect(E.exp(Double.nan).bitPattern == Double.nan.bitPattern)
    }

    /// Within 2 ULP of glibc for finite results (SLEEF ≤ 1 ULP and glibc ≤ 1 ULP of the truth).
    /// One known exception: SLEEF 3.5.1's exp returns +inf above 709.7827111495575, 1.7e−6 below
    /// ln(DBL_MAX), where the true value is still finite (within 2e−6 of DBL_MAX).
    @Test func finiteResultsAreCloseToGlibc() {
        #expect(ElementaryFunctions.exp(709.7827111495575).isFinite)
        #expect(ElementaryFunctions.exp(709.7827111495576) == .infinity)
        #expect(Glibc.exp(709.7827111495576).isFinite)
        for f in Self.unary {
            for x in Self.inputs where x.isFinite && Swift.abs(x) < 1e6 {
                let mine = f.scalar(x), theirs = f.glibc(x)
                guard theirs.isFinite, theirs != 0 else {
                    #expect(Self.sameBits(mine, theirs) || (mine.isNaN && theirs.isNaN) || mine == theirs, "\(f.name)(\(x))")
                    continue
                }
                let ulps = Swift.abs(mine - theirs) / theirs.ulp
                #expect(ulps <= 2, "\(f.name)(\(x)): \(mine) vs glibc \(theirs), \(ulps) ULP")
            }
        }
    }
}
