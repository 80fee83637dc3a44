/// A random layered DAG: layers of `width` units, each unit applying an op drawn from
/// `ops` to arguments taken mostly from the previous one or two layers, then every unit
/// that nothing reads reduced into the output (their mean), so every node is live.
///
/// **Arguments.** Each argument comes from the previous layer with probability 16/20 — taken
/// in a shuffled order so that every unit of that layer is read before any is read twice —,
/// from the layer before it with 3/20 (uniform), and from any earlier unit, inputs and
/// parameters included, with 1/20. Layer 0 is the inputs and parameters.
///
/// **Bounded values.** With inputs in [−1, 1] every unit's value stays in [−1, 1]
/// (up to rounding), however deep the circuit: `add` of k wires is followed by `scale 1/k`,
/// `sub` by `scale 0.5`, `exp` by `scale 1/e`; `log`, `sqrt`, `recip` and `div`'s divisor
/// are shifted into positive ranges first (`offset 1.5`, `offset 1.25` then `scale 2/3`,
/// `offset 2`, `offset 2`). `mul`, `max`, `min`, `neg`, `abs`, `relu`, `square`, `sin`, `cos`,
/// `tanh` and `sigmoid` keep the range as they are. A mix of only `add` and `mul` lets
/// values shrink towards 0 over many layers; `cos` and `sigmoid` keep them away from 0.
package struct LayeredShape: CircuitShape {
    /// `layered`.
    package static let kind = "layered"

    /// Roughly how many function nodes to make: units are added until this count is reached
    /// (the output reduction adds up to 2 more, and a unit up to 3).
    package var nodes: Int
    /// Units per layer; nil to derive it from ``depth`` or, without one, √nodes.
    package var width: Int?
    /// Number of layers wanted; used only when ``width`` is nil.
    package var depth: Int?
    /// Input wires `x0…`; nil means one per unit of a layer (the width).
    package var inputs: Int?
    /// Parameter wires `p0…` (values uniform in [−1, 1]) that join the inputs in layer 0.
    package var params: Int
    /// Arguments of each `add`, `mul`, `max` and `min` (≥ 2); `sub` and `div` take 2, the rest 1.
    package var fanIn: Int
    /// The ops of the units and their weights.
    package var ops: OpMix

    /// The ops a layered circuit can use: every op.
    package static let allowedOps: [Op] = Op.allCases

    /// The default mix: `add:3,mul:3,tanh:1,sin:1,cos:1,sigmoid:1`.
    package static let defaultOps = try! OpMix([(.add, 3), (.mul, 3), (.tanh, 1), (.sin, 1), (.cos, 1), (.sigmoid, 1)])

    /// A layered shape of about `nodes` function nodes: `width` units per layer (nil: from
    /// `depth` layers or, without one, √nodes), `inputs` input wires (nil: the width),
    /// `params` parameter wires, `fanIn` arguments per `add`/`mul`/`max`/`min`, and the op mix
    /// `add:3,mul:3,tanh:1,sin:1,cos:1,sigmoid:1`.
    package init(nodes: Int, width: Int? = nil, depth: Int? = nil, inputs: Int? = nil, params: Int = 0, fanIn: Int = 2) {
        self.init(nodes: nodes, width: width, depth: depth, inputs: inputs, params: params, fanIn: fanIn, ops: LayeredShape.defaultOps)
    }

    /// A layered shape whose units are drawn from `ops`.
    package init(nodes: Int, width: Int? = nil, depth: Int? = nil, inputs: Int? = nil, params: Int = 0,
                fanIn: Int = 2, ops: OpMix) {
        self.nodes = nodes
        self.width = width
        self.depth = depth
        self.inputs = inputs
        self.params = params
        self.fanIn = fanIn
        self.ops = ops
    }

    package func validate() throws {
        guard nodes >= 1 else { throw GeneratorError("layered: --nodes must be at least 1, got \(nodes)") }
        if width != nil && depth != nil { throw GeneratorError("layered: give --width or --depth, not both") }
        if let w = width, w < 1 { throw GeneratorError("layered: --width must be at least 1, got \(w)") }
        if let d = depth, d < 1 { throw GeneratorError("layered: --depth must be at least 1, got \(d)") }
        if let i = inputs, i < 1 { throw GeneratorError("layered: --inputs must be at least 1, got \(i)") }
        guard params >= 0 else { throw GeneratorError("layered: --params cannot be negative, got \(params)") }
        guard fanIn >= 2 else { throw GeneratorError("layered: --fan-in must be at least 2, got \(fanIn)") }
        try ops.require(only: LayeredShape.allowedOps, for: "layered")
    }

    /// Units per layer after applying the defaults.
    package var resolvedWidth: Int {
        if let w = width { return w }
        let perUnit = expectedNodesPerUnit
        if let d = depth { return max(1, Int((Double(nodes) / (Double(d) * perUnit)).rounded(.up))) }
        return max(1, Int(Double(nodes).squareRoot()))
    }

    package var inputCount: Int { inputs ?? resolvedWidth }

    package func inputRange(ofInput index: Int) -> ClosedRange<Double> { -1...1 }

    /// Function nodes per unit, averaged over the mix.
    var expectedNodesPerUnit: Double {
        var total = 0.0
        for (op, weight) in ops.entries { total += Double(weight * LayeredShape.nodesPerUnit(op)) }
        return total / Double(ops.totalWeight)
    }

    static func nodesPerUnit(_ op: Op) -> Int {
        switch op {
        case .add, .sub, .exp, .log, .recip, .div, .offset: 2
        case .sqrt, .pow, .powc: 3
        default: 1
        }
    }

    func argumentCount(_ op: Op) -> Int {
        switch op.arity {
        case .atLeastTwo: fanIn
        case .exactly(let n): n
        }
    }

    package func circuit(seed: UInt64, progress: GeneratorProgress?) throws -> Circuit {
        try validate()
        var random = GeneratorRandom(seed: seed, stream: GeneratorStream.circuit)
        var emit = DraftEmitter(kind: LayeredShape.kind, expectedNodes: nodes, progress: progress)
        let width = resolvedWidth

        // Units: inputs and parameters first (layer 0), then every unit's output wire.
        var unitNames = [Int32]()
        unitNames.reserveCapacity(inputCount + params + nodes)
        for i in 0..<inputCount {
            unitNames.append(emit.input("x\(i)"))
        }
        for p in 0..<params {
            unitNames.append(emit.param("p\(p)", random.uniform(-1, 1)))
        }
        var isRead = [Bool](repeating: false, count: unitNames.count)
        isRead.reserveCapacity(unitNames.capacity)

        var previous = 0..<unitNames.count          // the layer arguments mostly come from
        var beforePrevious = 0..<0
        var order = Array(previous)                  // shuffled previous layer, read in turn
        random.shuffle(&order)
        var orderPosition = 0

        func pick() -> Int {
            let r = random.index(below: 20)
            if r >= 19 && previous.lowerBound > 0 {
                return random.index(below: previous.lowerBound)
            }
            if r >= 16 && !beforePrevious.isEmpty {
                return beforePrevious.lowerBound + random.index(below: beforePrevious.count)
            }
            if orderPosition == order.count {
                random.shuffle(&order)
                orderPosition = 0
            }
            orderPosition += 1
            return order[orderPosition - 1]
        }

        // Reserve 2 nodes for the output reduction.
        let unitBudget = max(1, nodes - 2)
        building: while true {
            let layerStart = unitNames.count
            for _ in 0..<width {
                if emit.nodeCount >= unitBudget { break }
                let op = ops.draw(&random)
                var args = [Int32]()
                for _ in 0..<argumentCount(op) {
                    let u = pick()
                    isRead[u] = true
                    args.append(unitNames[u])
                }
                unitNames.append(emitUnit(op, args, &emit))
                isRead.append(false)
            }
            let layer = layerStart..<unitNames.count
            if emit.nodeCount >= unitBudget || layer.isEmpty { break building }
            beforePrevious = previous
            previous = layer
            order = Array(layer)
            random.shuffle(&order)
            orderPosition = 0
        }

        // The output: the mean of every unit nothing reads (inputs and parameters excluded).
        let firstNodeUnit = inputCount + params
        let unread = (firstNodeUnit..<unitNames.count).filter { !isRead[$0] }.map { unitNames[$0] }
        let output: Int32
        if unread.count == 1 {
            output = unread[0]
        } else {
            let sum = emit.node(.add, unread)
            output = emit.node(.scale, [sum], constant: 1 / Double(unread.count))
        }
        return try emit.finish(output: output)
    }

    /// Emits one unit (an op, with the nodes that keep its value in [−1, 1]) and returns its output wire.
    private func emitUnit(_ op: Op, _ args: [Int32], _ emit: inout DraftEmitter) -> Int32 {
        switch op {
        case .add:
            let sum = emit.node(.add, args)
            return emit.node(.scale, [sum], constant: 1 / Double(args.count))
        case .sub:
            let difference = emit.node(.sub, args)
            return emit.node(.scale, [difference], constant: 0.5)
        case .exp:
            let e = emit.node(.exp, args)
            return emit.node(.scale, [e], constant: 1 / 2.718281828459045)
        case .log:
            let shifted = emit.node(.offset, args, constant: 1.5)
            return emit.node(.log, [shifted])
        case .sqrt:
            let shifted = emit.node(.offset, args, constant: 1.25)
            let root = emit.node(.sqrt, [shifted])
            return emit.node(.scale, [root], constant: 2.0 / 3.0)
        case .recip:
            let shifted = emit.node(.offset, args, constant: 2)
            return emit.node(.recip, [shifted])
        case .div:
            let divisor = emit.node(.offset, [args[1]], constant: 2)
            return emit.node(.div, [args[0], divisor])
        case .pow:
            // A base in [1, 3] (a negative base with a fractional exponent is NaN), exponent in [−1, 1].
            let base = emit.node(.offset, [args[0]], constant: 2)
            let power = emit.node(.pow, [base, args[1]])
            return emit.node(.scale, [power], constant: 1.0 / 3.0)
        case .powc:
            let base = emit.node(.offset, [args[0]], constant: 2)
            let power = emit.node(.powc, [base], constant: 1.5)
            return emit.node(.scale, [power], constant: 0.19245008972987526)   // 3^−1.5
        case .scale:
            return emit.node(.scale, args, constant: 0.9)
        case .offset:
            let shifted = emit.node(.offset, args, constant: 0.5)
            return emit.node(.scale, [shifted], constant: 2.0 / 3.0)
        case .const:
            return emit.node(.const, [], constant: 0.75)
        default:
            return emit.node(op, args)
        }
    }
}
