/// What an evaluator last read of the memory it may still allocate
/// (``MemoryEstimate/availableBytes()``), so that a batch that needs little of it does not read
/// the system again. Reading `/proc/meminfo` and the cgroup files costs about 70 µs here, as
/// much as evaluating a 300-node circuit on 64 samples, and ``CircuitEvaluator`` checks its
/// memory before every batch.
///
/// A reading is reused while it is younger than ``maximumAge`` and the need is at most a
/// ``reuseFraction`` of it; a larger need or an older reading reads again. Not thread-safe: an
/// evaluator's calls do not overlap.
struct AvailableMemoryReading {
    /// How long a reading is reused, in seconds.
    static let maximumAge = 1.0
    /// The largest part of a reading a need may take and still reuse it.
    static let reuseFraction = 0.25

    private var last: (bytes: Int, seconds: Double)?
    private let read: () -> Int
    private let now: () -> Double

    /// A reader of `read` (the system's available bytes) on the clock `now` (seconds); tests pass their own.
    init(read: @escaping () -> Int = MemoryEstimate.availableBytes, now: @escaping () -> Double = MonotonicClock.seconds) {
        self.read = read
        self.now = now
    }

    /// Bytes available for a need of `need` bytes: the last reading when it is recent and `need`
    /// is small beside it, else a fresh one.
    mutating func bytes(toHold need: Int) -> Int {
        let now = now()
        if let last, now - last.seconds < Self.maximumAge, Double(need) <= Self.reuseFraction * Double(last.bytes) {
            return last.bytes
        }
        let bytes = read()
        last = (bytes, now)
        return bytes
    }
}
