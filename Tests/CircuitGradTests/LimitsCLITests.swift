import Foundation
import Testing
@testable import CircuitGrad

/// Sizes from files and options checked before use, and exit statuses that tell failures
/// apart, end to end: every failure is one `circuitgrad: error:` line with its own status.
@Suite(.serialized) struct LimitsCLITests {
    let fm = FileManager.default
    static let noInputs = "circuit 1\nparam w 2\nf = square w\noutput f\n"

    func scratch(_ files: [String: [UInt8]]) throws -> String {
        let dir = try CommandRunner.temporaryDirectory("limits").path
        for (name, bytes) in files { #expect(fm.createFile(atPath: dir + "/" + name, contents: Data(bytes)), "could not write \(name)") }
        return dir
    }

    /// An NPY file with a minimal header of `shape` and `data` (57 bytes for shape (10¹⁸,0) and no data).
    static func npy(shape: String, version: (UInt8, UInt8) = (1, 0), data: [UInt8] = []) -> [UInt8] {
        let header = Array("{'descr':'<f8','shape':\(shape)}".utf8)
        return NPYArray.magic + [version.0, version.1, UInt8(header.count), 0] + header + data
    }

    /// Asserts a one-line error on standard error and the exit status.
    func expectFailure(_ out: CommandRunner.Output, status: Int32, mentioning text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(out.status == status, "\(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stderr.hasPrefix("circuitgrad: error: ") && out.stderr.filter { $0 == "\n" }.count == 1, "\(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stderr.contains(text), "\(out.stderr)", sourceLocation: sourceLocation)
    }

    @Test func hugeNPYShapesForACircuitWithoutInputsAreRefused() throws {
        let huge = Self.npy(shape: "(1000000000000000000,0)")
        #expect(huge.count == 57)
        let dir = try scratch(["c.circuit": Array(Self.noInputs.utf8), "huge.npy": huge,
                               "max.npy": Self.npy(shape: "(9223372036854775807, 0)"), "three.npy": Self.npy(shape: "(3, 0)")])
        defer { try? fm.removeItem(atPath: dir) }
        for file in ["huge.npy", "max.npy"] {
            for evaluator in ["engine", "reference"] {
                let out = try CommandRunner.circuitgrad("eval", dir + "/c.circuit", "--inputs", dir + "/" + file, "--evaluator", evaluator)
                expectFailure(out, status: 71, mentioning: "has more rows than the 2147483647")
            }
        }
        let three = try CommandRunner.circuitgrad("eval", dir + "/c.circuit", "--inputs", dir + "/three.npy")
        #expect(three.status == 0 && three.stdout == "value\n4.0\n4.0\n4.0\n")
    }

    @Test func batchesBeyondTheMemoryAvailableAreRefusedBeforeAllocating() throws {
        let dir = try scratch(["c.circuit": Array(Self.noInputs.utf8), "many.npy": Self.npy(shape: "(2000000000, 0)")])
        defer { try? fm.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandRunner.circuitgrad)
        p.arguments = ["eval", dir + "/c.circuit", "--inputs", dir + "/many.npy"]
        p.environment = ["CIRCUITGRAD_MEMORY_LIMIT": "1000000000"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 71)
        #expect(text.contains("needs 16.1 GB of memory") && text.contains("1.0 GB is available") && text.contains("smaller batch"), "\(text)")
    }

    @Test func overflowingOptionsAreRefused() throws {
        let dir = try scratch(["c.circuit": Array(Self.noInputs.utf8)])
        defer { try? fm.removeItem(atPath: dir) }
        let c = dir + "/c.circuit"
        expectFailure(try CommandRunner.circuitgrad("info", c, "--batch", "9223372036854775807"), status: 64, mentioning: "--batch must be at most")
        expectFailure(try CommandRunner.circuitgrad("bench", c, "--batch", "4611686018427387904"), status: 64, mentioning: "--batch must be at most")
        expectFailure(try CommandRunner.circuitgrad("check", c, "--samples", "9223372036854775807"), status: 64, mentioning: "--samples must be at most")
        expectFailure(try CommandRunner.circuitgrad("check", c, "--samples", "1000000000000"), status: 64, mentioning: "--samples must be at most")
        expectFailure(try CommandRunner.circuitgrad("eval", c, "--no-such-option"), status: 64, mentioning: "no-such-option")
    }

    @Test func generatorSizesPastTheReadersOrTheMemoryAreRefusedAtOnce() throws {
        let dir = try CommandRunner.temporaryDirectory("limits-generate").path
        defer { try? fm.removeItem(atPath: dir) }
        let out = dir + "/g.circuit"
        // Past the readers' limit of 2³⁰ − 1 wires (these used to abort in the allocator).
        for options in [["layered", "--nodes", "10000000000"], ["tree", "--inputs", "10000000000"],
                        ["chain", "--nodes", "9223372036854775807"], ["mlp", "--layers", "100000,100000,1"],
                        ["grid", "--rows", "1000000", "--columns", "1000000"]] {
            let started = Date()
            expectFailure(try CommandRunner.run(CommandRunner.circuitgrad, ["generate"] + options + ["--seed", "1", "-o", out]),
                          status: 71, mentioning: "a circuit may have at most 1073741823")
            #expect(Date().timeIntervalSince(started) < 10)
        }
        // Within that limit but past the memory this run may use (a limit of 100 MB: about
        // 390,000 wires at 256 bytes each).
        func generate(_ options: [String]) throws -> CommandRunner.Output {
            try CommandRunner.run(CommandRunner.circuitgrad, ["generate"] + options + ["--seed", "1", "-o", out, "--force"],
                                  environment: ["CIRCUITGRAD_MEMORY_LIMIT": "100000000"])
        }
        expectFailure(try generate(["chain", "--nodes", "1000000"]), status: 71, mentioning: "100.0 MB is available")
        expectFailure(try generate(["chain", "--nodes", "1000", "--batch", "100000000", "--batch-out", dir + "/b.npy"]),
                      status: 71, mentioning: "smaller --batch")
        #expect(!fm.fileExists(atPath: out) && !fm.fileExists(atPath: dir + "/b.npy"))
        let small = try generate(["chain", "--nodes", "100000"])
        #expect(small.status == 0, "\(small.stderr)")
        #expect(try CircuitReader.read(contentsOf: out).nodeCount == 100_000)
    }

    @Test func checkWithABatchChecksEverySampleUnlessToldFewer() throws {
        let rows = (1...10).map { "\(Double($0) / 4)" }.joined(separator: "\n")
        let dir = try scratch(["c.circuit": Array("circuit 1\ninput x\nf = square x\noutput f\n".utf8), "b.csv": Array("x\n\(rows)\n".utf8)])
        defer { try? fm.removeItem(atPath: dir) }
        let all = try CommandRunner.circuitgrad("check", dir + "/c.circuit", "--inputs", dir + "/b.csv")
        #expect(all.status == 0 && all.stdout.contains("30 comparisons"), "\(all.stdout)")
        let some = try CommandRunner.circuitgrad("check", dir + "/c.circuit", "--inputs", dir + "/b.csv", "--samples", "3")
        #expect(some.status == 0 && some.stdout.contains("9 comparisons") && some.stderr.contains("the first 3 of the 10 samples"), "\(some.stdout) \(some.stderr)")
    }

    @Test func invalidUTF8IsRefusedWithLineAndColumn() throws {
        let latin1Comment = Array("circuit 1\ninput x  # caf".utf8) + [0xE9] + Array("\nf = neg x\noutput f\n".utf8)
        let dir = try scratch(["c.circuit": latin1Comment, "b.csv": Array("x\n1\n".utf8) + [0xC0, 0x80] + Array("\n".utf8)])
        defer { try? fm.removeItem(atPath: dir) }
        expectFailure(try CommandRunner.circuitgrad("info", dir + "/c.circuit"), status: 65, mentioning: "c.circuit:2:15: invalid UTF-8")
        try "circuit 1\ninput x\nf = neg x\noutput f\n".write(toFile: dir + "/c.circuit", atomically: false, encoding: .utf8)
        expectFailure(try CommandRunner.circuitgrad("eval", dir + "/c.circuit", "--inputs", dir + "/b.csv"), status: 65, mentioning: "b.csv:3:1: invalid UTF-8")
    }

    @Test func npyVersionsNumpyRejectsAreRejected() throws {
        let one = [UInt8](repeating: 0, count: 8)
        let dir = try scratch(["c.circuit": Array("circuit 1\ninput x\nf = neg x\noutput f\n".utf8),
                               "v11.npy": Self.npy(shape: "(1, 1)", version: (1, 1), data: one),
                               "v21.npy": Self.npy(shape: "(1, 1)", version: (2, 1), data: one)])
        defer { try? fm.removeItem(atPath: dir) }
        expectFailure(try CommandRunner.circuitgrad("eval", dir + "/c.circuit", "--inputs", dir + "/v11.npy"), status: 65, mentioning: "version 1.1")
        expectFailure(try CommandRunner.circuitgrad("eval", dir + "/c.circuit", "--inputs", dir + "/v21.npy"), status: 65, mentioning: "version 2.1")
    }

    @Test func exitStatusesTellFailuresApart() throws {
        let dir = try scratch(["c.circuit": Array("circuit 1\ninput x\nf = frob x\noutput f\n".utf8),
                               "ok.circuit": Array("circuit 1\ninput x\nf = log x\noutput f\n".utf8), "b.csv": Array("x\n0\n".utf8)])
        defer { try? fm.removeItem(atPath: dir) }
        expectFailure(try CommandRunner.circuitgrad("info", dir + "/c.circuit"), status: 65, mentioning: "unknown op 'frob'")
        expectFailure(try CommandRunner.circuitgrad("info", dir + "/missing.circuit"), status: 66, mentioning: "cannot open")
        expectFailure(try CommandRunner.circuitgrad("eval", dir + "/ok.circuit", "--inputs", dir + "/b.csv", "--output", dir),
                      status: 73, mentioning: "is a directory")
        let finite = try CommandRunner.circuitgrad("eval", dir + "/ok.circuit", "--inputs", dir + "/b.csv", "--check-finite")
        #expect(finite.status == 1)   // log 0 = -inf: a check that failed
    }

    @Test func errorsListAFewNamesAndCountTheRest() throws {
        let names = (0..<40).map { "x\($0)" }
        let circuit = "circuit 1\ninput \(names.joined(separator: " "))\nf = add \(names.joined(separator: " "))\noutput f\n"
        let dir = try scratch(["c.circuit": Array(circuit.utf8), "b.csv": Array("x0,bogus\n1,2\n".utf8)])
        defer { try? fm.removeItem(atPath: dir) }
        let out = try CommandRunner.circuitgrad("eval", dir + "/c.circuit", "--inputs", dir + "/b.csv")
        expectFailure(out, status: 65, mentioning: "x0, x1, x2, x3, x4 and 35 more")
    }
}
