import CHwloc
#if canImport(Glibc)
import Glibc
#endif

/// Sharing one machine's cores among several processes (MPI ranks) that were all started
/// on the same cores, so that each one's worker pool pins its workers to cores of its own.
///
/// Use it before ``Topology/current`` is first read: the process is bound to its share, and
/// the topology then loads restricted to that share (it honours the process's binding).
package enum CoreShare {
    /// The processing units this process may run on now (a fresh hwloc load, not ``Topology/current``).
    package static func allowedPUs() -> [Int] { Topology().allowedPUs }

    /// The processing units (OS indexes) each of `parts` processes gets: consecutive cores
    /// in hwloc order, shares differing by at most one core. Nil when there are fewer cores
    /// than processes.
    package static func shares(_ parts: Int) -> [[Int]]? {
        let cores = Topology().cores
        guard parts >= 1, cores.count >= parts else { return nil }
        return (0..<parts).map { part in
            cores[(part * cores.count / parts)..<((part + 1) * cores.count / parts)].flatMap(\.puOSIndexes)
        }
    }

    /// Binds the whole process (every thread it starts later) to `pus`.
    /// - Throws: ``WorkerPoolError`` when hwloc refuses.
    package static func bindProcess(to pus: [Int]) throws {
        let topology = Topology()
        guard let handle = topology.handle, let set = Topology.makeBitmap(pus) else {
            throw WorkerPoolError("cannot bind the process to processing units \(Topology.listString(pus)): hwloc did not load")
        }
        defer { hwloc_bitmap_free(set) }
        if hwloc_set_cpubind(handle, set, Int32(HWLOC_CPUBIND_PROCESS.rawValue)) != 0 {
            throw WorkerPoolError("cannot bind the process to processing units \(Topology.listString(pus)) (errno \(errno))")
        }
    }

    /// A processing-unit list in `taskset` form, such as `0-3,8`.
    package static func listString(_ pus: [Int]) -> String { Topology.listString(pus) }
}
