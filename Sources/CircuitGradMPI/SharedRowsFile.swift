#if MPI
import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

/// A per-sample results file that every rank writes its own rows of, at their offset, into the
/// temporary file rank 0 staged in its ``OutputTransaction``: the rows need not travel to rank 0,
/// and the file still lands whole or not at all, by rank 0's rename at the end.
///
/// It is used only when every rank opens rank 0's temporary file by name and sees the same file
/// (device and inode). The caller asks for it only when every rank runs on rank 0's machine, so
/// the ranks share one kernel's page cache and nothing is asked of a network file system. When it
/// is not used, rank 0 gathers the rows and writes them itself.
package struct SharedRowsFile {
    /// The job.
    package let world: MPIWorld
    /// This rank's descriptor of the temporary file (rank 0's belongs to its transaction).
    let descriptor: Int32
    /// The output's name, for messages.
    let path: String

    /// Opens rank 0's temporary file `temporary` on every rank (rank 0 passes its descriptor
    /// `staged`); a rank that is not `eligible` opens nothing. Every rank must call it.
    /// - Returns: the file on every rank when every rank is eligible and opened the same file; nil
    ///   on every rank otherwise.
    package static func open(_ world: MPIWorld, temporary: String, staged: Int32?, eligible: Bool, path: String) throws -> SharedRowsFile? {
        var fd: Int32 = -1
        if eligible && !temporary.isEmpty {
            fd = world.rank == 0 ? (staged ?? -1) : Glibc.open(temporary, O_WRONLY | O_CLOEXEC)
        }
        var status = stat()
        let opened = fd >= 0 && fstat(fd, &status) == 0
        let devices = try world.allGather(opened ? Int64(bitPattern: UInt64(status.st_dev)) : -1)
        let inodes = try world.allGather(opened ? Int64(bitPattern: UInt64(status.st_ino)) : -1)
        if devices[0] != -1 && devices.allSatisfy({ $0 == devices[0] }) && inodes.allSatisfy({ $0 == inodes[0] }) {
            return SharedRowsFile(world: world, descriptor: fd, path: path)
        }
        if world.rank != 0 && fd >= 0 { close(fd) }
        return nil
    }

    /// Writes `header` (rank 0's) and then every rank's rows, in rank order, each rank its own
    /// (`length` bytes, which `rows` writes) at its offset, and `fsync`s. A failure on any rank
    /// throws ``RankFailures`` on every rank. Every rank must call it; the descriptor of a rank
    /// other than 0 is closed.
    package func write(header: [UInt8], length: Int, rows: (BufferedOutput) throws -> Void) throws {
        let lengths = try world.allGather(Int64(length))
        try world.together {
            defer { if world.rank != 0 { close(descriptor) } }
            let offset = header.count + lengths[0..<world.rank].reduce(0) { $0 + Int($1) }
            if world.rank == 0 { try write(header, at: 0) }
            if lseek(descriptor, off_t(offset), SEEK_SET) < 0 { throw failure() }
            let out = BufferedOutput(fileDescriptor: descriptor, name: path)
            try rows(out)
            try out.flush()
            if lseek(descriptor, 0, SEEK_CUR) != off_t(offset + length) {
                throw CircuitError(file: path, kind: .internal, "rank \(world.rank) wrote other than the \(length) bytes it announced")
            }
            try OutputTransaction.sync(descriptor, path: path)
        }
    }

    private func failure() -> CircuitError {
        CircuitError(file: path, kind: .outputWrite, "cannot write: \(String(cString: strerror(errno)))")
    }

    private func write(_ bytes: [UInt8], at offset: Int) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw failure() }
                done += n
            }
        }
    }
}
#endif
