import Foundation

/// Runs a program to completion and captures what it printed, for end-to-end tests.
struct CommandRunner {
    /// Exit status and the two output streams.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The repository's root (the folder that holds `Tests/`).
    static let packageRoot = URL(fileURLWithPath: String(#filePath.components(separatedBy: "/Tests/")[0]))

    /// The `circuitgrad` executable built next to the test bundle (the same build folder, so
    /// `--scratch-path` builds test their own binary).
    static let circuitgrad: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("circuitgrad").path
    }()

    /// Runs `executable` with `arguments` in `directory` (default: the package root), standard
    /// input read from the file `stdin` when given, `environment` added to this process's;
    /// waits; returns its output.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil, stdin: String? = nil,
                    environment: [String: String] = [:]) throws -> Output {
        let p = Process()
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let stdin { p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdin, relativeTo: packageRoot)) }
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.currentDirectoryURL = directory.map { URL(fileURLWithPath: $0) } ?? packageRoot
        // Outputs go to temporary files: no pipe can fill up and block the child.
        let dir = try temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Output(status: p.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// Runs `circuitgrad` with `arguments`.
    static func circuitgrad(_ arguments: String...) throws -> Output { try run(circuitgrad, arguments) }

    /// Runs `circuitgrad` with `arguments`, its standard input read from the file `stdin`.
    static func circuitgrad(stdin: String, _ arguments: String...) throws -> Output { try run(circuitgrad, arguments, stdin: stdin) }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory(_ tag: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
