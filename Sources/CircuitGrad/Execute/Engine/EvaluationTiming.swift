/// Wall-clock seconds of the parts of one evaluation.
package struct EvaluationTiming: Sendable, Hashable {
    /// Time in forward sweeps (worker 0's clock, summed over its blocks).
    package var forwardSeconds: Double = 0
    /// Time in backward sweeps, splitter sums and gradient extraction included (worker 0's clock).
    package var backwardSeconds: Double = 0
    /// Whole evaluation, from call to return.
    package var totalSeconds: Double = 0

    /// All zero.
    package init() {}
}
