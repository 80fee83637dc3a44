#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The temporary files this process is writing, kept where a signal handler can reach them:
/// on SIGINT or SIGTERM every registered file is unlinked and the process exits with
/// 128 + the signal number (130, 143), so an interrupted run leaves no stray files.
///
/// The handler only reads fixed, preallocated slots and calls `unlink` and `_exit`, which
/// are async-signal-safe. Paths longer than a slot are not registered (they are still
/// removed on every ordinary failure path, and by the next run's stale-file sweep).
enum TemporaryFileRegistry {
    static let slotCount = 32
    static let slotBytes = 4096

    /// One path buffer per slot, NUL-terminated.
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotBytes)
        p.initialize(repeating: 0, count: slotCount * slotBytes)
        return p
    }()

    /// 0 = free, 1 = being filled, 2 = holds a path the handler must remove.
    nonisolated(unsafe) static let states: UnsafeMutablePointer<Atomic<Int>> = {
        let p = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: slotCount)
        for k in 0..<slotCount { (p + k).initialize(to: Atomic(0)) }
        return p
    }()

    static let handlersInstalled = Atomic<Bool>(false)

    /// Registers `path`; returns its slot (pass it to ``unregister(_:)``), or nil when full.
    static func register(_ path: String) -> Int? {
        installHandlersOnce()
        let bytes = Array(path.utf8)
        guard bytes.count < slotBytes else { return nil }
        for k in 0..<slotCount {
            guard states[k].compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged else { continue }
            let slot = paths + k * slotBytes
            for (i, b) in bytes.enumerated() { slot[i] = CChar(bitPattern: b) }
            slot[bytes.count] = 0
            states[k].store(2, ordering: .releasing)
            return k
        }
        return nil
    }

    /// Forgets a slot (the file was renamed into place or removed).
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        states[slot].store(0, ordering: .releasing)
    }

    private static func installHandlersOnce() {
        guard handlersInstalled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signalNumber in [SIGINT, SIGTERM] {
            // A signal the parent set to be ignored stays ignored (a background job's SIGINT).
            var old = sigaction()
            sigaction(signalNumber, nil, &old)
            #if canImport(Glibc)
            if unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }   // SIG_IGN
            #endif
            sigaddset(&unblock, signalNumber)
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = temporaryFileSignalHandler
            #else
            action.__sigaction_u.__sa_handler = temporaryFileSignalHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
        // A parent may have spawned us with these signals blocked; the writer must see them.
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Removes every registered file (signal context: no allocation, no locks).
    static func removeAllNow() {
        for k in 0..<slotCount where states[k].load(ordering: .acquiring) == 2 {
            unlink(paths + k * slotBytes)
        }
    }
}

/// The SIGINT/SIGTERM handler: remove the temporary files, then exit 128 + signal.
private func temporaryFileSignalHandler(_ signalNumber: Int32) {
    TemporaryFileRegistry.removeAllNow()
    _exit(128 + signalNumber)
}
