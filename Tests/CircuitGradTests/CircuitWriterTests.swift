import Testing
@testable import CircuitGrad

@Suite struct CircuitWriterTests {
    func roundTrip(_ c: Circuit, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let text = try CircuitWriter.text(of: c)
        let back = try CircuitReader.parse(text, sourceName: "rt")
        expectSameCircuit(c, back, sourceLocation: sourceLocation)
        #expect(try CircuitWriter.text(of: back) == text, sourceLocation: sourceLocation)
    }

    @Test func workedExampleIsWrittenCanonically() throws {
        let c = try CircuitReader.parse("circuit 1\n# note\noutput f\nf = mul v1 z\ninput x y z\nv1 = add x y\n", sourceName: "w")
        // Nodes keep file order (it fixes node numbering); everything else takes its canonical place.
        #expect(try CircuitWriter.text(of: c) == "circuit 1\ninput x y z\nf = mul v1 z\nv1 = add x y\noutput f\n")
    }

    @Test func insertedSplittersAreInvisibleAndWrittenSplitsKept() throws {
        let text = """
            circuit 1
            input x y
            param w 0.25
            a = mul x x w
            b = max a x y
            dead = cos b
            p q r = split b
            s t = split q
            u = add p s t r x
            output u
            """
        let c = try CircuitReader.parse(text, sourceName: "s")
        let written = try CircuitWriter.text(of: c)
        #expect(written.contains("a = mul x x w\n"))
        #expect(written.contains("p q r = split b\ns t = split q\n"))
        #expect(!written.contains("#"))
        try roundTrip(c)
    }

    @Test func numbersRoundTripBitForBit() throws {
        let b = CircuitBuilder()
        let x = b.input("x")
        let values: [Double] = [.infinity, -.infinity, -0.0, 1e-320, 5e-324, 0.1, -1.7976931348623157e308, 1e16, 3]
        var w = x
        for (k, v) in values.enumerated() {
            w = b.node(.offset, [w], constant: v)
            w = w * b.param("p\(k)", -v)
        }
        let c = try b.build(output: w + b.constant(-0.0))
        try roundTrip(c)
        #expect(c.constants.contains { $0.bitPattern == (1e-320).bitPattern })
    }

    @Test func nanCannotBeWritten() throws {
        let b = CircuitBuilder()
        let c = try b.build(output: b.constant(.nan))
        #expect(throws: CircuitError.self) { try CircuitWriter.text(of: c) }
    }

    @Test func randomCircuitsRoundTrip() throws {
        var rng = SplitMix(seed: 11)
        for trial in 0..<60 {
            var lines = ["circuit 1"]
            var wires = [String]()
            let inputs = Int(rng.next() % 4)
            if inputs > 0 { lines.append("input " + (0..<inputs).map { "i\($0)" }.joined(separator: " ")); wires += (0..<inputs).map { "i\($0)" } }
            for p in 0..<Int(rng.next() % 3) { lines.append("param w\(p) \(NumberText.format(Double(bitPattern: rng.next() >> 2)))"); wires.append("w\(p)") }
            if wires.isEmpty { lines.append("k0 = const 1.5"); wires.append("k0") }
            for n in 0..<Int(5 + rng.next() % 25) {
                func pick() -> String { wires[Int(rng.next() % UInt64(wires.count))] }
                let name = "n\(n)"
                switch rng.next() % 6 {
                case 0: lines.append("\(name) = add \(pick()) \(pick()) \(pick())")
                case 1: lines.append("\(name) = mul \(pick()) \(pick())")
                case 2: lines.append("\(name) = scale \(pick()) \(NumberText.format(Double(bitPattern: rng.next() >> 1)))")
                case 3: lines.append("\(name) = sin \(pick())")
                case 4: lines.append("\(name) = const -\(rng.next() % 100)e-3")
                default:
                    let names = (0..<Int(2 + rng.next() % 3)).map { "\(name)_\($0)" }
                    lines.append(names.joined(separator: " ") + " = split \(pick())")
                    wires += names
                    continue
                }
                wires.append(name)
            }
            lines.append("output \(wires.last!)")
            var shuffled = Array(lines.dropFirst())
            shuffled.shuffle(using: &rng)
            do {
                let c = try CircuitReader.parse(lines.joined(separator: "\n"), sourceName: "r\(trial)")
                try roundTrip(c)
                // Any order of the same statements with the same relative order per kind reads the same;
                // a full shuffle still resolves or fails the same way (names are unique).
                _ = try? CircuitReader.parse((["circuit 1"] + shuffled).joined(separator: "\n"), sourceName: "s")
            } catch let e as CircuitError where e.message.contains("split") {
                // A split of a wire already consumed by another split is fine; other errors are not expected.
                Issue.record("\(e)")
            }
        }
    }

    @Test func writesFilesAtomically() throws {
        let c = try CircuitReader.parse("circuit 1\ninput x y z\nv1 = add x y\nf = mul v1 z\noutput f\n", sourceName: "w")
        let path = "/tmp/circuitgrad-writer-test-\(getpidForTests()).circuit"
        try CircuitWriter.write(c, to: path)
        expectSameCircuit(c, try CircuitReader.read(contentsOf: path))
        #expect(throws: CircuitError.self) { try CircuitWriter.write(c, to: "/nonexistent-dir/x.circuit") }
    }
}
