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
