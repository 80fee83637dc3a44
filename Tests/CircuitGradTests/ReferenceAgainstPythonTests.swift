import Foundation
import Testing
@testable import CircuitGrad

/// The reference against the independent Python implementation (`scripts/independent_eval.py`)
/// on random circuits from `scripts/random_circuit.py`, read through ``CircuitReader``; and the
/// spec's worked examples as files. The Python cases are skipped where `python3` is missing.
@Suite struct ReferenceAgainstPythonTests {
    static let scripts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts")

    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ arguments: [String]) throws {
        let out = try CommandRunner.run(python!, arguments)
        #expect(out.status == 0, "python3 \(arguments.joined(separator: " ")): \(out.stderr)")
    }

    /// Agreement rule of scripts/crosscheck: 1e−12 relative, 1e−14 absolute floor; NaN with NaN, inf exactly.
    static func agree(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        let d = Swift.abs(a - b)
        return d <= 1e-12 * Swift.max(Swift.abs(a), Swift.abs(b)) || d <= 1e-14
    }

    @Test(.enabled(if: python != nil), arguments: [1, 2, 3, 4, 5, 6] as [Int])
    func randomCircuitAgrees(seed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ref-py-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = dir.appendingPathComponent("r.circuit").path, b = dir.appendingPathComponent("r.csv").path
        let out = dir.appendingPathComponent("o.csv").path, pg = dir.appendingPathComponent("p.csv").path
        try Self.run([Self.scripts.appendingPathComponent("random_circuit.py").path,
                      "--seed", "\(seed)", "--nodes", "70", "--samples", "5", "--circuit", c, "--batch", b])
        try Self.run([Self.scripts.appendingPathComponent("independent_eval.py").path,
                      c, "--inputs", b, "--output", out, "--param-grads", pg])

        let circuit = try CircuitReader.read(contentsOf: c)
        let batch = try Batch.read(contentsOf: b, for: circuit)
        let mine = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
        let theirs = try SampleResultsTable.read(contentsOf: out)
        let theirParams = try ParamGradientsTable.read(contentsOf: pg)

        #expect(theirs.columnNames == ["value"] + circuit.inputNames.map { "d_\($0)" })
        #expect(theirs.rowCount == batch.sampleCount)
        for s in 0..<batch.sampleCount {
            #expect(Self.agree(mine.values[s], theirs[s, 0]), "seed \(seed) sample \(s) value")
            for i in 0..<circuit.inputCount {
                let g = mine.inputGradients[s * circuit.inputCount + i]
                #expect(Self.agree(g, theirs[s, 1 + i]), "seed \(seed) sample \(s) d_\(circuit.inputNames[i]): \(g) vs \(theirs[s, 1 + i])")
            }
        }
        #expect(theirParams.names == circuit.paramNames)
        for (p, g) in mine.paramGradients.enumerated() {
            #expect(Self.agree(g, theirParams.gradients[p]), "seed \(seed) param \(circuit.paramNames[p]): \(g) vs \(theirParams.gradients[p])")
        }
        // Values are not compared bit for bit: Python calls glibc's libm, the reference SLEEF
        // (each within 1 ULP), so the last bits may differ; the rule above bounds the difference.
        // The random circuit really exercises the structure it promises.
        #expect(circuit.explicitSplitterCount >= 2)
        #expect(circuit.nodeIsLive.contains(false))
        #expect(Set(circuit.ops).count == Op.allCases.count)
    }

    /// The IEEE edge cases (infinite inputs, NaN from log/sqrt/pow/div, kinks, ties, zeros in mul):
    /// both implementations must give the same non-finite numbers in the same places.
    @Test(.enabled(if: python != nil))
    func edgeCasesAgree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ref-py-edge-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func text(_ x: Double) -> String { x.isInfinite ? (x > 0 ? "inf" : "-inf") : "\(x)" }
        for e in ReferenceAgainstEngineTests.edgeCases {
            let circuit = try CircuitReader.parse(e.text, sourceName: e.name)
            let c = dir.appendingPathComponent("\(e.name).circuit").path, b = dir.appendingPathComponent("\(e.name).csv").path
            let out = dir.appendingPathComponent("\(e.name).out.csv").path, pg = dir.appendingPathComponent("\(e.name).pg.csv").path
            try e.text.write(toFile: c, atomically: true, encoding: .utf8)
            let csv = ([circuit.inputNames.joined(separator: ",")] + e.rows.map { $0.map(text).joined(separator: ",") }).joined(separator: "\n") + "\n"
            try csv.write(toFile: b, atomically: true, encoding: .utf8)
            try Self.run([Self.scripts.appendingPathComponent("independent_eval.py").path, c, "--inputs", b, "--output", out, "--param-grads", pg])
            let mine = try ReferenceEvaluator(circuit: circuit).evaluate(Batch(rows: e.rows, inputCount: circuit.inputCount))
            let theirs = try SampleResultsTable.read(contentsOf: out)
            let theirParams = try ParamGradientsTable.read(contentsOf: pg)
            for s in 0..<mine.sampleCount {
                let row = [mine.values[s]] + Array(mine.gradient(ofSample: s))
                for (j, x) in row.enumerated() {
                    #expect(Self.agree(x, theirs[s, j]), "\(e.name) sample \(s) column \(theirs.columnNames[j]): \(x) vs \(theirs[s, j])")
                }
            }
            for (p, g) in mine.paramGradients.enumerated() {
                #expect(Self.agree(g, theirParams.gradients[p]), "\(e.name) param \(p): \(g) vs \(theirParams.gradients[p])")
            }
        }
    }

    @Test func specExamplesAsFiles() throws {
        let example1 = "circuit 1\ninput x y z\nv1 = add x y\nf = mul v1 z\noutput f\n"
        let c1 = try CircuitReader.parse(example1, sourceName: "example1.circuit")
        let r1 = try ReferenceEvaluator(circuit: c1).evaluate(Batch(rows: [[-2, 5, -4]], inputCount: 3))
        #expect(r1.values == [-12])
        #expect(r1.inputGradients == [-4, -4, 3])
        let example2 = "circuit 1\ninput x y\ns = add x y\nf = div x s\noutput f\n"
        let c2 = try CircuitReader.parse(example2, sourceName: "example2.circuit")
        let r2 = try ReferenceEvaluator(circuit: c2).evaluate(Batch(rows: [[-1, 2]], inputCount: 2))
        #expect(r2.values == [-1])
        #expect(r2.inputGradients == [2, 1])
    }
}
