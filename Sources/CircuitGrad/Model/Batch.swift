/// A table of samples: one row per sample, one column per input wire, columns in the
/// circuit's input declaration order (row-major, like an NPY array of samples × inputs).
///
/// ```swift
/// let batch = try Batch(rows: [[-2, 5, -4], [1, 2, 3]], inputCount: 3)   // 2 samples of (x, y, z)
/// let fromFile = try Batch.read(contentsOf: "inputs.csv", for: circuit)   // CSV or NPY
/// let x1 = batch.values[1 * batch.inputCount + 0]                         // input x of sample 1
/// ```
public struct Batch: Sendable, Equatable {
    /// Number of samples (rows).
    public let sampleCount: Int
    /// Number of input wires (columns).
    public let inputCount: Int
    /// `values[s * inputCount + i]` is input `i` of sample `s`.
    public package(set) var values: [Double]

    /// A batch from row-major values.
    /// - Throws: ``CircuitError`` when `values.count` is not `sampleCount * inputCount` or a
    ///   count is negative.
    public init(sampleCount: Int, inputCount: Int, values: [Double]) throws {
        guard sampleCount >= 0, inputCount >= 0 else {
            throw CircuitError(file: "<batch>", kind: .invalidArgument, "a batch needs non-negative counts, got \(sampleCount) samples × \(inputCount) inputs")
        }
        guard values.count == sampleCount * inputCount else {
            throw CircuitError(file: "<batch>", kind: .invalidArgument,
                               "\(values.count) values do not fill \(sampleCount) samples × \(inputCount) inputs")
        }
        self.init(shapeChecked: sampleCount, inputCount: inputCount, values: values)
    }

    /// A batch from rows of input values, one row per sample.
    ///
    /// ```swift
    /// let batch = try Batch(rows: [[-2, 5, -4], [1, 2, 3]], inputCount: 3)
    /// ```
    /// - Throws: ``CircuitError`` naming the first row that does not have `inputCount` values.
    public init(rows: [[Double]], inputCount: Int) throws {
        for (s, r) in rows.enumerated() where r.count != inputCount {
            throw CircuitError(file: "<batch>", kind: .invalidArgument, "row \(s) has \(r.count) values but the batch has \(inputCount) inputs")
        }
        try self.init(sampleCount: rows.count, inputCount: inputCount, values: rows.flatMap { $0 })
    }

    private init(shapeChecked sampleCount: Int, inputCount: Int, values: [Double]) {
        self.sampleCount = sampleCount
        self.inputCount = inputCount
        self.values = values
    }

    /// The batch a circuit without inputs is evaluated on: one sample with no columns.
    public static let single = Batch(shapeChecked: 1, inputCount: 0, values: [])

    /// Input `input` of sample `sample` (both must be in range, as for an array index).
    @inlinable package subscript(sample: Int, input: Int) -> Double { values[sample * inputCount + input] }

    /// The inputs of one sample (`sample` must be in `0..<sampleCount`, as for an array index).
    package func row(_ sample: Int) -> ArraySlice<Double> {
        values[(sample * inputCount)..<((sample + 1) * inputCount)]
    }

    /// Rows `samples` of this batch, one after the other, as a batch of their own (a row copied
    /// whole at a time): a minibatch drawn from a data set.
    package func gathering(rows samples: some Collection<Int>) throws -> Batch {
        let width = inputCount
        let gathered = width == 0 ? [] : values.withUnsafeBufferPointer { source in
            [Double](uninitializedCount: samples.count * width) { target, initialized in
                var to = target.baseAddress!
                for s in samples {
                    precondition(s >= 0 && s < sampleCount, "a row of the batch")
                    to.initialize(from: source.baseAddress! + s * width, count: width)
                    to += width
                }
                initialized = samples.count * width
            }
        }
        return try Batch(sampleCount: samples.count, inputCount: width, values: gathered)
    }
}
