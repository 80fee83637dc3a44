#if canImport(Glibc)
import Glibc
#endif

/// Telling whether two paths name the same file.
enum FilePaths {
    /// Device and inode of an existing file, or nil when it does not exist.
    static func identity(_ path: String) -> String? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return "\(s.st_dev):\(s.st_ino)"
    }
}
