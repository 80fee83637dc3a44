import Foundation
import Testing
@testable import CircuitGrad

/// `circuitgrad eval --mpi` under mpirun (oversubscribed, so it runs on two cores): any
/// number of ranks and threads gives the bytes of one process; a rank that cannot read its
/// rows stops the whole job, names itself, and leaves no output. Without the MPI trait, the
/// flag is refused with directions.
@Suite(.serialized) struct MPITests {
    /// `mpirun` with what this project's machines need: root allowed, more ranks than cores,
    /// and no cross-process memory copies (containers often forbid them).
    /// Under AddressSanitizer (scripts/test-asan) the ranks skip leak checking: Open MPI's
    /// runtime keeps allocations until exit, often in plugins LeakSanitizer cannot name.
    static func mpirun(ranks: Int, _ arguments: [String]) throws -> CommandRunner.Output {
        try mpirun(ranks: ranks, program: [CommandRunner.circuitgrad] + arguments)
    }

    /// `mpirun` as above, of `program` (a command line) instead of circuitgrad.
    static func mpirun(ranks: Int, program: [String]) throws -> CommandRunner.Output {
        let sanitizer = ProcessInfo.processInfo.environment["ASAN_OPTIONS"].map { ["ASAN_OPTIONS=\($0):detect_leaks=0"] } ?? []
        return try CommandRunner.run("/usr/bin/env", sanitizer + [
            "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", "OMPI_MCA_btl_vader_single_copy_mechanism=none",
            "mpirun", "--oversubscribe", "--bind-to", "none", "-np", "\(ranks)",
        ] + program)
    }

    /// A generated network with parameters and a batch of `samples` (not a multiple of the chunk).
    static func workload(_ dir: URL, samples: Int) throws -> (circuit: String, batch: String) {
        let circuit = dir.appendingPathComponent("m.circuit").path, batch = dir.appendingPathComponent("b.csv").path
        let made = try CommandRunner.circuitgrad("generate", "mlp", "--layers", "3,8,4,1", "--seed", "11",
                                                 "--batch", "\(samples)", "--batch-out", batch, "-o", circuit)
        #expect(made.status == 0, "\(made.stderr)")
        return (circuit, batch)
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    #if MPI
    @Test func ranksAndThreadsGiveTheBytesOfOneProcess() throws {
        let dir = try CommandRunner.temporaryDirectory("mpi")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (circuit, batch) = try Self.workload(dir, samples: 700)
        func outputs(_ tag: String) -> (String, String) {
            (dir.appendingPathComponent("\(tag).npy").path, dir.appendingPathComponent("\(tag)-params.csv").path)
        }
        let (oneOut, oneParams) = outputs("one")
        let one = try CommandRunner.circuitgrad("eval", circuit, "--inputs", batch, "--threads", "1",
                                                "--output", oneOut, "--param-grads", oneParams)
        #expect(one.status == 0, "\(one.stderr)")
        for ranks in [1, 2, 3] {
            for threads in [1, 2] {
                let (out, params) = outputs("r\(ranks)t\(threads)")
                let run = try Self.mpirun(ranks: ranks, ["eval", circuit, "--inputs", batch, "--threads", "\(threads)",
                                                         "--output", out, "--param-grads", params, "--mpi"])
                #expect(run.status == 0, "\(ranks) ranks × \(threads) threads: \(run.stderr)")
                #expect(Self.bytes(out) != nil && Self.bytes(out) == Self.bytes(oneOut), "\(ranks) ranks × \(threads) threads: results differ")
                #expect(Self.bytes(params) != nil && Self.bytes(params) == Self.bytes(oneParams), "\(ranks) ranks × \(threads) threads: parameter gradients differ")
            }
        }
    }

    /// Ranks on one machine write their own rows of a file output into rank 0's temporary file;
    /// standard output is gathered and written by rank 0. Both give one process's bytes.
    @Test func ownRowsAndGatheredRowsGiveTheBytesOfOneProcess() throws {
        let dir = try CommandRunner.temporaryDirectory("mpi-rows")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (circuit, batch) = try Self.workload(dir, samples: 700)
        for ext in ["csv", "npy"] {
            let oneOut = dir.appendingPathComponent("one.\(ext)").path
            let one = try CommandRunner.circuitgrad("eval", circuit, "--inputs", batch, "--threads", "1", "--output", oneOut)
            #expect(one.status == 0, "\(one.stderr)")
            for ranks in [1, 2, 3] {
                let out = dir.appendingPathComponent("r\(ranks).\(ext)").path
                let run = try Self.mpirun(ranks: ranks, ["eval", circuit, "--inputs", batch, "--threads", "1", "--output", out, "--mpi"])
                #expect(run.status == 0, "\(ranks) ranks, \(ext): \(run.stderr)")
                #expect(Self.bytes(out) != nil && Self.bytes(out) == Self.bytes(oneOut), "\(ranks) ranks, \(ext): results differ")
            }
        }
        let oneCSV = try CommandRunner.circuitgrad("eval", circuit, "--inputs", batch, "--threads", "1")
        for ranks in [2, 3] {
            let run = try Self.mpirun(ranks: ranks, ["eval", circuit, "--inputs", batch, "--threads", "1", "--mpi"])
            #expect(run.status == 0 && !oneCSV.stdout.isEmpty && run.stdout == oneCSV.stdout, "\(ranks) ranks to standard output: \(run.stderr)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "no temporary file left: \(left)")
    }

    /// A NaN in rank 2's rows sends even a file output down rank 0's gathering path, which names
    /// the node and sample with the whole batch: the bytes and the warning of one process.
    @Test func aNonFiniteRowIsGatheredAndNamedAsInOneProcess() throws {
        let dir = try CommandRunner.temporaryDirectory("mpi-nan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let circuit = dir.appendingPathComponent("c.circuit").path, batch = dir.appendingPathComponent("b.csv").path
        // log(0.5) < 0, so sqrt of it is NaN, at sample 600 only (rank 2 of 3 has samples 512..<700).
        try "circuit 1\ninput x\ny = log x\nz = sqrt y\noutput z\n".write(toFile: circuit, atomically: true, encoding: .utf8)
        try ("x\n" + (0..<700).map { $0 == 600 ? "0.5\n" : "2\n" }.joined()).write(toFile: batch, atomically: true, encoding: .utf8)
        let oneOut = dir.appendingPathComponent("one.npy").path, out = dir.appendingPathComponent("r.npy").path
        let one = try CommandRunner.circuitgrad("eval", circuit, "--inputs", batch, "--output", oneOut)
        let run = try Self.mpirun(ranks: 3, ["eval", circuit, "--inputs", batch, "--output", out, "--mpi"])
        #expect(one.status == 0 && run.status == 0, "\(run.stderr)")
        #expect(Self.bytes(out) != nil && Self.bytes(out) == Self.bytes(oneOut), "results differ")
        let warning = "sample 600: node 'z' (sqrt) produced a non-finite value (nan)"
        #expect(one.stderr.contains(warning) && run.stderr.contains(warning), "\(run.stderr)")
    }

    /// A rank that cannot write its rows (here rank 2 of 3, whose file-size limit is 1 KiB) stops
    /// the job: rank 0 names it and the cause, and neither output nor temporary file is left.
    @Test func aRankThatCannotWriteItsRowsLeavesNoFile() throws {
        let dir = try CommandRunner.temporaryDirectory("mpi-full")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (circuit, batch) = try Self.workload(dir, samples: 700)
        for ext in ["csv", "npy"] {
            let out = dir.appendingPathComponent("r.\(ext)").path
            let params = dir.appendingPathComponent("p.csv").path
            // Rank 2 ignores SIGXFSZ, so its write fails with EFBIG instead of killing it.
            let limited = ["/bin/sh", "-c", "if [ \"$OMPI_COMM_WORLD_RANK\" = 2 ]; then trap '' XFSZ; ulimit -f 1; fi; exec \"$0\" \"$@\"",
                           CommandRunner.circuitgrad, "eval", circuit, "--inputs", batch, "--output", out, "--param-grads", params, "--mpi"]
            let run = try Self.mpirun(ranks: 3, program: limited)
            #expect(run.status != 0, "\(ext)")
            #expect(run.stderr.contains("rank 2 of 3") && run.stderr.contains("File too large"), "\(ext): \(run.stderr)")
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            #expect(left == ["b.csv", "m.circuit"], "\(ext): no output, no temporary file: \(left)")
        }
    }

    @Test func trainingTrajectoriesAreTheBytesOfOneProcess() throws {
        let dir = try CommandRunner.temporaryDirectory("mpi-train")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (circuit, batch) = try Self.workload(dir, samples: 700)
        // 10 epochs of minibatches of 600 and 100 samples, reshuffled each epoch: 20 Adam steps.
        let train = ["train", circuit, "--inputs", batch, "--optimizer", "adam", "--lr", "0.02", "--epochs", "10",
                     "--batch-size", "600", "--shuffle", "seeded", "--seed", "5"]
        func outputs(_ tag: String) -> [String] {
            ["--loss-out", dir.appendingPathComponent("\(tag)-loss.csv").path, "--params-out", dir.appendingPathComponent("\(tag)-params.csv").path]
        }
        let one = try CommandRunner.run(CommandRunner.circuitgrad, train + ["--threads", "1"] + outputs("one"))
        #expect(one.status == 0, "\(one.stderr)")
        let oneLoss = Self.bytes(dir.appendingPathComponent("one-loss.csv").path)
        let oneParams = Self.bytes(dir.appendingPathComponent("one-params.csv").path)
        let lossLines = String(decoding: oneLoss ?? Data(), as: UTF8.self).split(separator: "\n")
        #expect(lossLines.count == 21, "a header and 20 steps")
        #expect(lossLines.last != lossLines.dropFirst().first, "the loss moved")
        for ranks in [1, 2, 3] {
            for threads in [1, 2] {
                let tag = "r\(ranks)t\(threads)"
                let run = try Self.mpirun(ranks: ranks, train + ["--threads", "\(threads)", "--mpi"] + outputs(tag))
                #expect(run.status == 0, "\(tag): \(run.stderr)")
                #expect(Self.bytes(dir.appendingPathComponent("\(tag)-loss.csv").path) == oneLoss, "\(tag): loss curve differs")
                #expect(Self.bytes(dir.appendingPathComponent("\(tag)-params.csv").path) == oneParams, "\(tag): trained parameters differ")
            }
        }
    }

    @Test func aRankThatCannotReadItsRowsStopsTheJob() throws {
        let dir = try CommandRunner.temporaryDirectory("mpi-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (circuit, batch) = try Self.workload(dir, samples: 700)
        // Row 601 (line 602, after the header) belongs to rank 2 of 3 (samples 512..<700).
        var lines = try String(contentsOfFile: batch, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[601] = "oops," + lines[601].split(separator: ",").dropFirst().joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: batch, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("r.csv").path
        let run = try Self.mpirun(ranks: 3, ["eval", circuit, "--inputs", batch, "--output", out, "--mpi"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("rank 2 of 3"), "\(run.stderr)")
        #expect(run.stderr.contains("b.csv:602:1:"), "\(run.stderr)")
        #expect(!run.stderr.contains("rank 0 of 3 (") && !run.stderr.contains("rank 1 of 3 ("), "only rank 2 saw the bad row: \(run.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["b.csv", "m.circuit"], "no output, no temporary file: \(left)")
    }
    #else
    @Test func withoutMPITheFlagSaysHowToGetIt() throws {
        let dir = try CommandRunner.temporaryDirectory("mpi-none")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (circuit, batch) = try Self.workload(dir, samples: 10)
        let run = try CommandRunner.circuitgrad("eval", circuit, "--inputs", batch, "--mpi")
        #expect(run.status != 0)
        #expect(run.stderr.contains("built without MPI") && run.stderr.contains("scripts/setup"), "\(run.stderr)")
    }
    #endif
}
