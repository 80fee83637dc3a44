import Testing
@testable import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// The hwloc topology, checked against what Linux says directly, and worker placement.
@Suite struct TopologyTests {
    let topology = Topology.current

    /// `Cpus_allowed_list` of the main thread, from `/proc/self/status` (the kernel's own view
    /// of the cgroup cpuset and any taskset mask).
    static func kernelAllowedList() -> String? {
        for line in Topology.readLines("/proc/self/status") ?? [] where line.hasPrefix("Cpus_allowed_list:") {
            return String(line.dropFirst("Cpus_allowed_list:".count).filter { !$0.isWhitespace })
        }
        return nil
    }

    @Test func allowedProcessingUnitsMatchTheKernel() throws {
        #expect(topology.loadNote == nil)
        let kernel = try #require(Self.kernelAllowedList())
        #expect(topology.allowedPUList == kernel)
    }

    @Test func coresPartitionTheAllowedProcessingUnits() {
        #expect(topology.allowedCoreCount >= 1)
        #expect(topology.allowedPUCount >= topology.allowedCoreCount)
        let all = topology.cores.flatMap(\.puOSIndexes)
        #expect(all.sorted() == topology.allowedPUs)
        #expect(Set(all).count == all.count)
        #expect(topology.cores.map(\.index) == Array(topology.cores.indices))
        #expect(topology.cores.allSatisfy { $0.packageIndex < topology.packageCount })
    }

    @Test func modelMemoryAndCachesAreFilledIn() throws {
        #expect(!topology.cpuModel.isEmpty && topology.cpuModel != "unknown")
        // MemTotal is in KiB: somewhere between 64 MiB and 64 TiB.
        #expect(topology.memoryBytes > 64 << 20 && topology.memoryBytes < 64 << 40)
        #expect(topology.memoryBytes % 1024 == 0)
        #expect(topology.numaNodeCount >= 1)
        let l1d = try #require(topology.caches.first { $0.name == "L1d" })
        #expect(l1d.sizeBytes >= 8 << 10 && l1d.count >= 1)
        // Private L1d: one per allowed core on every machine we know of.
        #expect(l1d.count == topology.allowedCoreCount)
        #expect(topology.hwlocVersion.hasPrefix("2."))
    }

    @Test func listStringCompressesRuns() {
        #expect(Topology.listString([0, 1, 2, 5]) == "0-2,5")
        #expect(Topology.listString([3]) == "3")
        #expect(Topology.listString([7, 1, 0, 9, 8]) == "0-1,7-9")
        #expect(Topology.listString([]) == "")
    }

    @Test func placementsOnThisMachine() throws {
        for n in 1...topology.allowedCoreCount {
            let core = try topology.placements(threadCount: n, pin: .core)
            #expect(Set(core.compactMap(\.coreIndex)).count == n)
            #expect(core.allSatisfy { topology.cores[$0.coreIndex!].puOSIndexes == $0.puOSIndexes })
            let pu = try topology.placements(threadCount: n, pin: .pu)
            #expect(pu.allSatisfy { $0.puOSIndexes.count == 1 })
            #expect(Set(pu.flatMap(\.puOSIndexes)).count == n)
        }
        let none = try topology.placements(threadCount: topology.allowedPUCount, pin: .none)
        #expect(none.allSatisfy { $0.coreIndex == nil && $0.puOSIndexes == topology.allowedPUs })
        #expect(throws: WorkerPoolError.self) { try topology.placements(threadCount: topology.allowedPUCount + 1, pin: .none) }
    }

    @Test func placementsWithHardwareThreadsFillCoresFirst() throws {
        // Two cores with two hardware threads each: 0,2 on core 0 and 1,3 on core 1.
        let smt = Topology(testCores: [
            TopologyCore(index: 0, osIndex: 0, packageIndex: 0, puOSIndexes: [0, 2]),
            TopologyCore(index: 1, osIndex: 1, packageIndex: 0, puOSIndexes: [1, 3]),
        ])
        let pu = try smt.placements(threadCount: 4, pin: .pu)
        #expect(pu.map(\.puOSIndexes) == [[0], [1], [2], [3]])
        #expect(pu.map(\.coreIndex) == [0, 1, 0, 1])
        let core = try smt.placements(threadCount: 3, pin: .core)
        #expect(core.map(\.puOSIndexes) == [[0, 2], [1, 3], [0, 2]])
        let two = try smt.placements(threadCount: 2, pin: .pu)
        #expect(two.map(\.puOSIndexes) == [[0], [1]])
        #expect(throws: WorkerPoolError.self) { try smt.placements(threadCount: 5, pin: .pu) }
    }
}
