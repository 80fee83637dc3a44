/// Interns wire names straight from the bytes of a file, so a name used many times is
/// hashed from bytes and turned into a `String` (and a draft symbol) only once.
///
/// Symbols are the draft's own: the table asks the draft for a symbol the first time it
/// sees a name, and remembers it by the name's bytes in the source buffer. Each slot
/// packs a 32-bit hash tag with the entry index, so a probe that misses touches no entry.
struct NameTable {
    private struct Entry {
        var start: Int
        var length: Int32
        var symbol: Int32
    }

    private let source: UnsafeBufferPointer<UInt8>
    private var slots: [UInt64]           // 0 empty, else (tag << 32) | (entry + 1)
    private var entries: [Entry] = []
    private var mask: Int

    init(source: UnsafeBufferPointer<UInt8>, expectedNames: Int) {
        self.source = source
        var capacity = 1024
        while capacity < expectedNames * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        entries.reserveCapacity(expectedNames)
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

    @inline(__always) private func same(_ e: Entry, _ start: Int, _ length: Int) -> Bool {
        if Int(e.length) != length { return false }
        var k = 0
        while k < length {
            if source[e.start + k] != source[start + k] { return false }
            k += 1
        }
        return true
    }

    /// The draft symbol of the name in `source[start..<end]`, adding it to `draft` if new.
    mutating func symbol(_ start: Int, _ end: Int, in draft: inout CircuitDraft) -> Int32 {
        let length = end - start
        let h = hash(start, end)
        let tag = h >> 32
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let value = slots[slot]
            if value == 0 { break }
            if value >> 32 == tag {
                let e = entries[Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1]
                if same(e, start, length) { return e.symbol }
            }
            slot = (slot + 1) & mask
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: source[start..<end]), as: UTF8.self)
        let symbol = draft.symbol(name)
        entries.append(Entry(start: start, length: Int32(length), symbol: symbol))
        slots[slot] = tag << 32 | UInt64(entries.count)
        if entries.count * 2 > slots.count { grow() }
        return symbol
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        for (k, e) in entries.enumerated() {
            let h = hash(e.start, e.start + Int(e.length))
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (h >> 32) << 32 | UInt64(k + 1)
        }
    }
}
