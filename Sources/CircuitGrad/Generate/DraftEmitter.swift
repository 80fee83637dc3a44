/// Fills a ``CircuitDraft`` for a generator: declares wires, adds function nodes under
/// given or sequential names (`n0`, `n1`, …) and reports progress every so many nodes.
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

    mutating func input(_ name: String) { draft.addInput(name, at: .none) }

    mutating func param(_ name: String, _ value: Double) { draft.addParam(name, value: value, at: .none) }

    /// Adds `name = op args [constant]` and returns `name` (`n<k>` when no name is given).
    @discardableResult
    mutating func node(_ op: Op, _ args: [String], constant: Double = 0, name: String? = nil) -> String {
        let name = name ?? sequentialName()
        draft.addNode(name, op: op, arguments: args.map { ($0, SourceLocation.none) }, constant: constant, at: .none)
        nodeCount += 1
        if nodeCount >= nextProgressAt {
            nextProgressAt += DraftEmitter.progressStep
            progress?(Swift.min(1, Double(nodeCount) / Double(expectedNodes)))
        }
        return name
    }

    private mutating func sequentialName() -> String {
        while true {
            let name = "n\(nextSequentialName)"
            nextSequentialName += 1
            if !draft.contains(name) { return name }
        }
    }

    /// Names the output and resolves the draft.
    consuming func finish(output: String) throws -> Circuit {
        draft.addOutput(output, at: .none)
        progress?(1)
        return try Circuit(draft: draft)
    }
}

/// Called while a large circuit is generated with the fraction of function nodes added
/// so far (0…1); resolution of the draft follows the last call.
public typealias GeneratorProgress = (Double) -> Void
