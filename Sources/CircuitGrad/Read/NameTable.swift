/// Interns wire names straight from the bytes of a file, so a name used many times is
/// hashed from bytes and turned into a `String` (and a draft symbol) only once.
///
/// Symbols are the draft's own: the table asks the draft for a symbol the first time it
/// sees a name, and remembers it by the name's bytes in the source buffer. Each slot
/// packs a 32-bit hash tag with the entry index, so a probe that misses touches no entry.
struct NameTable {
    /// One slot: `word` packs a 24-bit hash tag, the name's length (names are at most 255
    /// bytes) and the symbol + 1 (0 marks an empty slot); `start` is where the name's bytes are.
    private struct Slot {
        var word: UInt64
        var start: Int
    }

    private let source: UnsafeBufferPointer<UInt8>
    private var slots: [Slot]
    private var count = 0
    private var mask: Int

    init(source: UnsafeBufferPointer<UInt8>, expectedNames: Int) {
        self.source = source
        var capacity = 1024
        while capacity < expectedNames * 2 { capacity <<= 1 }
        slots = [Slot](repeating: Slot(word: 0, start: 0), count: capacity)
        mask = capacity - 1
    }

    /// A 64-bit hash of `source[start..<end]`: FNV-1a, then a murmur finaliser so low bits mix well.
    @inline(__always) private func hash(_ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            h = (h ^ UInt64(source[i])) &* 0x0000_0100_0000_01b3
            i += 1
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    @inline(__always) private func sameBytes(_ a: Int, _ b: Int, _ length: Int) -> Bool {
        var k = 0
        while k < length {
            if source[a + k] != source[b + k] { return false }
            k += 1
        }
        return true
    }

    /// The draft symbol of the name in `source[start..<end]` (a validated name of at most
    /// 255 bytes), adding it to `draft` if new.
    mutating func symbol(_ start: Int, _ end: Int, in draft: inout CircuitDraft) -> Int32 {
        let length = end - start
        let h = hash(start, end)
        let key = (h >> 40) << 40 | UInt64(length & 0xFF) << 32   // tag and length
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[slot]
            if s.word == 0 { break }
            if s.word & 0xFFFF_FFFF_0000_0000 == key && sameBytes(s.start, start, length) {
                return Int32(truncatingIfNeeded: s.word & 0xFFFF_FFFF) - 1
            }
            slot = (slot + 1) & mask
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: source[start..<end]), as: UTF8.self)
        let symbol = draft.appendNewCheckedSymbol(name)
        slots[slot] = Slot(word: key | UInt64(UInt32(symbol) + 1), start: start)
        count += 1
        if count * 2 > slots.count { grow() }
        return symbol
    }

    private mutating func grow() {
        let old = slots
        let capacity = slots.count * 2
        slots = [Slot](repeating: Slot(word: 0, start: 0), count: capacity)
        mask = capacity - 1
        for s in old where s.word != 0 {
            let length = Int((s.word >> 32) & 0xFF)
            var slot = Int(truncatingIfNeeded: hash(s.start, s.start + length)) & mask
            while slots[slot].word != 0 { slot = (slot + 1) & mask }
            slots[slot] = s
        }
    }
}
