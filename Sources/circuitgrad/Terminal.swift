import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// Writing to standard error, and progress lines when it is a terminal.
enum Terminal {
    /// Whether standard error is a terminal (progress is shown only then).
    static var standardErrorIsTerminal: Bool { isatty(2) == 1 }

    /// Writes `text` to standard error, unbuffered.
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Writes `text` and a newline to standard error.
    static func note(_ text: String) {
        write(text + "\n")
    }
}

/// A one-line progress display on standard error, redrawn at most ten times a second,
/// shown only on a terminal and only for work that lasts.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private var lastDraw = 0.0
    private var drawn = false
    private let start = ProgressLine.now()

    /// A progress line for `label`; silent unless standard error is a terminal.
    init(_ label: String) {
        self.label = label
        self.enabled = Terminal.standardErrorIsTerminal
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Reports `done` of `total`; draws after half a second of work, then every 0.1 s.
    func update(_ done: Int, of total: Int) {
        guard enabled else { return }
        let t = ProgressLine.now()
        if t - start < 0.5 || (t - lastDraw < 0.1 && done < total) { return }
        lastDraw = t
        drawn = true
        let percent = total > 0 ? 100 * done / total : 100
        Terminal.write("\r\(label): \(percent)% (\(done)/\(total))\u{1B}[K")
    }

    /// Clears the line if it was drawn.
    func finish() {
        if drawn { Terminal.write("\r\u{1B}[K") }
    }
}
