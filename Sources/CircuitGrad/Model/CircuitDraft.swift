/// The statements of a circuit by name, in any order, before names are resolved.
///
/// The `.circuit` reader and ``CircuitBuilder`` both fill a draft; ``Circuit/init(draft:)``
/// then resolves names, inserts splitters for fan-out, detects cycles and computes levels,
/// so a file and code that say the same thing give the same ``Circuit``.
/// Names are interned as symbols (indexes into ``symbolNames``) as they are added.
package struct CircuitDraft: Sendable {
    /// The file name used in error messages.
    package var sourceName: String

    /// Every distinct name seen, in first-seen order.
    package private(set) var symbolNames: [String] = []
    /// Symbol by name for `symbolNames[..<indexedSymbolCount]`; symbols appended with
    /// ``appendNewCheckedSymbol(_:)`` are indexed only when ``symbol(_:)`` is next called.
    private var symbolIndex: [String: Int32] = [:]
    private var indexedSymbolCount = 0
    /// Symbols below this are names already checked against ``WireNames`` (by the reader),
    /// so resolution does not check them again.
    private(set) var checkedSymbolCount = 0

    struct Declaration: Sendable {
        var symbol: Int32
        var location: SourceLocation
    }

    var inputs: [Declaration] = []
    var params: [Declaration] = []
    var paramValues: [Double] = []

    var nodes: [Declaration] = []
    var nodeOps: [Op] = []
    var nodeConstants: [Double] = []
    var nodeArgStart: [Int32] = [0]
    var nodeArgs: [Declaration] = []

    var splits: [Declaration] = []          // the source wire of each explicit split, with the line's location
    var splitOutputStart: [Int32] = [0]
    var splitOutputs: [Declaration] = []

    var outputs: [Declaration] = []

    /// An empty draft whose errors will name `sourceName`.
    package init(sourceName: String) {
        self.sourceName = sourceName
    }

    /// The symbol for `name`, adding it if new.
    package mutating func symbol(_ name: String) -> Int32 {
        if indexedSymbolCount < symbolNames.count { indexPendingSymbols() }
        if let s = symbolIndex[name] { return s }
        let s = Int32(symbolNames.count)
        symbolNames.append(name)
        symbolIndex[name] = s
        indexedSymbolCount = symbolNames.count
        return s
    }

    /// Whether `name` has been seen (defined or used) so far.
    package func contains(_ name: String) -> Bool {
        if symbolIndex[name] != nil { return true }
        return symbolNames[indexedSymbolCount...].contains(name)
    }

    /// Adds a symbol for `name` without looking it up, for a caller that interns names
    /// itself (the `.circuit` reader hashes them from bytes) and has already checked that
    /// `name` is a valid wire name not added before. Skips hashing the name as a `String`.
    mutating func appendNewCheckedSymbol(_ name: String) -> Int32 {
        let s = Int32(symbolNames.count)
        if checkedSymbolCount == symbolNames.count { checkedSymbolCount += 1 }
        symbolNames.append(name)
        return s
    }

    private mutating func indexPendingSymbols() {
        symbolIndex.reserveCapacity(symbolNames.count)
        for s in indexedSymbolCount..<symbolNames.count { symbolIndex[symbolNames[s]] = Int32(s) }
        indexedSymbolCount = symbolNames.count
    }

    /// Reserves room for about `names` symbols, `nodes` function nodes and `arguments` node arguments.
    mutating func reserveCapacity(names: Int, nodes: Int, arguments: Int) {
        symbolNames.reserveCapacity(names)
        self.nodes.reserveCapacity(nodes)
        nodeOps.reserveCapacity(nodes)
        nodeConstants.reserveCapacity(nodes)
        nodeArgStart.reserveCapacity(nodes + 1)
        nodeArgs.reserveCapacity(arguments)
    }

    /// Declares an input wire (inputs keep declaration order).
    package mutating func addInput(_ name: String, at location: SourceLocation) {
        inputs.append(Declaration(symbol: symbol(name), location: location))
    }

    /// Declares a parameter wire with its value.
    package mutating func addParam(_ name: String, value: Double, at location: SourceLocation) {
        params.append(Declaration(symbol: symbol(name), location: location))
        paramValues.append(value)
    }

    /// Adds a function node `name = op args... [constant]`; each argument carries its own location.
    package mutating func addNode(
        _ name: String, op: Op, arguments: [(name: String, location: SourceLocation)],
        constant: Double = 0, at location: SourceLocation
    ) {
        nodes.append(Declaration(symbol: symbol(name), location: location))
        nodeOps.append(op)
        nodeConstants.append(constant)
        for a in arguments { nodeArgs.append(Declaration(symbol: symbol(a.name), location: a.location)) }
        nodeArgStart.append(Int32(nodeArgs.count))
    }

    /// Adds an explicit splitter `outputs... = split source`.
    package mutating func addSplit(
        outputs: [(name: String, location: SourceLocation)],
        source: (name: String, location: SourceLocation), at location: SourceLocation
    ) {
        splits.append(Declaration(symbol: symbol(source.name), location: source.location))
        for o in outputs { splitOutputs.append(Declaration(symbol: symbol(o.name), location: o.location)) }
        splitOutputStart.append(Int32(splitOutputs.count))
    }

    /// Names the circuit's output wire. A second call is reported when the draft is resolved.
    package mutating func addOutput(_ name: String, at location: SourceLocation) {
        outputs.append(Declaration(symbol: symbol(name), location: location))
    }

    /// How many function nodes have been added.
    package var nodeCount: Int { nodes.count }
}
