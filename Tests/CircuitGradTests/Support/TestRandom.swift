import CircuitGrad

/// Tests draw from the same seeded generator as the library (so failures reproduce), and may
/// pass it to the standard library's `shuffled(using:)` or `random(in:using:)`.
extension GeneratorRandom: RandomNumberGenerator {}
