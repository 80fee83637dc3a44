/// Turns the checked payload of a binary circuit file into a ``Circuit``, checking every
/// field on the way: nothing in the file is trusted beyond what its checksum proves.
///
/// The structure must be exactly what resolving the circuit's canonical text gives: every
/// wire read at most once, splitters inserted on (and only on) the wires read more than once,
/// in wire order, their outputs going to the uses in canonical order (node arguments, then
/// the sources of splitters, then the output). Levels, liveness and the value each wire
/// carries are computed as the text reader computes them; a file whose nodes are not in
/// dependency order is resolved through a ``CircuitDraft`` instead, which also names any cycle.
struct BinaryCircuitDecoder {
    let payload: UnsafeRawBufferPointer
    let offsets: [Int]
    let counts: BinaryCircuitFormat.Counts
    let sourceName: String

    private func fail(_ message: String) -> CircuitError { CircuitError(file: sourceName, "binary circuit: " + message) }

    private func start(_ section: BinaryCircuitFormat.Section) -> Int { offsets[section.rawValue] }

    private func u32(_ section: BinaryCircuitFormat.Section, _ k: Int) -> Int {
        Int(UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: start(section) + 4 * k, as: UInt32.self)))
    }

    private func f64(_ section: BinaryCircuitFormat.Section, _ k: Int) -> Double {
        Double(bitPattern: UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: start(section) + 8 * k, as: UInt64.self)))
    }

    /// `count` u32 values of `section`, each below `limit`, as wire ids.
    private func wires(_ section: BinaryCircuitFormat.Section, _ count: Int, below limit: Int, _ what: String) throws -> [Int32] {
        var bad = -1
        let base = start(section)
        let values = [Int32](uninitializedCount: count) { buffer, initialized in
            for k in 0..<count {
                let v = UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: base + 4 * k, as: UInt32.self))
                if v >= limit && bad < 0 { bad = k }
                buffer[k] = Int32(truncatingIfNeeded: v)
            }
            initialized = count
        }
        if bad >= 0 { throw fail("\(what) \(bad) is wire \(u32(section, bad)); the file has \(limit) wires") }
        return values
    }

    /// An offset table of `entries + 1` values increasing from 0 to `end`, as `base + value`.
    private func starts(_ section: BinaryCircuitFormat.Section, _ entries: Int, end: Int, base: Int, minimumStep: Int, _ what: String) throws -> [Int32] {
        var bad = -1
        let at = start(section)
        let table = [Int32](unsafeUninitializedCapacity: entries + 1) { table, initialized in
            var previous = 0
            for k in 0...entries {
                let v = Int(UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: at + 4 * k, as: UInt32.self)))
                if (k == 0 && v != 0) || (k > 0 && v < previous + minimumStep) || v > end || (k == entries && v != end) {
                    bad = k
                    break
                }
                table[k] = Int32(truncatingIfNeeded: base + v)
                previous = v
            }
            initialized = bad < 0 ? entries + 1 : 0
        }
        if bad >= 0 { throw fail("the \(what) offsets are not increasing from 0 to \(end) (entry \(bad) is \(u32(section, bad)))") }
        return table
    }

    func circuit() throws -> Circuit {
        let c = counts
        let firstNode = c.inputs + c.params, valueCount = c.values, wireCount = c.wires
        let names = try BinaryCircuitNames(payload: payload, lengths: start(.nameLengths), bytes: start(.names), counts: c, fail: fail)

        var paramValues = [Double](repeating: 0, count: c.params)
        for p in 0..<c.params {
            paramValues[p] = f64(.paramValues, p)
            if paramValues[p].isNaN { throw fail("parameter '\(names[c.inputs + p])' is NaN") }
        }
        // Ops, their numbers and arities.
        let argStart = try starts(.argumentStart, c.nodes, end: c.arguments, base: 0, minimumStep: 0, "argument")
        var takesNumber = [UInt64](repeating: 0, count: (c.nodes + 63) / 64)
        var constant = 0
        let opCodes = start(.ops), numbers = start(.constants)
        // Per op code, the facts checked for every node, looked up in a table rather than
        // asked of each op's rule: the arguments it takes (-1: two or more; -2: not an op).
        var argumentsOfCode = [Int](repeating: -2, count: 256), constantOfCode = [Bool](repeating: false, count: 256)
        for op in Op.allCases {
            if case .exactly(let k) = op.arity { argumentsOfCode[Int(op.rawValue)] = k } else { argumentsOfCode[Int(op.rawValue)] = -1 }
            constantOfCode[Int(op.rawValue)] = op.takesConstant
        }
        var bad: (node: Int, arguments: Int)?
        let ops = [Op](uninitializedCount: c.nodes) { ops, initialized in
            for n in 0..<c.nodes {
                let code = Int(payload[opCodes + n])
                let expected = argumentsOfCode[code], arguments = Int(argStart[n + 1] - argStart[n])
                guard expected != -2, let op = Op(rawValue: UInt8(code)), expected == -1 ? arguments >= 2 : arguments == expected else {
                    bad = (n, arguments)
                    break
                }
                ops[n] = op
                initialized = n + 1
                guard constantOfCode[code] else { continue }
                guard constant < c.constants else { bad = (n, -1); break }
                let number = Double(bitPattern: UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: numbers + 8 * constant, as: UInt64.self)))
                constant += 1
                if number.isNaN { bad = (n, -2); break }
                takesNumber[n / 64] |= 1 << UInt64(n % 64)
            }
        }
        if let (n, arguments) = bad {
            let code = payload[opCodes + n]
            guard let op = Op(rawValue: code) else { throw fail("node \(n) has the unknown op code \(code)") }
            if arguments == -1 { throw fail("more nodes take a number than the \(c.constants) numbers stored") }
            if arguments == -2 { throw fail("node '\(names[firstNode + n])' has the number NaN") }
            throw fail("node '\(names[firstNode + n])': '\(op.name)' takes \(op.arity.description), got \(arguments)")
        }
        guard constant == c.constants else { throw fail("\(c.constants) numbers are stored, \(constant) nodes take one") }
        let constants = NodeNumbers(nodeCount: c.nodes, takesNumber: takesNumber, stored: (0..<c.constants).map { f64(.constants, $0) })

        // Wires: arguments, splitters, the output.
        let args = try wires(.arguments, c.arguments, below: wireCount, "argument")
        guard c.writtenSplitters <= c.splitters else { throw fail("more written splitters than splitters") }
        let splitterSource = try wires(.splitterSources, c.splitters, below: wireCount, "the source of splitter")
        let splitterOutputStart = try starts(.splitterOutputStart, c.splitters, end: c.splitterOutputs, base: valueCount, minimumStep: 2, "splitter output")
        guard Int(splitterOutputStart[c.writtenSplitters]) == valueCount + c.writtenSplitterOutputs else {
            throw fail("the written splitters have \(Int(splitterOutputStart[c.writtenSplitters]) - valueCount) outputs, the names \(c.writtenSplitterOutputs)")
        }
        guard c.output < wireCount else { throw fail("the output is wire \(c.output); the file has \(wireCount) wires") }

        // Each wire's one consumer, in canonical use order.
        var consumer = [Int32](repeating: -1, count: wireCount)
        let twice: Int? = consumer.withUnsafeMutableBufferPointer { consumer in
            for j in 0..<args.count {
                let w = Int(args[j])
                if consumer[w] != -1 { return w }
                consumer[w] = Int32(j)
            }
            for s in 0..<c.splitters {
                let w = Int(splitterSource[s])
                if consumer[w] != -1 { return w }
                consumer[w] = Int32(-3 - s)
            }
            if consumer[c.output] != -1 { return c.output }
            consumer[c.output] = -2
            return nil
        }
        if let wire = twice {
            throw fail("wire '\(names.wireName(wire, splitterSource, splitterOutputStart))' is read more than once without a splitter")
        }
        let splitterOfOutput = [Int32](uninitializedCount: c.splitterOutputs) { owner, initialized in
            for s in 0..<c.splitters {
                for w in Int(splitterOutputStart[s])..<Int(splitterOutputStart[s + 1]) { owner[w - valueCount] = Int32(s) }
            }
            initialized = c.splitterOutputs   // the output starts run from 0 to every output
        }
        try checkInsertedSplitters(consumer: consumer, splitterSource: splitterSource, splitterOutputStart: splitterOutputStart, names: names)

        let parts = Circuit.Parts(
            inputNames: names.inputs, paramNames: names.params, paramValues: paramValues,
            ops: ops, argStart: argStart, args: args, constants: constants, nodeNames: names.nodes,
            splitterSource: splitterSource, splitterOutputStart: splitterOutputStart, explicitSplitterCount: c.writtenSplitters,
            explicitSplitterOutputNames: names.writtenSplitterOutputs, outputWire: Int32(c.output),
            wireConsumerCode: consumer, splitterOfOutput: splitterOfOutput)
        if let circuit = Circuit(partsInNodeOrder: parts) { return circuit }
        return try Circuit(draft: parts.draft(sourceName: sourceName))
    }

    /// Splitters after the written ones must be the text reader's: one per wire read more than
    /// once, on named wires in increasing order, each output read by one use (a node argument,
    /// a written splitter's source or the output), in canonical use order.
    private func checkInsertedSplitters(consumer: [Int32], splitterSource: [Int32], splitterOutputStart: [Int32], names: BinaryCircuitNames) throws {
        let c = counts
        let namedEnd = c.values + c.writtenSplitterOutputs
        var previousSource = -1
        for t in c.writtenSplitters..<c.splitters {
            let source = Int(splitterSource[t])
            guard source < namedEnd, source > previousSource else {
                throw fail("inserted splitter \(t - c.writtenSplitters) copies wire \(source); inserted splitters copy named wires in increasing order")
            }
            previousSource = source
            var lastUse = -1
            for o in Int(splitterOutputStart[t])..<Int(splitterOutputStart[t + 1]) {
                let code = Int(consumer[o])
                let use = code >= 0 ? code : code == -2 ? c.arguments + c.writtenSplitters : -3 - code < c.writtenSplitters ? c.arguments - 3 - code : -1
                guard code != -1, use > lastUse else {
                    throw fail("the uses of wire '\(names[source])' are not read from its splitter's outputs one each, in order")
                }
                lastUse = use
            }
        }
    }
}
