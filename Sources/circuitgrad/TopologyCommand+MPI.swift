#if MPI
import CircuitGrad
import CircuitGradMPI

extension TopologyCommand {
    /// `topology --mpi`: every rank takes its share of its machine's cores (as `eval --mpi`
    /// does), starts its worker pool, and rank 0 prints every rank's report in rank order.
    func runWithMPI() throws {
        let world = try MPIWorld()
        defer { world.finish() }
        let texts = try world.together {
            let placement = try RankPlacement.shareCores(world, threads: threads)
            let report = try self.report()
            if json {
                return "{\"rank\":\(world.rank),\"ranks\":\(world.size),\"host\":\(JSONValue.quote(world.hostName)),"
                    + "\"placement\":\(JSONValue.quote(placement)),\"topology\":\(report.dropLast())}"
            }
            return "== \(placement)\n\(report)"
        }
        let all = try world.gather(texts)
        guard world.rank == 0 else { return }
        print(json ? "[" + all.joined(separator: ",") + "]" : all.joined(separator: "\n"))
    }
}
#endif
