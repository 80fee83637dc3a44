#if MPI
import CMPIShim
import CircuitGrad

/// An MPI call that returned an error code.
package struct MPIError: Error, CustomStringConvertible {
    /// What was being done.
    package let operation: String
    /// MPI's text for the error code.
    package let reason: String

    package var description: String { "MPI: \(operation) failed: \(reason)" }
}

/// This process's place in an MPI job (`mpirun -np R …`), and the few collective operations
/// CircuitGrad needs. Every rank must make the same collective calls in the same order.
package final class MPIWorld {
    /// This process's rank, 0 ..< ``size``.
    package let rank: Int
    /// Number of ranks in the job.
    package let size: Int
    /// This rank's position among the ranks on the same machine.
    package let nodeRank: Int
    /// Number of ranks on the same machine.
    package let nodeSize: Int
    /// The machine's name, as MPI reports it.
    package let hostName: String
    private var finalized = false

    /// Starts MPI (`MPI_Init`). Call once, before any worker thread starts.
    package init() throws {
        try MPIWorld.check(cgmpi_init(), "MPI_Init")
        rank = Int(cgmpi_world_rank())
        size = Int(cgmpi_world_size())
        var r: Int32 = 0, s: Int32 = 1
        try MPIWorld.check(cgmpi_node_rank(&r, &s), "MPI_Comm_split_type")
        nodeRank = Int(r)
        nodeSize = Int(s)
        hostName = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buf in
            _ = cgmpi_processor_name(buf.baseAddress!, 256)
            return String(cString: buf.baseAddress!)
        }
    }

    /// Ends MPI (`MPI_Finalize`); every rank must call it before exiting normally.
    package func finish() {
        if finalized { return }
        finalized = true
        _ = cgmpi_finalize()
    }

    /// Ends the whole job at once with exit status `code` (`MPI_Abort`).
    package func abort(code: Int32) -> Never {
        cgmpi_abort(code)
        fatalError("MPI_Abort returned")
    }

    /// Throws ``MPIError`` when `code` is not `MPI_SUCCESS`.
    static func check(_ code: Int32, _ operation: String) throws {
        if code == 0 { return }
        let reason = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buf in
            cgmpi_error_text(code, buf.baseAddress!, 512)
            return String(cString: buf.baseAddress!)
        }
        throw MPIError(operation: operation, reason: reason)
    }

    /// Waits until every rank has called it.
    package func barrier() throws { try MPIWorld.check(cgmpi_barrier(), "MPI_Barrier") }

    /// Every rank's `value`, in rank order, on every rank.
    package func allGather(_ value: Int64) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: size)
        try out.withUnsafeMutableBufferPointer { try MPIWorld.check(cgmpi_allgather_i64(value, $0.baseAddress!), "MPI_Allgather") }
        return out
    }

    /// Every rank on this machine's `value`, in node-rank order.
    package func nodeAllGather(_ value: UInt64) throws -> [UInt64] {
        var out = [UInt64](repeating: 0, count: nodeSize)
        try out.withUnsafeMutableBufferPointer { try MPIWorld.check(cgmpi_node_allgather_u64(value, $0.baseAddress!), "MPI_Allgather") }
        return out
    }

    /// MPI counts are 32-bit: the offsets of `counts` laid end to end, or an error when they do not fit.
    private func displacements(_ counts: [Int], what: String) throws -> (counts: [Int32], displs: [Int32], total: Int) {
        var displs: [Int32] = [], at = 0
        for c in counts {
            displs.append(Int32(clamping: at))
            at += c
        }
        guard at <= Int(Int32.max) else {
            throw MPIError(operation: "gathering \(what)", reason: "\(at) elements are more than one MPI message may hold (2^31 - 1); split the batch")
        }
        return (counts.map { Int32($0) }, displs, at)
    }

    /// Rank `root` gets every rank's doubles in `out`, rank after rank (`counts[r]` from rank r;
    /// `out` holds their total there and is not touched elsewhere). Gathering straight into the
    /// caller's array saves a copy of what may be every sample's input gradients.
    package func gather(_ local: [Double], counts: [Int], into out: inout [Double], root: Int = 0) throws {
        precondition(local.count == counts[rank], "this rank's count disagrees with counts")
        let (c, d, total) = try displacements(counts, what: "results")
        precondition(rank != root || out.count == total, "the gather target has the wrong size")
        // MPI reads no buffer of count 0 and no receive buffer off the root, so nil is fine there.
        try local.withUnsafeBufferPointer { send in
            try out.withUnsafeMutableBufferPointer { recv in
                try MPIWorld.check(cgmpi_gatherv_f64(send.baseAddress, Int32(local.count), rank == root ? recv.baseAddress : nil,
                                                     c, d, Int32(root)), "MPI_Gatherv")
            }
        }
    }

    /// Rank `root` gets every rank's doubles in `buffer`, rank after rank (`counts[r]` from rank r),
    /// where its own already lie in their place (`MPI_IN_PLACE`); on every other rank, `buffer`
    /// holds the `counts[rank]` doubles it sends. So the root's own share is not copied, and the
    /// others' land straight in the final array.
    package func gather(inPlace buffer: UnsafeMutableBufferPointer<Double>, counts: [Int], root: Int = 0) throws {
        let (c, d, total) = try displacements(counts, what: "results")
        precondition(buffer.count == (rank == root ? total : counts[rank]), "the gather buffer has the wrong size")
        try MPIWorld.check(cgmpi_gatherv_f64_in_place(buffer.baseAddress, Int32(counts[rank]), c, d, Int32(root)), "MPI_Gatherv")
    }

    /// Every rank gets every rank's doubles, rank after rank (`counts[r]` from rank r).
    package func allGather(_ local: [Double], counts: [Int]) throws -> [Double] {
        precondition(local.count == counts[rank], "this rank's count disagrees with counts")
        let (c, d, total) = try displacements(counts, what: "parameter sums")
        var out = [Double](repeating: 0, count: max(total, 1))
        try local.withUnsafeBufferPointer { send in
            try out.withUnsafeMutableBufferPointer { recv in
                try MPIWorld.check(cgmpi_allgatherv_f64(send.baseAddress, Int32(local.count), recv.baseAddress!, c, d), "MPI_Allgatherv")
            }
        }
        return Array(out.prefix(total))
    }

    /// Rank `root`'s `text`, on every rank (what the others pass is ignored).
    package func broadcast(_ text: String, root: Int = 0) throws -> String {
        let length = try allGather(Int64(rank == root ? text.utf8.count : 0))[root]
        var bytes = rank == root ? Array(text.utf8) : [UInt8](repeating: 0, count: Int(length))
        guard length > 0 else { return "" }
        try bytes.withUnsafeMutableBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) {
                try MPIWorld.check(cgmpi_bcast_bytes($0.baseAddress, Int32(length), Int32(root)), "MPI_Bcast")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Rank `root` gets every rank's text, in rank order; the others get an empty array.
    package func gather(_ text: String, root: Int = 0) throws -> [String] {
        let bytes = Array(text.utf8)
        let counts = try allGather(Int64(bytes.count)).map { Int($0) }
        let (c, d, total) = try displacements(counts, what: "text")
        var out = [CChar](repeating: 0, count: max(total, 1))
        try bytes.withUnsafeBufferPointer { send in
            try send.withMemoryRebound(to: CChar.self) { s in
                try out.withUnsafeMutableBufferPointer { recv in
                    try MPIWorld.check(cgmpi_gatherv_bytes(s.baseAddress, Int32(bytes.count), recv.baseAddress!, c, d, Int32(root)), "MPI_Gatherv")
                }
            }
        }
        guard rank == root else { return [] }
        return (0..<size).map { r in
            String(decoding: out[Int(d[r])..<(Int(d[r]) + counts[r])].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
#endif
