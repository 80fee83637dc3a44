extension CircuitGenerator {
    /// The kinds of circuit ``CircuitGenerator/generate(_:seed:)`` makes, with their sizes.
    /// Each kind's other options take the values the command-line tool's `generate` defaults to.
    public enum Shape: Sendable, Hashable {
        /// A random layered DAG of about `nodes` function nodes (layers of about √nodes nodes
        /// drawn from `add`, `mul`, `tanh`, `sin`, `cos`, `sigmoid`, two arguments each), with
        /// `params` parameters; inputs `x0…`.
        case layered(nodes: Int, params: Int = 0)
        /// A multilayer perceptron written as gates, with its squared-error loss: `layerSizes`
        /// from the inputs to the outputs (at least two sizes), `tanh` activations, inputs
        /// `x0…` and targets `y0…`, parameters `w…` and `b…`.
        case mlp(layerSizes: [Int])
        /// The logistic neuron σ(w0 + w1·x1 + … + wn·xn) with `features` inputs.
        case logistic(features: Int)
        /// A reduction tree of `add` nodes over `leaves` inputs (at least 2), `fanIn`
        /// arguments per node (at least 2).
        case tree(leaves: Int, fanIn: Int = 2)
        /// A chain of `length` bounded unary nodes (`sin`, `cos`, `tanh`, `sigmoid`) on one input.
        case chain(length: Int)
        /// A `rows` × `columns` wavefront of `sin` cells, each reading the cell above and the
        /// cell to its left.
        case grid(rows: Int, columns: Int)
    }

    /// Makes the circuit `shape` describes, its random choices (structure and parameter
    /// values) drawn from a generator seeded with `seed`.
    ///
    /// ```swift
    /// let tree = try CircuitGenerator.generate(.tree(leaves: 1024), seed: 1)
    /// ```
    /// - Throws: ``CircuitError`` of kind ``CircuitError/Kind/invalidArgument`` when a size is
    ///   out of range (a count below its minimum), and of kind
    ///   ``CircuitError/Kind/resourceLimit`` when the circuit would have more wires than the
    ///   readers accept or need more memory than there is (checked before anything is built).
    public static func generate(_ shape: Shape, seed: UInt64) throws -> Circuit {
        let made: any CircuitShape
        switch shape {
        case .layered(let nodes, let params): made = LayeredShape(nodes: nodes, params: params)
        case .mlp(let sizes): made = MLPShape(layerSizes: sizes)
        case .logistic(let features): made = LogisticShape(features: features)
        case .tree(let leaves, let fanIn): made = TreeShape(leaves: leaves, fanIn: fanIn)
        case .chain(let length): made = ChainShape(length: length)
        case .grid(let rows, let columns): made = GridShape(rows: rows, columns: columns)
        }
        do {
            try made.validate()
        } catch let error as GeneratorError {
            throw CircuitError(file: "<generator>", kind: .invalidArgument, error.message)
        }
        try checkSize(wires: made.wireEstimate, kind: type(of: made).kind)
        return try made.circuit(seed: seed)
    }

    /// The most wires a generated circuit may have: what the text and binary readers accept.
    package static let maximumWires = Int(Int32.max) / 2
    /// Bytes of memory budgeted per wire while generating (circuit and text together: about
    /// 130–210 bytes a wire measured over every kind at a million nodes).
    package static let bytesPerWire = 256

    /// Refuses a circuit of about `wires` wires (saturating at `Int.max`) past the readers'
    /// limit or past the memory available, before anything is built.
    /// - Throws: ``CircuitError`` of kind `resourceLimit` naming the size and the limit.
    package static func checkSize(wires: Int, kind: String) throws {
        if wires > maximumWires {
            throw CircuitError(file: "generate", kind: .resourceLimit,
                               "\(kind) with these options would have \(wires == Int.max ? "more than 9.2 × 10¹⁸" : "about \(wires)") wires; "
                               + "a circuit may have at most \(maximumWires) (what the readers accept)")
        }
        var m = MemoryEstimate()
        m.add("the circuit and its text", count: wires, bytesEach: bytesPerWire)
        try m.check("generating \(kind) (about \(wires) wires)", remedy: "smaller size options lower it")
    }
}
