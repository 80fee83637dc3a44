import ArgumentParser
import CircuitGrad

/// `circuitgrad info`: what a circuit is made of and how the engine would run it.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a circuit: wires, nodes by op, splitters, levels, and the engine's schedule.",
        discussion: """
            The level-width histogram counts levels by how many function nodes they hold, in power-of-two \
            buckets. The schedule part shows how the engine would run a batch of --batch samples with the \
            given threads: levels before and after merging narrow ones into serial segments, barriers per \
            sweep, the strategy and the lane block.
            """)

    @Argument(help: "The .circuit file.")
    var circuit: String

    @Option(help: "Batch size the schedule is shown for.")
    var batch: Int = 64

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var engine: EngineArguments

    @OptionGroup var workers: ThreadsArgument

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        try OptionLimits.check("--batch", batch, atMost: OptionLimits.maximumBatch)
    }

    func run() throws {
        let c = try CircuitReader.read(contentsOf: circuit)
        // One pass over the nodes (a pass per op took 5 % of `info` on a 2M-node circuit).
        var countByOp = [Int](repeating: 0, count: 256)
        for op in c.ops { countByOp[Int(op.rawValue)] += 1 }
        let opCounts = Op.allCases.compactMap { op in countByOp[Int(op.rawValue)] > 0 ? (op.name, countByOp[Int(op.rawValue)]) : nil }
        let widths = c.levelWidths.dropFirst()
        let widest = widths.max() ?? 0
        // Histogram buckets [1], [2,3], [4,7], … by level width.
        var buckets = [Int]()
        for w in widths where w > 0 {
            let b = Int.bitWidth - 1 - w.leadingZeroBitCount
            while buckets.count <= b { buckets.append(0) }
            buckets[b] += 1
        }
        let dead = c.nodeIsLive.lazy.filter { !$0 }.count
        let written = c.explicitSplitterCount
        let inserted = c.splitterCount - written
        let evaluator = try CircuitEvaluator(circuit: c, options: engine.options(threads: workers.threads))
        let plan = evaluator.planDescription(sampleCount: batch)

        if json {
            var o = JSONObject()
            o["file"] = .string(circuit)
            o["inputs"] = .array(c.inputNames.map(JSONValue.string))
            o["params"] = .array(zip(c.paramNames, c.paramValues).map { .object(["name": .string($0), "value": .number($1)]) })
            o["functionNodes"] = .number(Double(c.nodeCount))
            o["deadNodes"] = .number(Double(dead))
            o["nodesByOp"] = .object(JSONObject(opCounts.map { ($0.0, .number(Double($0.1))) }))
            o["splitters"] = .object(["written": .number(Double(written)), "inserted": .number(Double(inserted))])
            o["output"] = .string(c.name(ofWire: Int(c.outputWire)))
            o["levels"] = .number(Double(c.levelCount))
            o["widestLevel"] = .number(Double(widest))
            o["levelWidthHistogram"] = .array(buckets.enumerated().map { b, n in
                .object(["minWidth": .number(Double(1 << b)), "maxWidth": .number(Double((2 << b) - 1)), "levels": .number(Double(n))])
            })
            o["schedule"] = .object([
                "batch": .number(Double(batch)), "threads": .number(Double(plan.threads)),
                "strategy": .string(plan.strategy.rawValue), "laneBlock": .number(Double(plan.laneBlock)),
                "blocks": .number(Double(plan.blocks)), "levels": .number(Double(plan.levels)),
                "segmentsPerSweep": .number(Double(plan.segments)), "parallelSegments": .number(Double(plan.parallelSegments)),
                "barriersPerSweep": .number(Double(plan.barriersPerSweep)),
                "forwardRuns": .number(Double(plan.forwardRuns)), "backwardRuns": .number(Double(plan.backwardRuns)),
                "planBytesPerNode": .number(plan.planBytesPerNode), "workspaceBytesPerBlock": .number(Double(plan.workspaceBytesPerBlock)),
                "workspaceBytesPerNodeLane": .number(plan.workspaceBytesPerNodeLane),
            ])
            print(JSONValue.object(o).text)
            return
        }
        print("circuit: \(circuit)")
        print("inputs: \(c.inputCount)" + (c.inputCount > 0 ? " (\(c.inputNames.prefix(12).joined(separator: " "))\(c.inputCount > 12 ? " …" : ""))" : ""))
        print("params: \(c.paramCount)" + (c.paramCount > 0 ? " (\(c.paramNames.prefix(12).joined(separator: " "))\(c.paramCount > 12 ? " …" : ""))" : ""))
        print("function nodes: \(c.nodeCount)" + (dead > 0 ? " (\(dead) dead)" : ""))
        for (name, n) in opCounts { print("  \(name.padded(to: 8)) \(n)") }
        print("splitters: \(c.splitterCount) (\(written) written, \(inserted) inserted for fan-out)")
        print("output: \(c.name(ofWire: Int(c.outputWire)))")
        print("levels: \(c.levelCount), widest level: \(widest) nodes")
        if !buckets.isEmpty {
            print("level widths:")
            let most = buckets.max() ?? 1
            for (b, n) in buckets.enumerated() where n > 0 {
                let range = b == 0 ? "1" : "\(1 << b)-\((2 << b) - 1)"
                let bar = String(repeating: "#", count: max(1, 40 * n / most))
                print("  \(range.padded(to: 13)) \(String(n).padded(to: 8)) \(bar)")
            }
        }
        print("schedule for a batch of \(batch):")
        for line in plan.text.split(separator: "\n") { print("  \(line)") }
    }
}
