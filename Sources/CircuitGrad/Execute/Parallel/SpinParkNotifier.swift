import CHwlocShim
import Synchronization

/// A futex word that threads wait on by spinning a while, then parking, paired with a count of
/// the parked waiters, so that whoever changes the word makes the wake-up system call only when
/// someone sleeps. ``SpinParkBarrier`` and ``WorkerCrew`` build their hand-offs on it.
///
/// No wake-up is lost: a waiter that stops spinning counts itself in `sleepers` and then
/// re-reads the word, both sequentially consistent, and sleeps only on the value it read; a
/// changer updates the word sequentially consistent and then reads `sleepers` the same way
/// (``wakeParked()``). Either the waiter sees the change or the changer sees the waiter.
struct SpinParkNotifier: @unchecked Sendable {
    /// How long a waiter spins before it parks, in seconds. Waking a parked thread took 40 µs
    /// and more on the guests measured here, so a worker that has just finished an evaluation
    /// keeps looking for the next one a while. Two threads, batch 64, medians of 6–8 alternated
    /// `bench` runs, 1024 `pause`s (about 25 µs on that AMD EPYC guest) → 200 µs of spinning: MLP
    /// 16,64,64,1 192 → 160 µs, every-op layered 10k 343 → 297 µs, every-op tree 10k 1.35 → 1.20 ms.
    static let spinSeconds = 200e-6
    /// `pause`s between two looks at the clock while spinning (the first look starts the clock).
    static let pausesPerClockRead = 64

    /// The word the waiters watch.
    let word: FutexWord
    /// How many waiters are parked, or about to park, on ``word``.
    let sleepers: FutexWord

    /// Spins, then parks, until `done` holds for the word's value; returns that value, read
    /// with acquire ordering or stronger (so what was written before it was stored is visible).
    @inline(__always) func wait(until done: (UInt32) -> Bool) -> UInt32 {
        var deadline: Double?   // set at the first clock read
        while true {
            for _ in 0..<Self.pausesPerClockRead {
                let now = word.atomic.pointee.load(ordering: .acquiring)
                if done(now) { return now }
                chwloc_cpu_relax()
            }
            let t = MonotonicClock.seconds()
            if let deadline {
                if t >= deadline { break }
            } else {
                deadline = t + Self.spinSeconds
            }
        }
        _ = sleepers.atomic.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        var now = word.atomic.pointee.load(ordering: .sequentiallyConsistent)
        while !done(now) {
            word.wait(whileEquals: now)
            now = word.atomic.pointee.load(ordering: .sequentiallyConsistent)
        }
        _ = sleepers.atomic.pointee.wrappingSubtract(1, ordering: .relaxed)
        return now
    }

    /// Adds one to the word (sequentially consistent, so a release too) and wakes the parked
    /// waiters, if there are any.
    @inline(__always) func advance() {
        _ = word.atomic.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        wakeParked()
    }

    /// Wakes the parked waiters, if there are any; call it right after changing the word with
    /// sequentially consistent ordering.
    @inline(__always) func wakeParked() {
        if sleepers.atomic.pointee.load(ordering: .sequentiallyConsistent) != 0 { word.wakeAll() }
    }
}
