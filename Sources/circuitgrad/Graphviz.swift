import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// Runs Graphviz's `dot` to lay out a DOT graph as SVG or PNG.
enum Graphviz {
    /// The bytes `dot -T<format>` makes of `dot`; dot's own messages go to standard error.
    /// - Throws: ``CircuitError`` naming `target` when `dot` is missing or fails.
    static func render(_ dot: String, format: String, target: String) throws -> [UInt8] {
        var template = Array("/tmp/circuitgrad-draw-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw CircuitError(file: target, "cannot make a temporary folder: \(String(cString: strerror(errno)))")
        }
        let folder = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let input = folder + "/graph.dot", output = folder + "/graph." + format
        defer {
            unlink(input)
            unlink(output)
            rmdir(folder)
        }
        try AtomicFile.write(dot, to: input)
        let status = try run(["dot", "-T" + format, "-o", output, input], target: target)
        if status != 0 {
            throw CircuitError(file: target, "Graphviz's dot failed (exit status \(status)); its messages are above. "
                               + "Writing a .dot file instead skips Graphviz")
        }
        return try FileBytes.read(output)
    }

    /// Runs `arguments` (looked up on PATH) and returns its exit status.
    private static func run(_ arguments: [String], target: String) throws -> Int32 {
        var pid = pid_t()
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let spawned = posix_spawnp(&pid, arguments[0], nil, nil, &argv, environ)
        if spawned != 0 {
            if spawned == ENOENT {
                throw CircuitError(file: target, "Graphviz's `dot` is not installed (Debian: apt-get install graphviz, "
                                   + "or bash scripts/setup); a .dot output needs no Graphviz")
            }
            throw CircuitError(file: target, "cannot run dot: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { throw CircuitError(file: target, "cannot wait for dot: \(String(cString: strerror(errno)))") }
        }
        let exited = status & 0x7F == 0
        return exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
