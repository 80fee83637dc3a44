/// A table of samples: one row per sample, one column per input wire, columns in the
/// circuit's input declaration order (row-major, like an NPY array of samples × inputs).
public struct Batch: Sendable, Equatable {
    /// Number of samples (rows).
    public let sampleCount: Int
    /// Number of input wires (columns).
    public let inputCount: Int
    /// `values[s * inputCount + i]` is input `i` of sample `s`.
    public var values: [Double]

    /// A batch from row-major values; `values.count` must be `sampleCount * inputCount`.
    public init(sampleCount: Int, inputCount: Int, values: [Double]) {
        precondition(values.count == sampleCount * inputCount, "batch values do not fill samples × inputs")
        self.sampleCount = sampleCount
        self.inputCount = inputCount
        self.values = values
    }

    /// A batch from rows of input values.
    public init(rows: [[Double]], inputCount: Int) {
        for r in rows { precondition(r.count == inputCount, "a batch row has the wrong number of inputs") }
        self.init(sampleCount: rows.count, inputCount: inputCount, values: rows.flatMap { $0 })
    }

    /// The batch a circuit without inputs is evaluated on: one sample with no columns.
    public static let single = Batch(sampleCount: 1, inputCount: 0, values: [])

    /// Input `input` of sample `sample`.
    @inlinable public subscript(sample: Int, input: Int) -> Double { values[sample * inputCount + input] }

    /// The inputs of one sample.
    public func row(_ sample: Int) -> ArraySlice<Double> {
        values[(sample * inputCount)..<((sample + 1) * inputCount)]
    }
}
