/// The names of a binary circuit file's named wires (inputs, parameters, function nodes,
/// outputs of written splits, in wire order), each checked to be a valid wire name, and
/// all checked to be distinct.
///
/// Distinctness is checked without a hash table: a 32-bit hash of every name, with the name's
/// index, is sorted by radix (three streaming passes over a flat array, friendly to caches at
/// ten million names), and only names whose hashes are equal are compared, so the check costs
/// a few nanoseconds a name where a hash table costs a cache miss.
struct BinaryCircuitNames {
    /// The names in four groups, the arrays a circuit keeps: inputs, parameters, function
    /// nodes, outputs of written splits (so no copy of ten million names is made for slices).
    private var groups: [[String]] = [[], [], [], []]
    /// The wire after each group's last.
    private let groupEnds: [Int]
    /// The number of names.
    private var count: Int { groupEnds[3] }

    /// Decodes `counts.names` names whose lengths (u8 each) start at payload offset `lengths`
    /// and bytes at `bytes`.
    init(payload: UnsafeRawBufferPointer, lengths: Int, bytes: Int, counts: BinaryCircuitFormat.Counts, fail: (String) -> CircuitError) throws {
        let count = counts.names
        groupEnds = [counts.inputs, counts.inputs + counts.params, counts.values, count]
        let length = payload.assumingMemoryBound(to: UInt8.self)[lengths..<(lengths + count)]
        var total = 0
        for l in length { total += Int(l) }
        guard total == counts.nameBytes else { throw fail("the name lengths add up to \(total) bytes, the header says \(counts.nameBytes)") }
        let all = UnsafeBufferPointer(rebasing: payload.assumingMemoryBound(to: UInt8.self)[bytes..<(bytes + total)])
        // Keys: a 32-bit hash of the name above its index. Sorted by hash, equal hashes are
        // neighbours, and only their names are compared. The digit counts of every radix pass
        // are taken as the keys are made.
        var histograms = [Int](repeating: 0, count: Self.radixPasses << Self.radixBits)
        var at = 0, d = 0
        let keys = try [UInt64](unsafeUninitializedCapacity: count) { keys, made in
            try histograms.withUnsafeMutableBufferPointer { histograms in
                for g in 0..<4 {
                    groups[g] = try [String](unsafeUninitializedCapacity: groupEnds[g] - d) { names, initialized in
                        while d < groupEnds[g] {
                            let end = at + Int(length[lengths + d])
                            let name = UnsafeBufferPointer(rebasing: all[at..<end])
                            guard let hash = WireNames.hashIfValid(name) else {
                                throw fail("wire \(d) is named \(NumberSyntax.quoted(name)), which is not a valid wire name")
                            }
                            let key = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(d)
                            keys[d] = key
                            made = d + 1
                            for pass in 0..<Self.radixPasses { histograms[pass << Self.radixBits | Self.digit(key, pass)] += 1 }
                            (names.baseAddress! + initialized).initialize(to: String(decoding: name, as: UTF8.self))
                            initialized += 1
                            at = end
                            d += 1
                        }
                    }
                }
            }
        }
        let sorted = Self.sortByHighHalf(keys, histograms: histograms)
        var first = 0
        while first < count {
            var end = first + 1
            while end < count && sorted[end] >> 32 == sorted[first] >> 32 { end += 1 }
            for i in first..<end {
                for j in (i + 1)..<end where self[Int(sorted[i] & 0xFFFF_FFFF)] == self[Int(sorted[j] & 0xFFFF_FFFF)] {
                    throw fail("'\(self[Int(sorted[j] & 0xFFFF_FFFF)])' names two wires; names must be unique")
                }
            }
            first = end
        }
    }

    /// Name of named wire `w`.
    subscript(_ w: Int) -> String {
        var g = 0
        while w >= groupEnds[g] { g += 1 }
        return groups[g][w - (g == 0 ? 0 : groupEnds[g - 1])]
    }

    /// Names of the inputs, parameters, function nodes and outputs of written splits.
    var inputs: [String] { groups[0] }
    var params: [String] { groups[1] }
    var nodes: [String] { groups[2] }
    var writtenSplitterOutputs: [String] { groups[3] }

    /// A readable name of any wire: its own, or `x#k` for output `k` of a splitter inserted on `x`.
    func wireName(_ wire: Int, _ splitterSource: [Int32], _ splitterOutputStart: [Int32]) -> String {
        if wire < count { return self[wire] }
        var lo = 0, hi = splitterSource.count   // the splitter whose outputs hold `wire`
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if Int(splitterOutputStart[mid]) <= wire { lo = mid } else { hi = mid }
        }
        let source = Int(splitterSource[lo])
        return (source < count ? self[source] : "wire \(source)") + "#\(wire - Int(splitterOutputStart[lo]) + 1)"
    }

    /// Bits of a radix digit, and passes to sort the 32 high bits of a key.
    private static let radixBits = 11, radixPasses = 3

    /// Digit `pass` of `key`'s high half, from the least significant.
    @inline(__always) private static func digit(_ key: UInt64, _ pass: Int) -> Int {
        Int(truncatingIfNeeded: key >> UInt64(32 + radixBits * pass)) & ((1 << radixBits) - 1)
    }

    /// `keys` sorted by their high 32 bits: three stable counting passes over 11-bit digits
    /// (2048 buckets keep every pass streaming through the caches) whose counts `histograms`
    /// holds (`radixPasses` × 2048), or a comparison sort for short arrays.
    private static func sortByHighHalf(_ keys: [UInt64], histograms: [Int]) -> [UInt64] {
        if keys.count < 1 << 12 { return keys.sorted() }
        var from = keys
        var to = [UInt64](unsafeUninitializedCapacity: keys.count) { _, n in n = keys.count }
        var starts = [Int](repeating: 0, count: 1 << radixBits)
        for pass in 0..<radixPasses {
            var sum = 0
            for i in 0..<(1 << radixBits) { starts[i] = sum; sum += histograms[pass << radixBits | i] }
            from.withUnsafeBufferPointer { from in
                to.withUnsafeMutableBufferPointer { to in
                    starts.withUnsafeMutableBufferPointer { starts in
                        for k in from {
                            let digit = digit(k, pass)
                            to[starts[digit]] = k
                            starts[digit] += 1
                        }
                    }
                }
            }
            swap(&from, &to)
        }
        return from
    }
}
