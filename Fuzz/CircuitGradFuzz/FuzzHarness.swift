import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer harnesses for the readers: one binary, the reader chosen by
/// `CIRCUITGRAD_FUZZ_TARGET` (circuit, csv, npy, results, params, binary). Built with `-sanitize=fuzzer,address`
/// and `-D FUZZING` by `scripts/fuzz`; a normal build makes a replay tool that runs the
/// harness over the files given (`CircuitGradFuzz TARGET FILE...`), for corpus regression runs.
///
/// A reader may reject its input with a ``CircuitError`` (that is its job); anything else —
/// a crash, a trap, a leak, an ASan report, or a circuit that does not read back to itself
/// after being written — is a finding.
enum FuzzHarness {
    enum Target: String, CaseIterable { case circuit, csv, npy, results, params, binary }

    /// A circuit with three inputs and a parameter, the batch readers' target.
    static let withInputs = try! CircuitReader.parse("circuit 1\ninput a b c\nparam w 1\nf = add a b c w\noutput f\n", sourceName: "fixed")
    /// A circuit without inputs (NPY batches of shape (n, 0)).
    static let withoutInputs = try! CircuitReader.parse("circuit 1\nparam w 1\nf = square w\noutput f\n", sourceName: "fixed")
    /// A circuit with three parameters, the parameter-file reader's target.
    static let withParameters = try! CircuitReader.parse(
        "circuit 1\ninput x\nparam w1 0.5\nparam w2 -1\nparam bias 0\nh = mul x w1\nf = add h w2 bias\noutput f\n", sourceName: "fixed")

    static func run(_ target: Target, _ bytes: [UInt8]) {
        switch target {
        case .circuit:
            guard let c = try? CircuitReader.parse(bytes, sourceName: "fuzz") else { return }
            // Round trip: the written text must read back and write to the same text.
            let text = try! CircuitWriter.text(of: c)
            let again = try! CircuitReader.parse(text, sourceName: "rewritten")
            precondition(try! CircuitWriter.text(of: again) == text, "a circuit does not round-trip through its text")
        case .csv:
            _ = try? Batch.parseCSV(bytes, sourceName: "fuzz", for: withInputs)
        case .npy:
            _ = try? Batch.parseNPY(bytes, sourceName: "fuzz", for: withInputs)
            _ = try? Batch.parseNPY(bytes, sourceName: "fuzz", for: withoutInputs)
        case .results:
            _ = try? SampleResultsTable.parse(bytes, sourceName: "fuzz")
        case .params:
            _ = try? ParameterFile.parse(bytes, sourceName: "fuzz", for: withParameters)
        case .binary:
            // Mutations rarely keep the checksums right, so each input also runs with both
            // checksums recomputed: that lets the fuzzer reach the field decoder behind them.
            checkBinaryRoundTrip(bytes)
            checkBinaryRoundTrip(withChecksumsRecomputed(bytes))
        }
    }

    /// Reads `bytes` as a binary circuit; an accepted file must write back to bytes that read
    /// to the same circuit text, and writing that again must give the same bytes.
    static func checkBinaryRoundTrip(_ bytes: [UInt8]) {
        guard let c = try? BinaryCircuitReader.parse(bytes, sourceName: "fuzz") else { return }
        let written = try! BinaryCircuitWriter.bytes(of: c)
        let again = try! BinaryCircuitReader.parse(written, sourceName: "rewritten")
        precondition(try! CircuitWriter.text(of: again) == CircuitWriter.text(of: c), "a binary circuit does not round-trip")
        precondition(try! BinaryCircuitWriter.bytes(of: again) == written, "a binary circuit does not write back to the same bytes")
    }

    /// `bytes` with the payload checksum and then the header checksum set to what they cover
    /// (unchanged when shorter than a header).
    static func withChecksumsRecomputed(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= BinaryCircuitFormat.headerSize else { return bytes }
        var fixed = bytes
        func store(_ value: UInt64, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { for (k, b) in $0.enumerated() { fixed[offset + k] = b } }
        }
        store(fixed.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[BinaryCircuitFormat.headerSize...])) },
              at: BinaryCircuitFormat.payloadChecksumOffset)
        store(fixed.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[..<BinaryCircuitFormat.headerChecksumOffset])) },
              at: BinaryCircuitFormat.headerChecksumOffset)
        return fixed
    }

    /// The target named by `CIRCUITGRAD_FUZZ_TARGET`, read once.
    static let selected: Target = {
        let name = getenv("CIRCUITGRAD_FUZZ_TARGET").map { String(cString: $0) } ?? "circuit"
        guard let t = Target(rawValue: name) else { fatalError("CIRCUITGRAD_FUZZ_TARGET must be one of \(Target.allCases.map(\.rawValue))") }
        return t
    }()
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func circuitGradFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzHarness.run(FuzzHarness.selected, bytes)
    return 0
}

#if !FUZZING
/// Replay and a cheap mutation run, for CI without a sanitizer build:
/// `CircuitGradFuzz TARGET [--mutations N] FILE...` runs the harness on each file, then on N
/// random mutations of them (bytes flipped, inserted, deleted, spliced; seeded, so repeatable).
@main
struct FuzzReplay {
    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        guard let name = args.first, let target = FuzzHarness.Target(rawValue: name) else {
            print("usage: CircuitGradFuzz \(FuzzHarness.Target.allCases.map(\.rawValue).joined(separator: "|")) [--mutations N] FILE...")
            exit(64)
        }
        args.removeFirst()
        var mutations = 0
        if args.first == "--mutations", args.count >= 2, let n = Int(args[1]) {
            mutations = n
            args.removeFirst(2)
        }
        let inputs = args.compactMap(readFile)
        for bytes in inputs { FuzzHarness.run(target, bytes) }
        var random = GeneratorRandom(seed: 0x5EED)
        for _ in 0..<(inputs.isEmpty ? 0 : mutations) {
            var bytes = inputs[Int(random.next() % UInt64(inputs.count))]
            for _ in 0...(random.next() % 4) { mutate(&bytes, with: inputs, &random) }
            FuzzHarness.run(target, bytes)
        }
        print("\(name): \(inputs.count) corpus inputs and \(mutations) mutations ran without a finding")
    }

    static func mutate(_ bytes: inout [UInt8], with corpus: [[UInt8]], _ random: inout GeneratorRandom) {
        let at = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
        let interesting: [UInt8] = [0, 0x0A, 0x0D, 0x20, 0x23, 0x2C, 0x2D, 0x2E, 0x30, 0x39, 0x3D, 0x65, 0x7F, 0x80, 0xC0, 0xE9, 0xFF]
        switch random.next() % 6 {
        case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
        case 1 where !bytes.isEmpty: bytes[at] = interesting[Int(random.next() % UInt64(interesting.count))]
        case 2: bytes.insert(interesting[Int(random.next() % UInt64(interesting.count))], at: at)
        case 3 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(random.next() % 8)))
        case 4:
            let other = corpus[Int(random.next() % UInt64(corpus.count))]
            bytes = Array(bytes[..<at]) + other[min(at, other.count)...]
        default:
            let digits = Array(String(random.next() >> (random.next() % 64)).utf8)
            bytes.insert(contentsOf: digits, at: at)
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }
}
#endif
