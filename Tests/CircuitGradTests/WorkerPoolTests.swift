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
        let callerBinding = ThreadBinding.currentBinding(topology)
        for (place, seen) in zip(pool.placements, locations) {
            // The caller (worker 0) is bound for the call only when it was running elsewhere.
            let bindings = seen.worker == 0 ? [place.puOSIndexes, callerBinding] : [place.puOSIndexes]
            #expect(bindings.contains(seen.boundTo), "worker \(seen.worker) bound to \(seen.boundTo)")
            #expect(place.puOSIndexes.contains(seen.cpu), "worker \(seen.worker) ran on \(seen.cpu)")
        }
        #expect(Set(locations.map(\.cpu)).count == pool.threadCount)
        #expect(Set(pool.placements.compactMap(\.coreIndex)).count == pool.threadCount)
    }

    /// A caller running outside worker 0's processing units is bound to them for the call and
    /// gets its own binding back; one already running there is left as it is.
    @Test func runPutsTheCallersBindingBack() throws {
        let pool = try WorkerPool(threads: topology.allowedCoreCount, pin: .pu)
        try #require(pool.threadCount > 1, "this test needs two allowed cores")
        let worker0 = pool.placements[0].puOSIndexes
        let elsewhere = try #require(topology.allowedPUs.first { !worker0.contains($0) })
        var away = try #require(ThreadBinding(topology: topology, pus: [elsewhere]))
        defer { away.restore(); away.free() }
        #expect(away.apply() == nil)
        var inside: [Int] = [], ranOn = -1
        pool.run { worker in
            if worker == 0 { inside = ThreadBinding.currentBinding(topology); ranOn = Int(chwloc_sched_getcpu()) }
        }
        #expect(inside == worker0)
        #expect(worker0.contains(ranOn))
        #expect(ThreadBinding.currentBinding(topology) == [elsewhere])
        // Moved onto worker 0's processing units, then allowed both: Linux leaves a thread where
        // it runs when that CPU stays allowed, so the next run finds the caller in place and keeps
        // its wider binding (tried a few times, in case the thread moved in between).
        let wide = (worker0 + [elsewhere]).sorted()
        var keptWide = false
        for _ in 0..<5 where !keptWide {
            var onto = try #require(ThreadBinding(topology: topology, pus: worker0))
            var both = try #require(ThreadBinding(topology: topology, pus: wide))
            #expect(onto.apply() == nil && both.apply() == nil)
            pool.run { worker in if worker == 0 { inside = ThreadBinding.currentBinding(topology) } }
            keptWide = inside == wide
            #expect(ThreadBinding.currentBinding(topology) == wide)
            both.restore(); onto.restore(); both.free(); onto.free()
        }
        #expect(keptWide, "a caller already on worker 0's processing units was bound anyway")
        #expect(ThreadBinding.currentBinding(topology) == [elsewhere])
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
