#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one or more outputs so that they all land or none does.
///
/// Each output is resolved by ``OutputDestination``. A file output is written to a temporary
/// file in the target's directory (`.NAME.tmp-PID-N`, holding an exclusive `flock`), given the
/// old file's mode and, where permitted, its owner, and `fsync`ed. Stream outputs (`-`,
/// devices, FIFOs, sockets) are written once every file output is staged, in the order given.
/// Only then are the temporary files renamed over their targets and the directories
/// `fsync`ed. A failure anywhere before the renames leaves every target as it was and removes
/// every temporary file; SIGINT and SIGTERM remove them too (``TemporaryFileRegistry``).
///
/// A write-protected file (no write permission for this user, or none for anyone) is refused,
/// never replaced. A regular file with more than one hard link is rewritten in place at the
/// end, so every name keeps seeing the new contents. Temporary files left by a killed run are
/// removed when their writer is gone (see ``StaleTemporaryFiles``); each removal is reported
/// in ``notes``.
package final class OutputTransaction {
    /// Writes an output's bytes.
    package typealias Body = (BufferedOutput) throws -> Void

    private struct Staged {
        var destination: OutputDestination
        var body: Body?
        var temporary: String?
        var descriptor: Int32 = -1
        var slot: Int?
        var inPlace = false
    }

    private var staged: [Staged] = []
    private var committed = false

    /// What the transaction noticed along the way (stale temporary files removed or kept),
    /// one line each, for the caller to show.
    package private(set) var notes: [String] = []

    /// An empty transaction.
    package init() {}

    /// Adds an output: a file is written to its temporary file now, a stream is written at commit.
    /// - Throws: ``CircuitError`` (kind ``CircuitError/Kind/outputWrite``) when the target cannot
    ///   be replaced, names the same file as an earlier output, or cannot be written; or what `body` throws.
    package func add(_ path: String, _ body: @escaping Body) throws {
        let destination = try checkedDestination(path)
        guard destination.kind == .file else {
            staged.append(Staged(destination: destination, body: body))
            return
        }
        try Self.fill(stage(destination, path: path).descriptor, path: path, with: body)
    }

    /// Writes `body`'s bytes through the descriptor `fd` of the output `path`, then `fsync`s it.
    package static func fill(_ fd: Int32, path: String, with body: Body) throws {
        let output = BufferedOutput(fileDescriptor: fd, name: path)
        try body(output)
        try output.flush()
        try sync(fd, path: path)
    }

    /// Adds a file output whose temporary file the caller writes (and `fsync`s) itself, at offsets
    /// of its choosing or by other processes that open it by name, as the ranks of an MPI job do.
    /// - Returns: the temporary file's path and a descriptor open for reading and writing (owned by
    ///   the transaction: do not close it).
    /// - Throws: what ``add(_:_:)`` throws; also when `path` is not a file (standard output, a device).
    package func addFile(_ path: String) throws -> (temporary: String, descriptor: Int32) {
        let destination = try checkedDestination(path)
        guard destination.kind == .file else {
            throw CircuitError(file: path, kind: .outputWrite, "is not a regular file; it cannot be written in parts")
        }
        return try stage(destination, path: path)
    }

    /// `fsync`s a descriptor of the output `path`.
    package static func sync(_ fd: Int32, path: String) throws {
        if fsync(fd) != 0 { throw CircuitError(file: path, kind: .outputWrite, "cannot write: \(lastError())") }
    }

    /// `path`'s destination, after refusing a second output to the same file.
    private func checkedDestination(_ path: String) throws -> OutputDestination {
        let destination = try OutputDestination(path)
        let identity = OutputDestination.identity(of: path)
        if let earlier = staged.first(where: { OutputDestination.identity(of: $0.destination.path) == identity }) {
            throw CircuitError(file: path, kind: .outputWrite, "names the same file as '\(earlier.destination.path)'; give each output its own file")
        }
        return destination
    }

    /// Creates the temporary file of the file output `destination`, with the old file's owner and mode.
    private func stage(_ destination: OutputDestination, path: String) throws -> (temporary: String, descriptor: Int32) {
        var entry = Staged(destination: destination, body: nil)
        let target = destination.resolvedPath
        let existing = try Self.checkReplaceable(target, as: path)
        notes += StaleTemporaryFiles.sweep(beside: target)
        let (fd, temporary) = try Self.createTemporary(beside: target, for: path)
        entry.temporary = temporary
        entry.descriptor = fd
        entry.slot = TemporaryFileRegistry.register(temporary)
        entry.inPlace = (existing?.st_nlink ?? 1) > 1
        staged.append(entry)
        if let existing { Self.copyOwnerAndMode(existing, to: fd) }
        return (temporary, fd)
    }

    /// Writes the streams, then moves every staged file into place.
    /// - Throws: ``CircuitError`` when a stream or a rename fails; files not yet renamed are left as they were.
    package func commit() throws {
        for k in staged.indices where staged[k].destination.kind != .file {
            try writeStream(staged[k])
        }
        for k in staged.indices where staged[k].temporary != nil && !staged[k].inPlace {
            try moveIntoPlace(&staged[k])
        }
        for k in staged.indices where staged[k].temporary != nil && staged[k].inPlace {
            try rewriteInPlace(&staged[k])
        }
        committed = true
    }

    /// Removes every temporary file not yet moved into place.
    package func abandon() {
        for k in staged.indices { discard(&staged[k]) }
    }

    deinit { abandon() }

    // MARK: - Steps

    private func writeStream(_ entry: Staged) throws {
        let d = entry.destination
        var fd: Int32
        switch d.kind {
        case .standardOutput: fd = 1
        case .standardError: fd = 2
        default:
            fd = open(d.path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw CircuitError(file: d.path, kind: .outputWrite, "cannot open for writing: \(Self.lastError())") }
        }
        defer { if fd > 2 { close(fd) } }
        let output = BufferedOutput(fileDescriptor: fd, name: d.path == "-" ? "<stdout>" : d.path)
        try entry.body?(output)
        try output.flush()
    }

    private func moveIntoPlace(_ entry: inout Staged) throws {
        guard let temporary = entry.temporary else { return }
        let target = entry.destination.resolvedPath
        if rename(temporary, target) != 0 {
            throw CircuitError(file: entry.destination.path, kind: .outputWrite, "cannot replace: \(Self.lastError())")
        }
        close(entry.descriptor)
        entry.descriptor = -1
        entry.temporary = nil
        TemporaryFileRegistry.unregister(entry.slot)
        Self.syncDirectory(of: target)
    }

    /// A file with several hard links: copy the staged bytes over it, so all its names see them.
    private func rewriteInPlace(_ entry: inout Staged) throws {
        let path = entry.destination.path
        let target = open(entry.destination.resolvedPath, O_WRONLY | O_TRUNC | O_CLOEXEC)
        if target < 0 { throw CircuitError(file: path, kind: .outputWrite, "cannot open for writing: \(Self.lastError())") }
        defer { close(target) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        lseek(entry.descriptor, 0, SEEK_SET)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(entry.descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw CircuitError(file: path, kind: .outputWrite, "cannot read back the staged output: \(Self.lastError())") }
            if n == 0 { break }
            var offset = 0
            while offset < n {
                let w = buffer.withUnsafeBytes { write(target, $0.baseAddress! + offset, n - offset) }
                if w < 0 && errno == EINTR { continue }
                if w < 0 { throw CircuitError(file: path, kind: .outputWrite, "cannot write: \(Self.lastError())") }
                offset += w
            }
        }
        if fsync(target) != 0 { throw CircuitError(file: path, kind: .outputWrite, "cannot write: \(Self.lastError())") }
        discard(&entry)
    }

    private func discard(_ entry: inout Staged) {
        if entry.descriptor >= 0 { close(entry.descriptor) }
        entry.descriptor = -1
        if let t = entry.temporary { unlink(t) }
        entry.temporary = nil
        TemporaryFileRegistry.unregister(entry.slot)
        entry.slot = nil
    }

    // MARK: - File system helpers

    /// The existing target's status (nil when it does not exist yet), after refusing targets
    /// this user may not replace.
    private static func checkReplaceable(_ target: String, as path: String) throws -> stat? {
        var s = stat()
        guard stat(target, &s) == 0 else { return nil }
        let mode = s.st_mode & 0o7777
        if access(target, W_OK) != 0 || mode & 0o222 == 0 {
            throw CircuitError(file: path, kind: .outputWrite,
                               "is write-protected (mode \(String(mode, radix: 8))); refusing to replace it (chmod u+w it or choose another name)")
        }
        return s
    }

    private static func createTemporary(beside target: String, for path: String) throws -> (Int32, String) {
        let (directory, base) = OutputDestination.split(target)
        for attempt in 0..<1000 {
            let temporary = "\(directory)\(StaleTemporaryFiles.prefix(for: base))\(getpid())-\(attempt)"
            let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 {
                _ = flock(fd, LOCK_EX)
                return (fd, temporary)
            }
            if errno != EEXIST { break }
        }
        throw CircuitError(file: path, kind: .outputWrite, "cannot create a file next to it: \(lastError())")
    }

    /// Gives the new file the old one's owner (where permitted) and then its mode.
    private static func copyOwnerAndMode(_ old: stat, to fd: Int32) {
        if old.st_uid != geteuid() || old.st_gid != getegid() { _ = fchown(fd, old.st_uid, old.st_gid) }
        _ = fchmod(fd, old.st_mode & 0o7777)
    }

    private static func syncDirectory(of target: String) {
        let directory = OutputDestination.split(target).directory
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
