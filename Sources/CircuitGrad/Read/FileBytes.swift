#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files as bytes, with errors that name the file.
package enum FileBytes {
    /// Files smaller than this are read into memory; larger regular files are mapped.
    static let mappingThreshold = 1 << 20

    /// Calls `body` with the bytes of the file at `path`. A regular file of a megabyte or more
    /// is mapped read-only instead of copied: its pages belong to the kernel's page cache,
    /// which can drop clean pages under memory pressure and read them again, so reading a
    /// multi-gigabyte batch or circuit takes no anonymous memory beyond what the parser builds
    /// from it. `-`, pipes, devices and small files are read into memory. The bytes are valid
    /// only inside `body`. (As with every mapped read, a file truncated by another process
    /// while it is being parsed ends the process with SIGBUS.)
    /// - Throws: ``CircuitError`` naming `path` when it cannot be opened or read, or what `body` throws.
    package static func withContents<T>(of path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        if path == "-" { return try read(descriptor: 0, name: displayName(path)).withUnsafeBufferPointer(body) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw CircuitError(file: path, kind: .inputRead, "cannot open: \(lastErrorText())") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw CircuitError(file: path, kind: .inputRead, "cannot read: \(lastErrorText())") }
        let size = Int(info.st_size)
        if (info.st_mode & S_IFMT) == S_IFREG && size >= mappingThreshold {
            let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
            if let mapped, mapped != MAP_FAILED {
                defer { munmap(mapped, size) }
                _ = madvise(mapped, size, MADV_SEQUENTIAL)
                return try body(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: size))
            }
        }
        return try read(descriptor: fd, name: path).withUnsafeBufferPointer(body)
    }

    /// The name errors give a path: `<stdin>` for `-`, else the path itself.
    package static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// The bytes of the file at `path`; `-` reads standard input to its end.
    /// - Throws: ``CircuitError`` naming `path` when it cannot be opened or read.
    package static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return try read(descriptor: 0, name: displayName(path)) }
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CircuitError(file: path, kind: .inputRead, "cannot open: \(lastErrorText())") }
        defer { close(fd) }
        return try read(descriptor: fd, name: path)
    }

    /// The bytes of the open file `fd` from where it stands to its end; errors name `path`.
    private static func read(descriptor fd: Int32, name path: String) throws -> [UInt8] {
        var info = stat()
        if fstat(fd, &info) != 0 { throw CircuitError(file: path, kind: .inputRead, "cannot read: \(lastErrorText())") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw CircuitError(file: path, kind: .inputRead, "is a directory, not a file") }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(max(info.st_size, 0)) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw CircuitError(file: path, kind: .inputRead, "cannot read: \(lastErrorText())")
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return bytes
    }

    static func lastErrorText() -> String { String(cString: strerror(errno)) }
}

/// `read(2)`, named apart from ``FileBytes/read(_:)``.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
