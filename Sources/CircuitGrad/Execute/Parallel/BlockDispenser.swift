import Synchronization

/// Hands out the lane blocks of one evaluation to its workers, one at a time and in increasing
/// order, to whichever worker asks first: a worker whose core is slowed (a shared or throttled
/// machine) takes fewer blocks instead of holding the others up at the end. A block's results
/// depend on the block alone, never on the worker or workspace that ran it, so the bits are the
/// same however the blocks fall.
final class BlockDispenser: Sendable {
    private let taken = Atomic<Int>(0)
    /// Blocks to hand out.
    let count: Int

    init(count: Int) { self.count = count }

    /// The next block nobody has taken, or nil when all are taken.
    func next() -> Int? {
        let b = taken.wrappingAdd(1, ordering: .relaxed).oldValue
        return b < count ? b : nil
    }
}
