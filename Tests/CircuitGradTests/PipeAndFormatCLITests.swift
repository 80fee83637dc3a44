import Foundation
import Testing
@testable import CircuitGrad

/// The command line with pipes and file formats: `-` as standard input and output, `--json`,
/// formats told by content and checked against names, `convert` both ways.
@Suite(.serialized) struct PipeAndFormatCLITests {
    func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The numbers of the (possibly nested) array that follows `key` in JSON text, read with `Double(_:)`.
    func numbers(after key: String, in json: String) -> [Double] {
        guard let start = json.range(of: key)?.upperBound else { return [] }
        var depth = 0, end = start
        for i in json[start...].indices {
            if json[i] == "[" { depth += 1 } else if json[i] == "]" { depth -= 1 }
            if depth == 0 { end = i; break }
        }
        return json[start..<end].split { "[], ".contains($0) }.compactMap { Double(String($0)) }
    }

    @Test func circuitOrBatchFromStandardInputGivesTheSameResults() throws {
        let files = try CommandRunner.circuitgrad("eval", "Examples/neuron.circuit", "--inputs", "Examples/neuron.csv")
        #expect(files.status == 0)
        let circuitPiped = try CommandRunner.circuitgrad(stdin: "Examples/neuron.circuit", "eval", "-", "--inputs", "Examples/neuron.csv")
        let batchPiped = try CommandRunner.circuitgrad(stdin: "Examples/neuron.csv", "eval", "Examples/neuron.circuit", "--inputs", "-")
        #expect(circuitPiped.status == 0 && batchPiped.status == 0, "\(circuitPiped.stderr) \(batchPiped.stderr)")
        #expect(circuitPiped.stdout == files.stdout && batchPiped.stdout == files.stdout)

        let both = try CommandRunner.circuitgrad(stdin: "Examples/neuron.csv", "eval", "-", "--inputs", "-")
        #expect(both.status != 0 && both.stdout.isEmpty)
        #expect(both.stderr.contains("cannot both be standard input"), "\(both.stderr)")

        let broken = try CommandRunner.circuitgrad(stdin: "Examples/neuron.csv", "eval", "-", "--inputs", "Examples/neuron.csv")
        #expect(broken.status != 0 && broken.stdout.isEmpty)
        #expect(broken.stderr.contains("<stdin>:1:1:"), "\(broken.stderr)")
    }

    @Test func npyBatchThroughAPipeAndUnderAnyName() throws {
        let dir = try CommandRunner.temporaryDirectory("npy-pipe")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Rows of Examples/worked.csv, with a negative zero and a subnormal as well.
        let rows: [Double] = [-2, 5, -4, 1, 2, 3, 0.5, -0.25, 10, -0.0, .leastNonzeroMagnitude, 1]
        let npy = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 3), }", doubles: rows)
        let csv = "x,y,z\n" + stride(from: 0, to: rows.count, by: 3).map { r in rows[r..<(r + 3)].map(NumberText.format).joined(separator: ",") }
            .joined(separator: "\n") + "\n"
        let csvPath = try write(Array(csv.utf8), "b.csv", in: dir)
        let expected = try CommandRunner.circuitgrad("eval", "Examples/worked.circuit", "--inputs", csvPath)
        #expect(expected.status == 0, "\(expected.stderr)")
        let piped = try CommandRunner.circuitgrad(stdin: try write(npy, "b.npy", in: dir), "eval", "Examples/worked.circuit", "--inputs", "-")
        let misnamed = try CommandRunner.circuitgrad("eval", "Examples/worked.circuit", "--inputs", try write(npy, "npy-inside.csv", in: dir))
        #expect(piped.stdout == expected.stdout && misnamed.stdout == expected.stdout, "\(piped.stderr) \(misnamed.stderr)")

        let csvNamedNPY = try CommandRunner.circuitgrad("eval", "Examples/worked.circuit", "--inputs", try write(Array(csv.utf8), "b2.npy", in: dir))
        #expect(csvNamedNPY.status != 0 && csvNamedNPY.stderr.contains("NPY: the name ends in .npy"), "\(csvNamedNPY.stderr)")
        var damaged = npy
        damaged[20] = UInt8(ascii: "?")   // inside the header dict
        let broken = try CommandRunner.circuitgrad("eval", "Examples/worked.circuit", "--inputs", try write(damaged, "d.csv", in: dir))
        #expect(broken.status != 0 && broken.stderr.contains("d.csv: NPY: malformed header"), "\(broken.stderr)")
    }

    @Test func evalJSONCarriesEveryBit() throws {
        let csv = try CommandRunner.circuitgrad("eval", "Examples/neuron.circuit", "--inputs", "Examples/neuron.csv")
        let json = try CommandRunner.circuitgrad("eval", "Examples/neuron.circuit", "--inputs", "Examples/neuron.csv", "--json")
        #expect(json.status == 0 && json.stderr.isEmpty, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["inputs"] as? [String] == ["x1", "x2"] && object["params"] as? [String] == ["w0", "w1", "w2"])
        // Foundation's JSON parser rounds some numbers, so the bits are read from the text itself.
        let table = try SampleResultsTable.parse(Array(csv.stdout.utf8), sourceName: "csv")
        #expect((object["gradients"] as? [[Double]])?.count == table.rowCount)
        let values = numbers(after: "\"values\":", in: json.stdout), gradients = numbers(after: "\"gradients\":", in: json.stdout)
        #expect(values.map(\.bitPattern) == (0..<table.rowCount).map { table[$0, 0].bitPattern })
        #expect(gradients.map(\.bitPattern) == (0..<table.rowCount).flatMap { [table[$0, 1], table[$0, 2]] }.map(\.bitPattern))
        #expect((object["paramGradients"] as? [Double])?.count == 3)
        #expect(object["nonFinite"] is NSNull)

        let dir = try CommandRunner.temporaryDirectory("json")
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try write(Array("circuit 1\ninput x\ny = log x\nz = sqrt y\noutput z\n".utf8), "c.circuit", in: dir)
        let b = try write(Array("x\n2\n0.5\n0\n".utf8), "b.csv", in: dir)
        let nonFinite = try CommandRunner.circuitgrad("eval", c, "--inputs", b, "--json")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(nonFinite.stdout.utf8)) as? [String: Any])
        #expect((o["values"] as? [Any])?.last as? String == "nan", "\(nonFinite.stdout)")
        #expect((o["nonFinite"] as? String)?.contains("node 'z' (sqrt)") == true)
        #expect(nonFinite.stderr.contains("warning: non-finite result"))

        let conflict = try CommandRunner.circuitgrad("eval", c, "--inputs", b, "--json", "--output", dir.appendingPathComponent("r.csv").path)
        #expect(conflict.status != 0 && conflict.stdout.isEmpty && conflict.stderr.contains("--json"))
        let missing = try CommandRunner.circuitgrad("eval", dir.appendingPathComponent("none.circuit").path, "--json")
        #expect(missing.status != 0 && missing.stdout.isEmpty && missing.stderr.contains("cannot open"))
    }

    @Test func checkJSONReportsTheVerdict() throws {
        let out = try CommandRunner.circuitgrad("check", "Examples/ratio.circuit", "--json", "--threads", "2")
        #expect(out.status == 0, "\(out.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let gradients = try #require(o["gradients"] as? [String: Any]), second = try #require(o["secondOrder"] as? [String: Any])
        #expect(o["pass"] as? Bool == true && gradients["failed"] as? Int == 0 && (gradients["comparisons"] as? Int ?? 0) > 0)
        #expect(second["pass"] as? Bool == true && (second["comparisons"] as? Int ?? 0) > 0)
        #expect((o["engine"] as? [String: Any])?["bitwiseEqualToReference"] as? Bool == true)
        #expect((o["engine"] as? [String: Any])?["hessianVectorProductsEqualToReference"] as? Bool == true)
    }

    /// `scripts/cgb_to_text.py` reads `.cgb` files from the documented layout alone (its own
    /// XXH64 too); the circuits it prints are the ones written.
    @Test func anIndependentReaderOfTheDocumentedLayoutAgrees() throws {
        let dir = try CommandRunner.temporaryDirectory("cgb-python")
        defer { try? FileManager.default.removeItem(at: dir) }
        var circuits = try BinaryCircuitTests.texts.map { try CircuitReader.parse($0, sourceName: "t") }
        circuits += try GeneratorSamples.shapes.prefix(4).map { try $0.1.circuit(seed: 4, progress: nil) }
        for (k, circuit) in circuits.enumerated() {
            let path = try write(try BinaryCircuitWriter.bytes(of: circuit), "c\(k).cgb", in: dir)
            let out = try CommandRunner.run("/usr/bin/env", ["python3", "scripts/cgb_to_text.py", path])
            #expect(out.status == 0, "\(out.stderr)")
            expectIdentical(try CircuitReader.parse(out.stdout, sourceName: "python"), circuit, "circuit \(k) read by Python")
        }
    }

    @Test func convertRoundTripsThroughFilesAndPipes() throws {
        let dir = try CommandRunner.temporaryDirectory("convert")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cgb = dir.appendingPathComponent("n.cgb").path, back = dir.appendingPathComponent("n.circuit").path
        #expect(try CommandRunner.circuitgrad("convert", "Examples/neuron.circuit", cgb).status == 0)
        #expect(try CommandRunner.circuitgrad("convert", cgb, back).status == 0)
        let canonical = try CircuitWriter.text(of: CircuitReader.read(contentsOf: "\(CommandRunner.packageRoot.path)/Examples/neuron.circuit"))
        #expect(try String(contentsOfFile: back, encoding: .utf8) == canonical)

        let piped = try CommandRunner.circuitgrad(stdin: cgb, "convert", "-", "-", "--to", "text")
        #expect(piped.status == 0 && piped.stdout == canonical, "\(piped.stderr)")
        let again = dir.appendingPathComponent("again.cgb").path
        #expect(try CommandRunner.circuitgrad(stdin: back, "convert", "-", again).status == 0)
        #expect(FileManager.default.contents(atPath: again) == FileManager.default.contents(atPath: cgb))

        // Every command reads the binary file; results are the text file's.
        let fromText = try CommandRunner.circuitgrad("eval", "Examples/neuron.circuit", "--inputs", "Examples/neuron.csv")
        let fromBinary = try CommandRunner.circuitgrad("eval", cgb, "--inputs", "Examples/neuron.csv")
        #expect(fromBinary.status == 0 && fromBinary.stdout == fromText.stdout)

        let kept = try CommandRunner.circuitgrad("convert", "Examples/neuron.circuit", cgb)
        #expect(kept.status != 0 && kept.stderr.contains("already exists"))
        let unknown = try CommandRunner.circuitgrad("convert", "Examples/neuron.circuit", dir.appendingPathComponent("n.bin").path)
        #expect(unknown.status != 0 && unknown.stderr.contains("--to"))
        let damaged = try write(Array(FileManager.default.contents(atPath: cgb)!.dropLast(3)), "d.cgb", in: dir)
        let truncated = try CommandRunner.circuitgrad("info", damaged)
        #expect(truncated.status != 0 && truncated.stderr.contains("d.cgb: binary circuit: the file is truncated"), "\(truncated.stderr)")
    }
}
