#if canImport(Glibc)
import Glibc
#endif

/// The command's allocator setting: memory freed during a run stays in the process for the next
/// allocation instead of going back to the kernel. glibc serves every block above 32 MiB with
/// fresh pages, which the kernel zeroes when they are first written, so each batch's results
/// (80 MB of input gradients for a 10,000-input circuit at batch 1024) cost a page fault per
/// 4 KiB, about 2 GB/s on the machines measured, and two workers faulting at once slowed each
/// other down. Kept, the pages of one batch's freed results serve the next. The process keeps
/// its largest footprint until it exits; a command runs one job and exits.
enum AllocatorPolicy {
    /// Stops glibc from serving blocks by `mmap` and from trimming the heap (`mallopt`, looked
    /// up at run time: Swift's Glibc module does not import `malloc.h`). Does nothing elsewhere.
    static func keepFreedMemoryForReuse() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapMax: Int32 = -4, trimThreshold: Int32 = -1   // M_MMAP_MAX, M_TRIM_THRESHOLD (malloc.h)
        _ = mallopt(mmapMax, 0)
        _ = mallopt(trimThreshold, Int32.max)
        #endif
    }
}

/// The executable's entry: the allocator setting, then the command line.
@main
enum CommandLineEntry {
    static func main() {
        AllocatorPolicy.keepFreedMemoryForReuse()
        CircuitGradCommand.main()
    }
}
