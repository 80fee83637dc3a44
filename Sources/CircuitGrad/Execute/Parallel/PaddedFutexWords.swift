import Synchronization

/// `count` ``FutexWord``s, each on its own 128-byte block (two cache lines, so the adjacent-line
/// prefetcher does not pair them), all starting at zero. Freed with the object.
final class PaddedFutexWords: @unchecked Sendable {
    /// Bytes between consecutive words.
    static let stride = 128
    private let base: UnsafeMutableRawPointer
    private let count: Int

    /// Allocates `count` zeroed words.
    init(count: Int) {
        self.count = count
        base = UnsafeMutableRawPointer.allocate(byteCount: count * Self.stride, alignment: Self.stride)
        for i in 0..<count {
            (base + i * Self.stride).bindMemory(to: Atomic<UInt32>.self, capacity: 1).initialize(to: Atomic(0))
        }
    }

    /// The word at position `i`.
    subscript(i: Int) -> FutexWord {
        precondition(i >= 0 && i < count)
        return FutexWord(atomic: (base + i * Self.stride).assumingMemoryBound(to: Atomic<UInt32>.self))
    }

    deinit {
        for i in 0..<count {
            _ = (base + i * Self.stride).assumingMemoryBound(to: Atomic<UInt32>.self).deinitialize(count: 1)
        }
        base.deallocate()
    }
}
