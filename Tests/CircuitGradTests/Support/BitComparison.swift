@testable import CircuitGrad

// The one bit-for-bit comparison of the tests.
//
// NaN rule: two numbers are the same when their bit patterns are equal, NaN included, so a NaN
// matches only a NaN with the same sign and payload (what ``EvaluationResult/isBitwiseEqual(to:)``
// checks). Every implementation under test calls the same op functions in the same order, so
// even the NaN payloads they produce must agree; a NaN read back from text is the one `nan`
// stands for, which is also what `Double.nan` writes.

/// Whether two arrays hold the same numbers bit for bit (see the NaN rule above).
func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// Whether two results are the same bit for bit (see the NaN rule above).
func sameBits(_ a: EvaluationResult, _ b: EvaluationResult) -> Bool { firstBitDifference(a, b) == nil }

/// The first place where `actual` differs from `expected` bit for bit, in words, or nil when
/// they are the same (see the NaN rule above).
func firstBitDifference(_ expected: EvaluationResult, _ actual: EvaluationResult) -> String? {
    if expected.sampleCount != actual.sampleCount || expected.inputCount != actual.inputCount
        || expected.paramGradients.count != actual.paramGradients.count {
        return "shapes differ: \(expected.sampleCount)x\(expected.inputCount)+\(expected.paramGradients.count) vs "
            + "\(actual.sampleCount)x\(actual.inputCount)+\(actual.paramGradients.count)"
    }
    for (i, (x, y)) in zip(expected.values, actual.values).enumerated() where x.bitPattern != y.bitPattern {
        return "value of sample \(i): expected \(x) vs \(y)"
    }
    for (i, (x, y)) in zip(expected.inputGradients, actual.inputGradients).enumerated() where x.bitPattern != y.bitPattern {
        return "input gradient \(i % expected.inputCount) of sample \(i / expected.inputCount): expected \(x) vs \(y)"
    }
    for (i, (x, y)) in zip(expected.paramGradients, actual.paramGradients).enumerated() where x.bitPattern != y.bitPattern {
        return "parameter gradient \(i): expected \(x) vs \(y)"
    }
    return nil
}
