import Testing
@testable import CircuitGrad

/// The plan's node order is the one ``ExecutionPlan`` documents: by level, plan op, number of
/// arguments, live before dead, gradient fan-in (nothing to sum, then by rows, programs last),
/// unfused before fused parameter muls, then the file's order. Checked against that
/// comparison written out pair by pair.
@Suite struct NodeOrderTests {
    static func documentedOrder(_ c: Circuit, _ o: NodeOrder, _ a: Int, _ b: Int) -> Bool {
        if c.nodeLevel[a] != c.nodeLevel[b] { return c.nodeLevel[a] < c.nodeLevel[b] }
        if o.ops[a] != o.ops[b] { return o.ops[a] < o.ops[b] }
        if o.arity[a] != o.arity[b] { return o.arity[a] < o.arity[b] }
        if c.nodeIsLive[a] != c.nodeIsLive[b] { return c.nodeIsLive[a] }
        if o.gradientFanIn[a] != o.gradientFanIn[b] { return o.gradientFanIn[a] < o.gradientFanIn[b] }
        if o.fusesParameter[a] != o.fusesParameter[b] { return !o.fusesParameter[a] }
        return a < b
    }

    @Test func nodesFollowTheDocumentedOrder() throws {
        var circuits = try (1...6).map { try RandomCircuits.make(seed: $0, inputs: 5, params: 3, nodes: 400, window: 30) }
        circuits.append(try CircuitGenerator.generate(.layered(nodes: 3000, params: 40), seed: 2))
        circuits.append(try CircuitGenerator.generate(.mlp(layerSizes: [4, 8, 2]), seed: 3))
        for (k, c) in circuits.enumerated() {
            let o = NodeOrder(circuit: c)
            #expect(o.order.sorted() == Array(0..<c.nodeCount), "circuit \(k)")
            #expect(zip(o.order, o.order.dropFirst()).allSatisfy { Self.documentedOrder(c, o, $0, $1) }, "circuit \(k)")
            #expect(o.order.enumerated().allSatisfy { Int(o.planIndex[$1]) == $0 }, "circuit \(k)")
        }
        // The circuits reach every part of the key: each fan-in kind, dead nodes, fused parameter muls.
        let orders = circuits.map { NodeOrder(circuit: $0) }
        let kinds = Set(orders.flatMap { o in o.gradientFanIn.map { String("\($0)".prefix(4)) } })
        #expect(kinds.isSuperset(of: ["none", "rows", "prog"]), "\(kinds)")
        #expect(circuits.contains { $0.nodeIsLive.contains(false) })
        #expect(orders.contains { $0.fusesParameter.contains(true) })
    }
}
