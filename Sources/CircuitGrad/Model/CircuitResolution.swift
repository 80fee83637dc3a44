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
        func fail(_ at: SourceLocation, _ message: String) -> CircuitError {
            CircuitError(file: file, location: at, message)
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
                throw fail(d.location, problem)
            }
            if symbolWire[Int(d.symbol)] >= 0 {
                let name = draft.symbolNames[Int(d.symbol)]
                let earlier = symbolDefinedAt[Int(d.symbol)]
                let whereEarlier = earlier.line > 0 ? " (first defined on line \(earlier.line))" : ""
                throw fail(d.location, "'\(name)' is already defined\(whereEarlier); names must be unique")
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
                throw fail(d.location, "'\(op.name)' takes \(op.arity.description), got \(argc)")
            }
            try define(d, wire: inputCount + paramCount + n)
        }
        var nextWire = valueCount
        for s in 0..<explicitCount {
            let outs = Int(draft.splitOutputStart[s])..<Int(draft.splitOutputStart[s + 1])
            if outs.count < 2 {
                throw fail(draft.splits[s].location, "'split' needs at least 2 output wires, got \(outs.count)")
            }
            for o in outs { try define(draft.splitOutputs[o], wire: nextWire); nextWire += 1 }
        }
        guard let output = draft.outputs.first else {
            throw CircuitError(file: file, "no 'output' statement: a circuit needs exactly one output wire")
        }
        if draft.outputs.count > 1 {
            throw fail(draft.outputs[1].location, "a second 'output' statement; a circuit has exactly one output")
        }

        // 2. Uses in canonical order: node arguments, split sources, the output line.
        let argCount = draft.nodeArgs.count
        let useCount = argCount + explicitCount + 1
        var useWire = [Int32](repeating: 0, count: useCount)
        func resolve(_ d: CircuitDraft.Declaration) throws -> Int32 {
            let w = symbolWire[Int(d.symbol)]
            if w < 0 {
                throw fail(d.location, "wire '\(draft.symbolNames[Int(d.symbol)])' is used but never defined")
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

        // 5-7. Levels, liveness and the value each wire carries: in one pass each when every
        // function node reads only wires of earlier nodes (the usual order of a file).
        let firstNode = inputCount + paramCount
        let nodeLevel: [Int32]
        var liveWire: [Bool]
        var wireValue: [Int32]
        if let inOrder = Circuit.levelsInNodeOrder(
            argStart: draft.nodeArgStart, args: args, splitterSource: splitterSource,
            splitterOfOutput: splitterOfOutput, firstNode: firstNode, valueCount: valueCount,
            outputWire: Int(useWire[useCount - 1])) {
            (nodeLevel, liveWire, wireValue) = inOrder
        } else {
            // 5. Otherwise levels by an iterative depth-first search; a wire met again while open is a cycle.
            var level = [Int32](repeating: -1, count: wireCount)   // -1 unvisited, -2 open
            for w in 0..<(inputCount + paramCount) { level[w] = 0 }
            var stack: [(wire: Int32, next: Int32)] = []
            func children(_ w: Int) -> Range<Int> {
                if w < valueCount {
                    let n = w - inputCount - paramCount
                    return Int(draft.nodeArgStart[n])..<Int(draft.nodeArgStart[n + 1])
                }
                return 0..<1
            }
            func child(_ w: Int, _ i: Int) -> Int {
                w < valueCount ? Int(args[i]) : Int(splitterSource[Int(splitterOfOutput[w - valueCount])])
            }
            for root in (inputCount + paramCount)..<wireCount where level[root] == -1 {
                level[root] = -2
                stack.append((Int32(root), Int32(children(root).lowerBound)))
                while let top = stack.last {
                    let w = Int(top.wire)
                    let range = children(w)
                    var i = Int(top.next)
                    var descended = false
                    while i < range.upperBound {
                        let c = child(w, i)
                        i += 1
                        if level[c] == -1 {
                            stack[stack.count - 1].next = Int32(i)
                            level[c] = -2
                            stack.append((Int32(c), Int32(children(c).lowerBound)))
                            descended = true
                            break
                        }
                        if level[c] == -2 {
                            throw Circuit.cycleError(draft: draft, stack: stack.map { Int($0.wire) }, closingAt: c,
                                                     valueCount: valueCount, inputCount: inputCount, paramCount: paramCount,
                                                     splitterSource: splitterSource, splitterOfOutput: splitterOfOutput,
                                                     symbolWire: symbolWire)
                        }
                    }
                    if descended { continue }
                    // All children done: compute this wire's level.
                    if w < valueCount {
                        var l: Int32 = 0
                        for j in range where level[Int(args[j])] > l { l = level[Int(args[j])] }
                        level[w] = l + 1
                    } else {
                        level[w] = level[child(w, 0)]
                    }
                    stack.removeLast()
                }
            }
            nodeLevel = Array(level[firstNode..<valueCount])

            // 6. Liveness: everything from which the output is reachable.
            liveWire = [Bool](repeating: false, count: wireCount)
            var work = [Int(useWire[useCount - 1])]
            liveWire[work[0]] = true
            while let w = work.popLast() {
                let range = w < firstNode ? 0..<0 : children(w)
                for i in range {
                    let c = child(w, i)
                    if !liveWire[c] { liveWire[c] = true; work.append(c) }
                }
            }

            // 7. The value each wire carries.
            wireValue = [Int32](repeating: 0, count: wireCount)
            for w in 0..<wireCount {
                var v = w
                while v >= valueCount { v = Int(splitterSource[Int(splitterOfOutput[v - valueCount])]) }
                wireValue[w] = Int32(v)
            }
        }
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
        self.constants = draft.nodeConstants
        self.nodeNames = draft.nodes.map { draft.symbolNames[Int($0.symbol)] }
        self.splitterSource = splitterSource
        self.splitterOutputStart = splitterOutputStart
        self.explicitSplitterCount = explicitCount
        self.explicitSplitterOutputNames = explicitNames
        self.outputWire = useWire[useCount - 1]
        self.wireValue = wireValue
        self.wireConsumerCode = consumer
        self.splitterOfOutput = splitterOfOutput
        self.nodeLevel = nodeLevel
        self.levelCount = levelCount
        self.nodeIsLive = Array(liveWire[firstNode..<valueCount])
    }

    /// Node levels, live wires and the value each wire carries, computed in node order,
    /// for a circuit whose function nodes read only inputs, parameters and wires of earlier
    /// nodes (through any splitters); nil when that does not hold, and the caller's
    /// depth-first search decides instead (and reports any cycle). Same results as the search.
    static func levelsInNodeOrder(
        argStart: [Int32], args: [Int32], splitterSource: [Int32], splitterOfOutput: [Int32],
        firstNode: Int, valueCount: Int, outputWire: Int
    ) -> (nodeLevel: [Int32], liveWire: [Bool], wireValue: [Int32])? {
        let splitterCount = splitterSource.count
        let wireCount = valueCount + splitterOfOutput.count
        // The value wire each splitter copies, following splits of splits; a loop means a cycle.
        var splitterValue = [Int32](repeating: -1, count: splitterCount)   // -1 unknown, -2 on the current chain
        var chain = [Int]()
        for first in 0..<splitterCount where splitterValue[first] == -1 {
            var s = first
            var value: Int32
            while true {
                splitterValue[s] = -2
                chain.append(s)
                let source = Int(splitterSource[s])
                if source < valueCount { value = Int32(source); break }
                let t = Int(splitterOfOutput[source - valueCount])
                if splitterValue[t] >= 0 { value = splitterValue[t]; break }
                if splitterValue[t] == -2 { return nil }
                s = t
            }
            for c in chain { splitterValue[c] = value }
            chain.removeAll(keepingCapacity: true)
        }
        var wireValue = [Int32](repeating: 0, count: wireCount)
        for w in 0..<valueCount { wireValue[w] = Int32(w) }
        for w in valueCount..<wireCount { wireValue[w] = splitterValue[Int(splitterOfOutput[w - valueCount])] }

        // A node's level is one more than its deepest argument's (inputs and parameters are 0).
        let nodeCount = valueCount - firstNode
        var nodeLevel = [Int32](repeating: 0, count: nodeCount)
        for n in 0..<nodeCount {
            var l: Int32 = 0
            for j in Int(argStart[n])..<Int(argStart[n + 1]) {
                let m = Int(wireValue[Int(args[j])]) - firstNode
                if m >= n { return nil }
                if m >= 0 && nodeLevel[m] > l { l = nodeLevel[m] }
            }
            nodeLevel[n] = l + 1
        }

        // Live: the output, and backwards from each live node its arguments and the splitter
        // chains they come through (a node is visited after every node that reads it).
        var liveWire = [Bool](repeating: false, count: wireCount)
        func markLive(_ wire: Int) {
            var w = wire
            while !liveWire[w] {
                liveWire[w] = true
                if w < valueCount { return }
                w = Int(splitterSource[Int(splitterOfOutput[w - valueCount])])
            }
        }
        markLive(outputWire)
        for n in stride(from: nodeCount - 1, through: 0, by: -1) where liveWire[firstNode + n] {
            for j in Int(argStart[n])..<Int(argStart[n + 1]) { markLive(Int(args[j])) }
        }
        return (nodeLevel, liveWire, wireValue)
    }

    /// A located error describing the cycle `stack[k...] → closing`.
    private static func cycleError(
        draft: CircuitDraft, stack: [Int], closingAt closing: Int, valueCount: Int, inputCount: Int,
        paramCount: Int, splitterSource: [Int32], splitterOfOutput: [Int32], symbolWire: [Int32]
    ) -> CircuitError {
        let start = stack.lastIndex(of: closing) ?? 0
        let firstNode = inputCount + paramCount
        // The declared (file) name of a wire: inserted splitter outputs show as their source.
        var nameOfWire = [Int: String]()
        for (s, w) in symbolWire.enumerated() where w >= 0 { nameOfWire[Int(w)] = draft.symbolNames[s] }
        func fileName(_ w: Int) -> String {
            var v = w
            while nameOfWire[v] == nil, v >= valueCount { v = Int(splitterSource[Int(splitterOfOutput[v - valueCount])]) }
            return nameOfWire[v] ?? "?"
        }
        var names = [String]()
        for w in stack[start...] {
            let n = fileName(w)
            if names.last != n { names.append(n) }
        }
        names.append(names.first ?? fileName(closing))
        // Report at the defining statement of the first function node of the cycle, in file order.
        let nodesInCycle = stack[start...].filter { $0 >= firstNode && $0 < valueCount }.map { $0 - firstNode }
        let location = nodesInCycle.min().map { draft.nodes[$0].location } ?? .none
        return CircuitError(file: draft.sourceName, location: location,
                            "cycle: \(names.joined(separator: " -> ")); a circuit must be acyclic")
    }
}
