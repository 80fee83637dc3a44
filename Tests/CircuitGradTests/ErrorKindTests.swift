import Foundation
import Testing
@testable import CircuitGrad

/// A caller can tell failures apart by `CircuitError.kind`, and each still carries its located
/// message: one bad input per kind, read through the library's own entry points.
@Suite struct ErrorKindTests {
    /// The error `body` throws (nil when it throws none or another type).
    func failure(_ body: () throws -> Void) -> CircuitError? {
        do { try body(); return nil } catch let e as CircuitError { return e } catch { return nil }
    }

    func circuitFailure(_ text: String) -> CircuitError? {
        failure { _ = try CircuitReader.parse(text, sourceName: "bad.circuit") }
    }

    /// Every circuit-text failure kind: the text, the kind, the line and column, part of the message.
    static let circuitCases: [(String, CircuitError.Kind, Int32, Int32, String)] = [
        ("circuit 1\ninput x\nf = scale x abc\noutput f\n", .syntax, 3, 16, "needs a number"),
        ("circuit 1\ninput x y\nf = ad x y\noutput f\n", .unknownOp, 3, 5, "unknown op 'ad'"),
        ("circuit 1\ninput x\nf = sub x\noutput f\n", .arity, 3, 0, "sub"),
        ("circuit 1\ninput x\nf = add x q\noutput f\n", .undefinedWire, 3, 11, "'q'"),
        ("circuit 1\ninput x x\nf = neg x\noutput f\n", .duplicateWire, 2, 9, "'x'"),
        ("circuit 1\ninput x\na = add x b\nb = neg a\noutput b\n", .cycle, 0, 0, "cycle"),
        ("circuit 1\ninput x\nf = neg x\n", .missingOutput, 0, 0, "output"),
        ("circuit 1\ninput x\nf = neg x\noutput f\noutput x\n", .duplicateOutput, 5, 0, "output"),
    ]

    @Test(arguments: 0..<circuitCases.count)
    func circuitTextFailuresHaveTheirKindAndPlace(_ index: Int) throws {
        let (text, kind, line, column, fragment) = Self.circuitCases[index]
        let e = try #require(circuitFailure(text), "no CircuitError for case \(index)")
        switch e.kind {
        case kind: break
        default: Issue.record("case \(index): kind \(e.kind), expected \(kind): \(e)")
        }
        #expect(e.file == "bad.circuit")
        if line > 0 { #expect(e.location.line == line, "\(e)") }
        if column > 0 { #expect(e.location.column == column, "\(e)") }
        #expect(e.description.hasPrefix("bad.circuit:") && e.message.contains(fragment), "\(e)")
    }

    @Test func batchFileAndArgumentFailuresHaveTheirKind() throws {
        let c = try CircuitReader.parse("circuit 1\ninput x y\nf = mul x y\noutput f\n", sourceName: "c")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-kinds-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // A batch whose header names a wire the circuit lacks: located at the column.
        let shape = try #require(failure { _ = try Batch.parse(Array("x,z\n1,2\n".utf8), sourceName: "b.csv", for: c) })
        #expect(shape.kind == .batchShape && shape.location.line == 1 && shape.location.column == 3, "\(shape)")
        #expect(shape.message.contains("'z'"))

        let missing = try #require(failure { _ = try CircuitReader.read(contentsOf: dir.appendingPathComponent("none.circuit").path) })
        #expect(missing.kind == .inputRead && missing.file.hasSuffix("none.circuit"), "\(missing)")

        let batch = try Batch(rows: [[1, 2]], inputCount: 2)
        let result = try ReferenceEvaluator(circuit: c).evaluate(batch)
        let unwritable = dir.appendingPathComponent("no-such-folder/out.csv").path
        let write = try #require(failure { try ResultsWriter.writeSamples(result, inputNames: ["x", "y"], to: unwritable) })
        #expect(write.kind == .outputWrite, "\(write)")

        let lanes = try #require(failure { _ = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(laneBlock: 12)) })
        #expect(lanes.kind == .invalidArgument && lanes.message.contains("lane block 12"), "\(lanes)")
        let width = try #require(failure { _ = try ReferenceEvaluator(circuit: c).evaluate(try Batch(rows: [[1]], inputCount: 1)) })
        #expect(width.kind == .invalidArgument, "\(width)")

        // Arguments a caller builds by hand: a ragged batch, a wire of another builder, a wrong
        // number of parameter values, a budget too small for any lane block.
        let ragged = try #require(failure { _ = try Batch(rows: [[1, 2], [3]], inputCount: 2) })
        #expect(ragged.kind == .invalidArgument && ragged.message.contains("row 1"), "\(ragged)")
        let other = CircuitBuilder(), mine = CircuitBuilder()
        let foreign = other.input("u")
        let crossed = try #require(failure { _ = try mine.build(output: foreign) })
        #expect(crossed.kind == .invalidArgument && crossed.message.contains("another CircuitBuilder"), "\(crossed)")
        let params = try #require(failure { _ = try ReferenceEvaluator(circuit: c, paramValues: [1]) })
        #expect(params.kind == .invalidArgument, "\(params)")
    }
}
