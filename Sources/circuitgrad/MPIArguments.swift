import ArgumentParser

/// `--mpi`: spread the batch over the ranks of an MPI job (`mpirun -np R circuitgrad … --mpi`).
struct MPIArguments: ParsableArguments {
    @Flag(help: """
        Run as one rank of an MPI job started by mpirun: each rank evaluates a contiguous share of \
        the samples with its own workers; the results are bit for bit those of one process, written by \
        each rank into rank 0's output file when all ranks share its machine, else by rank 0.
        """)
    var mpi = false

    @Flag(name: .customLong("mpi-timing"), help: "With --mpi: print each rank's evaluate, wait, reduce, gather and write seconds as JSON lines on standard error.")
    var mpiTiming = false

    func validate() throws {
        if mpiTiming && !mpi { throw ValidationError("--mpi-timing needs --mpi") }
        #if !MPI
        if mpi { throw ValidationError(MPIArguments.unavailable) }
        #endif
    }

    /// What a binary built without MPI says to --mpi.
    static let unavailable = """
        this circuitgrad was built without MPI support, so --mpi is not available. \
        Install Open MPI and rebuild with it: `bash scripts/setup --release` (installs libopenmpi-dev \
        and openmpi-bin, then builds with `swift build -c release --traits MPI`)
        """
}

#if !MPI
extension EvalCommand {
    /// Unreachable: ``MPIArguments/validate()`` refuses --mpi in a build without MPI.
    func runWithMPI() throws { throw ValidationError(MPIArguments.unavailable) }
}
#endif
