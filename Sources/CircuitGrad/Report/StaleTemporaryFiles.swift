#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Temporary files that a killed run left beside an output (`.NAME.tmp-PID-N`).
///
/// A writer holds an exclusive `flock` on its temporary file for as long as it lives, so a
/// file whose lock can be taken and whose process is gone is stale: it is removed. One whose
/// lock is free but whose process id is in use (an id reused, or a writer between creating
/// and locking) is kept and reported.
package enum StaleTemporaryFiles {
    /// The name prefix of the temporary files for target name `base`.
    package static func prefix(for base: String) -> String { ".\(base).tmp-" }

    /// Removes stale temporary files of `target` in its directory; returns one note per file
    /// removed or kept.
    package static func sweep(beside target: String) -> [String] {
        let (directory, base) = OutputDestination.split(target)
        let prefix = prefix(for: base)
        guard let dir = opendir(directory.isEmpty ? "." : directory) else { return [] }
        defer { closedir(dir) }
        var notes: [String] = []
        while let entry = readdir(dir) {
            // Read the name where it lies: a dirent record can be shorter than `struct dirent`,
            // so copying the whole 256-byte `d_name` array would read past its end.
            let field = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let bytes = field.assumingMemoryBound(to: UInt8.self)
            let name = String(decoding: UnsafeBufferPointer(start: bytes, count: strlen(field.assumingMemoryBound(to: CChar.self))),
                              as: UTF8.self)
            guard name.hasPrefix(prefix), let pid = writerProcess(name.dropFirst(prefix.count)) else { continue }
            let path = directory + name
            if let note = removeIfStale(path, pid: pid) { notes.append(note) }
        }
        return notes
    }

    /// The process id in `PID-N`, or nil when the suffix has another form.
    static func writerProcess(_ suffix: Substring) -> pid_t? {
        let parts = suffix.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, Int(parts[1]) != nil else { return nil }
        return pid
    }

    private static func removeIfStale(_ path: String, pid: pid_t) -> String? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { return nil }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return nil }   // its writer is alive
        let writerGone = pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
        guard writerGone else {
            return "note: kept '\(path)': it looks like a leftover temporary file, but process \(pid) is running"
        }
        guard unlink(path) == 0 else { return "note: cannot remove the stale temporary file '\(path)'" }
        return "note: removed '\(path)', a temporary file left by an interrupted run (process \(pid))"
    }
}
