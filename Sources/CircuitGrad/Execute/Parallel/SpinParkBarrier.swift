import CHwlocShim
import Synchronization

/// A reusable barrier for a fixed number of threads, by generation counting: each arrival bumps
/// a counter; the last one resets it and advances the generation, releasing the others. Waiters
/// spin a short while (``spinLimit`` `pause`s), then sleep on a futex, so a late thread costs
/// little CPU. Every write made before `arriveAndWait()` by any party is visible to every party
/// after it returns (the counter is updated acquire-release and the generation is published
/// with release and read with acquire).
final class SpinParkBarrier: @unchecked Sendable {
    /// How many `pause` instructions a waiter spins before it sleeps.
    static let spinLimit = 1024

    /// Number of threads that must arrive.
    let parties: Int
    private let words: PaddedFutexWords
    private var arrived: FutexWord { words[0] }
    private var generation: FutexWord { words[1] }
    private var sleepers: FutexWord { words[2] }

    /// A barrier for `parties` threads (at least 1).
    init(parties: Int) {
        precondition(parties >= 1, "a barrier needs at least one party")
        self.parties = parties
        words = PaddedFutexWords(count: 3)
    }

    /// Returns once all ``parties`` threads have called it for this round.
    func arriveAndWait() {
        if parties == 1 { return }   // a lone thread is already ordered with itself
        let arrived = self.arrived
        let generation = self.generation
        let sleepers = self.sleepers
        let round = generation.atomic.pointee.load(ordering: .acquiring)
        if arrived.atomic.pointee.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == UInt32(parties) {
            arrived.atomic.pointee.store(0, ordering: .relaxed)
            // Sequentially consistent so that, with the sleeper's increment below, either the
            // sleeper sees the new generation or this thread sees the sleeper (no lost wake-up).
            _ = generation.atomic.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if sleepers.atomic.pointee.load(ordering: .sequentiallyConsistent) != 0 { generation.wakeAll() }
            return
        }
        for _ in 0..<Self.spinLimit {
            if generation.atomic.pointee.load(ordering: .acquiring) != round { return }
            chwloc_cpu_relax()
        }
        _ = sleepers.atomic.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        while generation.atomic.pointee.load(ordering: .sequentiallyConsistent) == round {
            generation.wait(whileEquals: round)
        }
        _ = sleepers.atomic.pointee.wrappingSubtract(1, ordering: .relaxed)
    }
}
