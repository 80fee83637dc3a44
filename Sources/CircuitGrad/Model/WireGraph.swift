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
    /// The splitter driving each splitter output (by wire − `valueCount`).
    let splitterOfOutput: [Int32]
    /// The wire of function node 0 (inputs and parameters come first).
    let firstNode: Int
    /// Number of value wires (inputs, parameters, function nodes).
    let valueCount: Int
    /// The wire the `output` line reads.
    let outputWire: Int

    /// Number of wires.
    var wireCount: Int { valueCount + splitterOfOutput.count }

    /// Each function node's level, whether each wire is live, and the value wire each wire carries.
    typealias Levels = (nodeLevel: [Int32], liveWire: [Bool], wireValue: [Int32])

    /// Node levels, live wires and the value each wire carries, computed in node order,
    /// for a circuit whose function nodes read only inputs, parameters and wires of earlier
    /// nodes (through any splitters); nil when that does not hold, and ``levelsBySearch(draft:symbolWire:)``
    /// decides instead (and reports any cycle). Same results as the search.
    func levelsInNodeOrder() -> Levels? {
        let splitterCount = splitterSource.count
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

        // The value each wire carries.
        var wireValue = [Int32](repeating: 0, count: wireCount)
        for w in 0..<wireCount {
            var v = w
            while v >= valueCount { v = Int(splitterSource[Int(splitterOfOutput[v - valueCount])]) }
            wireValue[w] = Int32(v)
        }
        return (nodeLevel, liveWire, wireValue)
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
