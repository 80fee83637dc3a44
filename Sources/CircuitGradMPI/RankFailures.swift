#if MPI
import CircuitGrad

/// Errors thrown on one or more ranks, as every rank learns of them: the job stops
/// together instead of leaving the other ranks waiting in a collective operation.
package struct RankFailures: Error, CustomStringConvertible {
    /// Number of ranks in the job.
    package let rankCount: Int
    /// The ranks that failed, in rank order.
    package let ranks: [Int]
    /// What each failed rank reported, with its machine (known on rank 0 only; empty elsewhere).
    package let messages: [String]

    package var description: String {
        guard !messages.isEmpty else { return "rank\(ranks.count == 1 ? "" : "s") \(ranks.map(String.init).joined(separator: ", ")) of \(rankCount) failed" }
        return messages.joined(separator: "\n")
    }
}

extension MPIWorld {
    /// Runs `body` on every rank, then agrees on the outcome: when it threw on any rank, every
    /// rank throws ``RankFailures`` naming the failed ranks (and, on rank 0, what they said).
    /// Every rank must call it at the same point.
    package func together<T>(_ body: () throws -> T) throws -> T {
        var value: T?
        var message: String?
        do {
            value = try body()
        } catch {
            message = "rank \(rank) of \(size) (\(hostName)): \(error)"
        }
        let failed = try allGather(message == nil ? 0 : 1)
        if !failed.contains(1) { return value! }
        let texts = try gather(message ?? "")
        let ranks = failed.indices.filter { failed[$0] == 1 }
        throw RankFailures(rankCount: size, ranks: ranks, messages: rank == 0 ? ranks.map { texts[$0] } : [])
    }
}
#endif
