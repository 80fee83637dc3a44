import ArgumentParser

/// Which evaluator computes results.
enum EvaluatorKind: String, ExpressibleByArgument, CaseIterable {
    /// The parallel engine (``CircuitEvaluator``).
    case engine
    /// The sequential reference sweeps (``ReferenceEvaluator``), the oracle.
    case reference
}
