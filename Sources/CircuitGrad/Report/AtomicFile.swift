#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files atomically: into a temporary file in the same directory, which is then
/// renamed over the target, so a reader sees the old file or the complete new one.
package enum AtomicFile {
    /// Creates or replaces the file at `path` with what `body` writes to the output it is given.
    /// - Throws: ``CircuitError`` naming `path` when the file cannot be written, or what `body` throws
    ///   (the target is then left as it was).
    package static func write(to path: String, _ body: (BufferedOutput) throws -> Void) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var fd: Int32 = -1
        var temporary = ""
        for attempt in 0..<100 {
            temporary = "\(directory).\(base).tmp-\(getpid())-\(attempt)"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        if fd < 0 { throw CircuitError(file: path, "cannot create a file next to it: \(String(cString: strerror(errno)))") }
        var done = false
        defer {
            if !done {
                close(fd)
                unlink(temporary)
            }
        }
        let output = BufferedOutput(fileDescriptor: fd, name: path)
        try body(output)
        try output.flush()
        if fsync(fd) != 0 { throw CircuitError(file: path, "cannot write: \(String(cString: strerror(errno)))") }
        close(fd)
        done = true
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CircuitError(file: path, "cannot replace: \(reason)")
        }
    }

    /// Creates or replaces the file at `path` with `text`.
    package static func write(_ text: String, to path: String) throws {
        try write(to: path) { $0.write(text) }
    }

    /// Creates or replaces the file at `path` with `bytes`.
    package static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { out in bytes.withUnsafeBytes { out.write(bytes: $0) } }
    }
}
