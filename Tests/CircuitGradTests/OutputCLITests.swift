import Foundation
import Testing
@testable import CircuitGrad

/// `circuitgrad eval`'s outputs end to end: `-` streamed, both outputs or neither, one file
/// under two spellings refused, NPY for every `.npy` name, no temporary file left behind by
/// SIGINT or SIGTERM, and a SIGKILLed run's leftovers removed by the next run.
@Suite(.serialized) struct OutputCLITests {
    let fm = FileManager.default
    static let circuit = "circuit 1\ninput x y\nparam w 2\na = mul x w\nf = add a y\noutput f\n"

    /// A folder holding `c.circuit` and the batch `b.csv`.
    func scratch() throws -> String {
        let dir = try CommandRunner.temporaryDirectory("outcli").path
        try Self.circuit.write(toFile: dir + "/c.circuit", atomically: false, encoding: .utf8)
        try "x,y\n1,2\n3,4\n".write(toFile: dir + "/b.csv", atomically: false, encoding: .utf8)
        return dir
    }

    func eval(_ dir: String, _ extra: [String]) throws -> CommandRunner.Output {
        try CommandRunner.run(CommandRunner.circuitgrad, ["eval", dir + "/c.circuit", "--inputs", dir + "/b.csv"] + extra)
    }

    func strays(_ dir: String) throws -> [String] { try fm.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") } }

    @Test func dashIsStandardOutputForEitherOutput() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let samples = try eval(dir, ["--output", "-", "--param-grads", dir + "/pg.csv"])
        #expect(samples.status == 0, "\(samples.stderr)")
        #expect(samples.stdout == "value,d_x,d_y\n4.0,2.0,1.0\n10.0,2.0,1.0\n")
        let grads = try eval(dir, ["--output", dir + "/o.csv", "--param-grads", "-"])
        #expect(grads.status == 0)
        #expect(grads.stdout == "param,grad\nw,4.0\n")   // d/dw of x·w + y summed: 1 + 3
        #expect(!fm.fileExists(atPath: dir + "/-"))
    }

    @Test func twoSpellingsOfOneNewFileAreRefused() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let out = try CommandRunner.run(CommandRunner.circuitgrad,
                                        ["eval", "c.circuit", "--inputs", "b.csv", "--output", "same.csv", "--param-grads", "./same.csv"],
                                        in: dir)
        #expect(out.status == 64, "\(out.stderr)")
        #expect(out.stderr.hasPrefix("circuitgrad: "))
        #expect(!fm.fileExists(atPath: dir + "/same.csv"))
    }

    @Test func aFailingSecondOutputKeepsTheFirstFromLanding() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        try "old\n".write(toFile: dir + "/o.csv", atomically: false, encoding: .utf8)
        let out = try eval(dir, ["--output", dir + "/o.csv", "--param-grads", dir + "/no/such/folder/pg.csv"])
        #expect(out.status == 73, "\(out.stderr)")
        #expect(try String(contentsOfFile: dir + "/o.csv", encoding: .utf8) == "old\n")
        #expect(try strays(dir).isEmpty)
    }

    @Test func npyNamesInAnyCaseGetNPYForBothOutputs() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let out = try eval(dir, ["--output", dir + "/o.NPY", "--param-grads", dir + "/pg.npy"])
        #expect(out.status == 0, "\(out.stderr)")
        let samples = try SampleResultsTable.read(contentsOf: dir + "/o.NPY")
        #expect(samples.rowCount == 2 && samples.values == [4, 2, 1, 10, 2, 1])
        let bytes = try FileBytes.read(dir + "/pg.npy")
        #expect(Array(bytes[0..<6]) == NPYArray.magic)
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'descr': [('param', '<U1'), ('grad', '<f8')]") && header.contains("'shape': (1,)"), "\(header)")
        let record = Array(bytes[(10 + headerLength)...])
        #expect(record.count == 12)
        #expect(record[0..<4] == [UInt8(ascii: "w"), 0, 0, 0])
        let bits = record[4..<12].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        #expect(Double(bitPattern: bits) == 4)
    }

    /// Starts an `eval` whose parameter gradients are staged in a temporary file and whose
    /// samples go to a FIFO nobody reads, so it waits there; returns it once the temporary exists.
    func startBlockedEval(_ dir: String) throws -> Process {
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandRunner.circuitgrad)
        p.arguments = ["eval", dir + "/c.circuit", "--inputs", dir + "/b.csv", "--output", dir + "/fifo", "--param-grads", dir + "/pg.csv"]
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<1000 where try strays(dir).isEmpty { usleep(10_000) }
        #expect(try strays(dir).count == 1)
        return p
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func anInterruptedWriteLeavesNoTemporaryFile(signal: Int32, status: Int32) throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let p = try startBlockedEval(dir)
        kill(p.processIdentifier, signal)
        for _ in 0..<1000 where p.isRunning { usleep(10_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }   // never hang the suite
        p.waitUntilExit()
        #expect(p.terminationStatus == status)
        #expect(try strays(dir).isEmpty)
        #expect(!fm.fileExists(atPath: dir + "/pg.csv"))
    }

    @Test func theNextRunRemovesWhatAKilledRunLeft() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let p = try startBlockedEval(dir)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(try strays(dir).count == 1)
        let next = try eval(dir, ["--output", dir + "/o.csv", "--param-grads", dir + "/pg.csv"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("removed"), "\(next.stderr)")
        #expect(try strays(dir).isEmpty)
        #expect(try String(contentsOfFile: dir + "/pg.csv", encoding: .utf8) == "param,grad\nw,4.0\n")
    }
}
