import Testing
@testable import CircuitGrad

@Suite("Generator determinism")
struct GeneratorDeterminismTests {
    @Test("Same seed and options: the same circuit and batch, bit for bit", arguments: GeneratorSamples.shapes.map(\.0))
    func sameSeedSameCircuit(kind: String) throws {
        let shape = try #require(GeneratorSamples.shapes.first { $0.0 == kind }?.1)
        let a = try shape.circuit(seed: 42), b = try shape.circuit(seed: 42)
        #expect(CircuitFingerprint(a) == CircuitFingerprint(b))
        let ba = try shape.batch(samples: 5, seed: 42), bb = try shape.batch(samples: 5, seed: 42)
        #expect(ba.values.map(\.bitPattern) == bb.values.map(\.bitPattern))
        #expect(ba.sampleCount == 5 && ba.inputCount == a.inputCount)
    }

    @Test("Another seed: another circuit (where the kind is random) and another batch",
          arguments: GeneratorSamples.shapes.map(\.0))
    func otherSeedOtherCircuit(kind: String) throws {
        let shape = try #require(GeneratorSamples.shapes.first { $0.0 == kind }?.1)
        let a = try shape.circuit(seed: 1), b = try shape.circuit(seed: 2)
        // Trees of one op and grids of one op have no random choices; the others do.
        let randomStructure = !(kind == "tree" || kind == "grid")
        if randomStructure { #expect(CircuitFingerprint(a) != CircuitFingerprint(b)) }
        #expect(try shape.batch(samples: 3, seed: 1).values != shape.batch(samples: 3, seed: 2).values)
    }

    @Test("Batch values lie in each input's range; mlp targets in [0, 1]")
    func batchRanges() throws {
        let shape = MLPShape(layerSizes: [3, 2, 2])
        let batch = try shape.batch(samples: 200, seed: 3)
        for s in 0..<200 {
            for i in 0..<3 { #expect(batch[s, i] >= -1 && batch[s, i] < 1) }
            for i in 3..<5 { #expect(batch[s, i] >= 0 && batch[s, i] < 1) }
        }
        let lows = (0..<200).filter { batch[$0, 0] < 0 }.count
        #expect(lows > 70 && lows < 130)
    }

    @Test("A pinned circuit: the layered generator's first nodes for seed 1 do not drift")
    func pinnedLayered() throws {
        // Written down from this implementation; a change here changes every generated file,
        // so it must be deliberate (and announced: scripts compare generated circuits).
        let c = try CircuitGenerator.layered(LayeredShape(nodes: 12, width: 4, inputs: 3), seed: 1)
        let text = (0..<c.nodeCount).map { n in
            "\(c.nodeNames[n])=\(c.ops[n].name)(" + c.arguments(of: n).map { c.fileName(ofWire: Int($0)) }.joined(separator: ",") + ")"
        }.joined(separator: " ")
        #expect(text == GeneratorDeterminismTests.pinnedText, "\(text)")
        let batch = try LayeredShape(nodes: 12, width: 4, inputs: 3).batch(samples: 1, seed: 1)
        #expect(batch.values.map(\.bitPattern) == GeneratorDeterminismTests.pinnedBatchBits, "\(batch.values.map(\.bitPattern))")
    }

    static let pinnedText = "n0=mul(x0,x1) n1=add(x2,x0) n2=scale(n1) n3=sigmoid(x1) n4=sigmoid(x2) n5=mul(n2,n0) "
        + "n6=mul(n4,n3) n7=mul(n3,n4) n8=sigmoid(n0) n9=tanh(n7) n10=add(n5,n6,n8,n9) n11=scale(n10)"
    static let pinnedBatchBits: [UInt64] = [4_601_923_622_471_740_948, 13_828_747_901_119_112_926, 13_799_304_911_418_711_296]
}
