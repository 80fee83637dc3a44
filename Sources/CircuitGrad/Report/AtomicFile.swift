/// Writes one output safely: a one-output ``OutputTransaction``. A regular file is replaced
/// atomically (a reader sees the old file or the complete new one) keeping its mode; a
/// symbolic link's target is replaced; `-`, devices, FIFOs and sockets are streamed.
package enum AtomicFile {
    /// Creates or replaces the output at `path` with what `body` writes to the output it is given.
    /// - Returns: notes about stale temporary files removed beside it (usually none).
    /// - Throws: ``CircuitError`` naming `path` when it cannot be written, or what `body` throws
    ///   (the target is then left as it was).
    @discardableResult
    package static func write(to path: String, _ body: @escaping (BufferedOutput) throws -> Void) throws -> [String] {
        let transaction = OutputTransaction()
        try transaction.add(path, body)
        try transaction.commit()
        return transaction.notes
    }

    /// Creates or replaces the output at `path` with `text`.
    @discardableResult
    package static func write(_ text: String, to path: String) throws -> [String] {
        try write(to: path) { $0.write(text) }
    }

    /// Creates or replaces the output at `path` with `bytes`.
    @discardableResult
    package static func write(_ bytes: [UInt8], to path: String) throws -> [String] {
        try write(to: path) { out in bytes.withUnsafeBytes { out.write(bytes: $0) } }
    }
}
