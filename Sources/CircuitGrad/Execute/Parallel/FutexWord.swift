import CHwlocShim
import Synchronization

/// A 32-bit atomic that threads can sleep on (Linux futex), kept alone on its own cache lines
/// by ``PaddedFutexWords`` so that spinning on one word never slows writers of another.
struct FutexWord: @unchecked Sendable {
    /// The atomic (use `atomic.pointee.load(ordering:)` and so on: orderings must be literal);
    /// its storage is a plain `UInt32`, which is what the futex system call reads.
    let atomic: UnsafeMutablePointer<Atomic<UInt32>>

    /// Sleeps while the word still holds `expected`; may return early (signal, spurious wake),
    /// so callers re-check their condition in a loop.
    @inline(__always) func wait(whileEquals expected: UInt32) {
        _ = chwloc_futex_wait(UnsafeMutableRawPointer(atomic).assumingMemoryBound(to: UInt32.self), expected)
    }

    /// Wakes every thread sleeping on the word.
    @inline(__always) func wakeAll() {
        _ = chwloc_futex_wake(UnsafeMutableRawPointer(atomic).assumingMemoryBound(to: UInt32.self), Int32.max)
    }
}

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
