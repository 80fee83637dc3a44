import Testing
@testable import CircuitGrad

/// Every public array of two circuits, compared.
func expectSameCircuit(_ a: Circuit, _ b: Circuit, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(a.inputNames == b.inputNames, sourceLocation: sourceLocation)
    #expect(a.paramNames == b.paramNames, sourceLocation: sourceLocation)
    #expect(a.paramValues.map(\.bitPattern) == b.paramValues.map(\.bitPattern), sourceLocation: sourceLocation)
    #expect(a.ops == b.ops, sourceLocation: sourceLocation)
    #expect(a.argStart == b.argStart, sourceLocation: sourceLocation)
    #expect(a.args == b.args, sourceLocation: sourceLocation)
    #expect(a.constants.map(\.bitPattern) == b.constants.map(\.bitPattern), sourceLocation: sourceLocation)
    #expect(a.nodeNames == b.nodeNames, sourceLocation: sourceLocation)
    #expect(a.splitterSource == b.splitterSource, sourceLocation: sourceLocation)
    #expect(a.splitterOutputStart == b.splitterOutputStart, sourceLocation: sourceLocation)
    #expect(a.explicitSplitterCount == b.explicitSplitterCount, sourceLocation: sourceLocation)
    #expect(a.explicitSplitterOutputNames == b.explicitSplitterOutputNames, sourceLocation: sourceLocation)
    #expect(a.outputWire == b.outputWire, sourceLocation: sourceLocation)
    #expect(a.wireValue == b.wireValue, sourceLocation: sourceLocation)
    #expect(a.wireConsumerCode == b.wireConsumerCode, sourceLocation: sourceLocation)
    #expect(a.nodeLevel == b.nodeLevel, sourceLocation: sourceLocation)
    #expect(a.nodeIsLive == b.nodeIsLive, sourceLocation: sourceLocation)
}

/// Parsing `text` must fail at `line`:`column` with a message containing `fragment`.
func expectReadError(
    _ text: String, line: Int32, column: Int32, _ fragment: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    do {
        _ = try CircuitReader.parse(text, sourceName: "t.circuit")
        Issue.record("expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
    } catch let e as CircuitError {
        #expect(e.file == "t.circuit", sourceLocation: sourceLocation)
        #expect(e.location.line == line && e.location.column == column, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct CircuitReaderTests {
    static let worked = "circuit 1\ninput x y z\nv1 = add x y\nf = mul v1 z\noutput f\n"

    @Test func workedExampleHasTheRightStructure() throws {
        let c = try CircuitReader.parse(Self.worked, sourceName: "w")
        #expect(c.inputNames == ["x", "y", "z"])
        #expect(c.ops == [.add, .mul])
        #expect(c.nodeNames == ["v1", "f"])
        #expect(Array(c.arguments(of: 0)) == [0, 1])
        #expect(Array(c.arguments(of: 1)) == [3, 2])
        #expect(c.outputWire == 4)
        #expect(c.splitterCount == 0)
        #expect(c.nodeLevel == [1, 2])
    }

    @Test func ratioExampleGetsOneInsertedSplitterOnX() throws {
        let c = try CircuitReader.parse("circuit 1\ninput x y\ns = add x y\nf = div x s\noutput f\n", sourceName: "r")
        #expect(c.splitterCount == 1)
        #expect(c.explicitSplitterCount == 0)
        #expect(c.splitterSource == [0])
        // x's uses in canonical order: s's argument 0 first, then f's argument 0.
        let outs = c.outputs(ofSplitter: 0)
        #expect(Array(c.arguments(of: 0)) == [Int32(outs.lowerBound), 1])
        #expect(Array(c.arguments(of: 1)) == [Int32(outs.lowerBound + 1), 2])
    }

    @Test func examplesDirectoryFilesRead() throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let neuron = try CircuitReader.read(contentsOf: root + "/Examples/neuron.circuit")
        #expect(neuron.paramNames == ["w0", "w1", "w2"])
        #expect(neuron.paramValues == [-3, 2, -3])
        #expect(neuron.ops == [.mul, .mul, .add, .sigmoid])
        let worked = try CircuitReader.read(contentsOf: root + "/Examples/worked.circuit")
        expectSameCircuit(worked, try CircuitReader.parse(Self.worked, sourceName: "w"))
        let ratio = try CircuitReader.read(contentsOf: root + "/Examples/ratio.circuit")
        #expect(ratio.splitterCount == 1)
    }

    @Test func constantsAndParamsAreRead() throws {
        let c = try CircuitReader.parse("""
            circuit 1
            input x
            param w -0.25
            a = scale x 3.0
            b = offset a -1e-3
            c = powc b +2
            k = const inf
            m = max c k w
            output m
            """, sourceName: "c")
        #expect(c.paramValues == [-0.25])
        #expect(Array(c.constants) == [3.0, -1e-3, 2, .infinity, 0])
        #expect(c.ops == [.scale, .offset, .powc, .const, .max])
    }

    @Test func layoutVariantsGiveTheSameCircuit() throws {
        let plain = try CircuitReader.parse(Self.worked, sourceName: "a")
        let variants = [
            "\u{FEFF}" + Self.worked,
            Self.worked.replacingOccurrences(of: "\n", with: "\r\n"),
            "# leading comment\n\n  circuit 1   # header\n\tinput\tx y z\n\nv1 = add x y# glued comment\n   f = mul v1 z\noutput f",
            "circuit 1\ninput x\ninput y\ninput z\nv1 = add x y\nf = mul v1 z\noutput f\r\n\r\n",
        ]
        for v in variants { expectSameCircuit(plain, try CircuitReader.parse(v, sourceName: "b")) }
    }

    @Test func opNamesMayNameWires() throws {
        let c = try CircuitReader.parse("circuit 1\ninput add mul\nsplit.x = add add mul\nexp = exp split.x\noutput exp\n", sourceName: "o")
        #expect(c.nodeNames == ["split.x", "exp"])
        #expect(c.inputNames == ["add", "mul"])
    }

    @Test func statementsInAnyOrderGiveTheSameCircuit() throws {
        // Kinds keep their relative order (which fixes numbering); everything else is shuffled.
        let inputs = ["input a b", "input c"]
        let params = ["param p 1.5", "param q -2"]
        let nodes = ["u = mul a b p", "v = add u c u", "w = sin v", "dead = cos a", "z = max w q s1 a"]
        let splits = ["s1 s2 s3 = split b", "t1 t2 = split s2"]
        let output = ["output z"]
        let canonical = "circuit 1\n" + (inputs + params + nodes + splits + output).joined(separator: "\n")
        let reference = try CircuitReader.parse(canonical, sourceName: "ref")
        var rng = GeneratorRandom(seed: 7)
        for _ in 0..<50 {
            var queues = [inputs, params, nodes, splits, output]
            var lines = [String]()
            while queues.contains(where: { !$0.isEmpty }) {
                let k = Int(rng.next() % UInt64(queues.count))
                if !queues[k].isEmpty { lines.append(queues[k].removeFirst()) }
            }
            let shuffled = try CircuitReader.parse("circuit 1\n" + lines.joined(separator: "\n"), sourceName: "s")
            expectSameCircuit(reference, shuffled)
        }
    }

    @Test func thousandsOfNamesOfEveryLengthMatchTheBuilder() throws {
        // Enough short input names to make the reader's name table grow twice; lengths 1 to 40
        // (names of up to 8 bytes are kept in the table's slots, longer ones by position), with
        // names that share their first 8 bytes and names one byte apart in length.
        var names = [String]()
        for i in 0..<2500 {
            switch i % 4 {
            case 0: names.append("x\(i)")
            case 1: names.append("abcdefgh\(i)")
            case 2: names.append("k" + String(repeating: "_", count: i % 40) + "\(i)")
            default: names.append(String(UnicodeScalar(UInt8(97 + i % 26))) + "\(i)" + String(repeating: ".", count: i % 9))
            }
        }
        let builder = CircuitBuilder()
        var wires = names.map { builder.input($0) }
        var wireNames = names
        var lines = ["circuit 1", "input " + names.joined(separator: " ")]
        var rng = GeneratorRandom(seed: 11)
        for n in 0..<600 {
            let a = Int(rng.next() % UInt64(wires.count))
            let b = Int(rng.next() % UInt64(wires.count))
            let name = n % 2 == 0 ? "n\(n)" : "node_with_a_longer_name_\(n)"
            lines.append(name + " = add " + wireNames[a] + " " + wireNames[b])
            wires.append(builder.node(.add, [wires[a], wires[b]], name: name))
            wireNames.append(name)
        }
        lines.append("output node_with_a_longer_name_599")
        let read = try CircuitReader.parse(lines.joined(separator: "\n"), sourceName: "many")
        expectSameCircuit(try builder.build(output: wires.last!), read)
        #expect(read.inputNames == names)
    }

    @Test func levelsAndLivenessDoNotDependOnNodeOrder() throws {
        // Nodes in dependency order take resolution's one-pass route; the same nodes in reverse
        // order take the depth-first search. Both must match levels and liveness computed here.
        var rng = GeneratorRandom(seed: 23)
        for _ in 0..<20 {
            var source = ["x": "x", "y": "y", "p": "p"]   // wire name -> the value it carries
            var argsOf = [String: [String]]()
            var wires = ["x", "y", "p"], nodeLines = [String](), splitLines = [String]()
            for k in 0..<60 {
                if rng.next() % 6 == 0 {
                    let from = wires[Int(rng.next() % UInt64(wires.count))]
                    let outs = ["s\(k)a", "s\(k)b"]
                    splitLines.append(outs.joined(separator: " ") + " = split " + from)
                    for o in outs { source[o] = source[from]; wires.append(o) }
                    continue
                }
                let a = wires[Int(rng.next() % UInt64(wires.count))]
                let b = wires[Int(rng.next() % UInt64(wires.count))]
                let name = "n\(k)"
                nodeLines.append(name + " = mul " + a + " " + b)
                argsOf[name] = [a, b]
                source[name] = name
                wires.append(name)
            }
            let output = nodeLines[nodeLines.count / 2].split(separator: " ")[0]
            var level = ["x": 0, "y": 0, "p": 0]
            for line in nodeLines {
                let n = String(line.split(separator: " ")[0])
                level[n] = 1 + argsOf[n]!.map { level[source[$0]!]! }.max()!
            }
            var live = Set<String>(), work = [String(output)]
            while let w = work.popLast() {
                let v = source[w]!
                if live.insert(v).inserted { work += argsOf[v] ?? [] }
            }
            let head = ["circuit 1", "input x y", "param p 2"]
            for order in [nodeLines, nodeLines.reversed()] {
                let c = try CircuitReader.parse((head + order + splitLines + ["output \(output)"]).joined(separator: "\n"), sourceName: "o")
                for (n, name) in c.nodeNames.enumerated() {
                    #expect(Int(c.nodeLevel[n]) == level[name], "\(name)")
                    #expect(c.nodeIsLive[n] == live.contains(name), "\(name)")
                }
                for w in 0..<c.wireCount { #expect(c.fileName(ofWire: Int(c.wireValue[w])) == source[c.fileName(ofWire: w)]) }
            }
        }
    }

    // MARK: One test per error rule

    @Test func headerErrors() {
        expectReadError("", line: 0, column: 0, "has no statements")
        expectReadError("# only a comment\n\n", line: 0, column: 0, "has no statements")
        expectReadError("input x\ncircuit 1\n", line: 1, column: 1, "expected the header 'circuit 1' as the first statement, found 'input'")
        expectReadError("circuit 2\n", line: 1, column: 9, "unsupported format version '2'; this reader reads version 1")
        expectReadError("circuit\n", line: 1, column: 8, "the header needs a version")
        expectReadError("circuit 1.0\n", line: 1, column: 9, "expected the format version 1")
        expectReadError("circuit 1 x\n", line: 1, column: 11, "unexpected 'x' after the header")
        expectReadError("circuit 1\ncircuit 1\n", line: 2, column: 1, "a second 'circuit' header")
    }

    @Test func statementShapeErrors() {
        let h = "circuit 1\n"
        expectReadError(h + "input\n", line: 2, column: 6, "'input' needs one or more wire names")
        expectReadError(h + "param\n", line: 2, column: 6, "'param' needs a name and a value")
        expectReadError(h + "param w\n", line: 2, column: 8, "parameter 'w' needs a value")
        expectReadError(h + "param w 1 2\n", line: 2, column: 11, "unexpected '2' after the parameter's value")
        expectReadError(h + "output\n", line: 2, column: 7, "'output' needs the output wire's name")
        expectReadError(h + "output a b\n", line: 2, column: 10, "'output' names exactly one wire")
        expectReadError(h + "frobnicate x\n", line: 2, column: 1, "unknown statement starting with 'frobnicate'")
        expectReadError(h + "y=add a b\n", line: 2, column: 2, "'=' must stand apart")
        expectReadError(h + " = add a b\n", line: 2, column: 2, "a wire name is missing before '='")
        expectReadError(h + "y =\n", line: 2, column: 4, "an op is missing after '='")
        expectReadError(h + "y = frob a\n", line: 2, column: 5, "unknown op 'frob'; expected one of add, sub")
        expectReadError(h + "y z = add a b\n", line: 2, column: 3, "'add' drives one wire; only 'split' drives several")
    }

    @Test func splitErrors() {
        let h = "circuit 1\ninput x\n"
        expectReadError(h + "a = split x\n", line: 3, column: 5, "'split' needs at least 2 output wires, got 1")
        expectReadError(h + "a b = split\n", line: 3, column: 12, "'split' needs the wire to copy")
        expectReadError(h + "a b = split x y\n", line: 3, column: 15, "'split' copies exactly one wire")
    }

    @Test func arityAndConstantErrors() {
        let h = "circuit 1\ninput a b c\n"
        expectReadError(h + "y = sub a b c\n", line: 3, column: 5, "'sub' takes 2 wires, got 3")
        expectReadError(h + "y = add a\n", line: 3, column: 5, "'add' takes 2 or more wires, got 1")
        expectReadError(h + "y = neg\n", line: 3, column: 5, "'neg' takes 1 wire, got 0")
        expectReadError(h + "y = const a 1\n", line: 3, column: 5, "'const' takes 0 wires, got 1")
        expectReadError(h + "y = scale a\n", line: 3, column: 12, "'scale' needs a number after its wire arguments")
        expectReadError(h + "y = const\n", line: 3, column: 10, "'const' needs a number")
        expectReadError(h + "y = scale a 2 3\n", line: 3, column: 15, "'scale' takes exactly one number")
        expectReadError(h + "y = powc a 2 b\n", line: 3, column: 14, "'powc' takes exactly one number")
        expectReadError(h + "y = add a 2\n", line: 3, column: 11, "'add' takes wire arguments only, found the number '2'")
        expectReadError(h + "y = offset a nan\n", line: 3, column: 14, "'nan' is not allowed")
        expectReadError(h + "y = offset a 1e999\n", line: 3, column: 14, "overflows binary64")
        expectReadError(h + "y = offset a 0x10\n", line: 3, column: 14, "hexadecimal literals are not allowed")
        expectReadError(h + "y = offset a .5\n", line: 3, column: 14, "write a digit before the decimal point")
        expectReadError(h + "y = offset a 1.5x\n", line: 3, column: 14, "is not a number")
        expectReadError(h + "param w 1e\n", line: 3, column: 9, "the exponent needs digits")
    }

    @Test func nameErrors() {
        let h = "circuit 1\n"
        expectReadError(h + "input x 9y\n", line: 2, column: 9, "expected a wire name, found the number '9y'")
        expectReadError(h + "input x a-b\n", line: 2, column: 10, "names use letters, digits, '_' and '.' only")
        expectReadError(h + "input inf\n", line: 2, column: 7, "'inf' is a reserved word")
        expectReadError(h + "input x\nsplit = neg x\n", line: 3, column: 1, "'split' is a reserved word")
        expectReadError(h + "input x\nnan = neg x\n", line: 3, column: 1, "'nan' is a reserved word")
        expectReadError(h + "input " + String(repeating: "n", count: 256) + "\n", line: 2, column: 7, "256 bytes long; at most 255")
        expectReadError(h + "input café\n", line: 2, column: 10, "names are ASCII")
        expectReadError(h + "input a\u{0}b\n", line: 2, column: 8, "unexpected control character 0x00")
        expectReadError(h + "input a\rb\n", line: 2, column: 8, "a carriage return in the middle of a line")
        // 255 bytes is fine.
        #expect((try? CircuitReader.parse(h + "input " + String(repeating: "n", count: 255) + "\nf = neg " + String(repeating: "n", count: 255) + "\noutput f", sourceName: "ok")) != nil)
    }

    @Test func resolutionErrorsCarryTheirLine() {
        let h = "circuit 1\ninput x y\n"
        expectReadError(h + "a = neg x\na = neg y\noutput a\n", line: 4, column: 1, "'a' is already defined (first defined on line 3)")
        expectReadError(h + "input x\noutput x\n", line: 3, column: 7, "'x' is already defined")
        expectReadError(h + "a = add x   ghost\noutput a\n", line: 3, column: 13, "wire 'ghost' is used but never defined")
        expectReadError(h + "output nowhere\n", line: 3, column: 8, "wire 'nowhere' is used but never defined")
        expectReadError(h + "a = neg x\n", line: 0, column: 0, "no 'output' statement")
        expectReadError(h + "output x\noutput y\n", line: 4, column: 8, "a second 'output' statement")
        expectReadError(h + "output b\na = add x b\nb = neg a\n", line: 4, column: 1, "cycle: ")
        expectReadError(h + "p q = split x\nr q = split y\noutput p\n", line: 4, column: 3, "'q' is already defined (first defined on line 3)")
    }

    @Test func neverCrashesOnRandomOrMutatedBytes() {
        var rng = GeneratorRandom(seed: 42)
        let seeds: [[UInt8]] = [
            Array(Self.worked.utf8),
            Array("circuit 1\ninput x y\nparam w -1.5e3\na b = split x\nk = const 2\nm = max a b k w\nf = div m y\noutput f\n".utf8),
            Array("\u{FEFF}circuit 1\r\ninput x\r\ny = powc x 0.5 # c\r\noutput y".utf8),
        ]
        let alphabet = Array("circuit input param output split = add mul neg const scale x y z a b 0 1 -2.5e3 inf nan # \n\r\t\u{0}.,é".utf8)
        var parsed = 0, failed = 0
        for trial in 0..<4000 {
            var bytes: [UInt8]
            if trial % 4 == 0 {
                bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = seeds[trial % seeds.count]
                for _ in 0...Int(rng.next() % 6 == 0 ? 5 : 0) {
                    let kind = rng.next() % 4
                    let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
                    switch kind {
                    case 0 where !bytes.isEmpty: bytes.remove(at: at)
                    case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                    case 2 where !bytes.isEmpty: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    default:   // duplicate a random slice (repeats lines, makes fan-out and cycles)
                        let end = min(bytes.count, at + Int(rng.next() % 40))
                        bytes.insert(contentsOf: bytes[at..<end], at: Int(rng.next() % UInt64(bytes.count + 1)))
                    }
                }
            }
            do {
                _ = try CircuitReader.parse(bytes, sourceName: "fuzz")
                parsed += 1
            } catch let e as CircuitError {
                #expect(e.file == "fuzz")
                #expect(!e.message.isEmpty)
                failed += 1
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
        #expect(parsed > 50 && failed > 1000, "parsed \(parsed), failed \(failed)")
    }

    @Test func hugeLineIsAnErrorNotACrash() {
        let long = "circuit 1\ninput " + String(repeating: "x", count: 1 << 20) + "\n"
        expectReadError(long, line: 2, column: 7, "1048576 bytes long")
    }
}

