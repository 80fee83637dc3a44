import Testing
@testable import CircuitGrad

/// Every array of two circuits, doubles compared by bit pattern.
func expectIdentical(_ a: Circuit, _ b: Circuit, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(a.inputNames == b.inputNames && a.paramNames == b.paramNames && a.nodeNames == b.nodeNames
            && a.explicitSplitterOutputNames == b.explicitSplitterOutputNames, "names of \(what)", sourceLocation: sourceLocation)
    #expect(a.paramValues.map(\.bitPattern) == b.paramValues.map(\.bitPattern)
            && a.constants.map(\.bitPattern) == b.constants.map(\.bitPattern), "numbers of \(what)", sourceLocation: sourceLocation)
    #expect(a.ops == b.ops && a.argStart == b.argStart && a.args == b.args && a.splitterSource == b.splitterSource
            && a.splitterOutputStart == b.splitterOutputStart && a.explicitSplitterCount == b.explicitSplitterCount
            && a.outputWire == b.outputWire, "structure of \(what)", sourceLocation: sourceLocation)
    #expect(a.wireValue == b.wireValue && a.nodeLevel == b.nodeLevel && a.nodeIsLive == b.nodeIsLive
            && a.levelCount == b.levelCount, "derived facts of \(what)", sourceLocation: sourceLocation)
}

/// Recomputes both checksums of a binary circuit file after a test changed its fields, so
/// the reader's checks past the checksums are reached.
func resealed(_ bytes: [UInt8]) -> [UInt8] {
    var b = bytes
    b.withUnsafeMutableBytes { raw in
        let payload = XXHash64.hash(UnsafeRawBufferPointer(rebasing: raw[BinaryCircuitFormat.headerSize...]))
        raw.storeBytes(of: payload.littleEndian, toByteOffset: BinaryCircuitFormat.payloadChecksumOffset, as: UInt64.self)
        let headerEnd = BinaryCircuitFormat.headerChecksumOffset
        let header = XXHash64.hash(UnsafeRawBufferPointer(rebasing: raw[0..<headerEnd]))
        raw.storeBytes(of: header.littleEndian, toByteOffset: headerEnd, as: UInt64.self)
    }
    return b
}

/// Parsing `bytes` as a binary circuit must fail with a message containing `fragment`.
func expectBinaryError(_ bytes: [UInt8], _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    do {
        _ = try BinaryCircuitReader.parse(bytes, sourceName: "c.cgb")
        Issue.record("expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
    } catch let e as CircuitError {
        #expect(e.file == "c.cgb" && e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct BinaryCircuitTests {
    /// Circuits with everything a file can say: parameters, every number form, constants,
    /// n-ary ops, statements out of order, implicit and written splits (splits of splits),
    /// dead nodes and unused inputs, no inputs at all.
    static let texts = [
        "circuit 1\ninput x y z\nv1 = add x y\nf = mul v1 z\noutput f\n",
        "circuit 1\ninput x y\ns = add x y\nf = div x s\noutput f\n",
        """
        circuit 1
        input a b unused
        param w -0.0
        param v 5e-324
        param u -inf
        f = add q r k big
        q = mul a a b w
        r = scale b 1e+300
        k = const -2.5
        big = powc s1 0.1
        s1 s2 s3 = split t
        t = offset b 3
        p1 p2 = split s2
        dead = max p1 p2 s3 v u
        output f
        """,
        "circuit 1\nk = const 3\ny = square k\noutput y\n",
        "circuit 1\ninput x\noutput x\n",
    ]

    @Test func xxh64MatchesPublishedValues() {
        #expect(XXHash64.hash(Array("".utf8)) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test func roundTripsExactlyThroughBytesAndText() throws {
        for text in Self.texts {
            let a = try CircuitReader.parse(text, sourceName: "a.circuit")
            let bytes = try BinaryCircuitWriter.bytes(of: a)
            let b = try BinaryCircuitReader.parse(bytes, sourceName: "a.cgb")
            expectIdentical(a, b, text)
            #expect(try CircuitWriter.text(of: b) == CircuitWriter.text(of: a))
            // Canonical text read again gives the same bytes; content decides the reader.
            let again = try CircuitReader.parse(try CircuitWriter.text(of: b), sourceName: "b.circuit")
            #expect(try BinaryCircuitWriter.bytes(of: again) == bytes)
            expectIdentical(try CircuitReader.parse(bytes, sourceName: "named.circuit"), a, "content wins over a .circuit name")
        }
    }

    @Test("Generated circuits round-trip", arguments: GeneratorSamples.shapes.map(\.0))
    func generatedCircuitsRoundTrip(kind: String) throws {
        let shape = try #require(GeneratorSamples.shapes.first { $0.0 == kind }?.1)
        let a = try shape.circuit(seed: 11, progress: nil)
        let b = try BinaryCircuitReader.parse(try BinaryCircuitWriter.bytes(of: a), sourceName: "g.cgb")
        expectIdentical(a, b, kind)
        let batch = try shape.batch(samples: 3, seed: 2)
        #expect(try ReferenceEvaluator(circuit: b).evaluate(batch).isBitwiseEqual(to: ReferenceEvaluator(circuit: a).evaluate(batch)))
    }

    @Test func everyFlippedByteAndEveryTruncationIsRejected() throws {
        let good = try BinaryCircuitWriter.bytes(of: CircuitReader.parse(Self.texts[2], sourceName: "a.circuit"))
        for i in 0..<good.count {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var bad = good
                bad[i] ^= mask
                #expect(throws: CircuitError.self, "byte \(i) ^ \(mask)") { try BinaryCircuitReader.parse(bad, sourceName: "c.cgb") }
            }
        }
        for n in 0..<good.count {
            #expect(throws: CircuitError.self, "first \(n) bytes") { try BinaryCircuitReader.parse(Array(good[0..<n]), sourceName: "c.cgb") }
        }
        expectBinaryError(Array(good[0..<60]), "truncated: it has 60 bytes")
        expectBinaryError(Array(good.dropLast(8)), "truncated")
        expectBinaryError(good + [0], "1 unexpected bytes after the end")
        var flipped = good
        flipped[200] ^= 1
        expectBinaryError(flipped, "the payload is damaged")
        flipped = good
        flipped[20] ^= 1
        expectBinaryError(flipped, "the header is damaged")
        flipped = good
        flipped[5] = 0x0D
        expectBinaryError(flipped, "line endings")
    }

    @Test func otherVersionsAreNamed() throws {
        var v2 = try BinaryCircuitWriter.bytes(of: CircuitReader.parse(Self.texts[0], sourceName: "a.circuit"))
        v2[8] = 2
        expectBinaryError(v2, "format version 2; this reader reads version 1 (or the header is damaged)")
        expectBinaryError(resealed(v2), "format version 2; this reader reads version 1")
        do {
            _ = try BinaryCircuitReader.parse(resealed(v2), sourceName: "c.cgb")
        } catch let e as CircuitError {
            #expect(!e.message.contains("damaged"), "\(e)")
        }
    }

    /// Files with intact checksums whose fields are wrong (another writer's bug, or a
    /// deliberate edit) are rejected by the checks past the checksums.
    /// The binary bytes of the circuit `text`.
    static func binary(_ text: String) throws -> [UInt8] {
        try BinaryCircuitWriter.bytes(of: CircuitReader.parse(text, sourceName: "t"))
    }

    /// Whether `name` is a valid wire name, as the binary reader checks it.
    static func isValidName(_ name: String) -> Bool {
        Array(name.utf8).withUnsafeBufferPointer { WireNames.isValid($0) }
    }

    @Test func wrongFieldsBehindValidChecksumsAreRejected() throws {
        let binary = Self.binary
        let p = BinaryCircuitFormat.headerSize
        func patched(_ bytes: [UInt8], _ at: Int, _ value: UInt8) -> [UInt8] { var b = bytes; b[p + at] = value; return resealed(b) }
        // The worked example: wires x y z v1 f; payload: argument starts at 0 (3 × u32, padded
        // to 16), arguments at 16 (x y v1 z), splitter starts at 32, ops at 40, name lengths at 48, names at 56.
        let worked = try binary(Self.texts[0])
        expectBinaryError(patched(worked, 40, 99), "unknown op code 99")
        expectBinaryError(patched(worked, 16, 9), "is wire 9; the file has 5 wires")
        expectBinaryError(patched(worked, 56, UInt8(ascii: "1")), "not a valid wire name")
        expectBinaryError(patched(worked, 56, UInt8(ascii: "y")), "'y' names two wires")
        expectBinaryError(patched(worked, 4, 3), "'mul' takes 2 or more wires, got 1")
        expectBinaryError(patched(worked, 4, 5), "not increasing")
        expectBinaryError(patched(worked, 48, 2), "name lengths add up")
        expectBinaryError(patched(worked, 16, 3), "'v1' is read more than once without a splitter")
        var flags = worked
        flags[12] = 1
        expectBinaryError(resealed(flags), "unknown flags")
        var counts = worked
        counts[BinaryCircuitFormat.countsOffset + 8 * 9] += 8   // name bytes
        expectBinaryError(resealed(counts), "do not add up to its payload size")

        // x read twice: an inserted splitter x#1 (read by s) and x#2 (read by f); arguments at 16
        // are x#1 y x#2 s as wires 4 1 5 2. Swapping x#1 and x#2 breaks the canonical order.
        let ratio = try binary(Self.texts[1])
        expectBinaryError(patched(patched(ratio, 16, 5), 24, 4), "the uses of wire 'x' are not read from its splitter's outputs one each, in order")

        // Two dead nodes reading each other: d1 = neg d2, d2 = neg d1 (arguments at 24 and 28).
        let dead = try binary("circuit 1\ninput x\nd1 = neg d2\nd2 = neg k\nk = const 1\noutput x\n")
        expectBinaryError(patched(dead, 28, 1), "cycle: d1 -> d2 -> d1")

        let withParam = try binary("circuit 1\ninput x\nparam w 2\ny = mul x w\noutput y\n")
        var nan = withParam
        withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { for k in 0..<8 { nan[p + k] = $0[k] } }
        expectBinaryError(resealed(nan), "parameter 'w' is NaN")
    }

    @Test func reservedWordsAreNotValidNames() {
        let valid = Self.isValidName
        for word in WireNames.reserved {
            #expect(!valid(word), "\(word)")
            #expect(valid(word + "s") && valid(String(word.dropLast())) && valid(word.uppercased()) && valid("_" + word), "\(word)")
        }
        #expect(valid("n") && valid("nam") && valid("circuits") && valid("x.1_b") && !valid("1x") && !valid("") && !valid("a-b"))
    }

    @Test func aRepeatedNameAmongManyIsFound() throws {
        // 20,000 names take the radix-sorted path of the distinctness check.
        var text = "circuit 1\ninput x\nn00000 = neg x\n"
        for k in 1..<20_000 { text += "n\(String(100_000 + k).dropFirst()) = neg n\(String(100_000 + k - 1).dropFirst())\n" }
        text += "output n19999\n"
        var bytes = try BinaryCircuitWriter.bytes(of: CircuitReader.parse(text, sourceName: "t"))
        #expect(try BinaryCircuitReader.parse(bytes, sourceName: "c.cgb").nodeCount == 20_000)
        let c = BinaryCircuitFormat.Counts(fields: (0..<BinaryCircuitFormat.Counts.fieldCount).map { k in
            bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: BinaryCircuitFormat.countsOffset + 8 * k, as: UInt64.self)) }
        })
        let namesEnd = BinaryCircuitFormat.headerSize + BinaryCircuitFormat.layout(c)!.offsets.last! + c.nameBytes
        for (k, b) in "n00000".utf8.enumerated() { bytes[namesEnd - 6 + k] = b }
        expectBinaryError(resealed(bytes), "'n00000' names two wires")
    }

    /// Runs of numbered names (`m100 … m199`) are checked as number ranges: against each
    /// other, against names outside runs, and the names around them.
    @Test func repeatedNamesAroundRunsOfNumberedNamesAreFound() throws {
        var text = "circuit 1\ninput x\nm100 = neg x\n"
        for k in 101..<200 { text += "m\(k) = neg m\(k - 1)\n" }
        text += "n100 = neg m199\n"
        for k in 101..<200 { text += "n\(k) = neg n\(k - 1)\n" }
        text += "last = neg n199\noutput last\n"
        let good = try BinaryCircuitWriter.bytes(of: CircuitReader.parse(text, sourceName: "t"))
        let a = try BinaryCircuitReader.parse(good, sourceName: "c.cgb")
        #expect(try CircuitWriter.text(of: a) == CircuitWriter.text(of: CircuitReader.parse(text, sourceName: "t")))
        let c = BinaryCircuitFormat.Counts(fields: (0..<BinaryCircuitFormat.Counts.fieldCount).map { k in
            good.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: BinaryCircuitFormat.countsOffset + 8 * k, as: UInt64.self)) }
        })
        let namesStart = BinaryCircuitFormat.headerSize + BinaryCircuitFormat.layout(c)!.offsets.last!
        let namesEnd = namesStart + c.nameBytes
        func renamed(_ edit: (inout [UInt8]) -> Void) -> [UInt8] { var b = good; edit(&b); return resealed(b) }
        // Every m renamed n: two runs n100 … n199.
        expectBinaryError(renamed { b in for i in namesStart..<namesEnd where b[i] == UInt8(ascii: "m") { b[i] = UInt8(ascii: "n") } },
                          "'n100' names two wires")
        // The last name made a name of a run.
        expectBinaryError(renamed { b in for (k, ch) in "n150".utf8.enumerated() { b[namesEnd - 4 + k] = ch } }, "'n150' names two wires")
        // Runs broken in the middle are still checked: m150 renamed n120.
        let m150 = namesStart + 1 + 4 * 50
        expectBinaryError(renamed { b in for (k, ch) in "n120".utf8.enumerated() { b[m150 + k] = ch } }, "'n120' names two wires")
        // A number with a leading zero makes another name: m150 renamed m015 is new.
        #expect((try? BinaryCircuitReader.parse(renamed { b in for (k, ch) in "m015".utf8.enumerated() { b[m150 + k] = ch } }, sourceName: "c.cgb")) != nil)
    }

    /// Random name lists (runs of numbered names of several stems, long and short, names with
    /// leading zeros, and sometimes an earlier name repeated) are accepted exactly when their
    /// names are distinct, as a set of the names decides.
    @Test func namesAreAcceptedExactlyWhenDistinct() throws {
        var accepted = 0, rejected = 0
        for seed in 0..<60 as Range<UInt64> {
            if try Self.namesAreAcceptedExactlyWhenDistinct(seed: seed) { accepted += 1 } else { rejected += 1 }
        }
        #expect(accepted >= 10 && rejected >= 10, "\(accepted) accepted, \(rejected) rejected")
    }

    /// One random name list of ``namesAreAcceptedExactlyWhenDistinct()``; whether it was accepted.
    static func namesAreAcceptedExactlyWhenDistinct(seed: UInt64) throws -> Bool {
        var random = GeneratorRandom(seed: 1000 + seed)
        var names = [String]()
        while names.count < 400 {
            let stem = ["n", "m", "a_", "x.1", "n0"].randomElement(using: &random)!
            let start = Int.random(in: 0..<(Int.random(in: 0..<4, using: &random) == 0 ? 300 : 100_000), using: &random)
            let length = [1, 5, 31, 32, 33, 40, 100].randomElement(using: &random)!
            for k in start..<(start + length) { names.append(stem + String(k)) }
            if Bool.random(using: &random) { names.append("n0" + String(Int.random(in: 0..<50, using: &random))) }
        }
        if Bool.random(using: &random) {
            let from = Int.random(in: 0..<names.count, using: &random)
            names[Int.random(in: 0..<names.count, using: &random)] = names[from]
        }
        // A circuit of distinct names of the same lengths, whose name bytes are then replaced.
        var count = [Int: Int]()
        func placeholder(_ length: Int) -> String {
            let k = count[length, default: 0]
            count[length] = k + 1
            var digits = String(k, radix: 36)
            digits = String(repeating: "0", count: max(0, length - 1 - digits.count)) + digits
            return "z" + digits
        }
        let placeholders = names.map { placeholder($0.utf8.count) }
        #expect(placeholders.enumerated().allSatisfy { $0.element.utf8.count == names[$0.offset].utf8.count })
        var text = "circuit 1\n\(placeholders[0]) = const 1\n"
        for k in 1..<names.count { text += "\(placeholders[k]) = neg \(placeholders[k - 1])\n" }
        text += "output \(placeholders[names.count - 1])\n"
        var bytes = try BinaryCircuitWriter.bytes(of: CircuitReader.parse(text, sourceName: "t"))
        let c = BinaryCircuitFormat.Counts(fields: (0..<BinaryCircuitFormat.Counts.fieldCount).map { k in
            bytes.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: BinaryCircuitFormat.countsOffset + 8 * k, as: UInt64.self)) }
        })
        var at = BinaryCircuitFormat.headerSize + BinaryCircuitFormat.layout(c)!.offsets.last!
        for name in names { for b in name.utf8 { bytes[at] = b; at += 1 } }
        let distinct = Set(names).count == names.count
        do {
            let circuit = try BinaryCircuitReader.parse(resealed(bytes), sourceName: "c.cgb")
            #expect(distinct && Array(circuit.nodeNames) == names, "seed \(seed)")
            return true
        } catch let e as CircuitError {
            #expect(!distinct && e.message.contains("names two wires"), "seed \(seed): \(e)")
            return false
        }
    }

    @Test func randomDamageBehindValidChecksumsNeverCrashes() throws {
        var random = GeneratorRandom(seed: 99)
        let good = try BinaryCircuitWriter.bytes(of: CircuitReader.parse(Self.texts[2], sourceName: "a.circuit"))
        var rejected = 0
        for _ in 0..<1500 {
            var bad = good
            for _ in 0..<(1 + Int.random(in: 0..<3, using: &random)) {
                bad[BinaryCircuitFormat.countsOffset + Int.random(in: 0..<(bad.count - BinaryCircuitFormat.countsOffset), using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if (try? BinaryCircuitReader.parse(resealed(bad), sourceName: "m.cgb")) == nil { rejected += 1 }
        }
        #expect(rejected > 500)
    }

    @Test func namesPromisingABinaryFormatMustHoldIt() throws {
        let text = Array(Self.texts[0].utf8)
        #expect(throws: CircuitError.self) { try CircuitReader.parse(text, sourceName: "c.cgb") }
        do {
            _ = try CircuitReader.parse(text, sourceName: "c.CGB")
        } catch let e as CircuitError {
            #expect(e.message.contains("the name ends in .cgb") && e.message.contains("it starts 'circuit 1\\ninput '…"), "\(e)")
        }
        let npy = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }", doubles: [1, 2, 3])
        #expect(throws: CircuitError.self) { try CircuitReader.parse(npy, sourceName: "c.circuit") }
    }
}
