import Testing
@testable import CircuitGrad

/// The compact arrays a ``Circuit`` keeps: node names packed in one buffer, node numbers
/// stored sparsely, and the value wire of splitter outputs only. Each must read back exactly
/// what the plain array it replaces would hold.
@Suite struct CompactCircuitArraysTests {
    /// `names` packed as a binary file stores them: bytes one after another, a length each;
    /// `runs` are kept as number ranges.
    static func packed(_ names: [String], runs: [(first: Int, count: Int, stemLength: Int, number: Int)] = []) -> WireNameList {
        let bytes = names.flatMap { Array($0.utf8) }, lengths = names.map { UInt8($0.utf8.count) }
        return bytes.withUnsafeBufferPointer { b in lengths.withUnsafeBufferPointer { WireNameList(packing: b, lengths: $0, runs: runs) } }
    }

    /// Every way of reading `list` gives `names`.
    static func expectNames(_ list: WireNameList, _ names: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(list.isPacked && list.count == names.count, sourceLocation: sourceLocation)
        #expect(Array(list) == names, sourceLocation: sourceLocation)
        for k in stride(from: names.count - 1, through: 0, by: -1) { #expect(list[k] == names[k], "name \(k)", sourceLocation: sourceLocation) }
        #expect(list == WireNameList(names) && WireNameList(names) == list, sourceLocation: sourceLocation)
        #expect(list.utf8Count == names.reduce(0) { $0 + $1.utf8.count }, sourceLocation: sourceLocation)
        var seen = [String]()
        list.forEachUTF8 { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen == names, sourceLocation: sourceLocation)
    }

    @Test func packedNamesReadBackEqualAtEveryBlockBoundary() {
        // Lengths 1 to 255 and a count that is not a multiple of the block size, so names on
        // both sides of every kept offset are looked up.
        for count in [0, 1, 15, 16, 17, 33, 100] {
            let names = (0..<count).map { k in "n" + String(repeating: Array("abcdefgh_.0123")[k % 14], count: (k * 37) % 255) }
            Self.expectNames(Self.packed(names), names)
        }
        #expect(Self.packed(["a", "bc"]) != Self.packed(["ab", "c"]))
        #expect(Self.packed(["a", "bc"]) != WireNameList(["a", "b"]))
    }

    @Test func runsOfNumberedNamesAreKeptAsRangesAmongLiteralNames() {
        // Literal names before, between and after two runs, one crossing a power of ten, and
        // runs at the very start and end.
        let literal = (0..<40).map { "w_\($0 * 7919 % 1000)x" }
        let names = Array(literal[0..<17]) + (95..<130).map { "n\($0)" } + Array(literal[17..<18])
            + (0..<33).map { "v.a\($0)" } + Array(literal[18...])
        let runs = [(first: 17, count: 35, stemLength: 1, number: 95), (first: 53, count: 33, stemLength: 3, number: 0)]
        Self.expectNames(Self.packed(names, runs: runs), names)
        let onlyRuns = (7..<50).map { "n\($0)" } + (0..<40).map { "m\($0)" }
        Self.expectNames(Self.packed(onlyRuns, runs: [(0, 43, 1, 7), (43, 40, 1, 0)]), onlyRuns)
        // The same names kept another way compare equal.
        #expect(Self.packed(onlyRuns, runs: [(0, 43, 1, 7), (43, 40, 1, 0)]) == Self.packed(onlyRuns))
    }

    @Test func runsOfNamesThatCrossFromInputsToNodesAreReadBack() throws {
        // x0…x39 are inputs, x40…x139 nodes: one run of numbered names across two groups,
        // then literal names and a second run among the nodes, and a written split.
        var text = "circuit 1\ninput " + (0..<40).map { "x\($0)" }.joined(separator: " ") + "\n"
        var nodeNames = [String]()
        for k in 40..<140 {
            text += "x\(k) = add x\(k - 40) x\(k == 40 ? 39 : k - 1)\n"
            nodeNames.append("x\(k)")
        }
        text += "odd = neg x139\nl1 l2 = split odd\nalso_odd = mul l1 l2\n"
        nodeNames += ["odd", "also_odd"]
        for k in 0..<50 {
            text += "y\(k) = scale \(k == 0 ? "also_odd" : "y\(k - 1)") 0.5\n"
            nodeNames.append("y\(k)")
        }
        text += "output y49\n"
        let fromText = try CircuitReader.parse(text, sourceName: "t.circuit")
        let fromBinary = try BinaryCircuitReader.parse(BinaryCircuitTests.binary(text), sourceName: "t.cgb")
        Self.expectNames(fromBinary.nodeNames, nodeNames)
        Self.expectNames(fromBinary.explicitSplitterOutputNames, ["l1", "l2"])
        #expect(fromBinary.inputNames == (0..<40).map { "x\($0)" })
        expectIdentical(fromText, fromBinary, "the text and its binary file")
    }

    @Test func circuitsReadFromBinaryKeepNamesPackedAndEqualToText() throws {
        let text = """
        circuit 1
        input x y
        n0 = add x y
        n1 = scale n0 2.5
        long_name.with.dots_and_digits_007 = mul n1 n0
        a b = split long_name.with.dots_and_digits_007
        f = add a b
        output f
        """
        let fromText = try CircuitReader.parse(text, sourceName: "t.circuit")
        let fromBinary = try BinaryCircuitReader.parse(BinaryCircuitTests.binary(text), sourceName: "t.cgb")
        #expect(!fromText.nodeNames.isPacked && fromBinary.nodeNames.isPacked && fromBinary.explicitSplitterOutputNames.isPacked)
        #expect(Array(fromBinary.nodeNames) == ["n0", "n1", "long_name.with.dots_and_digits_007", "f"])
        #expect(Array(fromBinary.explicitSplitterOutputNames) == ["a", "b"])
        #expect(fromBinary.nodeNames == fromText.nodeNames)
        for w in 0..<fromText.wireCount { #expect(fromBinary.name(ofWire: w) == fromText.name(ofWire: w), "wire \(w)") }
        expectIdentical(fromText, fromBinary, "the text and its binary file")
    }

    @Test func sparseNumbersReadAsTheDenseArray() {
        // Every pattern of which nodes take a number, across several 64-node words.
        var random = GeneratorRandom(seed: 7)
        for count in [0, 1, 63, 64, 65, 200, 1000] {
            let ops = (0..<count).map { _ in Op.allCases[Int(random.next() % UInt64(Op.allCases.count))] }
            let dense = ops.indices.map { ops[$0].takesConstant ? Double($0) - 0.5 : 0 }
            let numbers = NodeNumbers(ops: ops, numbers: dense)
            #expect(numbers.count == count)
            #expect(numbers.map(\.bitPattern) == dense.map(\.bitPattern), "\(count) nodes")
            #expect(numbers.stored.count == ops.filter(\.takesConstant).count)
        }
        let signed = NodeNumbers(ops: [.const, .add, .scale], numbers: [-0.0, 0, .infinity])
        #expect(signed[0].bitPattern == (-0.0).bitPattern && signed[1] == 0 && signed[2] == .infinity)
    }

    @Test func wireValuesAreThemselvesThenTheSplitterOutputs() {
        let values = WireValues(valueCount: 3, ofSplitterOutput: [1, 1, 2])
        #expect(Array(values) == [0, 1, 2, 1, 1, 2])
        #expect(values.count == 6 && values[4] == 1)
        #expect(values == WireValues(valueCount: 3, ofSplitterOutput: [1, 1, 2]))
        #expect(values != WireValues(valueCount: 3, ofSplitterOutput: [1, 2, 2]))
    }
}
