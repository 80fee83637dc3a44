/// The names of a circuit's function nodes (or of the outputs of its written splits), in wire
/// order: an array of `String`s, or packed, each `String` made only when it is asked for.
///
/// A circuit read from a binary file keeps its names packed, and no `String` is made while
/// loading: runs of numbered names (`n0 n1 n2 …`, one stem then consecutive numbers written
/// without leading zeros, as generated circuits name their wires) are kept as a stem and a
/// number range, the other names' bytes one after another with a length byte each. Ten
/// million generated names cost almost nothing, where `String`s cost 16 bytes each and the
/// time to make them. Names read from text or built in code are already `String`s and are
/// kept as they are. Both compare equal when they hold the same names.
package struct WireNameList: RandomAccessCollection, Equatable, ExpressibleByArrayLiteral, Sendable {
    /// Names `first ..< first + count`: `stem` followed by the numbers `number ..< number + count`;
    /// `literalsBefore` literal names come before it.
    struct Run: Equatable, Sendable {
        var first: Int, count: Int, stem: [UInt8], number: Int, literalsBefore: Int
    }

    /// Packed names: the runs, in order, and the other names (the literal ones) in one buffer,
    /// literal name `j` being the `lengths[j]` bytes after the literal names before it. The
    /// byte offset of every `blockSize`-th literal name is kept, so one is found by adding at
    /// most `blockSize - 1` lengths.
    private struct Packed: Equatable, Sendable {
        var count: Int, runs: [Run], bytes: [UInt8], lengths: [UInt8], blockStart: [Int]
        /// Bytes of the names of all runs.
        var runBytes: Int
    }

    private enum Storage: Sendable {
        case strings([String])
        case packed(Packed)
    }

    /// Names between two kept byte offsets.
    static let blockSize = 16

    private let storage: Storage

    /// The names of `names`, kept as they are.
    package init(_ names: [String]) { storage = .strings(names) }

    /// The names of the literal.
    package init(arrayLiteral names: String...) { self.init(names) }

    /// Names given as their UTF-8 bytes one after another (`bytes`) and the byte length of
    /// each (`lengths`, adding up to `bytes.count`). `runs` (in order, not overlapping) are
    /// names known to be a stem of `stemLength` bytes followed by the numbers `number`,
    /// `number + 1`, … written without leading zeros: they are kept as a number range, the
    /// other names' bytes are copied.
    init(packing bytes: UnsafeBufferPointer<UInt8>, lengths: UnsafeBufferPointer<UInt8>,
         runs given: [(first: Int, count: Int, stemLength: Int, number: Int)] = []) {
        var literalBytes = [UInt8](), literalLengths = [UInt8](), runs = [Run]()
        var at = 0, k = 0, runBytes = 0
        /// Copies the literal names `k ..< end`.
        func copyLiterals(to end: Int) {
            let from = at
            for j in k..<end { at += Int(lengths[j]) }
            literalBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<at]))
            literalLengths.append(contentsOf: UnsafeBufferPointer(rebasing: lengths[k..<end]))
            k = end
        }
        for run in given {
            copyLiterals(to: run.first)
            runs.append(Run(first: run.first, count: run.count,
                            stem: Array(UnsafeBufferPointer(rebasing: bytes[at..<(at + run.stemLength)])),
                            number: run.number, literalsBefore: literalLengths.count))
            let from = at
            for j in run.first..<(run.first + run.count) { at += Int(lengths[j]) }
            runBytes += at - from
            k = run.first + run.count
        }
        copyLiterals(to: lengths.count)
        let blocks = (literalLengths.count + Self.blockSize - 1) / Self.blockSize
        let blockStart = [Int](uninitializedCount: blocks) { starts, initialized in
            var at = 0
            for j in 0..<literalLengths.count {
                if j % Self.blockSize == 0 { starts[j / Self.blockSize] = at }
                at += Int(literalLengths[j])
            }
            initialized = blocks
        }
        storage = .packed(Packed(count: lengths.count, runs: runs, bytes: literalBytes, lengths: literalLengths,
                                 blockStart: blockStart, runBytes: runBytes))
    }

    /// Whether the names are kept packed (not as `String`s).
    var isPacked: Bool { if case .packed = storage { true } else { false } }

    /// The index of the first name.
    package var startIndex: Int { 0 }

    /// One past the index of the last name.
    package var endIndex: Int {
        switch storage {
        case .strings(let names): names.count
        case .packed(let p): p.count
        }
    }

    /// Name `k`, made as a `String` now when the names are packed.
    package subscript(k: Int) -> String {
        switch storage {
        case .strings(let names): return names[k]
        case .packed(let p):
            precondition(k >= 0 && k < p.count, "name index out of range")
            // The last run that starts at or before `k`.
            var lo = 0, hi = p.runs.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if p.runs[mid].first <= k { lo = mid + 1 } else { hi = mid }
            }
            var literal = k
            if lo > 0 {
                let run = p.runs[lo - 1]
                if k < run.first + run.count { return Self.numbered(run.stem, run.number + k - run.first) }
                literal = run.literalsBefore + k - (run.first + run.count)
            }
            return p.bytes.withUnsafeBufferPointer { bytes in
                var from = p.blockStart[literal / Self.blockSize]
                for j in (literal - literal % Self.blockSize)..<literal { from += Int(p.lengths[j]) }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<(from + Int(p.lengths[literal]))]), as: UTF8.self)
            }
        }
    }

    /// `stem` followed by `number` in decimal.
    private static func numbered(_ stem: [UInt8], _ number: Int) -> String {
        var digits = 1, x = number
        while x >= 10 { x /= 10; digits += 1 }
        return String(unsafeUninitializedCapacity: stem.count + digits) { buffer in
            _ = buffer.initialize(fromContentsOf: stem)
            var x = number, at = stem.count + digits
            repeat { at -= 1; buffer[at] = UInt8(48 + x % 10); x /= 10 } while x > 0
            return stem.count + digits
        }
    }

    /// Calls `body` with the UTF-8 bytes of each name, in order, without making `String`s of packed names.
    func forEachUTF8(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        switch storage {
        case .strings(let names):
            for name in names {
                var name = name
                name.withUTF8(body)
            }
        case .packed(let p):
            p.bytes.withUnsafeBufferPointer { bytes in
                var at = 0, literal = 0, k = 0
                for r in 0...p.runs.count {
                    // The literal names before run `r` (or the end), then the run's names.
                    let end = r < p.runs.count ? p.runs[r].first : p.count
                    while k < end {
                        let length = Int(p.lengths[literal])
                        body(UnsafeBufferPointer(rebasing: bytes[at..<(at + length)]))
                        at += length
                        literal += 1
                        k += 1
                    }
                    guard r < p.runs.count else { break }
                    // The stem then the number's digits, incremented in place from name to name.
                    let run = p.runs[r], stem = run.stem.count
                    var name = run.stem + Array(String(run.number).utf8)
                    for n in 0..<run.count {
                        if n > 0 {
                            var d = name.count - 1
                            while d >= stem && name[d] == 57 { name[d] = 48; d -= 1 }
                            if d >= stem { name[d] += 1 } else { name.insert(49, at: stem) }
                        }
                        name.withUnsafeBufferPointer(body)
                    }
                    k = run.first + run.count
                }
            }
        }
    }

    /// Bytes of all names together.
    var utf8Count: Int {
        switch storage {
        case .strings(let names): names.reduce(0) { $0 + $1.utf8.count }
        case .packed(let p): p.bytes.count + p.runBytes
        }
    }

    /// Whether both hold the same names in the same order, however each keeps them.
    package static func == (a: WireNameList, b: WireNameList) -> Bool {
        if case .packed(let p) = a.storage, case .packed(let q) = b.storage, p == q { return true }
        return a.elementsEqual(b)
    }
}
