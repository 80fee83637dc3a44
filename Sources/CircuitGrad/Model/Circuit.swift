/// An immutable, validated circuit: read with ``CircuitReader``, built with ``CircuitBuilder``
/// or made by ``CircuitGenerator``, then evaluated by ``CircuitEvaluator``.
///
/// ```swift
/// let circuit = try CircuitReader.read(contentsOf: "model.circuit")
/// print(circuit.inputNames, circuit.paramNames, circuit.nodeCount)
/// ```
///
/// Inside, it is stored as flat arrays.
///
/// **Wires** are numbered in one space:
/// `[0, inputCount)` inputs in declaration order, then `paramCount` parameters,
/// then one wire per function node (node `n` drives wire `nodeWire(_:)`),
/// then the outputs of every splitter, each splitter's outputs contiguous.
/// The first `valueCount` wires carry *values*; a splitter output carries the value of
/// the wire it copies (`wireValue`).
///
/// After resolution every wire has at most one consumer (a function node argument,
/// a splitter, or the `output` line), as the model in docs/format.md requires: that single consumer
/// is the only writer of the wire's gradient in the backward pass.
public struct Circuit: Sendable {
    // MARK: Declared structure

    /// Input wire names, in declaration order (wires `0..<inputCount`).
    public let inputNames: [String]
    /// Parameter wire names, in declaration order.
    public let paramNames: [String]
    /// Parameter values, parallel to ``paramNames`` (``withParameterValues(_:)`` gives a copy with others).
    public internal(set) var paramValues: [Double]

    /// Op of each function node, in file (or creation) order.
    package let ops: [Op]
    /// CSR offsets into ``args``: node `n` reads `args[argStart[n]..<argStart[n+1]]`.
    package let argStart: [Int32]
    /// Wire ids read by the function nodes (after splitters were inserted).
    package let args: [Int32]
    /// The number literal `c` of each node (0 for ops that take none), stored sparsely.
    package let constants: NodeNumbers
    /// Name of each function node (its output wire's name).
    package let nodeNames: WireNameList

    /// The wire each splitter copies.
    package let splitterSource: [Int32]
    /// CSR offsets in wire ids: splitter `s` drives wires `splitterOutputStart[s]..<splitterOutputStart[s+1]`.
    package let splitterOutputStart: [Int32]
    /// Splitters `0..<explicitSplitterCount` were written (`split` lines, in file order);
    /// the rest were inserted for implicit fan-out.
    package let explicitSplitterCount: Int
    /// Names of the outputs of written splitters, in wire order.
    package let explicitSplitterOutputNames: WireNameList

    /// The circuit's output wire.
    package let outputWire: Int32

    // MARK: Derived facts

    /// For every wire, the value wire (`< valueCount`) whose value it carries.
    package let wireValue: WireValues
    /// For every wire, its consumer encoded as in ``consumer(of:)``.
    let wireConsumerCode: [Int32]
    /// For every splitter output (`wire - valueCount`), the splitter that drives it.
    let splitterOfOutput: [Int32]
    /// Dependency level of each function node (as docs/format.md defines it; ≥ 1).
    package let nodeLevel: [Int32]
    /// The highest level of any node (0 for a circuit without function nodes).
    package let levelCount: Int
    /// Whether a path leads from the node to the output. Dead nodes are not run backward.
    package let nodeIsLive: [Bool]

    // MARK: Counts

    /// Number of input wires.
    public var inputCount: Int { inputNames.count }
    /// Number of parameter wires.
    public var paramCount: Int { paramNames.count }
    /// Number of function nodes.
    public var nodeCount: Int { ops.count }
    /// Number of splitters, written and inserted.
    package var splitterCount: Int { splitterSource.count }
    /// Number of wires that carry their own value: inputs, parameters and function nodes.
    package var valueCount: Int { inputCount + paramCount + nodeCount }
    /// Number of wires, splitter outputs included.
    package var wireCount: Int { valueCount + splitterOfOutput.count }
    /// The wire of the first function node.
    package var firstNodeWire: Int { inputCount + paramCount }

    /// The wire driven by function node `n`.
    @inlinable package func nodeWire(_ n: Int) -> Int { inputCount + paramCount + n }

    /// Wire ids read by node `n`.
    package func arguments(of n: Int) -> ArraySlice<Int32> { args[Int(argStart[n])..<Int(argStart[n + 1])] }

    /// Output wires of splitter `s`.
    package func outputs(ofSplitter s: Int) -> Range<Int> { Int(splitterOutputStart[s])..<Int(splitterOutputStart[s + 1]) }

    /// What reads a wire.
    package enum Consumer: Sendable, Hashable {
        /// Nothing reads it (a dead wire).
        case none
        /// The circuit's `output` line.
        case output
        /// Argument `position` of function node `node`.
        case node(Int, position: Int)
        /// Splitter number `splitter`.
        case splitter(Int)
    }

    /// The single consumer of `wire`.
    package func consumer(of wire: Int) -> Consumer {
        let code = wireConsumerCode[wire]
        if code >= 0 {
            // code is the position in `args`; find the node by binary search in argStart.
            let position = Int(code)
            var lo = 0, hi = nodeCount
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if Int(argStart[mid]) <= position { lo = mid } else { hi = mid }
            }
            return .node(lo, position: position - Int(argStart[lo]))
        }
        switch code {
        case -1: return .none
        case -2: return .output
        default: return .splitter(Int(-3 - code))
        }
    }

    /// The splitter that reads `wire`, if one does: ``consumer(of:)`` without its search for a
    /// consuming node.
    package func splitter(consuming wire: Int) -> Int? {
        let code = wireConsumerCode[wire]
        return code <= -3 ? Int(-3 - code) : nil
    }

    /// Whether a function node reads `wire` (without finding which, as ``consumer(of:)`` does).
    package func isReadByNode(_ wire: Int) -> Bool { wireConsumerCode[wire] >= 0 }

    /// What drives a wire.
    package enum Producer: Sendable, Hashable {
        /// Input number `index`.
        case input(Int)
        /// Parameter number `index`.
        case param(Int)
        /// Function node `index`.
        case node(Int)
        /// Output `position` of splitter `splitter`.
        case splitter(Int, position: Int)
    }

    /// What drives `wire`.
    package func producer(of wire: Int) -> Producer {
        if wire < inputCount { return .input(wire) }
        if wire < firstNodeWire { return .param(wire - inputCount) }
        if wire < valueCount { return .node(wire - firstNodeWire) }
        let s = Int(splitterOfOutput[wire - valueCount])
        return .splitter(s, position: wire - Int(splitterOutputStart[s]))
    }

    /// Whether splitter `s` was written in the file (rather than inserted for fan-out).
    package func isExplicit(splitter s: Int) -> Bool { s < explicitSplitterCount }

    /// A readable name for any wire: its declared name, or `x#k` for output `k` of a
    /// splitter inserted on wire `x`.
    package func name(ofWire wire: Int) -> String {
        switch producer(of: wire) {
        case .input(let i): return inputNames[i]
        case .param(let p): return paramNames[p]
        case .node(let n): return nodeNames[n]
        case .splitter(let s, let k):
            if isExplicit(splitter: s) { return explicitSplitterOutputNames[wire - valueCount] }
            return "\(name(ofWire: Int(splitterSource[s])))#\(k + 1)"
        }
    }

    /// The name a `.circuit` file uses to refer to `wire`: inserted splitters are invisible
    /// in files, so their outputs are written as the wire they copy.
    package func fileName(ofWire wire: Int) -> String {
        if case .splitter(let s, _) = producer(of: wire), !isExplicit(splitter: s) {
            return fileName(ofWire: Int(splitterSource[s]))
        }
        return name(ofWire: wire)
    }

    /// Number of function nodes per level: element `l` counts level `l` (element 0 is always 0).
    package var levelWidths: [Int] {
        var widths = [Int](repeating: 0, count: levelCount + 1)
        for l in nodeLevel { widths[Int(l)] += 1 }
        return widths
    }
}
