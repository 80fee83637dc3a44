import Synchronization

/// A reusable barrier for a fixed number of threads, by generation counting: each arrival bumps
/// a counter; the last one resets it and advances the generation, releasing the others. Waiters
/// wait for the new generation with a ``SpinParkNotifier`` (spin a short while, then sleep on a
/// futex), so a late thread costs little CPU. Every write made before `arriveAndWait()` by any
/// party is visible to every party after it returns (the counter is updated acquire-release and
/// the generation is published with release and read with acquire).
final class SpinParkBarrier: @unchecked Sendable {
    /// Number of threads that must arrive.
    let parties: Int
    private let words: PaddedFutexWords
    private var arrived: FutexWord { words[0] }
    /// The generation, advanced by the last arrival of each round, and its parked waiters.
    private var generation: SpinParkNotifier { SpinParkNotifier(word: words[1], sleepers: words[2]) }

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
        let round = generation.word.atomic.pointee.load(ordering: .acquiring)
        if arrived.atomic.pointee.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == UInt32(parties) {
            arrived.atomic.pointee.store(0, ordering: .relaxed)
            generation.advance()
            return
        }
        _ = generation.wait { $0 != round }
    }
}
