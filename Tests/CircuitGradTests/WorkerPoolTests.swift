import CHwlocShim
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import CircuitGrad

/// The worker pool: who runs, where, how often, and that it stops.
@Suite(.serialized) struct WorkerPoolTests {
    let topology = Topology.current

    @Test(arguments: PinMode.allCases)
    func runCallsTheBodyOncePerWorkerOnDistinctThreads(pin: PinMode) throws {
        let pool = try WorkerPool(threads: topology.allowedPUCount, pin: pin)
        // Each call appends its thread id to its worker's padded slot; calls counted per slot.
        let stride = 16
        let slots = UnsafeMutableBufferPointer<Int32>.allocate(capacity: pool.threadCount * stride)
        slots.initialize(repeating: 0)
        defer { slots.deallocate() }
        pool.run { worker in
            slots[worker * stride] = chwloc_gettid()
            slots[worker * stride + 1] += 1
        }
        let threads = (0..<pool.threadCount).map { slots[$0 * stride] }
        #expect((0..<pool.threadCount).allSatisfy { slots[$0 * stride + 1] == 1 })
        #expect(Set(threads).count == pool.threadCount)
        // Worker 0 is the caller.
        #expect(threads[0] == chwloc_gettid())
    }

    @Test(arguments: [PinMode.core, .pu])
    func pinnedWorkersRunOnDistinctProcessingUnitsOfTheirPlacement(pin: PinMode) throws {
        let pool = try WorkerPool(threads: topology.allowedCoreCount, pin: pin)
        #expect(pool.pinningNote == nil)
        let locations = pool.observeLocations()
        #expect(locations.map(\.worker) == Array(0..<pool.threadCount))
        for (place, seen) in zip(pool.placements, locations) {
            #expect(seen.boundTo == place.puOSIndexes, "worker \(seen.worker) bound to \(seen.boundTo)")
            #expect(place.puOSIndexes.contains(seen.cpu), "worker \(seen.worker) ran on \(seen.cpu)")
        }
        #expect(Set(locations.map(\.cpu)).count == pool.threadCount)
        #expect(Set(pool.placements.compactMap(\.coreIndex)).count == pool.threadCount)
    }

    @Test func runPutsTheCallersBindingBack() throws {
        let before = ThreadBinding.currentBinding(topology)
        let pool = try WorkerPool(threads: topology.allowedCoreCount, pin: .pu)
        var insideWorker0: [Int] = []
        pool.run { worker in if worker == 0 { insideWorker0 = ThreadBinding.currentBinding(topology) } }
        if pool.threadCount > 1 { #expect(insideWorker0 == pool.placements[0].puOSIndexes) }
        #expect(ThreadBinding.currentBinding(topology) == before)
    }

    @Test func unpinnedWorkersMayUseEveryAllowedProcessingUnit() throws {
        let pool = try WorkerPool(threads: topology.allowedPUCount, pin: .none)
        #expect(pool.pinningNote == nil)
        for seen in pool.observeLocations() where seen.worker > 0 {
            #expect(seen.boundTo == topology.allowedPUs)
        }
    }

    @Test func tooManyOrTooFewThreadsThrow() {
        #expect(throws: WorkerPoolError.self) { try WorkerPool(threads: topology.allowedPUCount + 1) }
        #expect(throws: WorkerPoolError.self) { try WorkerPool(threads: 0, pin: .none) }
        do {
            _ = try WorkerPool(threads: topology.allowedPUCount + 1, pin: .pu)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("\(topology.allowedPUCount + 1) threads"))
        }
    }

    @Test func defaultThreadCountIsOnePerAllowedCore() throws {
        let pool = try WorkerPool()
        #expect(pool.threadCount == Topology.allowedCoreCount)
    }

    @Test(arguments: [PinMode.core, .none])
    func thousandsOfJobsBackToBack(pin: PinMode) throws {
        let pool = try WorkerPool(threads: topology.allowedPUCount, pin: pin)
        let n = pool.threadCount
        // One padded counter per worker, written only by that worker, read by the caller after run.
        let stride = 16
        let counters = UnsafeMutableBufferPointer<Int>.allocate(capacity: n * stride)
        counters.initialize(repeating: 0)
        defer { counters.deallocate() }
        let jobs = 5000
        for job in 0..<jobs {
            pool.run { worker in counters[worker * stride] += job }
            if job % 997 == 0 {
                // Every worker's write of this job is visible to the caller once run returns.
                let expected = job * (job + 1) / 2
                #expect((0..<n).allSatisfy { counters[$0 * stride] == expected })
            }
        }
        #expect((0..<n).allSatisfy { counters[$0 * stride] == jobs * (jobs - 1) / 2 })
    }

    @Test func jobsAfterAnIdlePauseWakeParkedWorkers() throws {
        let pool = try WorkerPool(threads: topology.allowedPUCount, pin: .core)
        let count = Atomic<Int>(0)
        for _ in 0..<3 {
            usleep(20_000)   // long past the spin budget: hosted workers are parked on the futex
            pool.run { _ in count.add(1, ordering: .relaxed) }
        }
        #expect(count.load(ordering: .relaxed) == 3 * pool.threadCount)
    }

    @Test func shutdownJoinsTheWorkers() throws {
        let pool = try WorkerPool(threads: topology.allowedPUCount, pin: .core)
        pool.run { _ in }
        #expect(pool.crew.runningWorkers.load(ordering: .acquiring) == pool.threadCount - 1)
        pool.shutdown()
        #expect(pool.crew.runningWorkers.load(ordering: .acquiring) == 0)
        pool.shutdown()   // a second call does nothing
    }

    @Test func droppingThePoolStopsTheWorkers() throws {
        var pool: WorkerPool? = try WorkerPool(threads: topology.allowedPUCount, pin: .pu)
        let crew = pool!.crew
        pool!.run { _ in }
        pool = nil
        #expect(crew.runningWorkers.load(ordering: .acquiring) == 0)
    }

    @Test func oneThreadRunsOnTheCaller() throws {
        let pool = try WorkerPool(threads: 1, pin: .core)
        var ran: [Int32] = []
        pool.run { worker in
            #expect(worker == 0)
            ran.append(chwloc_gettid())
            pool.barrier(worker)
        }
        #expect(ran == [chwloc_gettid()])
    }
}
