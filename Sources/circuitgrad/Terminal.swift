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

extension String {
    /// The string padded with spaces on the right to at least `width` characters.
    func padded(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
