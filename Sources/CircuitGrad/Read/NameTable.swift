/// Interns wire names straight from the bytes of a file, so a name used many times is
/// hashed from bytes and turned into a `String` (and a draft symbol) only once.
///
/// Symbols are the draft's own: the table asks the draft for a symbol the first time it
/// sees a name, and remembers it by the name's bytes in the source buffer.
struct NameTable {
    private let source: UnsafeBufferPointer<UInt8>
    private var slots: [Int32]            // -1 empty, else an entry index
    private var entryStart: [Int] = []    // where each interned name's bytes start in `source`
    private var entryLength: [Int32] = []
    private var entrySymbol: [Int32] = []
    private var mask: Int

    init(source: UnsafeBufferPointer<UInt8>, expectedNames: Int) {
        self.source = source
        var capacity = 64
        while capacity < expectedNames * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    @inline(__always) private func hash(_ start: Int, _ end: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            h = (h ^ UInt64(source[i])) &* 0x0000_0100_0000_01b3
            i += 1
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always) private func same(_ entry: Int, _ start: Int, _ length: Int) -> Bool {
        if Int(entryLength[entry]) != length { return false }
        let other = entryStart[entry]
        var k = 0
        while k < length {
            if source[other + k] != source[start + k] { return false }
            k += 1
        }
        return true
    }

    /// The draft symbol of the name in `source[start..<end]`, adding it to `draft` if new.
    mutating func symbol(_ start: Int, _ end: Int, in draft: inout CircuitDraft) -> Int32 {
        let length = end - start
        var slot = hash(start, end) & mask
        while true {
            let e = Int(slots[slot])
            if e < 0 { break }
            if same(e, start, length) { return entrySymbol[e] }
            slot = (slot + 1) & mask
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: source[start..<end]), as: UTF8.self)
        let symbol = draft.symbol(name)
        slots[slot] = Int32(entryStart.count)
        entryStart.append(start)
        entryLength.append(Int32(length))
        entrySymbol.append(symbol)
        if entryStart.count * 2 > slots.count { grow() }
        return symbol
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for e in 0..<entryStart.count {
            var slot = hash(entryStart[e], entryStart[e] + Int(entryLength[e])) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e)
        }
    }
}
