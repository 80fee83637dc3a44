/// What the engine needs from a group of workers: run a body on every worker at once,
/// and a barrier between sweeps. ``WorkerPool`` provides it; ``SerialTeam`` is the
/// one-worker team that runs on the caller.
protocol WorkerTeam: AnyObject {
    /// Number of workers.
    var threadCount: Int { get }
    /// Runs `body(worker)` on every worker concurrently; returns when all have returned.
    func run(_ body: (Int) -> Void)
    /// Returns once every worker has arrived; a full memory barrier.
    func barrier(_ worker: Int)
}

extension WorkerPool: WorkerTeam {}
