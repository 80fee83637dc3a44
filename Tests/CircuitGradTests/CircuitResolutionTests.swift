import Testing
@testable import CircuitGrad

@Suite struct CircuitResolutionTests {
    @Test func workedExampleResolves() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y"), z = b.input("z")
        let c = try b.build(output: (x + y) * z)
        #expect(c.nodeCount == 2)
        #expect(c.splitterCount == 0)
        #expect(c.nodeLevel == [1, 2])
        #expect(c.levelCount == 2)
    }

    @Test func fanOutInsertsOneSplitterPerUse() throws {
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let c = try b.build(output: x / (x + y))
        #expect(c.splitterCount == 1)
        #expect(c.outputs(ofSplitter: 0).count == 2)
        #expect(c.splitterSource[0] == 0)
    }

    /// The one-pass levels, liveness and wire values (nodes in dependency order) agree with
    /// the depth-first search on circuits with dead nodes, splits of splits and fan-out.
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func inOrderLevelsAgreeWithTheSearch(seed: UInt64) throws {
        var circuits = try [(30, 12), (70, 12), (300, 60)].map { try RandomCircuits.make(seed: seed, inputs: 4, params: 2, nodes: $0.0, window: $0.1) }
        circuits += try GeneratorSamples.shapes.map { try $0.1.circuit(seed: seed, progress: nil) }
        for c in circuits {
            let graph = WireGraph(argStart: c.argStart, args: c.args, splitterSource: c.splitterSource,
                                  splitterOutputStart: c.splitterOutputStart, splitterOfOutput: c.splitterOfOutput,
                                  consumerCode: c.wireConsumerCode, firstNode: c.firstNodeWire, valueCount: c.valueCount,
                                  outputWire: Int(c.outputWire))
            let inOrder = try #require(graph.levelsInNodeOrder())
            let searched = try graph.levelsBySearch(draft: CircuitDraft(sourceName: "t"), symbolWire: [])
            #expect(inOrder.nodeLevel == searched.nodeLevel && inOrder.nodeIsLive == searched.nodeIsLive
                    && inOrder.splitterOutputValue == searched.splitterOutputValue, "seed \(seed), \(c.nodeCount) nodes")
        }
    }
}
