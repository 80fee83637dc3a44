@testable import CircuitGrad

// The one bit-for-bit comparison of the tests.
//
// NaN rule: numbers are the same when their bit patterns are equal, except that by default any
// NaN matches any NaN (`.anyNaN`). Every evaluator writes NaNs in results as the one canonical
// quiet NaN (a NaN made from two NaNs takes its sign from whichever operand the compiler put
// first, which differs between builds and paths), so comparisons of results pin that with
// `.samePayload`; `.anyNaN` serves intermediate numbers that are not canonicalised.

/// How NaNs compare in ``sameBits(_:_:nan:)`` and ``firstBitDifference(_:_:nan:)``.
enum NaNRule {
    /// Any NaN matches any NaN.
    case anyNaN
    /// A NaN matches only a NaN with the same sign and payload (plain bit equality).
    case samePayload
}

/// Whether `x` and `y` are the same number under `rule`.
func sameBits(_ x: Double, _ y: Double, nan rule: NaNRule = .anyNaN) -> Bool {
    x.bitPattern == y.bitPattern || (rule == .anyNaN && x.isNaN && y.isNaN)
}

/// Whether two arrays hold the same numbers bit for bit under `rule`.
func sameBits(_ a: [Double], _ b: [Double], nan rule: NaNRule = .anyNaN) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { sameBits($0, $1, nan: rule) }
}

/// Whether two results are the same bit for bit under `rule`.
func sameBits(_ a: EvaluationResult, _ b: EvaluationResult, nan rule: NaNRule = .anyNaN) -> Bool {
    firstBitDifference(a, b, nan: rule) == nil
}

/// The first place where `actual` differs from `expected` under `rule`, in words, or nil when
/// they are the same.
func firstBitDifference(_ expected: EvaluationResult, _ actual: EvaluationResult, nan rule: NaNRule = .anyNaN) -> String? {
    if expected.sampleCount != actual.sampleCount || expected.inputCount != actual.inputCount
        || expected.paramGradients.count != actual.paramGradients.count {
        return "shapes differ: \(expected.sampleCount)x\(expected.inputCount)+\(expected.paramGradients.count) vs "
            + "\(actual.sampleCount)x\(actual.inputCount)+\(actual.paramGradients.count)"
    }
    for (i, (x, y)) in zip(expected.values, actual.values).enumerated() where !sameBits(x, y, nan: rule) {
        return "value of sample \(i): expected \(x) vs \(y)"
    }
    for (i, (x, y)) in zip(expected.inputGradients, actual.inputGradients).enumerated() where !sameBits(x, y, nan: rule) {
        return "input gradient \(i % expected.inputCount) of sample \(i / expected.inputCount): expected \(x) vs \(y)"
    }
    for (i, (x, y)) in zip(expected.paramGradients, actual.paramGradients).enumerated() where !sameBits(x, y, nan: rule) {
        return "parameter gradient \(i): expected \(x) vs \(y)"
    }
    return nil
}
