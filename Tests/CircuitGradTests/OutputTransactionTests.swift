import Foundation
import Testing
@testable import CircuitGrad

/// Writing outputs: links followed, modes kept, write-protected files refused, streams
/// streamed, several outputs landing together or not at all, stale temporary files removed.
@Suite(.serialized) struct OutputTransactionTests {
    let fm = FileManager.default

    func scratch() throws -> String { try CommandRunner.temporaryDirectory("out").path }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// Names in `dir` that look like temporary files.
    func strays(_ dir: String) throws -> [String] { try fm.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") } }

    func mode(_ path: String) throws -> Int { (try fm.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue }

    @Test func aSymbolicLinkIsFollowedAndStaysALink() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        try "old\n".write(toFile: dir + "/target.csv", atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: "target.csv")
        try AtomicFile.write("new\n", to: dir + "/link.csv")
        #expect(try fm.destinationOfSymbolicLink(atPath: dir + "/link.csv") == "target.csv")
        #expect(try text(dir + "/target.csv") == "new\n")
        // A dangling link creates its target.
        try fm.createSymbolicLink(atPath: dir + "/dangling.csv", withDestinationPath: dir + "/made.csv")
        try AtomicFile.write("made\n", to: dir + "/dangling.csv")
        #expect(try fm.destinationOfSymbolicLink(atPath: dir + "/dangling.csv") == dir + "/made.csv")
        #expect(try text(dir + "/made.csv") == "made\n")
        #expect(try strays(dir).isEmpty)
    }

    @Test func aReplacedFileKeepsItsModeAndOwner() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let path = dir + "/private.csv"
        try "secret\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o600)
        if geteuid() == 0 { chown(path, 65534, 65534) }
        try AtomicFile.write("replaced\n", to: path)
        #expect(try mode(path) == 0o600)
        var s = stat()
        stat(path, &s)
        if geteuid() == 0 { #expect(s.st_uid == 65534 && s.st_gid == 65534) }
        #expect(try text(path) == "replaced\n")
    }

    @Test func aWriteProtectedFileIsRefusedAndKept() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let path = dir + "/frozen.csv"
        try "keep\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o444)
        let error = #expect(throws: CircuitError.self) { try AtomicFile.write("new\n", to: path) }
        #expect(error?.kind == .outputWrite)
        #expect(error?.message.contains("write-protected") == true)
        #expect(try text(path) == "keep\n")
        #expect(try strays(dir).isEmpty)
    }

    @Test func aHardLinkedFileIsRewrittenSoEveryNameSeesIt() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        try "old\n".write(toFile: dir + "/a.csv", atomically: false, encoding: .utf8)
        try fm.linkItem(atPath: dir + "/a.csv", toPath: dir + "/b.csv")
        try AtomicFile.write("new\n", to: dir + "/a.csv")
        #expect(try text(dir + "/b.csv") == "new\n")
        #expect(try strays(dir).isEmpty)
    }

    @Test func aFIFOIsStreamedNotReplaced() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o644) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat '\(fifo)' > '\(dir)/received'"]
        try reader.run()
        try AtomicFile.write("streamed\n", to: fifo)
        reader.waitUntilExit()
        var s = stat()
        lstat(fifo, &s)
        #expect(s.st_mode & S_IFMT == S_IFIFO)
        #expect(try text(dir + "/received") == "streamed\n")
    }

    @Test func aCharacterDeviceIsStreamed() throws {
        try AtomicFile.write("discarded\n", to: "/dev/null")
        var s = stat()
        stat("/dev/null", &s)
        #expect(s.st_mode & S_IFMT == S_IFCHR)
        let destination = try OutputDestination("/dev/null")
        #expect(destination.kind != .file)
        #expect(try OutputDestination("-").kind == .standardOutput)
    }

    @Test func aDirectoryIsRefused() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let error = #expect(throws: CircuitError.self) { try AtomicFile.write("x", to: dir) }
        #expect(error?.kind == .outputWrite)
    }

    @Test func twoOutputsLandTogetherOrNotAtAll() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        try "old a\n".write(toFile: dir + "/a.csv", atomically: false, encoding: .utf8)
        struct Boom: Error {}
        let failing = OutputTransaction()
        try failing.add(dir + "/a.csv") { $0.write("new a\n") }
        #expect(throws: Boom.self) { try failing.add(dir + "/b.csv") { _ in throw Boom() } }
        failing.abandon()
        #expect(try text(dir + "/a.csv") == "old a\n")
        #expect(!fm.fileExists(atPath: dir + "/b.csv"))
        #expect(try strays(dir).isEmpty)
        // A second output that cannot be created (no such folder) stops the first one too.
        let blocked = OutputTransaction()
        try blocked.add(dir + "/a.csv") { $0.write("new a\n") }
        #expect(throws: CircuitError.self) { try blocked.add(dir + "/missing/b.csv") { $0.write("b\n") } }
        blocked.abandon()
        #expect(try text(dir + "/a.csv") == "old a\n")
        let both = OutputTransaction()
        try both.add(dir + "/a.csv") { $0.write("new a\n") }
        try both.add(dir + "/b.csv") { $0.write("new b\n") }
        try both.commit()
        #expect(try text(dir + "/a.csv") == "new a\n" && text(dir + "/b.csv") == "new b\n")
        #expect(try strays(dir).isEmpty)
    }

    @Test func twoSpellingsOfOneNewPathAreTheSameOutput() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        #expect(OutputDestination.identity(of: dir + "/same.csv") == OutputDestination.identity(of: dir + "/./same.csv"))
        #expect(OutputDestination.identity(of: dir + "/same.csv") == OutputDestination.identity(of: dir + "/../" + (dir as NSString).lastPathComponent + "/same.csv"))
        #expect(OutputDestination.identity(of: dir + "/same.csv") != OutputDestination.identity(of: dir + "/other.csv"))
        let t = OutputTransaction()
        try t.add(dir + "/same.csv") { $0.write("1\n") }
        let error = #expect(throws: CircuitError.self) { try t.add(dir + "/./same.csv") { $0.write("2\n") } }
        #expect(error?.kind == .outputWrite)
        t.abandon()
        #expect(!fm.fileExists(atPath: dir + "/same.csv"))
    }

    @Test func aStaleTemporaryFileOfADeadWriterIsRemoved() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        // A process that has exited: its id is free (unless reused, which the sweep reports instead).
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = dir + "/.out.csv.tmp-\(gone.processIdentifier)-0"
        try "half".write(toFile: stale, atomically: false, encoding: .utf8)
        let unrelated = dir + "/.other.csv.tmp-\(gone.processIdentifier)-0"
        try "not ours".write(toFile: unrelated, atomically: false, encoding: .utf8)
        let notes = try AtomicFile.write("fresh\n", to: dir + "/out.csv")
        if kill(gone.processIdentifier, 0) != 0 {
            #expect(!fm.fileExists(atPath: stale))
            #expect(notes.count == 1 && notes[0].contains("removed"))
        }
        #expect(fm.fileExists(atPath: unrelated))
        #expect(try text(dir + "/out.csv") == "fresh\n")
    }

    @Test func aTemporaryFileHeldByALiveWriterIsKept() throws {
        let dir = try scratch()
        defer { try? fm.removeItem(atPath: dir) }
        let live = dir + "/.out.csv.tmp-1-0"   // process 1 is alive; its lock is held here
        let fd = open(live, O_RDWR | O_CREAT, 0o644)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        try AtomicFile.write("fresh\n", to: dir + "/out.csv")
        #expect(fm.fileExists(atPath: live))
    }
}
