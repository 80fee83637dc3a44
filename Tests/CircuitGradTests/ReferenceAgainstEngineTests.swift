import Foundation
import Testing
@testable import CircuitGrad

/// The parallel engine against the reference, bit for bit (NaN payloads included), on circuits
/// the engine's own tests do not make: `scripts/random_circuit.py` files (skipped without
/// `python3`) and hand-written edge cases full of infinities, NaNs, kinks and ties.
@Suite struct ReferenceAgainstEngineTests {
    /// Engine settings to try: serial, level strategy with 2 threads, block strategy with 2 threads.
    static let settings: [EvaluatorOptions] = [
        EvaluatorOptions(threads: 1, pin: .none, laneBlock: 1),
        EvaluatorOptions(threads: 2, pin: .none, laneBlock: 8, strategy: .levels),
        EvaluatorOptions(threads: 2, pin: .none, laneBlock: 16, strategy: .blocks),
    ]

    /// The first place two results differ, or nil when they are bitwise equal.
    static func firstDifference(_ a: EvaluationResult, _ b: EvaluationResult) -> String? {
        if a.isBitwiseEqual(to: b) { return nil }
        for (i, (x, y)) in zip(a.values, b.values).enumerated() where x.bitPattern != y.bitPattern {
            return "value of sample \(i): reference \(x) vs engine \(y)"
        }
        for (i, (x, y)) in zip(a.inputGradients, b.inputGradients).enumerated() where x.bitPattern != y.bitPattern {
            return "input gradient \(i % a.inputCount) of sample \(i / a.inputCount): reference \(x) vs engine \(y)"
        }
        for (i, (x, y)) in zip(a.paramGradients, b.paramGradients).enumerated() where x.bitPattern != y.bitPattern {
            return "parameter gradient \(i): reference \(x) vs engine \(y)"
        }
        return "shapes differ"
    }

    static func check(_ circuit: Circuit, _ batch: Batch, _ label: String) throws {
        let reference = try ReferenceEvaluator(circuit: circuit).evaluate(batch)
        for options in settings {
            let engine = try CircuitEvaluator(circuit: circuit, options: options).evaluate(batch)
            let difference = firstDifference(reference, engine)
            #expect(difference == nil, "\(label), engine \(options.threads!) threads, \(options.laneBlock!) lanes, \(options.strategy): \(difference ?? "")")
        }
    }

    @Test(.enabled(if: ReferenceAgainstPythonTests.python != nil), arguments: [21, 22, 23] as [Int])
    func pythonGeneratedCircuits(seed: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ref-engine-\(getpid())-\(seed)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = dir.appendingPathComponent("r.circuit").path, b = dir.appendingPathComponent("r.csv").path
        try ReferenceAgainstPythonTests.run([ReferenceAgainstPythonTests.scripts.appendingPathComponent("random_circuit.py").path,
                                             "--seed", "\(seed)", "--nodes", "120", "--samples", "37", "--circuit", c, "--batch", b])
        let circuit = try CircuitReader.read(contentsOf: c)
        try Self.check(circuit, try Batch.read(contentsOf: b, for: circuit), "seed \(seed)")
    }

    /// Edge cases: each circuit with rows that hit its op's special values.
    static let edgeCases: [(name: String, text: String, rows: [[Double]])] = [
        ("kinks", "circuit 1\ninput x z\nr = relu x\na = abs x\nm = max x x z\nn = min z x z\nf = add r a m n\noutput f\n",
         [[0, 0], [0, -1], [-0.0, 1], [2, 2], [.infinity, 1], [-.infinity, .infinity]]),
        ("pow", "circuit 1\ninput a b\nf = pow a b\ng = powc a 0.5\nh = powc a -1\no = add f g h\noutput o\n",
         [[0, 2], [0, 0.5], [0, -1], [-2, 3], [-2, 0.5], [2, 3], [0, 0], [-0.0, 1], [.infinity, -1]]),
        ("overflow", "circuit 1\ninput x y\ne = exp x\nm = mul e y\ns = sigmoid x\nt = tanh x\nsn = sin x\nl = log y\no = add m s t l sn\noutput o\n",
         [[.infinity, 0], [-.infinity, 0], [800, 1], [-800, 1], [1, .infinity], [1e300, -1]]),
        ("division", "circuit 1\ninput x y\nd = div x y\nr = recip y\nq = sqrt y\no = add d r q\noutput o\n",
         [[1, 0], [0, 0], [-1, -0.0], [1, -4], [.infinity, .infinity]]),
        ("dead", "circuit 1\ninput x y\nl = log y\nq = sqrt y\nk = mul l q x\nf = square x\noutput f\n",
         [[3, -1], [3, 0], [.infinity, -.infinity]]),
        ("mulzeros", "circuit 1\ninput x y z\nparam p 0\nm = mul x y z p\nf = add m x\noutput f\n",
         [[0, .infinity, 1], [0, 0, 0], [2, 3, -.infinity]]),
    ]

    @Test func edgeCasesMatchBitForBit() throws {
        for e in Self.edgeCases {
            let circuit = try CircuitReader.parse(e.text, sourceName: "\(e.name).circuit")
            try Self.check(circuit, Batch(rows: e.rows, inputCount: circuit.inputCount), e.name)
        }
    }
}
