import CircuitGrad

/// Where a command's result file goes: `-` is standard output, any other path is written
/// atomically (a reader sees the old file or the whole new one).
enum ResultDestination {
    /// Writes `bytes` to `path`, or to standard output for `-`.
    static func write(_ bytes: [UInt8], to path: String) throws {
        if path == "-" {
            let out = BufferedOutput.standardOutput()
            bytes.withUnsafeBytes { out.write(bytes: $0) }
            try out.flush()
            return
        }
        try AtomicFile.write(bytes, to: path)
    }
}

extension FilePaths {
    /// Throws when `output` names one of `sources` (results never replace what they came from).
    static func refuseOverwriting(_ sources: [String], with output: String, flag: String) throws {
        guard output != "-", let target = identity(output) else { return }
        if sources.filter({ $0 != "-" }).compactMap(identity).contains(target) {
            throw CircuitError(file: output, "\(flag) names one of the input files; refusing to overwrite it")
        }
    }
}
