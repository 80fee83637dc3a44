#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an evaluation will allocate, worked out before anything is allocated, so that a
/// batch or a circuit too large for the machine is refused at once with a clear message
/// instead of aborting in the allocator after minutes.
///
/// All sums and products saturate at `Int.max` (shown as "more than 9.2 EB"), so sizes
/// read from a file (an NPY shape of 10¹⁸ rows) cannot overflow on the way.
package struct MemoryEstimate: Sendable {
    /// The parts, each in bytes: name and size, in the order they are reported.
    package var parts: [(name: String, bytes: Int)] = []

    /// An empty estimate.
    package init() {}

    /// Adds `count × bytesEach` bytes under `name`.
    package mutating func add(_ name: String, count: Int, bytesEach: Int) {
        parts.append((name, Self.product(count, bytesEach)))
    }

    /// Total bytes (saturating).
    package var totalBytes: Int { parts.reduce(0) { Self.sum($0, $1.bytes) } }

    /// Refuses when the total exceeds `availableBytes`.
    /// - Parameters:
    ///   - what: what is being done, as in "evaluating 10 samples".
    ///   - remedy: the option or change that lowers the need, as in "use a smaller --batch".
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/resourceLimit`` naming the need,
    ///   what is available, the largest parts and the remedy.
    package func check(_ what: String, available availableBytes: Int = MemoryEstimate.availableBytes(), remedy: String) throws {
        let total = totalBytes
        guard total > availableBytes else { return }
        let largest = parts.filter { $0.bytes > 0 }.sorted { $0.bytes > $1.bytes }.prefix(3)
            .map { "\($0.name) \(Self.format($0.bytes))" }.joined(separator: ", ")
        throw CircuitError(file: "memory", kind: .resourceLimit,
                           "\(what) needs \(Self.format(total)) of memory (\(largest)); \(Self.format(availableBytes)) is available; \(remedy)")
    }

    // MARK: - Saturating arithmetic

    /// `a × b`, or `Int.max` when it overflows (negative factors count as 0).
    package static func product(_ a: Int, _ b: Int) -> Int {
        let (p, overflow) = max(a, 0).multipliedReportingOverflow(by: max(b, 0))
        return overflow ? Int.max : p
    }

    /// `a + b`, or `Int.max` when it overflows.
    package static func sum(_ a: Int, _ b: Int) -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : s
    }

    /// Bytes as a short decimal figure: `512 B`, `3.4 MB`, `8.0 EB`, `more than 9.2 EB`.
    package static func format(_ bytes: Int) -> String {
        if bytes == Int.max { return "more than 9.2 EB" }
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(bytes) B" }
        let tenths = (value * 10).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10) \(units[unit])"
    }

    // MARK: - What the machine has

    /// Bytes this process may still allocate: the least of the memory the kernel reports
    /// available (`MemAvailable`), the cgroup's limit less its usage, and the address-space
    /// limit (`ulimit -v`) less what is mapped. `CIRCUITGRAD_MEMORY_LIMIT` (bytes) overrides
    /// it, for tests and for sharing a machine.
    package static func availableBytes() -> Int {
        if let text = getenv("CIRCUITGRAD_MEMORY_LIMIT").map({ String(cString: $0) }), let n = Int(text), n > 0 { return n }
        var best = Int.max
        if let kb = fieldKB("/proc/meminfo", "MemAvailable:") { best = min(best, product(kb, 1024)) }
        if let limit = firstNumber("/sys/fs/cgroup/memory.max"), let used = firstNumber("/sys/fs/cgroup/memory.current") {
            best = min(best, max(limit - used, 0))
        }
        var rl = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &rl) == 0, rl.rlim_cur != rlim_t.max, let vmKB = fieldKB("/proc/self/status", "VmSize:") {
            best = min(best, max(Int(clamping: rl.rlim_cur) - product(vmKB, 1024), 0))
        }
        return best == Int.max ? 1 << 40 : best
    }

    /// The number after `key` in a `key value kB` file such as /proc/meminfo.
    static func fieldKB(_ path: String, _ key: String) -> Int? {
        guard let text = smallFile(path) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            return Int(line.dropFirst(key.count).split(separator: " ").first ?? "")
        }
        return nil
    }

    static func firstNumber(_ path: String) -> Int? {
        smallFile(path).flatMap { Int($0.split(separator: "\n").first ?? "") }
    }

    static func smallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 16384)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return n > 0 ? String(decoding: bytes[0..<n], as: UTF8.self) : nil
    }
}
