import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress display on standard error, redrawn in place at most ten times a
/// second; silent unless enabled (by default: when standard error is a terminal).
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private var lastDraw = 0.0
    private var drawn = false
    private let start = MonotonicClock.seconds()

    /// A progress line whose counts are labelled `label`.
    init(_ label: String = "", enabled: Bool = Terminal.standardErrorIsTerminal) {
        self.label = label
        self.enabled = enabled
    }

    /// Reports `done` of `total` under the line's label; drawn once the work has lasted half a second.
    func update(_ done: Int, of total: Int) {
        guard enabled, MonotonicClock.seconds() - start >= 0.5 else { return }
        let percent = total > 0 ? 100 * done / total : 100
        draw("\(label): \(percent)% (\(done)/\(total))", force: done >= total)
    }

    /// Reports a fraction of the work under another label.
    func show(_ what: String, fraction: Double) {
        guard enabled else { return }
        draw("\(what): \(Int(fraction * 100))%", force: false)
    }

    /// Shows `text` as it is (redrawn at most ten times a second).
    func status(_ text: String) {
        guard enabled else { return }
        draw(text, force: false)
    }

    /// Names a step that has no count.
    func phase(_ text: String) {
        guard enabled else { return }
        draw("\(text)…", force: true)
    }

    private func draw(_ text: String, force: Bool) {
        let t = MonotonicClock.seconds()
        if !force && t - lastDraw < 0.1 { return }
        lastDraw = t
        drawn = true
        Terminal.write("\r\(text)\u{1B}[K")
    }

    /// Clears the line if it was drawn.
    func finish() {
        if drawn { Terminal.write("\r\u{1B}[K") }
    }
}
