/// A fully connected neural network written as gates, with its training loss as the output.
///
/// For layer sizes `n0, n1, …, nL`: inputs `x0…x(n0−1)` (features, in [−1, 1]) and
/// `y0…y(nL−1)` (targets, in [0, 1]); parameters `wL_J_I` (weight from unit I of layer L−1
/// to unit J of layer L, uniform in ±1/√fan-in) and `bL_J` (bias, uniform in ±0.1), declared
/// layer by layer, each unit's weights then its bias. Unit J of layer L is
/// `mL_J_I = mul wL_J_I a(L−1)_I` for every I, `zL_J = add mL_J_0 … bL_J`, and for hidden
/// layers `aL_J = ACTIVATION zL_J` (layer 0's `a` are the inputs `x`). The last layer stays linear.
///
/// Loss per output J: squared error `dJ = sub zL_J yJ`, `eJ = square dJ`; logistic
/// (cross-entropy on the logit, as softplus) `expJ = exp zL_J`, `onepJ = offset expJ 1`,
/// `spJ = log onepJ`, `yzJ = mul yJ zL_J`, `eJ = sub spJ yzJ`. The output is `e0`, or
/// `loss = add e0 e1 …` when there are several outputs.
package struct MLPShape: CircuitShape {
    /// `mlp`.
    package static let kind = "mlp"

    /// The activation of hidden units.
    package enum Activation: String, Sendable, CaseIterable {
        case sigmoid, tanh, relu
        var op: Op {
            switch self {
            case .sigmoid: .sigmoid
            case .tanh: .tanh
            case .relu: .relu
            }
        }
    }

    /// The loss against the targets.
    package enum Loss: String, Sendable, CaseIterable {
        /// (z − y)².
        case squared
        /// log(1 + eᶻ) − y·z, the logistic loss on logit z.
        case logistic
    }

    /// Units per layer, inputs first, outputs last (at least two sizes, each ≥ 1).
    package var layerSizes: [Int]
    /// Activation of the hidden layers.
    package var activation: Activation
    /// Loss of the output layer.
    package var loss: Loss

    /// An MLP shape with `tanh` hidden units and squared loss, such as
    /// `MLPShape(layerSizes: [4, 16, 16, 1])`.
    package init(layerSizes: [Int]) {
        self.init(layerSizes: layerSizes, activation: .tanh, loss: .squared)
    }

    /// An MLP shape with the given activation and loss.
    package init(layerSizes: [Int], activation: Activation, loss: Loss = .squared) {
        self.layerSizes = layerSizes
        self.activation = activation
        self.loss = loss
    }

    package func validate() throws {
        guard layerSizes.count >= 2 else {
            throw GeneratorError("mlp: --layers needs at least two sizes (inputs and outputs), got \(layerSizes.count)")
        }
        for s in layerSizes where s < 1 { throw GeneratorError("mlp: every layer size must be at least 1, got \(s)") }
    }

    package var inputCount: Int { layerSizes.first! + layerSizes.last! }

    package func inputRange(ofInput index: Int) -> ClosedRange<Double> {
        index < layerSizes.first! ? -1...1 : 0...1
    }

    /// Function nodes of the circuit: a mul per weight, an add per unit, an activation per
    /// hidden unit, 2 (squared) or 5 (logistic) loss nodes per output, and the sum of losses.
    package var nodeCount: Int {
        var count = 0
        for l in 1..<layerSizes.count {
            count += layerSizes[l] * (layerSizes[l - 1] + 1)
            if l < layerSizes.count - 1 { count += layerSizes[l] }
        }
        let outputs = layerSizes.last!
        count += outputs * (loss == .squared ? 2 : 5)
        if outputs > 1 { count += 1 }
        return count
    }

    package func circuit(seed: UInt64, progress: GeneratorProgress?) throws -> Circuit {
        try validate()
        var random = GeneratorRandom(seed: seed, stream: GeneratorStream.circuit)
        var emit = DraftEmitter(kind: MLPShape.kind, expectedNodes: nodeCount, progress: progress)
        let last = layerSizes.count - 1
        var activations = (0..<layerSizes[0]).map { emit.input("x\($0)") }
        let targets = (0..<layerSizes[last]).map { emit.input("y\($0)") }

        // Parameters first, so they are declared in one block: weights[l][j][i], biases[l][j].
        var weights = [[[Int32]]](repeating: [], count: last + 1)
        var biases = [[Int32]](repeating: [], count: last + 1)
        for l in 1...last {
            let bound = 1 / Double(layerSizes[l - 1]).squareRoot()
            for j in 0..<layerSizes[l] {
                weights[l].append((0..<layerSizes[l - 1]).map { i in emit.param("w\(l)_\(j)_\(i)", random.uniform(-bound, bound)) })
                biases[l].append(emit.param("b\(l)_\(j)", random.uniform(-0.1, 0.1)))
            }
        }
        var logits = [Int32]()
        for l in 1...last {
            var next = [Int32]()
            for j in 0..<layerSizes[l] {
                var terms = [Int32]()
                for (i, a) in activations.enumerated() {
                    terms.append(emit.node(.mul, [weights[l][j][i], a], name: "m\(l)_\(j)_\(i)"))
                }
                terms.append(biases[l][j])
                let z = emit.node(.add, terms, name: "z\(l)_\(j)")
                if l < last {
                    next.append(emit.node(activation.op, [z], name: "a\(l)_\(j)"))
                } else {
                    logits.append(z)
                }
            }
            activations = next
        }
        var losses = [Int32]()
        for (j, z) in logits.enumerated() {
            switch loss {
            case .squared:
                let d = emit.node(.sub, [z, targets[j]], name: "d\(j)")
                losses.append(emit.node(.square, [d], name: "e\(j)"))
            case .logistic:
                let e = emit.node(.exp, [z], name: "exp\(j)")
                let onePlus = emit.node(.offset, [e], constant: 1, name: "onep\(j)")
                let softplus = emit.node(.log, [onePlus], name: "sp\(j)")
                let yz = emit.node(.mul, [targets[j], z], name: "yz\(j)")
                losses.append(emit.node(.sub, [softplus, yz], name: "e\(j)"))
            }
        }
        let output = losses.count == 1 ? losses[0] : emit.node(.add, losses, name: "loss")
        return try emit.finish(output: output)
    }
}
