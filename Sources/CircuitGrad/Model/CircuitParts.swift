/// A circuit's stored arrays before its levels and liveness are known: what the binary
/// circuit reader decodes, after checking that every wire has one consumer and that the
/// inserted splitters are canonical (see ``BinaryCircuitDecoder``).
extension Circuit {
    struct Parts {
        var inputNames: [String], paramNames: [String], paramValues: [Double]
        var ops: [Op], argStart: [Int32], args: [Int32], constants: NodeNumbers, nodeNames: WireNameList
        var splitterSource: [Int32], splitterOutputStart: [Int32], explicitSplitterCount: Int
        var explicitSplitterOutputNames: WireNameList, outputWire: Int32
        var wireConsumerCode: [Int32], splitterOfOutput: [Int32]

        var valueCount: Int { inputNames.count + paramNames.count + ops.count }

        /// The same circuit as a draft, with every wire named as a file names it (inserted
        /// splitters left out), for resolving it the slow way: nodes out of dependency order, cycles.
        func draft(sourceName: String) -> CircuitDraft {
            var d = CircuitDraft(sourceName: sourceName)
            let named = valueCount + explicitSplitterOutputNames.count
            for name in inputNames + paramNames { _ = d.appendNewCheckedSymbol(name) }
            for name in nodeNames { _ = d.appendNewCheckedSymbol(name) }
            for name in explicitSplitterOutputNames { _ = d.appendNewCheckedSymbol(name) }
            func use(_ wire: Int32) -> CircuitDraft.Declaration {
                var w = Int(wire)
                while w >= named { w = Int(splitterSource[Int(splitterOfOutput[w - valueCount])]) }
                return .init(symbol: Int32(w), location: .none)
            }
            let firstNode = inputNames.count + paramNames.count
            d.inputs = (0..<inputNames.count).map { .init(symbol: Int32($0), location: .none) }
            d.params = (0..<paramNames.count).map { .init(symbol: Int32(inputNames.count + $0), location: .none) }
            d.paramValues = paramValues
            d.nodes = (0..<ops.count).map { .init(symbol: Int32(firstNode + $0), location: .none) }
            d.nodeOps = ops
            d.nodeConstants = Array(constants)
            d.nodeArgStart = argStart
            d.nodeArgs = args.map(use)
            for s in 0..<explicitSplitterCount {
                d.splits.append(use(splitterSource[s]))
                d.splitOutputStart.append(splitterOutputStart[s + 1] - Int32(valueCount))
            }
            d.splitOutputs = (valueCount..<named).map { .init(symbol: Int32($0), location: .none) }
            d.outputs = [use(outputWire)]
            return d
        }
    }

    /// The circuit of `parts` when every function node reads only wires of earlier nodes (the
    /// fast path: levels, liveness and values in one pass each); nil otherwise.
    init?(partsInNodeOrder p: Parts) {
        let firstNode = p.inputNames.count + p.paramNames.count
        let graph = WireGraph(argStart: p.argStart, args: p.args, splitterSource: p.splitterSource,
                              splitterOutputStart: p.splitterOutputStart, splitterOfOutput: p.splitterOfOutput,
                              consumerCode: p.wireConsumerCode, firstNode: firstNode, valueCount: p.valueCount,
                              outputWire: Int(p.outputWire))
        guard let (nodeLevel, nodeIsLive, outputValue) = graph.levelsInNodeOrder() else { return nil }
        inputNames = p.inputNames
        paramNames = p.paramNames
        paramValues = p.paramValues
        ops = p.ops
        argStart = p.argStart
        args = p.args
        constants = p.constants
        nodeNames = p.nodeNames
        splitterSource = p.splitterSource
        splitterOutputStart = p.splitterOutputStart
        explicitSplitterCount = p.explicitSplitterCount
        explicitSplitterOutputNames = p.explicitSplitterOutputNames
        outputWire = p.outputWire
        wireValue = WireValues(valueCount: p.valueCount, ofSplitterOutput: outputValue)
        wireConsumerCode = p.wireConsumerCode
        splitterOfOutput = p.splitterOfOutput
        self.nodeLevel = nodeLevel
        levelCount = Int(nodeLevel.max() ?? 0)
        self.nodeIsLive = nodeIsLive
    }
}
