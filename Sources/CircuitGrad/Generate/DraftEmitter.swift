/// Fills a ``CircuitDraft`` for a generator: declares wires, adds function nodes under
/// given or sequential names (`n0`, `n1`, …) and reports progress every so many nodes.
///
/// Wires are passed around as draft symbols, so each name is hashed once, when it is defined
/// (a 10M-node circuit spends most of its generation time hashing names). Sequential names
/// are not checked against given ones: the shapes never give a name of the form `n<digits>`.
struct DraftEmitter {
    /// The draft being filled.
    var draft: CircuitDraft
    /// Function nodes added so far.
    private(set) var nodeCount = 0
    private var nextSequentialName = 0
    private let expectedNodes: Int
    private let progress: GeneratorProgress?
    private var nextProgressAt: Int

    /// How many nodes pass between two progress reports.
    static let progressStep = 1 << 18

    init(kind: String, expectedNodes: Int, progress: GeneratorProgress?) {
        draft = CircuitDraft(sourceName: "<generate \(kind)>")
        self.expectedNodes = max(1, expectedNodes)
        self.progress = progress
        nextProgressAt = DraftEmitter.progressStep
    }

    /// Declares an input wire and returns its symbol.
    @discardableResult
    mutating func input(_ name: String) -> Int32 {
        let symbol = draft.symbol(name)
        draft.inputs.append(.init(symbol: symbol, location: .none))
        return symbol
    }

    /// Declares a parameter wire and returns its symbol.
    @discardableResult
    mutating func param(_ name: String, _ value: Double) -> Int32 {
        let symbol = draft.symbol(name)
        draft.params.append(.init(symbol: symbol, location: .none))
        draft.paramValues.append(value)
        return symbol
    }

    /// Adds `name = op args [constant]` and returns its symbol (named `n<k>` when no name is given).
    @discardableResult
    mutating func node(_ op: Op, _ args: [Int32], constant: Double = 0, name: String? = nil) -> Int32 {
        let symbol = draft.symbol(name ?? sequentialName())
        draft.nodes.append(.init(symbol: symbol, location: .none))
        draft.nodeOps.append(op)
        draft.nodeConstants.append(constant)
        for a in args { draft.nodeArgs.append(.init(symbol: a, location: .none)) }
        draft.nodeArgStart.append(Int32(draft.nodeArgs.count))
        nodeCount += 1
        if nodeCount >= nextProgressAt {
            nextProgressAt += DraftEmitter.progressStep
            progress?(min(1, Double(nodeCount) / Double(expectedNodes)))
        }
        return symbol
    }

    private mutating func sequentialName() -> String {
        defer { nextSequentialName += 1 }
        return "n\(nextSequentialName)"
    }

    /// Names the output and resolves the draft.
    consuming func finish(output: Int32) throws -> Circuit {
        draft.outputs.append(.init(symbol: output, location: .none))
        progress?(1)
        return try Circuit(draft: draft)
    }
}
