import Testing
@testable import CircuitGrad

@Suite struct NumberSyntaxTests {
    @Test func acceptedForms() {
        let cases: [(String, Double)] = [
            ("3", 3), ("-0.5", -0.5), ("+2", 2), ("1e-3", 1e-3), ("2.5E+4", 25000), ("007", 7),
            ("inf", .infinity), ("+inf", .infinity), ("-inf", -.infinity), ("0.1", 0.1),
            ("1e-320", 1e-320), ("4.9406564584124654e-324", 5e-324), ("1e-400", 0),
            ("1.7976931348623157e308", .greatestFiniteMagnitude),
        ]
        for (text, value) in cases { #expect(NumberSyntax.value(of: text)?.bitPattern == value.bitPattern, "\(text)") }
        #expect(NumberSyntax.value(of: "-0")?.bitPattern == (-0.0).bitPattern)
        #expect(NumberSyntax.value(of: "-0.0")?.sign == .minus)
    }

    @Test func refusedFormsSayWhy() {
        let cases: [(String, String)] = [
            ("nan", "NaN cannot be given"), ("-nan", "NaN cannot be given"), ("1e999", "overflows binary64"),
            ("-1e309", "overflows binary64"), ("0x1p3", "hexadecimal"), ("0X10", "hexadecimal"),
            (".5", "digit before the decimal point"), ("5.", "digit after the decimal point"),
            ("1e", "exponent needs digits"), ("1e+", "exponent needs digits"), ("", "found nothing"),
            ("+", "is not a number"), ("--1", "is not a number"), ("1_000", "is not a number"),
            ("Infinity", "is not a number"), ("INF", "is not a number"), ("1.5.2", "is not a number"), ("1,5", "is not a number"),
        ]
        for (text, fragment) in cases {
            let problem = NumberSyntax.problem(with: text)
            #expect(problem?.contains(fragment) == true, "\(text): \(problem ?? "accepted")")
        }
    }

    @Test func nanOnlyWhereAllowed() {
        #expect(NumberSyntax.value(of: "nan", allowingNaN: true)?.isNaN == true)
        #expect(NumberSyntax.value(of: "nan") == nil)
    }

    @Test func writtenNumbersReadBackToTheSameBits() {
        var rng = SplitMix(seed: 3)
        var specials: [Double] = [0, -0.0, .infinity, -.infinity, 5e-324, -5e-324, 1e-320, .greatestFiniteMagnitude,
                                  .leastNormalMagnitude, 0.1, 1e16, 1e-5, 123456789012345680, 2.5e-308]
        for _ in 0..<20000 {
            let x = Double(bitPattern: rng.next())
            if !x.isNaN { specials.append(x) }
        }
        for x in specials {
            let text = NumberText.format(x)
            #expect(NumberSyntax.value(of: text)?.bitPattern == x.bitPattern, "\(x) written as \(text)")
        }
        #expect(NumberText.format(-.nan) == "nan")
        #expect(NumberText.format(.infinity) == "inf" && NumberText.format(-.infinity) == "-inf")
        #expect(NumberText.format(-0.0) == "-0.0")
    }
}
