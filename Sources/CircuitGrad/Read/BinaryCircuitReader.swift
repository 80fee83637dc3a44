/// Reads binary circuit files (`BinaryCircuitFormat`, `.cgb`).
///
/// Checks, in order: the magic, the version, the header checksum, the counts against the
/// file's size, the payload checksum; then every field (op codes, arities, wire ranges,
/// names valid and unique, no NaN), that every wire has at most one consumer and that the
/// inserted splitters are exactly those the text reader inserts; levels, liveness and
/// acyclicity are computed as for text. Every problem is a ``CircuitError`` naming the
/// file; no input makes it crash.
package enum BinaryCircuitReader {
    /// Parses and resolves binary circuit bytes; errors name `sourceName`.
    package static func parse(_ bytes: [UInt8], sourceName: String) throws -> Circuit {
        try bytes.withUnsafeBytes { try parse($0, sourceName: sourceName) }
    }

    /// Parses and resolves binary circuit bytes; errors name `sourceName`.
    package static func parse(_ bytes: UnsafeRawBufferPointer, sourceName: String) throws -> Circuit {
        func fail(_ message: String) -> CircuitError { CircuitError(file: sourceName, "binary circuit: " + message) }
        let counts = try header(of: bytes, fail: fail)
        guard let layout = BinaryCircuitFormat.layout(counts) else { throw fail("the header's counts are out of range") }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[BinaryCircuitFormat.headerSize...])
        let stored = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: BinaryCircuitFormat.payloadChecksumOffset, as: UInt64.self))
        let computed = XXHash64.hash(payload)
        if stored != computed {
            throw fail("the payload is damaged: its checksum is \(hex(computed)), the header records \(hex(stored))")
        }
        let decoder = BinaryCircuitDecoder(payload: payload, offsets: layout.offsets, counts: counts, sourceName: sourceName)
        return try decoder.circuit()
    }

    /// The counts of a well-formed header whose size agrees with the file's.
    private static func header(of bytes: UnsafeRawBufferPointer, fail: (String) -> CircuitError) throws -> BinaryCircuitFormat.Counts {
        let magic = BinaryCircuitFormat.magic
        guard BinaryCircuitFormat.isBinary(bytes) else {
            if bytes.count >= 4 && zip(bytes.prefix(4), magic).allSatisfy({ $0 == $1 }) {
                throw fail("the signature after '\\x89CGB' is damaged (was the file converted as text, changing line endings?)")
            }
            throw fail("not a binary circuit file (it does not start with \\x89CGB\\r\\n\\x1a\\n)")
        }
        let size = BinaryCircuitFormat.headerSize
        guard bytes.count >= size else {
            throw fail("the file is truncated: it has \(bytes.count) bytes, fewer than the \(size)-byte header")
        }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        let checksumAt = BinaryCircuitFormat.headerChecksumOffset
        let headerIntact = XXHash64.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<checksumAt])) == u64(checksumAt)
        let version = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        if version != BinaryCircuitFormat.version {
            throw fail("format version \(version); this reader reads version \(BinaryCircuitFormat.version)"
                       + (headerIntact ? "" : " (or the header is damaged)"))
        }
        guard headerIntact else { throw fail("the header is damaged (its checksum does not match)") }
        let flags = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        guard flags == 0 else { throw fail("unknown flags 0x\(String(flags, radix: 16)); version 1 files have none") }
        let fields = (0..<BinaryCircuitFormat.Counts.fieldCount).map { u64(BinaryCircuitFormat.countsOffset + 8 * $0) }
        guard fields.allSatisfy({ $0 < 1 << 40 }) else { throw fail("the header's counts are out of range") }
        let counts = BinaryCircuitFormat.Counts(fields: fields.map { Int($0) })
        guard let layout = BinaryCircuitFormat.layout(counts), layout.payloadBytes == counts.payloadBytes else {
            throw fail("the header's counts do not add up to its payload size")
        }
        let expected = size + counts.payloadBytes
        if bytes.count < expected {
            throw fail("the file is truncated: it has \(bytes.count) bytes, the header announces \(expected)")
        }
        if bytes.count > expected {
            throw fail("\(bytes.count - expected) unexpected bytes after the end the header announces (\(expected) bytes)")
        }
        return counts
    }

    private static func hex(_ x: UInt64) -> String {
        let digits = String(x, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}

