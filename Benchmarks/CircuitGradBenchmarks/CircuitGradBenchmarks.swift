import Benchmark
import CircuitGrad

// The package benchmark suite: every generator kind evaluated by the parallel engine
// (`CircuitEvaluator`) at 1 and 2 threads and batch sizes 1 and 64. Each benchmark runs whole
// evaluations (forward + backward); the engine's own timing adds the forward and backward parts
// as custom metrics, and `node-evals/s` is function nodes × samples / total seconds.
// See Benchmarks/README.md for the command and how to read the output.

/// One circuit of the suite, with a generated batch per batch size.
struct SuiteCircuit {
    let name: String
    let circuit: Circuit
    let batches: [Int: Batch]

    init(_ name: String, _ shape: any CircuitShape, seed: UInt64 = 1) {
        self.name = name
        circuit = try! shape.circuit(seed: seed)
        var batches = [Int: Batch]()
        for size in BenchmarkSuite.batchSizes { batches[size] = try! shape.batch(samples: size, seed: seed) }
        self.batches = batches
    }
}

/// Sizes and metrics of the suite.
enum BenchmarkSuite {
    static let batchSizes = [1, 64]
    static let threadCounts = [1, 2]

    /// Each about 10–20k nodes: a batch-64 evaluation takes milliseconds, the suite a few minutes.
    static func circuits() -> [SuiteCircuit] {
        [
            SuiteCircuit("layered", LayeredShape(nodes: 20_000, width: 200)),
            SuiteCircuit("mlp", MLPShape(layerSizes: [16, 96, 96, 1])),
            SuiteCircuit("logistic", LogisticShape(features: 4096)),
            SuiteCircuit("tree", TreeShape(leaves: 16_384)),
            SuiteCircuit("chain", ChainShape(length: 10_000)),
            SuiteCircuit("grid", GridShape(rows: 100, columns: 100)),
        ]
    }

    static let forwardMetric = BenchmarkMetric.custom("forward (ns)", polarity: .prefersSmaller, useScalingFactor: false)
    static let backwardMetric = BenchmarkMetric.custom("backward (ns)", polarity: .prefersSmaller, useScalingFactor: false)
    static let rateMetric = BenchmarkMetric.custom("node-evals/s", polarity: .prefersLarger, useScalingFactor: false)

    static func configuration(threads: Int, batch: Int) -> Benchmark.Configuration {
        Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal, forwardMetric, backwardMetric, rateMetric],
            tags: ["threads": "\(threads)", "batch": "\(batch)"],
            warmupIterations: 2,
            maxDuration: .seconds(1),
            maxIterations: 500)
    }
}

/// The engine for one circuit and thread count, built on first use so that only one
/// benchmark's worker threads exist at a time.
final class EngineCase: @unchecked Sendable {
    let suiteCircuit: SuiteCircuit
    let threads: Int
    private var evaluator: CircuitEvaluator?

    init(_ suiteCircuit: SuiteCircuit, threads: Int) {
        self.suiteCircuit = suiteCircuit
        self.threads = threads
    }

    func engine() -> CircuitEvaluator {
        if let e = evaluator { return e }
        let e = try! CircuitEvaluator(circuit: suiteCircuit.circuit, options: EvaluatorOptions(threads: threads))
        evaluator = e
        return e
    }

    func release() { evaluator = nil }
}

let benchmarks: @Sendable () -> Void = {
    for suiteCircuit in BenchmarkSuite.circuits() {
        let nodes = suiteCircuit.circuit.nodeCount
        for threads in BenchmarkSuite.threadCounts {
            let engineCase = EngineCase(suiteCircuit, threads: threads)
            for batchSize in BenchmarkSuite.batchSizes {
                let batch = suiteCircuit.batches[batchSize]!
                let configuration = BenchmarkSuite.configuration(threads: threads, batch: batchSize)
                Benchmark("\(suiteCircuit.name) \(nodes) nodes", configuration: configuration) { benchmark in
                    let engine = engineCase.engine()
                    for _ in benchmark.scaledIterations {
                        var timing = EvaluationTiming()
                        blackHole(try! engine.evaluate(batch, timing: &timing))
                        benchmark.measurement(BenchmarkSuite.forwardMetric, Int(timing.forwardSeconds * 1e9))
                        benchmark.measurement(BenchmarkSuite.backwardMetric, Int(timing.backwardSeconds * 1e9))
                        let rate = Double(nodes * batchSize) / Swift.max(timing.totalSeconds, 1e-9)
                        benchmark.measurement(BenchmarkSuite.rateMetric, Int(rate))
                    }
                } teardown: {
                    engineCase.release()
                }
            }
        }
    }
}
