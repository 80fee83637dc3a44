/// Writes circuits in the binary circuit format (`BinaryCircuitFormat`, `.cgb`).
///
/// The file is the resolved circuit: names, declaration and node order, ops, arguments,
/// numbers and parameter values bit for bit, every splitter (written and inserted) and the
/// output, so it reads back to an identical ``Circuit`` and to the same canonical text
/// (``CircuitWriter``). Comments, spacing, statement order and number spelling are not kept,
/// as in the canonical text. Equal circuits give equal bytes.
package enum BinaryCircuitWriter {
    /// The binary file of `circuit`.
    /// - Throws: ``CircuitError`` when a parameter or constant is NaN, which circuit files cannot hold.
    package static func bytes(of circuit: Circuit) throws -> [UInt8] {
        var c = BinaryCircuitFormat.Counts()
        c.inputs = circuit.inputCount
        c.params = circuit.paramCount
        c.nodes = circuit.nodeCount
        c.arguments = circuit.args.count
        c.constants = circuit.ops.lazy.filter(\.takesConstant).count
        c.splitters = circuit.splitterCount
        c.writtenSplitters = circuit.explicitSplitterCount
        c.splitterOutputs = circuit.wireCount - circuit.valueCount
        c.writtenSplitterOutputs = circuit.explicitSplitterOutputNames.count
        let names = [WireNameList(circuit.inputNames), WireNameList(circuit.paramNames), circuit.nodeNames, circuit.explicitSplitterOutputNames]
        c.nameBytes = names.reduce(0) { $0 + $1.utf8Count }
        c.output = Int(circuit.outputWire)
        guard let layout = BinaryCircuitFormat.layout(c) else {
            throw CircuitError(file: "<binary writer>", "the circuit is too large for the binary format")
        }
        c.payloadBytes = layout.payloadBytes
        var out = [UInt8](repeating: 0, count: BinaryCircuitFormat.headerSize + layout.payloadBytes)
        try out.withUnsafeMutableBytes { raw in
            let payload = UnsafeMutableRawBufferPointer(rebasing: raw[BinaryCircuitFormat.headerSize...])
            var at = 0
            func begin(_ section: BinaryCircuitFormat.Section) { at = layout.offsets[section.rawValue] }
            func u32(_ v: some BinaryInteger) { payload.storeBytes(of: UInt32(v).littleEndian, toByteOffset: at, as: UInt32.self); at += 4 }
            func f64(_ x: Double, _ owner: @autoclosure () -> String) throws {
                if x.isNaN { throw CircuitError(file: "<binary writer>", "'\(owner())' holds NaN, which a circuit file cannot hold") }
                payload.storeBytes(of: x.bitPattern.littleEndian, toByteOffset: at, as: UInt64.self)
                at += 8
            }
            begin(.paramValues)
            for p in 0..<c.params { try f64(circuit.paramValues[p], circuit.paramNames[p]) }
            begin(.constants)
            for n in 0..<c.nodes where circuit.ops[n].takesConstant { try f64(circuit.constants[n], circuit.nodeNames[n]) }
            begin(.argumentStart)
            for s in circuit.argStart { u32(s) }
            begin(.arguments)
            for a in circuit.args { u32(a) }
            begin(.splitterSources)
            for s in circuit.splitterSource { u32(s) }
            begin(.splitterOutputStart)
            for s in circuit.splitterOutputStart { u32(Int(s) - c.values) }
            begin(.ops)
            for op in circuit.ops { payload[at] = op.rawValue; at += 1 }
            begin(.nameLengths)
            // (A cursor of its own: `at` is shared with the functions above, and each use of it
            // from a closure would be checked for exclusive access at run time.)
            var cursor = at
            for list in names { list.forEachUTF8 { payload[cursor] = UInt8($0.count); cursor += 1 } }
            begin(.names)
            cursor = at
            for list in names {
                list.forEachUTF8 { name in
                    UnsafeMutableRawBufferPointer(rebasing: payload[cursor..<(cursor + name.count)]).copyMemory(from: UnsafeRawBufferPointer(name))
                    cursor += name.count
                }
            }
            writeHeader(into: raw, counts: c, payloadChecksum: XXHash64.hash(UnsafeRawBufferPointer(payload)))
        }
        return out
    }

    /// Writes `circuit` to `path` atomically in the binary format.
    package static func write(_ circuit: Circuit, to path: String) throws {
        try AtomicFile.write(try bytes(of: circuit), to: path)
    }

    /// Fills in the header: magic, version, counts and both checksums.
    private static func writeHeader(into raw: UnsafeMutableRawBufferPointer, counts: BinaryCircuitFormat.Counts, payloadChecksum: UInt64) {
        for (i, b) in BinaryCircuitFormat.magic.enumerated() { raw[i] = b }
        raw.storeBytes(of: BinaryCircuitFormat.version.littleEndian, toByteOffset: 8, as: UInt32.self)
        raw.storeBytes(of: UInt32(0), toByteOffset: 12, as: UInt32.self)
        for (k, v) in counts.fields.enumerated() {
            raw.storeBytes(of: UInt64(v).littleEndian, toByteOffset: BinaryCircuitFormat.countsOffset + 8 * k, as: UInt64.self)
        }
        let checksumAt = BinaryCircuitFormat.headerChecksumOffset
        raw.storeBytes(of: payloadChecksum.littleEndian, toByteOffset: BinaryCircuitFormat.payloadChecksumOffset, as: UInt64.self)
        let headerSum = XXHash64.hash(UnsafeRawBufferPointer(rebasing: raw[0..<checksumAt]))
        raw.storeBytes(of: headerSum.littleEndian, toByteOffset: checksumAt, as: UInt64.self)
    }
}
