/// The wires of a circuit being resolved (``Circuit/init(draft:)``) as a graph: function
/// nodes read wires, splitter outputs copy their splitter's source. Computes each function
/// node's level, the live wires (those the output is reachable from) and the value wire each
/// wire carries, and finds cycles.
///
/// Wires are numbered inputs, parameters, function nodes (together the `valueCount` value
/// wires), then splitter outputs.
struct WireGraph {
    /// CSR offsets of each node's arguments into ``args``.
    let argStart: [Int32]
    /// The wire each argument position reads.
    let args: [Int32]
    /// The wire each splitter copies.
    let splitterSource: [Int32]
    /// CSR offsets in wire ids: splitter `s` drives wires `splitterOutputStart[s]..<splitterOutputStart[s+1]`.
    let splitterOutputStart: [Int32]
    /// The splitter driving each splitter output (by wire − `valueCount`).
    let splitterOfOutput: [Int32]
    /// Each wire's one consumer, coded as ``Circuit/wireConsumerCode``: an argument position,
    /// -1 none, -2 the output line, -3 - s splitter `s`.
    let consumerCode: [Int32]
    /// The wire of function node 0 (inputs and parameters come first).
    let firstNode: Int
    /// Number of value wires (inputs, parameters, function nodes).
    let valueCount: Int
    /// The wire the `output` line reads.
    let outputWire: Int

    /// Number of wires.
    var wireCount: Int { valueCount + splitterOfOutput.count }

    /// Each function node's level, whether each function node is live, and the value wire each
    /// splitter output carries (by wire − `valueCount`; a value wire carries its own).
    typealias Levels = (nodeLevel: [Int32], nodeIsLive: [Bool], splitterOutputValue: [Int32])

    /// Node levels, live nodes and the value each wire carries, computed in node order, for a
    /// circuit whose function nodes read only inputs, parameters and wires of earlier nodes
    /// (through any splitters); nil when that does not hold, and ``levelsBySearch(draft:symbolWire:)``
    /// decides instead (and reports any cycle). Same results as the search.
    ///
    /// Needs ``splitterOutputStart`` and ``consumerCode`` (each wire's one consumer, coded as
    /// ``Circuit/wireConsumerCode``), and keeps the scattered reads to one per argument each way:
    /// forward, a wire's level is stored on every wire (a splitter's outputs get their source's
    /// level as soon as it is known, written in a run), so an argument's level is one read;
    /// backward, a node is live when its wire's consumer is (an argument of a live node, a
    /// splitter with a live output, the output line), so liveness is pulled along consumers,
    /// one read per use, instead of pushed up splitter chains.
    func levelsInNodeOrder() -> Levels? {
        let nodeCount = valueCount - firstNode
        // Every entry is written when the nodes are in order (and the arrays dropped otherwise).
        var nodeLevel = [Int32](uninitializedCount: nodeCount) { $1 = nodeCount }
        let outputCount = wireCount - valueCount
        var outputValue = [Int32](uninitializedCount: outputCount) { $1 = outputCount }
        var nodeIsLive = [Bool](repeating: false, count: nodeCount)
        // (Unsafe buffers and no nested functions: this runs per argument of ten million nodes.)
        let inOrder = nodeLevel.withUnsafeMutableBufferPointer { nodeLevel in
            outputValue.withUnsafeMutableBufferPointer { outputValue in
                nodeIsLive.withUnsafeMutableBufferPointer { nodeIsLive in
                    argStart.withUnsafeBufferPointer { argStart in
                        args.withUnsafeBufferPointer { args in
                            splitterOutputStart.withUnsafeBufferPointer { outputStart in
                                consumerCode.withUnsafeBufferPointer { consumer in
                                    Self.levels(argStart: argStart, args: args, outputStart: outputStart, consumer: consumer,
                                                firstNode: firstNode, valueCount: valueCount,
                                                nodeLevel: nodeLevel, outputValue: outputValue, nodeIsLive: nodeIsLive)
                                }
                            }
                        }
                    }
                }
            }
        }
        return inOrder ? (nodeLevel, nodeIsLive, outputValue) : nil
    }

    /// ``levelsInNodeOrder()`` on buffers; false when a node reads a wire of a later node (or
    /// its own) or splitters copy one another in a loop.
    private static func levels(argStart: UnsafeBufferPointer<Int32>, args: UnsafeBufferPointer<Int32>,
                               outputStart: UnsafeBufferPointer<Int32>, consumer: UnsafeBufferPointer<Int32>,
                               firstNode: Int, valueCount: Int, nodeLevel: UnsafeMutableBufferPointer<Int32>,
                               outputValue: UnsafeMutableBufferPointer<Int32>, nodeIsLive: UnsafeMutableBufferPointer<Bool>) -> Bool {
        let nodeCount = valueCount - firstNode, wireCount = valueCount + outputValue.count
        // The level of the value each wire carries, -1 while unknown.
        let level = UnsafeMutableBufferPointer<Int32>.allocate(capacity: wireCount)
        defer { level.deallocate() }
        level.initialize(repeating: -1)
        var pending = [Int]()   // splitters whose source was just given its level (splits of splits)
        var assigned = 0        // splitter outputs given a level
        // Wire `v` (< firstNode + n) has level `l`: every splitter output that copies it gets it too.
        for w in 0..<(firstNode + nodeCount) {
            var l: Int32 = 0
            if w >= firstNode {
                // A node's level is one more than its deepest argument's (inputs and parameters are 0).
                let n = w - firstNode
                for j in Int(argStart[n])..<Int(argStart[n + 1]) {
                    let a = level[Int(args[j])]
                    if a < 0 { return false }   // a later node, itself, or a splitter loop
                    if a > l { l = a }
                }
                l += 1
                nodeLevel[n] = l
            }
            level[w] = l
            var code = consumer[w]
            while code <= -3 {
                let s = -3 - Int(code)
                let outputs = Int(outputStart[s])..<Int(outputStart[s + 1])
                for o in outputs {
                    level[o] = l
                    outputValue[o - valueCount] = Int32(w)
                    if consumer[o] <= -3 { pending.append(o) }
                }
                assigned += outputs.count
                code = pending.popLast().map { consumer[$0] } ?? 0
            }
        }
        // Splitter outputs not reached from a value wire copy one another in a loop.
        guard assigned == wireCount - valueCount else { return false }

        // Live: backwards, a node is live when its wire's consumer is: the output line, an
        // argument of a live node (a later node, already decided), or a splitter with a live
        // output. Every argument of a node takes the node's liveness.
        let argLive = UnsafeMutableBufferPointer<Bool>.allocate(capacity: args.count)
        defer { argLive.deallocate() }
        argLive.initialize(repeating: false)
        for n in stride(from: nodeCount - 1, through: 0, by: -1) {
            var live = false
            let code = consumer[firstNode + n]
            if code >= 0 { live = argLive[Int(code)] }
            else if code == -2 { live = true }
            else if code <= -3 {
                if !pending.isEmpty { pending.removeAll(keepingCapacity: true) }
                pending.append(-3 - Int(code))
                search: while let s = pending.popLast() {
                    for o in Int(outputStart[s])..<Int(outputStart[s + 1]) {
                        let c = consumer[o]
                        if c >= 0 { if argLive[Int(c)] { live = true; break search } }
                        else if c == -2 { live = true; break search }
                        else if c <= -3 { pending.append(-3 - Int(c)) }
                    }
                }
            }
            nodeIsLive[n] = live
            if live { for j in Int(argStart[n])..<Int(argStart[n + 1]) { argLive[j] = true } }
        }
        return true
    }

    /// Levels by an iterative depth-first search, for any node order; a wire met again while
    /// open is a cycle.
    /// - Throws: ``CircuitError`` (``CircuitError/Kind/cycle``) naming the cycle.
    func levelsBySearch(draft: CircuitDraft, symbolWire: [Int32]) throws -> Levels {
        var level = [Int32](repeating: -1, count: wireCount)   // -1 unvisited, -2 open
        for w in 0..<firstNode { level[w] = 0 }
        var stack: [(wire: Int32, next: Int32)] = []
        func children(_ w: Int) -> Range<Int> {
            if w < valueCount {
                let n = w - firstNode
                return Int(argStart[n])..<Int(argStart[n + 1])
            }
            return 0..<1
        }
        func child(_ w: Int, _ i: Int) -> Int {
            w < valueCount ? Int(args[i]) : Int(splitterSource[Int(splitterOfOutput[w - valueCount])])
        }
        for root in firstNode..<wireCount where level[root] == -1 {
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
                        throw cycleError(draft: draft, symbolWire: symbolWire, stack: stack.map { Int($0.wire) }, closingAt: c)
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
        let nodeLevel = Array(level[firstNode..<valueCount])

        // Liveness: everything from which the output is reachable.
        var liveWire = [Bool](repeating: false, count: wireCount)
        var work = [outputWire]
        liveWire[work[0]] = true
        while let w = work.popLast() {
            let range = w < firstNode ? 0..<0 : children(w)
            for i in range {
                let c = child(w, i)
                if !liveWire[c] { liveWire[c] = true; work.append(c) }
            }
        }

        // The value each splitter output carries.
        var outputValue = [Int32](repeating: 0, count: wireCount - valueCount)
        for w in valueCount..<wireCount {
            var v = w
            while v >= valueCount { v = Int(splitterSource[Int(splitterOfOutput[v - valueCount])]) }
            outputValue[w - valueCount] = Int32(v)
        }
        return (nodeLevel, Array(liveWire[firstNode..<valueCount]), outputValue)
    }

    /// A located error describing the cycle `stack[k...] → closing`.
    private func cycleError(draft: CircuitDraft, symbolWire: [Int32], stack: [Int], closingAt closing: Int) -> CircuitError {
        let start = stack.lastIndex(of: closing) ?? 0
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
        let shown = names.count > 12 ? names.prefix(6) + ["… (\(names.count - 11) more)"] + names.suffix(5) : names[...]
        return CircuitError(file: draft.sourceName, location: location, kind: .cycle,
                            "cycle: \(shown.joined(separator: " -> ")); a circuit must be acyclic")
    }
}
