import Testing
@testable import CircuitGrad

/// Tiny generated circuits checked node by node against what the shapes' documentation says.
@Suite("Generator structure")
struct GeneratorStructureTests {
    /// The file names of the wires node `n` reads.
    func argumentNames(_ c: Circuit, _ n: Int) -> [String] {
        c.arguments(of: n).map { c.fileName(ofWire: Int($0)) }
    }

    func node(_ c: Circuit, named name: String) -> Int? { c.nodeNames.firstIndex(of: name) }

    func count(_ c: Circuit, _ op: Op) -> Int { c.ops.filter { $0 == op }.count }

    @Test("A tree of 4 inputs is 3 adds on 2 levels")
    func treeOfFour() throws {
        let c = try CircuitGenerator.tree(TreeShape(leaves: 4), seed: 1)
        #expect(c.inputNames == ["x0", "x1", "x2", "x3"])
        #expect(c.ops == [.add, .add, .add])
        #expect(argumentNames(c, 0) == ["x0", "x1"])
        #expect(argumentNames(c, 1) == ["x2", "x3"])
        #expect(argumentNames(c, 2) == ["n0", "n1"])
        #expect(c.nodeLevel == [1, 1, 2])
        #expect(c.outputWire == Int32(c.nodeWire(2)))
        #expect(c.splitterCount == 0)
    }

    @Test("A tree of 5 inputs carries the odd one up; fan-in 3 groups by three")
    func treeShapes() throws {
        let c = try CircuitGenerator.tree(TreeShape(leaves: 5), seed: 1)
        // Level 1: (x0 x1) (x2 x3), x4 moves up; level 2: (n0 n1), x4 moves up; level 3: (n2 x4).
        #expect(c.nodeCount == 4)
        #expect(argumentNames(c, 3) == ["n2", "x4"])
        #expect(c.levelCount == 3)
        let wide = try CircuitGenerator.tree(TreeShape(leaves: 7, fanIn: 3), seed: 1)
        #expect(wide.nodeCount == 3)   // (x0 x1 x2) (x3 x4 x5), x6 up; then (n0 n1 x6)
        #expect(argumentNames(wide, 2) == ["n0", "n1", "x6"])
        // A mix of ops draws from it.
        let mixed = try CircuitGenerator.tree(TreeShape(leaves: 64, ops: try OpMix(parsing: "add,mul")), seed: 4)
        #expect(mixed.nodeCount == 63)
        #expect(count(mixed, .add) > 10 && count(mixed, .mul) > 10)
    }

    @Test("A chain of 5 has levels 1…5, each node reading the one before")
    func chainOfFive() throws {
        let c = try CircuitGenerator.chain(ChainShape(length: 5), seed: 3)
        #expect(c.inputNames == ["x0"])
        #expect(c.nodeLevel == [1, 2, 3, 4, 5])
        #expect(argumentNames(c, 0) == ["x0"])
        for n in 1..<5 { #expect(argumentNames(c, n) == ["n\(n - 1)"]) }
        #expect(c.ops.allSatisfy { ChainShape.allowedOps.contains($0) })
        #expect(c.outputWire == Int32(c.nodeWire(4)))
    }

    @Test("A 2×2 grid: each cell adds the cell above and the cell to its left")
    func gridTwoByTwo() throws {
        let c = try CircuitGenerator.grid(GridShape(rows: 2, columns: 2), seed: 1)
        #expect(c.inputNames == ["t0", "t1", "l0", "l1"])
        #expect(c.nodeCount == 8)
        let expected: [String: [String]] = [
            "s0_0": ["t0", "l0"], "s0_1": ["t1", "c0_0"],
            "s1_0": ["c0_0", "l1"], "s1_1": ["c0_1", "c1_0"],
        ]
        for (cell, args) in expected {
            let n = try #require(node(c, named: cell))
            #expect(c.ops[n] == .add)
            #expect(argumentNames(c, n) == args, "\(cell)")
        }
        for cell in ["c0_0", "c0_1", "c1_0", "c1_1"] {
            let n = try #require(node(c, named: cell))
            #expect(c.ops[n] == .sin)
            #expect(argumentNames(c, n) == ["s" + cell.dropFirst()])
        }
        #expect(c.fileName(ofWire: Int(c.outputWire)) == "c1_1")
        // Wavefronts: (0,0) at levels 1–2, (0,1)/(1,0) at 3–4, (1,1) at 5–6.
        #expect(c.levelCount == 6)
        #expect(c.levelWidths == [0, 1, 1, 2, 2, 1, 1])
    }

    @Test("mlp 2,2,1 has 6 muls, 3 adds, 9 params, 2 activations and a squared loss")
    func mlpTwoTwoOne() throws {
        let shape = MLPShape(layerSizes: [2, 2, 1], activation: .sigmoid)
        let c = try CircuitGenerator.mlp(shape, seed: 5)
        #expect(c.inputNames == ["x0", "x1", "y0"])
        #expect(c.paramNames == ["w1_0_0", "w1_0_1", "b1_0", "w1_1_0", "w1_1_1", "b1_1", "w2_0_0", "w2_0_1", "b2_0"])
        #expect(count(c, .mul) == 6)      // 2·2 + 1·2 weights
        #expect(count(c, .add) == 3)      // one per unit
        #expect(count(c, .sigmoid) == 2)  // hidden units only
        #expect(count(c, .sub) == 1 && count(c, .square) == 1)
        #expect(c.nodeCount == 13 && shape.nodeCount == 13)
        let z = try #require(node(c, named: "z2_0"))
        #expect(argumentNames(c, z) == ["m2_0_0", "m2_0_1", "b2_0"])
        let m = try #require(node(c, named: "m2_0_1"))
        #expect(argumentNames(c, m) == ["w2_0_1", "a1_1"])
        #expect(c.fileName(ofWire: Int(c.outputWire)) == "e0")
        // Weights within ±1/√fan-in, biases within ±0.1.
        for (name, value) in zip(c.paramNames, c.paramValues) {
            let bound = name.hasPrefix("b") ? 0.1 : 1 / 2.0.squareRoot()
            #expect(Swift.abs(value) <= bound, "\(name) = \(value)")
        }
        // x0 feeds both hidden units: one inserted splitter with 2 outputs.
        #expect(c.splitterCount >= 1)
    }

    @Test("mlp with logistic loss and two outputs sums the per-output losses")
    func mlpLogisticTwoOutputs() throws {
        let shape = MLPShape(layerSizes: [3, 2], activation: .relu, loss: .logistic)
        let c = try CircuitGenerator.mlp(shape, seed: 5)
        #expect(c.inputNames == ["x0", "x1", "x2", "y0", "y1"])
        #expect(count(c, .exp) == 2 && count(c, .log) == 2 && count(c, .offset) == 2)
        #expect(count(c, .relu) == 0)     // no hidden layer
        #expect(c.nodeCount == shape.nodeCount)
        #expect(c.fileName(ofWire: Int(c.outputWire)) == "loss")
        let loss = try #require(node(c, named: "loss"))
        #expect(argumentNames(c, loss) == ["e0", "e1"])
    }

    @Test("The logistic neuron: f = sigmoid(add(w0, w1·x1, …))")
    func logisticNeuron() throws {
        let c = try CircuitGenerator.logistic(LogisticShape(features: 2), seed: 9)
        #expect(c.inputNames == ["x1", "x2"])
        #expect(c.paramNames == ["w0", "w1", "w2"])
        #expect(c.nodeNames == ["m1", "m2", "z", "f"])
        #expect(argumentNames(c, 2) == ["w0", "m1", "m2"])
        #expect(argumentNames(c, 0) == ["w1", "x1"])
        #expect(c.ops == [.mul, .mul, .add, .sigmoid])
    }

    @Test("Layered: about the asked number of nodes, the asked width, every node live")
    func layeredShape() throws {
        let shape = LayeredShape(nodes: 2000, width: 50, inputs: 20, params: 3)
        let c = try CircuitGenerator.layered(shape, seed: 21)
        #expect(c.nodeCount >= 2000 && c.nodeCount <= 2004)
        #expect(c.inputCount == 20 && c.paramCount == 3)
        #expect(c.nodeIsLive.allSatisfy { $0 })
        // Only the mix's ops and the helpers that bound them.
        let allowed: Set<Op> = [.add, .mul, .tanh, .sin, .cos, .sigmoid, .scale]
        #expect(c.ops.allSatisfy { allowed.contains($0) })
        // Every add of a unit is averaged: followed by a scale 1/k (k = 2 for the units).
        for n in 0..<c.nodeCount where c.ops[n] == .scale {
            let k = c.arguments(of: n - 1).count
            #expect(c.ops[n - 1] == .add && c.constants[n] == 1 / Double(k))
        }
        // No node reads a wire defined after it (the generator emits in topological order).
        for n in 0..<c.nodeCount {
            for a in c.arguments(of: n) { #expect(Int(c.wireValue[Int(a)]) < c.nodeWire(n)) }
        }
        // Deep, not flat: about nodes / (width · nodes per unit) layers, each unit 1–2 levels.
        #expect(c.levelCount > 2000 / (50 * 2))
    }

    @Test("Layered --depth sets about that many layers; every allowed op can be used")
    func layeredDepthAndOps() throws {
        let ops = try OpMix(parsing: LayeredShape.allowedOps.map(\.name).joined(separator: ","))
        let shape = LayeredShape(nodes: 3000, depth: 10, fanIn: 3, ops: ops)
        let c = try CircuitGenerator.layered(shape, seed: 2)
        for op in LayeredShape.allowedOps { #expect(c.ops.contains(op), "\(op.name)") }
        #expect(shape.resolvedWidth > 100 && shape.resolvedWidth < 300)
        #expect(c.inputCount == shape.resolvedWidth)
        let adds = (0..<c.nodeCount).filter { c.ops[$0] == .add }.map { c.arguments(of: $0).count }
        #expect(adds.dropLast().allSatisfy { $0 == 3 })   // the last add is the output reduction
    }

    @Test("Options out of range are refused with a message naming the option")
    func invalidOptions() {
        func message(_ body: () throws -> Circuit) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        #expect(message { try CircuitGenerator.layered(LayeredShape(nodes: 0), seed: 1) }.contains("--nodes"))
        #expect(message { try CircuitGenerator.layered(LayeredShape(nodes: 9, width: 3, depth: 3), seed: 1) }.contains("not both"))
        #expect(message { try CircuitGenerator.layered(LayeredShape(nodes: 9, fanIn: 1), seed: 1) }.contains("--fan-in"))
        #expect(message { try CircuitGenerator.tree(TreeShape(leaves: 4, ops: try OpMix(parsing: "exp")), seed: 1) }
            .contains("cannot use 'exp'"))
        #expect(message { try CircuitGenerator.chain(ChainShape(length: 3, ops: try OpMix(parsing: "exp")), seed: 1) }
            .contains("cannot use 'exp'"))
        #expect(message { try CircuitGenerator.grid(GridShape(rows: 2, columns: 2, ops: try OpMix(parsing: "cos")), seed: 1) }
            .contains("cannot use 'cos'"))
        #expect(message { try CircuitGenerator.tree(TreeShape(leaves: 1), seed: 1) }.contains("at least 2"))
        #expect(message { try CircuitGenerator.mlp(MLPShape(layerSizes: [3]), seed: 1) }.contains("two sizes"))
        #expect(message { try CircuitGenerator.mlp(MLPShape(layerSizes: [3, 0]), seed: 1) }.contains("at least 1"))
        #expect(message { try CircuitGenerator.logistic(LogisticShape(features: 0), seed: 1) }.contains("--features"))
        #expect(throws: GeneratorError.self) { try ChainShape(length: 3).batch(samples: 0, seed: 1) }
    }

    @Test("A layered circuit can mix all 23 ops and stays finite; a tree can apply sin, cos, tanh, sigmoid")
    func everyOpMixes() throws {
        let all = try OpMix(parsing: Op.allCases.map(\.name).joined(separator: ","))
        let c = try CircuitGenerator.layered(LayeredShape(nodes: 3000, width: 60, ops: all), seed: 4)
        #expect(Set(c.ops) == Set(Op.allCases))
        let batch = try LayeredShape(nodes: 3000, width: 60, ops: all).batch(samples: 3, seed: 2)
        let r = try ReferenceEvaluator(circuit: c).evaluate(batch)
        #expect(r.values.allSatisfy(\.isFinite) && r.inputGradients.allSatisfy(\.isFinite))
        let tree = try CircuitGenerator.tree(TreeShape(leaves: 64, ops: try OpMix(parsing: "add,mul,sin,cos,tanh,sigmoid")), seed: 3)
        #expect(Set(tree.ops) == [.add, .mul, .sin, .cos, .tanh, .sigmoid])
    }
}
