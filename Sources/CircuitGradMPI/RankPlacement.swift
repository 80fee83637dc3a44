#if MPI
import CircuitGrad

/// Where each rank's workers run when several ranks share one machine.
package enum RankPlacement {
    /// When all ranks on this machine were started on the same processing units (as with
    /// `mpirun --bind-to none`), binds each rank to its own consecutive share of the cores,
    /// so that worker pools pin to different cores. Ranks that mpirun already bound apart
    /// (`--map-by slot:PE=n`) are left as they are, and so are ranks that would get fewer
    /// cores than the `threads` asked for (oversubscribed on purpose). Must run on every rank,
    /// before the engine or ``Topology/current`` is first used.
    /// - Returns: what was done, in words, for the user.
    package static func shareCores(_ world: MPIWorld, threads: Int?) throws -> String {
        let allowed = CoreShare.allowedPUs()
        let sets = try world.nodeAllGather(fingerprint(allowed))
        let list = CoreShare.listString(allowed)
        if world.nodeSize == 1 || Set(sets).count > 1 {
            return "rank \(world.rank) on \(world.hostName): processing units \(list) (as started)"
        }
        let wanted = threads ?? 1
        guard let shares = CoreShare.shares(world.nodeSize), shares.allSatisfy({ $0.count >= wanted }) else {
            return "rank \(world.rank) on \(world.hostName): \(world.nodeSize) ranks × \(wanted) thread(s) share processing units \(list) (oversubscribed)"
        }
        let mine = shares[world.nodeRank]
        try CoreShare.bindProcess(to: mine)
        return "rank \(world.rank) on \(world.hostName): processing units \(CoreShare.listString(mine)) (its share of \(list))"
    }

    /// FNV-1a over the processing-unit numbers.
    static func fingerprint(_ pus: [Int]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for p in pus { h = (h ^ UInt64(p)) &* 0x100_0000_01b3 }
        return h
    }
}
#endif
