/// The names of a binary circuit file's named wires (inputs, parameters, function nodes,
/// outputs of written splits, in wire order), each checked to be a valid wire name, and
/// all checked to be distinct.
///
/// Distinctness is checked without a hash table: a 32-bit hash of every name, with the name's
/// index, is sorted by radix (four streaming passes over a flat array, friendly to caches at
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
        var total = 0
        for d in 0..<count { total += Int(payload[lengths + d]) }
        guard total == counts.nameBytes else { throw fail("the name lengths add up to \(total) bytes, the header says \(counts.nameBytes)") }
        let all = UnsafeBufferPointer(rebasing: payload.assumingMemoryBound(to: UInt8.self)[bytes..<(bytes + total)])
        // Keys: a 32-bit hash of the name above its index. Sorted by hash, equal hashes are
        // neighbours, and only their names are compared.
        var keys = [UInt64](repeating: 0, count: count)
        for g in 0..<4 { groups[g].reserveCapacity(groupEnds[g] - (g == 0 ? 0 : groupEnds[g - 1])) }
        var at = 0, group = 0
        for d in 0..<count {
            while d >= groupEnds[group] { group += 1 }
            let end = at + Int(payload[lengths + d])
            let name = UnsafeBufferPointer(rebasing: all[at..<end])
            guard WireNames.isValid(name) else {
                throw fail("wire \(d) is named \(NumberSyntax.quoted(name)), which is not a valid wire name")
            }
            keys[d] = (Self.hash(name) & 0xFFFF_FFFF_0000_0000) | UInt64(d)
            groups[group].append(String(decoding: name, as: UTF8.self))
            at = end
        }
        Self.sortByHighHalf(&keys)
        var first = 0
        while first < count {
            var end = first + 1
            while end < count && keys[end] >> 32 == keys[first] >> 32 { end += 1 }
            for i in first..<end {
                for j in (i + 1)..<end where self[Int(keys[i] & 0xFFFF_FFFF)] == self[Int(keys[j] & 0xFFFF_FFFF)] {
                    throw fail("'\(self[Int(keys[j] & 0xFFFF_FFFF)])' names two wires; names must be unique")
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

    /// FNV-1a over the bytes, then the murmur finaliser.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// Sorts `keys` by their high 32 bits: four stable counting passes over 8-bit digits
    /// (256 buckets keep every pass streaming through the caches), or a comparison sort for
    /// short arrays.
    private static func sortByHighHalf(_ keys: inout [UInt64]) {
        if keys.count < 1 << 12 { keys.sort(); return }
        var other = [UInt64](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 256)
        for pass in 0..<4 {
            let shift = UInt64(32 + 8 * pass)
            for i in 0..<256 { counts[i] = 0 }
            for k in keys { counts[Int((k >> shift) & 0xFF)] += 1 }
            var sum = 0
            for i in 0..<256 { let c = counts[i]; counts[i] = sum; sum += c }
            keys.withUnsafeBufferPointer { from in
                other.withUnsafeMutableBufferPointer { to in
                    for k in from {
                        let digit = Int((k >> shift) & 0xFF)
                        to[counts[digit]] = k
                        counts[digit] += 1
                    }
                }
            }
            swap(&keys, &other)
        }
    }
}
