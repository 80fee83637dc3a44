/// Where a NaN or an infinity first appeared in one sample's sweeps.
package struct NonFiniteFinding: Sendable, Hashable, CustomStringConvertible {
    /// Whether the forward value or a backward gradient went non-finite.
    package enum Stage: String, Sendable, Hashable {
        /// A function node's value.
        case value
        /// A gradient contribution (a node's `upstream × partial`, or a splitter's sum).
        case gradient
    }

    /// The sample (row of the batch).
    package var sample: Int
    /// Value or gradient.
    package var stage: Stage
    /// The function node, or nil when a splitter's sum overflowed.
    package var node: Int?
    /// The node's name, or for a splitter the name of the wire it copies.
    package var name: String
    /// The op's name, or `split` for a splitter.
    package var opName: String
    /// The first non-finite number found there (the value, or the first bad contribution).
    package var number: Double

    /// For example `sample 3: node 'l' (log) produced a non-finite value (nan)`.
    package var description: String {
        let what = node == nil ? "splitter on '\(name)'" : "node '\(name)' (\(opName))"
        let stageText = stage == .value ? "value" : "gradient"
        return "sample \(sample): \(what) produced a non-finite \(stageText) (\(NumberText.format(number)))"
    }
}
