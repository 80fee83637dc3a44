/// The names of a binary circuit file's named wires (inputs, parameters, function nodes,
/// outputs of written splits, in wire order), each checked to be a valid wire name, and
/// all checked to be distinct.
///
/// Distinctness is checked without a hash table. Runs of numbered names (`n0 n1 n2 …`: one
/// stem, then consecutive numbers written without leading zeros, as generated circuits name
/// their wires) are noticed while the names are checked and kept as number ranges; two runs
/// of one stem must not overlap, and no other name may be a name of a run. The other names
/// are compared by hash: a 32-bit hash of each, with the name's index, is sorted by radix
/// (three streaming passes over a flat array, friendly to caches at ten million names), and
/// only names whose hashes are equal are compared, so the check costs a few nanoseconds a
/// name where a hash table costs a cache miss.
struct BinaryCircuitNames {
    /// The names of the inputs and of the parameters, the arrays a circuit keeps.
    private var strings: [[String]] = [[], []]
    /// The names of the function nodes and of the outputs of written splits, packed as a
    /// circuit keeps them (no `String` is made for them while loading).
    private var lists: [WireNameList] = [[], []]
    /// The wire after each group's last.
    private let groupEnds: [Int]
    /// The number of names.
    private var count: Int { groupEnds[3] }

    /// Names `first ..< first + count`: the stem `stem` followed by the numbers `number ..< number + count`;
    /// the first name's bytes start at `byteStart`.
    private struct Run {
        var first: Int, count: Int, stem: UnsafeBufferPointer<UInt8>, number: Int, byteStart: Int
    }

    /// Consecutive numbered names shorter than this are hashed like any other name.
    private static let shortestRun = 32

    /// The stem and number of a name that ends in a number written without leading zeros
    /// (``WireNames/split(_:)``); nil otherwise.
    private static func numbered(_ name: UnsafeBufferPointer<UInt8>) -> (stem: UnsafeBufferPointer<UInt8>, number: Int)? {
        guard let split = WireNames.split(name), split.number >= 0 else { return nil }
        return (UnsafeBufferPointer(rebasing: name[0..<split.stemLength]), split.number)
    }

    /// The decimal digits of the number that continues the current run, incremented in place,
    /// so the next name of a run is recognised by comparing bytes (`n41` after `n40`) rather
    /// than checked and split again: it is the run's stem followed by these digits exactly
    /// when ``WireNames/split(_:)`` would give the same stem and the next number.
    private struct RunContinuation {
        /// Room for 19 digits; numbers of more than 18 never continue a run.
        private let digits = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 20)
        private var count = 0

        /// The next number is `number + 1`.
        mutating func start(after number: Int) {
            var x = number + 1, k = 0
            repeat { digits[k] = UInt8(48 + x % 10); x /= 10; k += 1 } while x > 0
            count = k
            digits[0..<k].reverse()
        }

        /// The next number is one more.
        mutating func advance() {
            var k = count - 1
            while k >= 0 && digits[k] == 57 { digits[k] = 48; k -= 1 }
            if k >= 0 { digits[k] += 1; return }
            digits[count] = 48   // 99…9 + 1: a 1 and one more zero
            digits[0] = 49
            count += 1
        }

        /// Whether `name` is `stem` followed by the next number.
        @inline(__always) func continues(_ stem: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
            guard count <= 18, name.count == stem.count + count else { return false }
            for k in 0..<stem.count where name[k] != stem[k] { return false }
            for k in 0..<count where name[stem.count + k] != digits[k] { return false }
            return true
        }

        func deallocate() { digits.deallocate() }
    }

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
        // Keys of the names outside runs: a 32-bit hash of the name above its index. Sorted by
        // hash, equal hashes are neighbours, and only their names are compared. The digit counts
        // of every radix pass are taken as the keys are made.
        var keys = Keys(capacity: count)
        defer { keys.deallocate() }
        var runs = [Run]()
        var run = Run(first: 0, count: 0, stem: UnsafeBufferPointer(rebasing: all[0..<0]), number: 0, byteStart: 0)
        /// Ends a run: a long one is kept as a number range, a short one's names are hashed.
        func closeRun(_ run: Run) {
            if run.count >= Self.shortestRun { runs.append(run); return }
            var from = run.byteStart
            for r in run.first..<(run.first + run.count) {
                let to = from + Int(length[lengths + r])
                keys.add(UnsafeBufferPointer(rebasing: all[from..<to]), index: r)
                from = to
            }
        }
        var packedGroups = [(first: Int, end: Int, byteStart: Int, byteEnd: Int)]()
        var next = RunContinuation()
        defer { next.deallocate() }
        var at = 0, d = 0
        for g in 0..<4 {
            let groupStart = d, groupByteStart = at
            var made = [String]()
            if g < 2 { made.reserveCapacity(groupEnds[g] - d) }
            while d < groupEnds[g] {
                let end = at + Int(length[lengths + d])
                let name = UnsafeBufferPointer(rebasing: all[at..<end])
                if run.count > 0 && next.continues(run.stem, name) {
                    // The run's stem then its next number: a valid name, as the run's first is.
                    run.count += 1
                    next.advance()
                } else {
                    guard let split = WireNames.split(name) else {
                        throw fail("wire \(d) is named \(NumberSyntax.quoted(name)), which is not a valid wire name")
                    }
                    closeRun(run)
                    if split.number >= 0 {
                        let stem = UnsafeBufferPointer(rebasing: name[0..<split.stemLength])
                        run = Run(first: d, count: 1, stem: stem, number: split.number, byteStart: at)
                        next.start(after: split.number)
                    } else {
                        run.count = 0
                        keys.add(name, index: d)
                    }
                }
                if g < 2 { made.append(String(decoding: name, as: UTF8.self)) }
                at = end
                d += 1
            }
            if g < 2 { strings[g] = made } else { packedGroups.append((groupStart, d, groupByteStart, at)) }
        }
        closeRun(run)
        // The packed names of nodes and written split outputs, with the runs (in wire order) that fall in them.
        for (i, group) in packedGroups.enumerated() {
            let inGroup = runs.compactMap { r -> (first: Int, count: Int, stemLength: Int, number: Int)? in
                let from = max(r.first, group.first), to = min(r.first + r.count, group.end)
                return from < to ? (from - group.first, to - from, r.stem.count, r.number + from - r.first) : nil
            }
            lists[i] = WireNameList(packing: UnsafeBufferPointer(rebasing: all[group.byteStart..<group.byteEnd]),
                                    lengths: UnsafeBufferPointer(rebasing: length[(lengths + group.first)..<(lengths + group.end)]),
                                    runs: inGroup)
        }

        // The other names among themselves.
        let sorted = keys.sortedByHighHalf()
        var first = 0
        while first < sorted.count {
            var end = first + 1
            while end < sorted.count && sorted[end] >> 32 == sorted[first] >> 32 { end += 1 }
            for i in first..<end {
                for j in (i + 1)..<end where self[Int(sorted[i] & 0xFFFF_FFFF)] == self[Int(sorted[j] & 0xFFFF_FFFF)] {
                    throw fail("'\(self[Int(sorted[j] & 0xFFFF_FFFF)])' names two wires; names must be unique")
                }
            }
            first = end
        }
        guard !runs.isEmpty else { return }
        // Runs among themselves: sorted by stem then number, those of one stem must not overlap.
        func precedes(_ a: UnsafeBufferPointer<UInt8>, _ m: Int, _ b: UnsafeBufferPointer<UInt8>, _ n: Int) -> Bool {
            a.elementsEqual(b) ? m < n : a.lexicographicallyPrecedes(b)
        }
        runs.sort { precedes($0.stem, $0.number, $1.stem, $1.number) }
        for r in runs.indices.dropFirst() where runs[r].stem.elementsEqual(runs[r - 1].stem)
            && runs[r - 1].number + runs[r - 1].count > runs[r].number {
            throw fail("'\(self[runs[r].first])' names two wires; names must be unique")
        }
        // The other names against the runs: a numbered one must not fall in a run of its stem.
        for key in sorted {
            let name = self[Int(key & 0xFFFF_FFFF)]
            var utf8 = name
            try utf8.withUTF8 { bytes in
                guard let split = Self.numbered(bytes) else { return }
                // The last run that starts at or before this name, in (stem, number) order.
                var lo = 0, hi = runs.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if precedes(split.stem, split.number, runs[mid].stem, runs[mid].number) { hi = mid } else { lo = mid + 1 }
                }
                if lo > 0, runs[lo - 1].stem.elementsEqual(split.stem), split.number < runs[lo - 1].number + runs[lo - 1].count {
                    throw fail("'\(name)' names two wires; names must be unique")
                }
            }
        }
    }

    /// Name of named wire `w`.
    subscript(_ w: Int) -> String {
        var g = 0
        while w >= groupEnds[g] { g += 1 }
        let k = w - (g == 0 ? 0 : groupEnds[g - 1])
        return g < 2 ? strings[g][k] : lists[g - 2][k]
    }

    /// Names of the inputs, parameters, function nodes and outputs of written splits.
    var inputs: [String] { strings[0] }
    var params: [String] { strings[1] }
    var nodes: WireNameList { lists[0] }
    var writtenSplitterOutputs: WireNameList { lists[1] }

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

    /// Keys of names, a 32-bit hash above the name's index, sortable by radix, in buffers of
    /// their own (they are made for every name of a file without runs).
    private struct Keys {
        /// Bits of a radix digit, and passes to sort the 32 high bits of a key.
        static let radixBits = 11, radixPasses = 3

        private let keys: UnsafeMutableBufferPointer<UInt64>
        /// The digit counts of each radix pass, `radixPasses` × 2048.
        private let histograms: UnsafeMutableBufferPointer<Int>
        private(set) var count = 0

        init(capacity: Int) {
            keys = .allocate(capacity: capacity)
            histograms = .allocate(capacity: Self.radixPasses << Self.radixBits)
            histograms.initialize(repeating: 0)
        }

        func deallocate() {
            keys.deallocate()
            histograms.deallocate()
        }

        /// Digit `pass` of `key`'s high half, from the least significant.
        @inline(__always) static func digit(_ key: UInt64, _ pass: Int) -> Int {
            Int(truncatingIfNeeded: key >> UInt64(32 + radixBits * pass)) & ((1 << radixBits) - 1)
        }

        /// Adds the key of name `name`, wire `index`.
        mutating func add(_ name: UnsafeBufferPointer<UInt8>, index: Int) {
            let key = (WireNames.hash(name) & 0xFFFF_FFFF_0000_0000) | UInt64(index)
            keys[count] = key
            count += 1
            for pass in 0..<Self.radixPasses { histograms[pass << Self.radixBits | Self.digit(key, pass)] += 1 }
        }

        /// The keys sorted by their high 32 bits: three stable counting passes over 11-bit
        /// digits (2048 buckets keep every pass streaming through the caches), or a comparison
        /// sort for short arrays.
        func sortedByHighHalf() -> [UInt64] {
            var from = Array(keys[0..<count])
            if count < 1 << 12 { from.sort(); return from }
            var to = [UInt64](unsafeUninitializedCapacity: count) { _, n in n = count }
            var starts = [Int](repeating: 0, count: 1 << Self.radixBits)
            for pass in 0..<Self.radixPasses {
                var sum = 0
                for i in 0..<(1 << Self.radixBits) { starts[i] = sum; sum += histograms[pass << Self.radixBits | i] }
                from.withUnsafeBufferPointer { from in
                    to.withUnsafeMutableBufferPointer { to in
                        starts.withUnsafeMutableBufferPointer { starts in
                            for k in from {
                                let digit = Self.digit(k, pass)
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
}
