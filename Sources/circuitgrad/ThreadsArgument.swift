import ArgumentParser

/// The number of worker threads, for commands that run the engine once.
struct ThreadsArgument: ParsableArguments {
    @Option(help: "Worker threads (default: one per allowed core).")
    var threads: Int?

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }
}
