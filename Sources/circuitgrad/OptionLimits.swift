import ArgumentParser
import CircuitGrad

/// Upper limits of size options, checked before any size is used, so no option can make
/// an integer overflow or an allocation fail.
enum OptionLimits {
    /// The largest `--batch` of `info` and `bench` (2³²).
    static let maximumBatch = 1 << 32
    /// The largest `check --samples`: each sample costs several evaluations per input.
    static let maximumCheckSamples = 1_000_000

    /// Refuses `value` of `option` above `limit`.
    static func check(_ option: String, _ value: Int, atMost limit: Int) throws {
        if value > limit { throw ValidationError("\(option) must be at most \(limit), got \(value)") }
    }

    /// Refuses a generated batch of `samples` × `inputs` that would not fit in memory.
    static func checkBatchMemory(samples: Int, inputs: Int, option: String) throws {
        var m = MemoryEstimate()
        m.add("the batch", count: samples, bytesEach: MemoryEstimate.product(inputs, 8))
        m.add("its results", count: samples, bytesEach: MemoryEstimate.product(inputs + 1, 8))
        try m.check("a batch of \(samples) samples", remedy: "a smaller \(option) lowers it")
    }
}
