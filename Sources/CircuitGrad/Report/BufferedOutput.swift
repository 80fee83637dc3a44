#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text and bytes written to a file descriptor through a 64 KiB buffer, so large results
/// stream to a file or to standard output without being built as one giant string.
///
/// Writes never throw; the first I/O error is kept and thrown by ``flush()``.
package final class BufferedOutput {
    private let fileDescriptor: Int32
    private let name: String
    private let collects: Bool
    private var buffer: [UInt8] = []
    private var failure: CircuitError?
    private static let capacity = 1 << 16

    /// Output to an open file descriptor (not closed by this object); errors name `name`.
    package init(fileDescriptor: Int32, name: String) {
        self.fileDescriptor = fileDescriptor
        self.name = name
        collects = false
        buffer.reserveCapacity(Self.capacity + 256)
    }

    /// Output kept in memory, every byte of it, for ``takeBytes()`` (for bytes whose length must be
    /// known before they are written, such as a rank's rows of a shared results file).
    package init(collectingIn name: String) {
        fileDescriptor = -1
        self.name = name
        collects = true
    }

    /// Everything written so far to an output made with ``init(collectingIn:)``; it is left empty.
    package func takeBytes() -> [UInt8] {
        precondition(collects, "only a collecting output keeps its bytes")
        defer { buffer = [] }
        return buffer
    }

    /// Output to standard output.
    package static func standardOutput() -> BufferedOutput { BufferedOutput(fileDescriptor: 1, name: "<stdout>") }

    /// Appends the UTF-8 bytes of `text`.
    package func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.capacity { drain() }
    }

    /// Appends a number as ``NumberText`` writes it.
    package func write(_ number: Double) { write(NumberText.format(number)) }

    /// Appends raw bytes.
    package func write(bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { drain() }
    }

    /// Appends one byte (a separator such as `,` or a newline).
    package func write(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.capacity { drain() }
    }

    /// Writes out everything buffered.
    /// - Throws: ``CircuitError`` for the first write that failed (disk full, closed pipe).
    package func flush() throws {
        drain()
        if let failure { throw failure }
    }

    private func drain() {
        if collects { return }
        if failure != nil { buffer.removeAll(keepingCapacity: true); return }
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = CircuitError(file: name, kind: .outputWrite, "cannot write: \(String(cString: strerror(errno)))")
                    return
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { drain() }
}
