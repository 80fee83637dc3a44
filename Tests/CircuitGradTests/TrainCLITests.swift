import Foundation
import Testing
@testable import CircuitGrad

/// `circuitgrad train`, `hvp` and `eval --params` end to end: against the independent Python
/// trainer (scripts/independent_train.py over scripts/independent_eval.py's gradients), the same
/// bytes for 1, 2 and 3 threads, every output written (also after Ctrl-C), located errors.
@Suite(.serialized) struct TrainCLITests {
    static let python = PythonScripts.python

    /// A small MLP, 24 samples of data, in a fresh directory.
    func problem(_ tag: String) throws -> URL {
        let dir = try CommandRunner.temporaryDirectory(tag)
        let c = try MLPShape(layerSizes: [1, 6, 1]).circuit(seed: 2, progress: nil)
        try CircuitWriter.write(c, to: dir.appendingPathComponent("m.circuit").path)
        var g = GeneratorRandom(seed: 3)
        var csv = "x0,y0\n"
        for _ in 0..<24 { csv += "\(g.uniform(-1, 1)),\(g.uniform(0, 1))\n" }
        try csv.write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    func table(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    }

    @Test(.enabled(if: python != nil), arguments: OptimizerSettings.Kind.allCases)
    func fullBatchRunMatchesTheIndependentTrainer(kind: OptimizerSettings.Kind) throws {
        let dir = try problem("train-py")
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        let common = ["--optimizer", kind.rawValue, "--lr", "0.05", "--epochs", "20", "--weight-decay", "0.01", "--clip", "0.5"]
        let mine = try CommandRunner.run(CommandRunner.circuitgrad, ["train", p("m.circuit"), "--inputs", p("d.csv"), "--params-out", p("s.csv"),
                                                  "--loss-out", p("sl.csv"), "--threads", "2"] + common)
        #expect(mine.status == 0, "\(mine.stderr)")
        let theirs = try CommandRunner.run(Self.python!, [PythonScripts.folder.appendingPathComponent("independent_train.py").path,
                                                          p("m.circuit"), "--inputs", p("d.csv"), "--params-out", p("py.csv"),
                                                          "--loss-out", p("pyl.csv")] + common)
        #expect(theirs.status == 0, "\(theirs.stderr)")
        let a = try table(p("s.csv")), b = try table(p("py.csv"))
        #expect(a.count == 19 && a.map { $0[0] } == b.map { $0[0] })
        for (x, y) in zip(a, b) {
            let u = Double(x[1])!, v = Double(y[1])!
            #expect(Swift.abs(u - v) <= 1e-10 * Swift.max(Swift.abs(u), Swift.abs(v)), "\(kind) \(x[0]): \(u) vs \(v)")
        }
        let la = try table(p("sl.csv")), lb = try table(p("pyl.csv"))
        #expect(la.count == 20 && la.map { $0[0] + "," + $0[1] } == lb.map { $0[0] + "," + $0[1] })
        for (x, y) in zip(la, lb) {
            let u = Double(x[2])!, v = Double(y[2])!
            #expect(Swift.abs(u - v) <= 1e-10 * Swift.abs(v), "\(kind) loss at step \(x[0])")
        }
        #expect(Double(la.last![2])! < Double(la.first![2])!)
    }

    @Test func theSameBytesForOneTwoAndThreeThreadsAndEveryOutputWritten() throws {
        let dir = try problem("train-threads")
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        var outputs: [[String]] = []
        for t in [1, 2, 3] {
            let r = try CommandRunner.run(CommandRunner.circuitgrad, ["train", p("m.circuit"), "--inputs", p("d.csv"), "--optimizer", "nesterov",
                                                   "--lr", "0.1", "--epochs", "4", "--batch-size", "5", "--shuffle", "seeded",
                                                   "--seed", "11", "--threads", "\(t)", "--params-out", p("p\(t).csv"),
                                                   "--loss-out", p("l\(t).csv"), "--plot", "--circuit-out", p("c\(t).circuit")])
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(try ["p", "l", "c"].map { try String(contentsOfFile: p("\($0)\(t).\($0 == "c" ? "circuit" : "csv")"), encoding: .utf8) })
        }
        #expect(outputs[1] == outputs[0] && outputs[2] == outputs[0])
        #expect(outputs[0][1].hasPrefix("step,epoch,loss\n1,1,"))
        #expect(try table(p("l1.csv")).count == 4 * 5)   // 24 samples in fives: 5 steps an epoch
        #expect(try String(contentsOfFile: p("l1.svg"), encoding: .utf8).contains("<polyline"))
        // The circuit written back carries the parameters of the parameter file, and eval --params agrees.
        let trained = try CircuitReader.read(contentsOf: p("c1.circuit"))
        #expect(trained.paramValues == (try ParameterFile.read(contentsOf: p("p1.csv"), for: trained)))
        let viaFile = try CommandRunner.circuitgrad("eval", p("m.circuit"), "--inputs", p("d.csv"), "--params", p("p1.csv"))
        let viaCircuit = try CommandRunner.circuitgrad("eval", p("c1.circuit"), "--inputs", p("d.csv"))
        #expect(viaFile.status == 0 && viaFile.stdout == viaCircuit.stdout && !viaFile.stdout.isEmpty)
    }

    @Test func ctrlCStopsAfterAStepAndStillWritesTheParameters() throws {
        let dir = try problem("train-int")
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.circuitgrad)
        process.arguments = ["train", p("m.circuit"), "--inputs", p("d.csv"), "--epochs", "100000000", "--threads", "1",
                             "--params-out", p("p.csv"), "--loss-out", p("l.csv")]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the step loop catches SIGINT (bit 2 of SigCgt in /proc/PID/status), then send it.
        let status = "/proc/\(process.processIdentifier)/status"
        func catchesInterrupt() -> Bool {
            guard let text = try? String(contentsOfFile: status, encoding: .utf8),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
                  let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
            return mask & 2 != 0
        }
        let deadline = Date().addingTimeInterval(120)
        while !catchesInterrupt() && process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGINT)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let c = try CircuitReader.read(contentsOf: p("m.circuit"))
        let params = try ParameterFile.read(contentsOf: p("p.csv"), for: c)
        let steps = try table(p("l.csv")).count
        #expect(steps > 0 && params != c.paramValues)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains { $0.contains(".tmp-") })
    }

    @Test func trainOutputsLandTogetherOrNotAtAll() throws {
        let dir = try problem("train-together")
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        try "old parameters\n".write(toFile: p("p.csv"), atomically: true, encoding: .utf8)
        try "old losses\n".write(toFile: p("l.csv"), atomically: true, encoding: .utf8)
        chmod(p("l.csv"), 0o444)
        let args = ["train", p("m.circuit"), "--inputs", p("d.csv"), "--epochs", "2", "--threads", "1",
                    "--params-out", p("p.csv"), "--loss-out", p("l.csv"), "--circuit-out", p("m.cgb")]
        let refused = try CommandRunner.run(CommandRunner.circuitgrad, args)
        #expect(refused.status == 73 && refused.stderr.contains("write-protected"), "\(refused.stderr)")
        // The parameter file was not replaced and no binary circuit appeared: neither output landed.
        #expect(try String(contentsOfFile: p("p.csv"), encoding: .utf8) == "old parameters\n")
        #expect(!FileManager.default.fileExists(atPath: p("m.cgb")))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains { $0.contains(".tmp-") })
        chmod(p("l.csv"), 0o644)
        let landed = try CommandRunner.run(CommandRunner.circuitgrad, args)
        #expect(landed.status == 0, "\(landed.stderr)")
        // A .cgb name gets the binary format, holding the parameters of the parameter file.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p("m.cgb"))))
        #expect(bytes.first == 0x89 && Array(bytes[1..<4]) == Array("CGB".utf8))
        let trained = try CircuitReader.read(contentsOf: p("m.cgb"))
        #expect(trained.paramValues == (try ParameterFile.read(contentsOf: p("p.csv"), for: trained)))
        #expect(try table(p("l.csv")).count == 2)
    }

    @Test func badParameterFilesAndBadOptionsAreRefused() throws {
        let dir = try problem("train-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        try "param,value\nw1_0_0,1\nnope,2\n".write(toFile: p("bad.csv"), atomically: true, encoding: .utf8)
        let r = try CommandRunner.circuitgrad("train", p("m.circuit"), "--inputs", p("d.csv"), "--params-in", p("bad.csv"))
        #expect(r.status != 0 && r.stderr.contains("bad.csv:3:1: 'nope' is not a parameter"), "\(r.stderr)")
        let e = try CommandRunner.circuitgrad("eval", p("m.circuit"), "--inputs", p("d.csv"), "--params", p("bad.csv"))
        #expect(e.status != 0 && e.stderr.contains("bad.csv:3:1:"))
        let over = try CommandRunner.circuitgrad("train", p("m.circuit"), "--inputs", p("d.csv"), "--params-out", p("d.csv"))
        #expect(over.status != 0 && over.stderr.contains("refusing to overwrite"))
        let lr = try CommandRunner.circuitgrad("train", p("m.circuit"), "--inputs", p("d.csv"), "--lr", "0")
        #expect(lr.status != 0 && lr.stderr.contains("learning rate"))
        // An optimizer setting out of range is a usage error (64), like any bad option.
        #expect(lr.status == 64, "\(lr.stderr)")
        let beta = try CommandRunner.circuitgrad("train", p("m.circuit"), "--inputs", p("d.csv"), "--beta1", "1")
        #expect(beta.status == 64 && beta.stderr.contains("beta1 must be in [0, 1)"), "\(beta.stderr)")
    }

    @Test func hvpWritesValueGradientAndProductColumns() throws {
        // f = x²·y at (x, y) = (2, 3), direction (1, 0.5): ∇f = (2xy, x²) = (12, 4);
        // H = [[2y, 2x], [2x, 0]] = [[6, 4], [4, 0]], so H·d = (6 + 2, 4) = (8, 4).
        let dir = try CommandRunner.temporaryDirectory("hvp")
        defer { try? FileManager.default.removeItem(at: dir) }
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        try "circuit 1\ninput x y\ns = square x\nf = mul s y\noutput f\n".write(toFile: p("c.circuit"), atomically: true, encoding: .utf8)
        try "x,y\n2,3\n1,1\n".write(toFile: p("b.csv"), atomically: true, encoding: .utf8)
        try "y,x\n0.5,1\n".write(toFile: p("d.csv"), atomically: true, encoding: .utf8)
        let r = try CommandRunner.circuitgrad("hvp", p("c.circuit"), "--inputs", p("b.csv"), "--direction", p("d.csv"))
        #expect(r.status == 0, "\(r.stderr)")
        // Second sample (1, 1): ∇f = (2, 1), H = [[2, 2], [2, 0]], H·d = (3, 2).
        #expect(r.stdout == "value,d_x,d_y,hvp_x,hvp_y\n12.0,12.0,4.0,8.0,4.0\n1.0,2.0,1.0,3.0,2.0\n")
        let npy = try CommandRunner.circuitgrad("hvp", p("c.circuit"), "--inputs", p("b.csv"), "--direction", p("d.csv"),
                                                "--output", p("o.npy"), "--threads", "2")
        #expect(npy.status == 0)
        let array = try NPYArray.parse(try FileBytes.read(p("o.npy")), file: "o.npy", allowingNaN: true)
        #expect(array.rows == 2 && array.columns == 5 && array.values == [12, 12, 4, 8, 4, 1, 2, 1, 3, 2])
        try "x,y\n1,0\n0,1\n1,1\n".write(toFile: p("d3.csv"), atomically: true, encoding: .utf8)
        let bad = try CommandRunner.circuitgrad("hvp", p("c.circuit"), "--inputs", p("b.csv"), "--direction", p("d3.csv"))
        #expect(bad.status != 0 && bad.stderr.contains("has 3 rows"))
    }
}
