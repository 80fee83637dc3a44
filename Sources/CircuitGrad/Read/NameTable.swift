import CHwlocShim

/// Interns wire names straight from the bytes of a file, so a name used many times is
/// hashed from bytes and turned into a `String` (and a draft symbol) only once.
///
/// Symbols are the draft's own: the table asks the draft for a symbol the first time it
/// sees a name, and remembers it by the name's bytes (in the slot for short names, else
/// by where they are in the source buffer). Each slot packs a hash tag and the name's
/// length with the symbol, so a probe that misses compares no bytes.
struct NameTable {
    /// One slot: `word` packs a 24-bit hash tag, the name's length (names are at most 255
    /// bytes) and the symbol + 1 (0 marks an empty slot). `data` holds a name of at most
    /// 8 bytes itself (packed little-endian, zero-padded), so a hit on a short name never
    /// reads the name's earlier occurrence in the file; for a longer name it is the offset
    /// of that occurrence's bytes in the source buffer.
    private struct Slot {
        var word: UInt64
        var data: UInt64
    }

    /// Names up to this many bytes are kept in their slot.
    private static let inlineLength = 8

    private let source: UnsafeBufferPointer<UInt8>
    private var slots: [Slot]
    private var count = 0
    private var mask: Int

    init(source: UnsafeBufferPointer<UInt8>, expectedNames: Int) {
        self.source = source
        var capacity = 1024
        while capacity < expectedNames * 2 { capacity <<= 1 }
        slots = [Slot](repeating: Slot(word: 0, data: 0), count: capacity)
        mask = capacity - 1
    }

    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of the bytes added to `fnv`: the murmur finaliser, so the low bits of an FNV-1a
    /// hash mix well.
    @inline(__always) static func finished(_ fnv: UInt64) -> UInt64 {
        var h = fnv
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// A name's hash is built a byte at a time (the parser does it while it finds the token's
    /// end): start from `hashSeed`, add each byte with `hashing(_:_:)`, end with `finished(_:)`.
    /// FNV-1a, then a murmur finaliser.
    static let hashSeed = fnvOffset

    /// `h` with `byte` added.
    @inline(__always) static func hashing(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* fnvPrime }

    /// The hash of `source[start..<end]`.
    @inline(__always) private func hash(_ start: Int, _ end: Int) -> UInt64 {
        var h = Self.hashSeed
        var i = start
        while i < end {
            h = Self.hashing(h, source[i])
            i += 1
        }
        return Self.finished(h)
    }

    /// The same hash as ``hash(_:_:)`` for a name of `length` bytes packed into `data`.
    private static func hash(packed data: UInt64, length: Int) -> UInt64 {
        var h = hashSeed
        var i = 0
        while i < length {
            h = hashing(h, UInt8(truncatingIfNeeded: data >> UInt64(8 * i)))
            i += 1
        }
        return finished(h)
    }

    /// `source[start..<end]` (at most 8 bytes) packed little-endian and zero-padded.
    @inline(__always) private func packed(_ start: Int, _ end: Int) -> UInt64 {
        var v: UInt64 = 0
        var i = end
        while i > start {
            i -= 1
            v = v << 8 | UInt64(source[i])
        }
        return v
    }

    @inline(__always) private func sameBytes(_ a: Int, _ b: Int, _ length: Int) -> Bool {
        var k = 0
        while k < length {
            if source[a + k] != source[b + k] { return false }
            k += 1
        }
        return true
    }

    /// Starts fetching the slot where a name of hash `h` is looked up first. A big circuit's
    /// table is far larger than the caches and its lookups land anywhere in it; fetched as each
    /// token is found, a line's names wait for memory together rather than one by one (reading a
    /// 2M-node file: 1.83–2.03 → 1.64–1.75 s, `info`, 8 alternated runs).
    func prefetch(hash h: UInt64) {
        let slot = Int(truncatingIfNeeded: h) & mask
        slots.withUnsafeBufferPointer { chwloc_prefetch($0.baseAddress! + slot) }
    }

    /// The draft symbol of the name in `source[start..<end]` (a validated name of at most
    /// 255 bytes), whose hash is `h`, adding it to `draft` if new.
    mutating func symbol(_ start: Int, _ end: Int, hash h: UInt64, in draft: inout CircuitDraft) -> Int32 {
        assert(h == hash(start, end), "the hash given is not the name's")
        let length = end - start
        let key = (h >> 40) << 40 | UInt64(length & 0xFF) << 32   // tag and length
        let isInline = length <= Self.inlineLength
        let data = isInline ? packed(start, end) : UInt64(start)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[slot]
            if s.word == 0 { break }
            if s.word & 0xFFFF_FFFF_0000_0000 == key
                && (isInline ? s.data == data : sameBytes(Int(s.data), start, length)) {
                return Int32(truncatingIfNeeded: s.word & 0xFFFF_FFFF) - 1
            }
            slot = (slot + 1) & mask
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: source[start..<end]), as: UTF8.self)
        let symbol = draft.appendNewCheckedSymbol(name)
        slots[slot] = Slot(word: key | UInt64(UInt32(symbol) + 1), data: data)
        count += 1
        if count * 2 > slots.count { grow() }
        return symbol
    }

    private mutating func grow() {
        let old = slots
        let capacity = slots.count * 2
        slots = [Slot](repeating: Slot(word: 0, data: 0), count: capacity)
        mask = capacity - 1
        for s in old where s.word != 0 {
            let length = Int((s.word >> 32) & 0xFF)
            let h = length <= Self.inlineLength
                ? Self.hash(packed: s.data, length: length)
                : hash(Int(s.data), Int(s.data) + length)
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot].word != 0 { slot = (slot + 1) & mask }
            slots[slot] = s
        }
    }
}
