#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an output path really leads, decided before anything is written.
///
/// - `-`, a character device, a FIFO or a socket (and any path that names this process's
///   standard output or error) is a **stream**: written in order, never renamed over.
/// - Anything else is a **file**: a symbolic link is followed (a chain of them, dangling
///   or not) and its final target is what gets replaced, so the link stays a link.
///   A directory is refused.
package struct OutputDestination: Sendable, Equatable {
    /// How the output is written.
    package enum Kind: Sendable, Equatable {
        /// Standard output (`-`, or a path naming this process's standard output).
        case standardOutput
        /// Standard error (a path naming this process's standard error).
        case standardError
        /// A device, FIFO or socket: opened for writing and written in order.
        case stream
        /// A regular file (existing or not), replaced atomically at `resolvedPath`.
        case file
    }

    /// The path as the user gave it (used in messages).
    package var path: String
    /// How it is written.
    package var kind: Kind
    /// For `.file`: the path after following symbolic links; otherwise `path`.
    package var resolvedPath: String

    /// Whether the name asks for NPY output: it ends in `.npy`, in any case.
    package var wantsNPY: Bool { path.lowercased().hasSuffix(".npy") }

    /// Follows `path` to where its bytes will go.
    /// - Throws: ``CircuitError`` (kind `.outputWrite`) for a directory or a link loop.
    package init(_ path: String) throws {
        self.path = path
        self.resolvedPath = path
        if path == "-" { kind = .standardOutput; return }
        var target = stat()
        if stat(path, &target) == 0 {
            if let standard = Self.standardStream(matching: target) { kind = standard; return }
            switch target.st_mode & S_IFMT {
            case S_IFDIR: throw CircuitError(file: path, kind: .outputWrite, "is a directory; give a file name")
            case S_IFREG: break
            default: kind = .stream; return
            }
        }
        kind = .file
        resolvedPath = try Self.followLinks(path)
    }

    /// A key equal for two spellings of one output, whether or not the file exists yet:
    /// device and inode when it exists, else the absolute path of its (resolved) name.
    package static func identity(of path: String) -> String {
        if path == "-" { return fileIdentity(descriptor: 1) ?? "stdout" }
        var s = stat()
        if stat(path, &s) == 0 { return "\(s.st_dev):\(s.st_ino)" }
        let resolved = (try? followLinks(path)) ?? path
        let (directory, base) = split(resolved)
        guard let real = realpath(directory.isEmpty ? "." : directory, nil) else { return "path:" + resolved }
        defer { free(real) }
        return "path:" + String(cString: real) + "/" + base
    }

    /// The directory part (with its trailing slash, or empty) and the last component.
    static func split(_ path: String) -> (directory: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    /// Follows symbolic links (at most 40) to the name that will be replaced.
    static func followLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var s = stat()
            guard lstat(current, &s) == 0, (s.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            if n < 0 { return current }
            let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : split(current).directory + target
        }
        throw CircuitError(file: path, kind: .outputWrite, "too many levels of symbolic links")
    }

    private static func fileIdentity(descriptor: Int32) -> String? {
        var s = stat()
        guard fstat(descriptor, &s) == 0 else { return nil }
        return "\(s.st_dev):\(s.st_ino)"
    }

    private static func standardStream(matching target: stat) -> Kind? {
        let key = "\(target.st_dev):\(target.st_ino)"
        if fileIdentity(descriptor: 1) == key { return .standardOutput }
        if fileIdentity(descriptor: 2) == key { return .standardError }
        return nil
    }
}
