import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import CircuitGrad

/// The spin-then-park barrier, inside the pool and on its own with more threads than cores.
@Suite(.serialized) struct BarrierTests {
    /// Each worker writes its own padded slot with the round number; after the barrier every
    /// worker checks that all slots hold this round; a second barrier keeps the next round's
    /// writes from racing with the checks. Returns the number of mismatches seen.
    static func lockstepRounds(parties: Int, rounds: Int, slowWorker: Int? = nil,
                               barrier: @escaping (Int) -> Void,
                               launch: (@escaping (Int) -> Void) -> Void) -> Int {
        let stride = 16
        let slots = UnsafeMutableBufferPointer<Int>.allocate(capacity: parties * stride)
        slots.initialize(repeating: -1)
        defer { slots.deallocate() }
        let mismatches = Atomic<Int>(0)
        launch { worker in
            for round in 0..<rounds {
                if worker == slowWorker && round % 10 == 0 { usleep(2_000) }   // others park
                slots[worker * stride] = round
                barrier(worker)
                for other in 0..<parties where slots[other * stride] != round {
                    mismatches.add(1, ordering: .relaxed)
                }
                barrier(worker)
            }
        }
        return mismatches.load(ordering: .relaxed)
    }

    @Test(arguments: PinMode.allCases)
    func poolBarrierKeepsWorkersInLockstep(pin: PinMode) throws {
        let pool = try WorkerPool(threads: Topology.current.allowedPUCount, pin: pin)
        let bad = Self.lockstepRounds(parties: pool.threadCount, rounds: 20_000,
                                      barrier: { pool.barrier($0) }, launch: { pool.run($0) })
        #expect(bad == 0)
    }

    @Test func poolBarrierWithASlowWorkerParksAndWakes() throws {
        let pool = try WorkerPool(threads: Topology.current.allowedPUCount, pin: .core)
        let bad = Self.lockstepRounds(parties: pool.threadCount, rounds: 200, slowWorker: pool.threadCount - 1,
                                      barrier: { pool.barrier($0) }, launch: { pool.run($0) })
        #expect(bad == 0)
    }

    /// More threads than processing units: most waits end on the futex, not the spin.
    @Test(arguments: [1, 3, 5])
    func standaloneBarrierWithManyThreads(parties: Int) {
        let barrier = SpinParkBarrier(parties: parties)
        let bad = Self.lockstepRounds(parties: parties, rounds: 300, barrier: { _ in barrier.arriveAndWait() }) { body in
            let group = DispatchGroup()
            let shared = BarrierTestBox(body: body)
            for worker in 0..<parties {
                DispatchQueue(label: "barrier-test-\(worker)").async(group: group) { shared.body(worker) }
            }
            group.wait()
        }
        #expect(bad == 0)
    }

    @Test func barrierCountsEveryArrivalOncePerRound() throws {
        // A shared counter bumped before the barrier must read parties × (round + 1) after it.
        let pool = try WorkerPool(threads: Topology.current.allowedPUCount, pin: .pu)
        let n = pool.threadCount
        let counter = Atomic<Int>(0)
        let wrong = Atomic<Int>(0)
        pool.run { worker in
            for round in 0..<5_000 {
                counter.add(1, ordering: .relaxed)
                pool.barrier(worker)
                if counter.load(ordering: .relaxed) != n * (round + 1) { wrong.add(1, ordering: .relaxed) }
                pool.barrier(worker)
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
    }
}

/// Hands a test body to Dispatch threads; the barrier under test orders what it touches.
private struct BarrierTestBox: @unchecked Sendable {
    let body: (Int) -> Void
}
