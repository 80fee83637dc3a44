import Glibc

/// Asks the kernel to back big result buffers with 2 MiB pages (`madvise(MADV_HUGEPAGE)`,
/// for machines whose transparent huge pages are set to `madvise`, as here). A buffer the
/// engine fills once, such as the input gradients of a wide circuit (10,001 inputs × 1,024
/// samples = 80 MB), otherwise takes one page fault per 4 KiB on first write; those faults took
/// about a third of such an evaluation. Advice only: where the kernel declines, nothing changes.
enum HugePageAdvice {
    /// Buffers below this many bytes are left alone (a huge page would mostly be padding).
    static let minimumBytes = 8 << 20
    private static let hugePage = 2 << 20

    /// Advises the whole 2 MiB pages inside `bytes` bytes at `start`, before anything touches them.
    static func advise(_ start: UnsafeMutableRawPointer, bytes: Int) {
        guard bytes >= minimumBytes else { return }
        let first = (Int(bitPattern: start) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(hugePage - 1)
        guard end > first, let p = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(p, end - first, MADV_HUGEPAGE)
    }
}
