import ArgumentParser
import CircuitGrad


/// `circuitgrad bench`: times the engine's forward and backward sweeps on a random batch
/// for several thread counts and checks that every thread count gives the same bits.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time forward, backward and whole evaluations of a circuit for several thread counts.",
        discussion: """
            Builds the evaluator once per thread count, evaluates the batch once to warm up, then --reps \
            times, and prints medians. The batch is --inputs when given (time the data a peer tool is \
            timed on: how fast some elementary functions run depends on their arguments), else --batch \
            random samples uniform in [0.5, 1.5], deterministic from --seed. A rate is \
            function nodes × samples / seconds. bitwiseEqualToOneThread compares every result with the \
            one-thread result bit for bit. With --json one object is printed with the fields \
            machine{cpu,cores,pus,memoryBytes}, circuit{nodes,splitters,levels,widestLevel}, batch, inputs (the --inputs path or null), \
            results[{threads,strategy,laneBlock,forwardSeconds,backwardSeconds,totalSeconds,forwardRate,\
            backwardRate,rate,bitwiseEqualToOneThread}]. Forward and backward seconds are worker 0's \
            time in each sweep.
            """)

    @Argument(help: "The .circuit file.")
    var circuit: String

    @Option(help: "Samples in the random batch (default 64); not with --inputs.")
    var batch: Int?

    @Option(help: "Time this batch instead of a random one: a .csv with one column per input wire, or a .npy array of samples × inputs.")
    var inputs: String?

    @Option(help: "Comma-separated thread counts, e.g. 1,2.")
    var threads: String = "1,2"

    @Option(help: "Timed repetitions per thread count (the median is reported).")
    var reps: Int = 5

    @Option(help: "Seed of the random batch.")
    var seed: UInt64 = 1

    @OptionGroup var engine: EngineArguments

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        if inputs != nil && batch != nil { throw ValidationError("--batch and --inputs cannot both be given: the file sets the batch") }
        if let batch {
            if batch < 1 { throw ValidationError("--batch must be at least 1") }
            try OptionLimits.check("--batch", batch, atMost: OptionLimits.maximumBatch)
        }
        if reps < 1 { throw ValidationError("--reps must be at least 1") }
        if threadCounts == nil { throw ValidationError("--threads must be positive integers separated by commas, got '\(threads)'") }
    }

    private var threadCounts: [Int]? {
        let parts = threads.split(separator: ",").map { Int($0.trimmingCharacters()) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        return parts.map { $0! }
    }

    struct Row {
        var threads: Int
        var strategy: ExecutionStrategy
        var laneBlock: Int
        var forward: Double
        var backward: Double
        var total: Double
        var equal: Bool
        var note: String?
        var plan: EnginePlanDescription
    }

    func run() throws {
        let c = try CircuitReader.read(contentsOf: circuit)
        let data: Batch
        if let inputs {
            data = try Batch.read(contentsOf: inputs, for: c)
        } else {
            let samples = c.inputCount == 0 ? 1 : batch ?? 64
            try OptionLimits.checkBatchMemory(samples: samples, inputs: c.inputCount, option: "--batch")
            data = try BenchCommand.randomBatch(samples: samples, inputs: c.inputCount, seed: seed)
        }
        let samples = data.sampleCount
        let topology = Topology.current
        let oneThread = try CircuitEvaluator(circuit: c, options: engine.options(threads: 1)).evaluate(data)

        var rows: [Row] = []
        for t in threadCounts! {
            let e = try CircuitEvaluator(circuit: c, options: engine.options(threads: t))
            let plan = e.planDescription(sampleCount: samples)
            var result = try e.evaluate(data)   // warm-up
            var fwd: [Double] = [], bwd: [Double] = [], tot: [Double] = []
            var equal = result.isBitwiseEqual(to: oneThread)
            for _ in 0..<reps {
                var timing = EvaluationTiming()
                result = try e.evaluate(data, timing: &timing)
                equal = equal && result.isBitwiseEqual(to: oneThread)
                fwd.append(timing.forwardSeconds)
                bwd.append(timing.backwardSeconds)
                tot.append(timing.totalSeconds)
            }
            rows.append(Row(threads: e.threadCount, strategy: plan.strategy, laneBlock: plan.laneBlock,
                            forward: median(fwd), backward: median(bwd), total: median(tot), equal: equal,
                            note: e.teamNote, plan: plan))
        }

        let work = Double(c.nodeCount) * Double(samples)
        let widest = c.levelWidths.max() ?? 0
        if json {
            func num(_ x: Double) -> JSONValue { .number(x) }
            let results: [JSONValue] = rows.map { r in
                .object(["threads": num(Double(r.threads)), "strategy": .string(r.strategy.rawValue), "laneBlock": num(Double(r.laneBlock)),
                         "forwardSeconds": num(r.forward), "backwardSeconds": num(r.backward), "totalSeconds": num(r.total),
                         "forwardRate": num(rate(work, r.forward)), "backwardRate": num(rate(work, r.backward)),
                         "rate": num(rate(work, r.total)), "bitwiseEqualToOneThread": .bool(r.equal)])
            }
            let report: JSONObject = [
                "machine": .object(["cpu": .string(topology.cpuModel), "cores": num(Double(topology.allowedCoreCount)),
                                    "pus": num(Double(topology.allowedPUCount)), "memoryBytes": num(Double(topology.memoryBytes))]),
                "circuit": .object(["file": .string(circuit), "nodes": num(Double(c.nodeCount)), "splitters": num(Double(c.splitterCount)),
                                    "levels": num(Double(c.levelCount)), "widestLevel": num(Double(widest))]),
                "batch": num(Double(samples)), "inputs": inputs.map { .string($0) } ?? .null, "reps": num(Double(reps)), "seed": num(Double(seed)),
                "pin": .string(engine.pin.rawValue), "results": .array(results),
            ]
            print(JSONValue.object(report).text)
            return
        }
        print("machine: \(topology.cpuModel), \(topology.allowedCoreCount) cores, \(topology.allowedPUCount) PUs")
        print("circuit: \(circuit): \(c.nodeCount) nodes, \(c.splitterCount) splitters, \(c.levelCount) levels (widest \(widest))")
        let source = inputs.map { "from \($0)" } ?? "random, seed \(seed)"
        print("batch: \(samples) samples (\(source)), median of \(reps) reps, pin \(engine.pin.rawValue)")
        print("threads  strategy  lanes   forward s  backward s     total s   M node-evals/s (fwd / bwd / total)  same bits")
        for r in rows {
            let line = [pad("\(r.threads)", 7), pad(r.strategy.rawValue, 9), pad("\(r.laneBlock)", 6),
                        pad(fmt(r.forward), 11), pad(fmt(r.backward), 11), pad(fmt(r.total), 11),
                        pad("\(fmtRate(work, r.forward)) / \(fmtRate(work, r.backward)) / \(fmtRate(work, r.total))", 36),
                        pad(r.equal ? "yes" : "NO", 10)]
            print(line.joined(separator: " "))
            let p = r.plan
            print("  plan: \(p.levels) levels -> \(p.segments) segments (\(p.parallelSegments) parallel), "
                  + "\(p.barriersPerSweep) barriers/sweep, \(p.forwardRuns)/\(p.backwardRuns) runs/sweep, \(p.blocks) block(s), "
                  + "\(Int(p.planBytesPerNode.rounded())) plan bytes/node, \(p.workspaceBytesPerBlock >> 20) MiB rows/block "
                  + "(\(Int(p.workspaceBytesPerNodeLane.rounded())) bytes/node-lane)")
            if let n = r.note { print("  note: \(n)") }
        }
        if rows.contains(where: { !$0.equal }) { throw ExitCode(1) }
    }


    /// A batch uniform in [0.5, 1.5], the same for every run with the same seed (``GeneratorRandom``).
    static func randomBatch(samples: Int, inputs: Int, seed: UInt64) throws -> Batch {
        var random = GeneratorRandom(seed: seed)
        let values = (0..<(samples * inputs)).map { _ in random.uniform(0.5, 1.5) }
        return try Batch(sampleCount: samples, inputCount: inputs, values: values)
    }
}

private func median(_ v: [Double]) -> Double {
    let s = v.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

private func rate(_ work: Double, _ seconds: Double) -> Double { seconds > 0 ? work / seconds : 0 }

private func fmt(_ x: Double) -> String {
    let scaled = (x * 1e6).rounded() / 1e6
    return "\(scaled)"
}

private func fmtRate(_ work: Double, _ seconds: Double) -> String {
    "\((rate(work, seconds) / 1e6 * 10).rounded() / 10)"
}

private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

private extension Substring {
    func trimmingCharacters() -> Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
