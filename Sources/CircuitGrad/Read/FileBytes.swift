#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file into memory as bytes, with errors that name the file.
package enum FileBytes {
    /// The name errors give a path: `<stdin>` for `-`, else the path itself.
    package static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// The bytes of the file at `path`; `-` reads standard input to its end.
    /// - Throws: ``CircuitError`` naming `path` when it cannot be opened or read.
    package static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return try read(descriptor: 0, name: displayName(path)) }
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw CircuitError(file: path, "cannot open: \(lastErrorText())") }
        defer { close(fd) }
        return try read(descriptor: fd, name: path)
    }

    /// The bytes of the open file `fd` from where it stands to its end; errors name `path`.
    private static func read(descriptor fd: Int32, name path: String) throws -> [UInt8] {
        var info = stat()
        if fstat(fd, &info) != 0 { throw CircuitError(file: path, "cannot read: \(lastErrorText())") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw CircuitError(file: path, "is a directory, not a file") }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(max(info.st_size, 0)) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw CircuitError(file: path, "cannot read: \(lastErrorText())")
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
