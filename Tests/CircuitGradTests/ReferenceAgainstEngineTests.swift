import Foundation
import Testing
@testable import CircuitGrad

/// The parallel engine against the reference, bit for bit (NaN payloads included), on circuits
/// the engine's own tests do not make: `scripts/random_circuit.py` files (skipped without
/// `python3`) and the IEEE edge cases of `Examples/edge-cases/`, full of infinities, NaNs,
/// kinks and ties.
@Suite struct ReferenceAgainstEngineTests {
    /// Engine settings to try: serial, level strategy with 2 threads, block strategy with 2 threads.
    static let settings: [EvaluatorOptions] = [
        EvaluatorOptions(threads: 1, pin: .none, laneBlock: 1),
        EvaluatorOptions(threads: 2, pin: .none, laneBlock: 8, strategy: .levels),
        EvaluatorOptions(threads: 2, pin: .none, laneBlock: 16, strategy: .blocks),
    ]

    static func check(_ circuit: Circuit, _ batch: Batch, _ label: String) throws {
        let reference = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
        for options in settings {
            let engine = try CircuitEvaluator(circuit: circuit, options: options).evaluate(batch)
            let difference = firstBitDifference(reference, engine, nan: .samePayload)
            #expect(difference == nil, "\(label), engine \(options.threads!) threads, \(options.laneBlock!) lanes, \(options.strategy): \(difference ?? "")")
        }
    }

    @Test(.enabled(if: PythonScripts.python != nil), arguments: [21, 22, 23] as [Int])
    func pythonGeneratedCircuits(seed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ref-engine-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = dir.appendingPathComponent("r.circuit").path, b = dir.appendingPathComponent("r.csv").path
        try PythonScripts.run("random_circuit.py", ["--seed", "\(seed)", "--nodes", "120", "--samples", "37", "--circuit", c, "--batch", b])
        let circuit = try CircuitReader.read(contentsOf: c)
        try Self.check(circuit, try Batch.read(contentsOf: b, for: circuit), "seed \(seed)")
    }

    @Test func edgeCasesMatchBitForBit() throws {
        let cases = try EdgeCase.all()
        #expect(cases.count >= 6)
        for e in cases { try Self.check(e.circuit, e.batch, e.name) }
    }
}
