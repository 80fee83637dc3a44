import Foundation
import Testing
@testable import CircuitGrad

/// The reference against the independent Python implementation (`scripts/independent_eval.py`)
/// on random circuits from `scripts/random_circuit.py`, read through ``CircuitReader``; and the
/// spec's worked examples as files. The Python cases are skipped where `python3` is missing.
@Suite struct ReferenceAgainstPythonTests {
    /// Agreement rule of scripts/crosscheck: 1e−12 relative, 1e−14 absolute floor; NaN with NaN, inf exactly.
    static func agree(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a.isInfinite || b.isInfinite { return a == b }
        let d = Swift.abs(a - b)
        return d <= 1e-12 * Swift.max(Swift.abs(a), Swift.abs(b)) || d <= 1e-14
    }

    @Test(.enabled(if: PythonScripts.python != nil), arguments: [1, 2, 3, 4, 5, 6] as [Int])
    func randomCircuitAgrees(seed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ref-py-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = dir.appendingPathComponent("r.circuit").path, b = dir.appendingPathComponent("r.csv").path
        let out = dir.appendingPathComponent("o.csv").path, pg = dir.appendingPathComponent("p.csv").path
        try PythonScripts.run("random_circuit.py", ["--seed", "\(seed)", "--nodes", "70", "--samples", "5", "--circuit", c, "--batch", b])
        try PythonScripts.run("independent_eval.py", [c, "--inputs", b, "--output", out, "--param-grads", pg])

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
    @Test(.enabled(if: PythonScripts.python != nil))
    func edgeCasesAgree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ref-py-edge-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases = try EdgeCase.all()
        #expect(cases.count >= 6)
        for e in cases {
            let out = dir.appendingPathComponent("\(e.name).out.csv").path, pg = dir.appendingPathComponent("\(e.name).pg.csv").path
            try PythonScripts.run("independent_eval.py", [e.circuitPath, "--inputs", e.batchPath, "--output", out, "--param-grads", pg])
            let mine = try ReferenceEvaluator(circuit: e.circuit).evaluate(e.batch)
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
