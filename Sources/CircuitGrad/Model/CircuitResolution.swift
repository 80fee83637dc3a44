/// Turning a ``CircuitDraft`` into a ``Circuit``: names to wires, fan-out to splitters,
/// cycle detection, levels and liveness.
extension Circuit {
    /// Resolves and validates a draft.
    ///
    /// Uses of a wire are ordered canonically: function-node arguments (nodes in order,
    /// then argument position), then the sources of written `split` lines (in order), then
    /// the `output` line. A wire with several uses gets one inserted splitter whose
    /// outputs follow that order, so the backward pass sums its gradients in that order.
    ///
    /// - Throws: ``CircuitError`` naming the offending statement: a bad or reserved name,
    ///   a name defined twice, a wire that is never defined, a missing or repeated
    ///   `output`, a wrong number of arguments, a cycle.
    package init(draft: CircuitDraft) throws {
        let file = draft.sourceName
        func fail(_ at: SourceLocation, _ kind: CircuitError.Kind, _ message: String) -> CircuitError {
            CircuitError(file: file, location: at, kind: kind, message)
        }

        let inputCount = draft.inputs.count
        let paramCount = draft.params.count
        let nodeCount = draft.nodes.count
        let valueCount = inputCount + paramCount + nodeCount
        let explicitCount = draft.splits.count

        // 1. Definitions: symbol -> wire.
        var symbolWire = [Int32](repeating: -1, count: draft.symbolNames.count)
        var symbolDefinedAt = [SourceLocation](repeating: .none, count: draft.symbolNames.count)
        func define(_ d: CircuitDraft.Declaration, wire: Int) throws {
            if Int(d.symbol) >= draft.checkedSymbolCount,
               let problem = WireNames.problem(with: draft.symbolNames[Int(d.symbol)]) {
                throw fail(d.location, .syntax, problem)
            }
            if symbolWire[Int(d.symbol)] >= 0 {
                let name = draft.symbolNames[Int(d.symbol)]
                let earlier = symbolDefinedAt[Int(d.symbol)]
                let whereEarlier = earlier.line > 0 ? " (first defined on line \(earlier.line))" : ""
                throw fail(d.location, .duplicateWire, "'\(name)' is already defined\(whereEarlier); names must be unique")
            }
            symbolWire[Int(d.symbol)] = Int32(wire)
            symbolDefinedAt[Int(d.symbol)] = d.location
        }
        for (i, d) in draft.inputs.enumerated() { try define(d, wire: i) }
        for (p, d) in draft.params.enumerated() { try define(d, wire: inputCount + p) }
        for (n, d) in draft.nodes.enumerated() {
            let op = draft.nodeOps[n]
            let argc = Int(draft.nodeArgStart[n + 1] - draft.nodeArgStart[n])
            if !op.arity.accepts(argc) {
                throw fail(d.location, .arity, "'\(op.name)' takes \(op.arity.description), got \(argc)")
            }
            try define(d, wire: inputCount + paramCount + n)
        }
        var nextWire = valueCount
        for s in 0..<explicitCount {
            let outs = Int(draft.splitOutputStart[s])..<Int(draft.splitOutputStart[s + 1])
            if outs.count < 2 {
                throw fail(draft.splits[s].location, .arity, "'split' needs at least 2 output wires, got \(outs.count)")
            }
            for o in outs { try define(draft.splitOutputs[o], wire: nextWire); nextWire += 1 }
        }
        guard let output = draft.outputs.first else {
            throw CircuitError(file: file, kind: .missingOutput, "no 'output' statement: a circuit needs exactly one output wire")
        }
        if draft.outputs.count > 1 {
            throw fail(draft.outputs[1].location, .duplicateOutput, "a second 'output' statement; a circuit has exactly one output")
        }

        // 2. Uses in canonical order: node arguments, split sources, the output line.
        let argCount = draft.nodeArgs.count
        let useCount = argCount + explicitCount + 1
        var useWire = [Int32](repeating: 0, count: useCount)
        func resolve(_ d: CircuitDraft.Declaration) throws -> Int32 {
            let w = symbolWire[Int(d.symbol)]
            if w < 0 {
                throw fail(d.location, .undefinedWire, "wire '\(draft.symbolNames[Int(d.symbol)])' is used but never defined")
            }
            return w
        }
        for u in 0..<argCount { useWire[u] = try resolve(draft.nodeArgs[u]) }
        for s in 0..<explicitCount { useWire[argCount + s] = try resolve(draft.splits[s]) }
        useWire[useCount - 1] = try resolve(output)

        // 3. Insert a splitter on every wire with two or more uses.
        let explicitOutputEnd = nextWire
        var useCountOfWire = [Int32](repeating: 0, count: explicitOutputEnd)
        for w in useWire { useCountOfWire[Int(w)] += 1 }
        var usesStart = [Int32](repeating: 0, count: explicitOutputEnd + 1)
        for w in 0..<explicitOutputEnd { usesStart[w + 1] = usesStart[w] + useCountOfWire[w] }
        var usesFill = usesStart
        var usesOf = [Int32](repeating: 0, count: useCount)
        for u in 0..<useCount {
            let w = Int(useWire[u])
            usesOf[Int(usesFill[w])] = Int32(u)
            usesFill[w] += 1
        }
        var splitterSource = [Int32]()
        var splitterOutputStart = [Int32]()
        for s in 0..<explicitCount {
            splitterSource.append(useWire[argCount + s])
            splitterOutputStart.append(Int32(valueCount) + draft.splitOutputStart[s])
        }
        for w in 0..<explicitOutputEnd where useCountOfWire[w] > 1 {
            splitterSource.append(Int32(w))
            splitterOutputStart.append(Int32(nextWire))
            for i in Int(usesStart[w])..<Int(usesStart[w + 1]) {
                useWire[Int(usesOf[i])] = Int32(nextWire)   // this use now reads its own splitter output
                nextWire += 1
            }
        }
        splitterOutputStart.append(Int32(nextWire))
        let wireCount = nextWire
        let splitterCount = splitterSource.count
        // Explicit split sources may have been redirected to inserted splitter outputs.
        for s in 0..<explicitCount { splitterSource[s] = useWire[argCount + s] }

        // 4. Consumers, and the splitter driving each splitter output.
        var consumer = [Int32](repeating: -1, count: wireCount)
        for u in 0..<argCount { consumer[Int(useWire[u])] = Int32(u) }
        for s in 0..<splitterCount { consumer[Int(splitterSource[s])] = Int32(-3 - s) }
        consumer[Int(useWire[useCount - 1])] = -2
        var splitterOfOutput = [Int32](repeating: 0, count: wireCount - valueCount)
        for s in 0..<splitterCount {
            for w in Int(splitterOutputStart[s])..<Int(splitterOutputStart[s + 1]) {
                splitterOfOutput[w - valueCount] = Int32(s)
            }
        }
        let args = Array(useWire[0..<argCount])

        // 5-7. Levels, liveness and the value each wire carries (``WireGraph``): in one pass each
        // when every function node reads only wires of earlier nodes (the usual order of a file).
        let firstNode = inputCount + paramCount
        let graph = WireGraph(argStart: draft.nodeArgStart, args: args, splitterSource: splitterSource,
                              splitterOutputStart: splitterOutputStart, splitterOfOutput: splitterOfOutput,
                              consumerCode: consumer, firstNode: firstNode, valueCount: valueCount,
                              outputWire: Int(useWire[useCount - 1]))
        let (nodeLevel, nodeIsLive, outputValue) = try graph.levelsInNodeOrder()
            ?? graph.levelsBySearch(draft: draft, symbolWire: symbolWire)
        let levelCount = Int(nodeLevel.max() ?? 0)

        var explicitNames = [String]()
        explicitNames.reserveCapacity(draft.splitOutputs.count)
        for d in draft.splitOutputs { explicitNames.append(draft.symbolNames[Int(d.symbol)]) }

        self.inputNames = draft.inputs.map { draft.symbolNames[Int($0.symbol)] }
        self.paramNames = draft.params.map { draft.symbolNames[Int($0.symbol)] }
        self.paramValues = draft.paramValues
        self.ops = draft.nodeOps
        self.argStart = draft.nodeArgStart
        self.args = args
        self.constants = NodeNumbers(ops: draft.nodeOps, numbers: draft.nodeConstants)
        self.nodeNames = WireNameList(draft.nodes.map { draft.symbolNames[Int($0.symbol)] })
        self.splitterSource = splitterSource
        self.splitterOutputStart = splitterOutputStart
        self.explicitSplitterCount = explicitCount
        self.explicitSplitterOutputNames = WireNameList(explicitNames)
        self.outputWire = useWire[useCount - 1]
        self.wireValue = WireValues(valueCount: valueCount, ofSplitterOutput: outputValue)
        self.wireConsumerCode = consumer
        self.splitterOfOutput = splitterOfOutput
        self.nodeLevel = nodeLevel
        self.levelCount = levelCount
        self.nodeIsLive = nodeIsLive
    }
}
