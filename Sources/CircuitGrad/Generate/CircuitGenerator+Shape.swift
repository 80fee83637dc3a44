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
    ///   ``CircuitError/Kind/resourceLimit`` when the circuit would have more wires than a
    ///   circuit may have.
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
        if let wires = shape.wireEstimate, wires <= maximumWires {
            return try made.circuit(seed: seed)
        }
        throw CircuitError(file: "<generator>", kind: .resourceLimit,
                           "the circuit is too large: \(shape) would need more than \(maximumWires) wires")
    }

    /// The most wires a generated circuit may have (the limit the circuit reader enforces).
    static let maximumWires = Int(Int32.max) / 2
}

extension CircuitGenerator.Shape {
    /// An upper bound on the wires (inputs, parameters, nodes and splitter outputs) of the
    /// circuit, for sizes that passed validation; nil when it overflows.
    var wireEstimate: Int? {
        func sum(_ terms: [Int]) -> Int? {
            var total = 0
            for t in terms {
                let (s, o) = total.addingReportingOverflow(t)
                if o { return nil }
                total = s
            }
            return total
        }
        func product(_ a: Int, _ b: Int) -> Int? {
            let (p, o) = a.multipliedReportingOverflow(by: b)
            return o ? nil : p
        }
        switch self {
        case .layered(let nodes, let params):
            // Nodes, inputs (at most nodes), parameters, and a splitter output per argument
            // (at most three per node: two arguments and the reader's share).
            guard let n = product(nodes, 6) else { return nil }
            return sum([n, params, params])
        case .mlp(let sizes):
            // Per layer l: a mul per weight, an add and an activation per neuron, and a
            // splitter output per use of each activation and target; the loss adds a few per output.
            var terms = sizes
            for l in sizes.indices.dropFirst() {
                guard let fan = sum([sizes[l - 1], 3]), let w = product(sizes[l], fan), let w2 = product(w, 3) else { return nil }
                terms.append(w2)
            }
            guard let last = sizes.last, let loss = product(last, 16) else { return nil }
            terms.append(loss)
            return sum(terms)
        case .logistic(let features):
            return product(features, 6).flatMap { sum([$0, 8]) }
        case .tree(let leaves, _):
            return product(leaves, 4)
        case .chain(let length):
            return product(length, 2).flatMap { sum([$0, 1]) }
        case .grid(let rows, let columns):
            guard let cells = product(rows, columns), let c = product(cells, 4) else { return nil }
            return sum([c, rows, columns])
        }
    }
}
