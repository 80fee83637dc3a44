import CHwlocShim
import Synchronization

/// A fixed crew of persistent, pinned worker threads for fork-join jobs with in-job barriers.
///
/// - **Who works.** Worker 0 is the thread that calls ``run(_:)``; workers `1..<threadCount`
///   are long-lived work items, each on its own serial `DispatchQueue` created with the pool.
///   Having the caller do a share saves a hand-off per job.
/// - **Pinning.** Hosted workers pin themselves once, from inside their work item, to
///   ``placements``. Because the caller changes from call to call and belongs to the user,
///   `run` binds the calling thread to worker 0's placement only for the duration of the call
///   and then puts its old binding back, and only when the caller is not already running on
///   one of those processing units (then it is left as it is: the scheduler moves a running
///   thread off a CPU only when that CPU is busier than another, and a bound caller would share
///   such a CPU just the same). With ``PinMode/none`` the caller is never touched.
///   With `threadCount == 1`, `run` simply calls `body(0)` on the caller, unpinned.
/// - **Waiting.** Between jobs and at barriers threads spin for 200 µs (``SpinParkNotifier/spinSeconds``), then
///   sleep on a futex, so an idle pool burns no CPU and back-to-back jobs pay no system calls.
///   There are never more workers than allowed processing units.
/// - **Lifetime.** ``shutdown()`` (or `deinit`) stops and joins the hosted workers and
///   restores their Dispatch threads' bindings.
package final class WorkerPool: @unchecked Sendable {
    /// Number of workers (the caller included).
    package let threadCount: Int
    /// Where each worker is bound (PU OS indexes, core index), for reports. With one thread the
    /// only worker is the unpinned caller: its placement is every allowed PU and no core.
    package let placements: [WorkerPlacement]
    /// Why pinning was not done or failed, if so (nil when every bind succeeded or `pin == .none`
    /// and resetting the inherited masks succeeded).
    package let pinningNote: String?
    /// The pinning mode asked for.
    package let pinMode: PinMode
    /// The topology the placements come from.
    package let topology: Topology

    let crew: WorkerCrew
    /// Binds the caller to worker 0's placement during `run` (nil when unpinned); only touched inside `run`.
    private var callerBinding: ThreadBinding?
    private let busy = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    /// Starts `threads` persistent workers (nil = one per allowed core, see
    /// ``Topology/allowedCoreCount``). Never more spinning workers than allowed PUs: asking
    /// for more (or fewer than 1) throws ``WorkerPoolError``.
    package init(threads: Int? = nil, pin: PinMode = .core) throws {
        let topology = Topology.current
        let count = threads ?? topology.allowedCoreCount
        var placements = try topology.placements(threadCount: count, pin: pin)
        if count == 1 {
            // One worker runs on the caller, which `run` leaves unpinned.
            placements = [WorkerPlacement(worker: 0, coreIndex: nil, puOSIndexes: topology.allowedPUs)]
        }
        self.topology = topology
        self.threadCount = count
        self.placements = placements
        self.pinMode = pin
        self.crew = WorkerCrew(topology: topology, placements: placements, pin: pin)
        crew.start()

        var notes: [String] = []
        if !topology.canBind && pin != .none {
            notes.append("threads not pinned: " + (topology.loadNote ?? "hwloc topology unavailable"))
        }
        if pin != .none && count > 1, var caller = ThreadBinding(topology: topology, pus: placements[0].puOSIndexes) {
            if let failure = caller.apply() { notes.append("worker 0 (caller): \(failure)") }
            caller.restore()
            caller.free()
        }
        notes += crew.pinFailures.compactMap { $0 }
        pinningNote = notes.isEmpty ? nil : notes.joined(separator: "; ")
        callerBinding = pin == .none || count == 1 ? nil : ThreadBinding(topology: topology, pus: placements[0].puOSIndexes)
    }

    deinit {
        shutdown()
        callerBinding?.free()
    }

    /// Runs `body(worker)` for every worker index 0..<threadCount concurrently; returns when all
    /// have returned. Not reentrant: calling it from inside `body`, or from two threads at once,
    /// stops the program with a message. With threadCount == 1 it simply calls body(0) on the caller.
    package func run(_ body: (Int) -> Void) {
        precondition(!busy.exchange(true, ordering: .acquiring),
                     "WorkerPool.run called while another run of the same pool is in progress (it is not reentrant)")
        precondition(!stopped.load(ordering: .acquiring), "WorkerPool.run called after shutdown()")
        defer { busy.store(false, ordering: .releasing) }
        if threadCount == 1 {
            body(0)
            return
        }
        // A caller already running on worker 0's processing units stays unbound: binding it and
        // putting its binding back are two system calls, 5 µs on the AMD EPYC guest, and skipping
        // them took a 2-thread evaluation of the MLP at batch 64 from 127–132 µs to 120–124 µs.
        let bindsCaller = callerBinding != nil && !placements[0].puOSIndexes.contains(Int(chwloc_sched_getcpu()))
        if bindsCaller { _ = callerBinding?.apply() }
        withoutActuallyEscaping(body) { crew.runJob($0) }
        if bindsCaller { callerBinding?.restore() }
    }

    /// Called by every worker inside `run`: returns once all threadCount workers have arrived
    /// (spin briefly, then park on a futex). A full memory barrier (acquire/release): whatever
    /// any worker wrote before it is visible to every worker after it. Every worker must call it
    /// the same number of times in a job, or the job never ends.
    package func barrier(_ worker: Int) {
        assert(worker >= 0 && worker < threadCount, "barrier: worker \(worker) out of 0..<\(threadCount)")
        crew.barrier.arriveAndWait()
    }

    /// Stops and joins the hosted workers. Safe to call more than once; `run` must not be
    /// called afterwards, nor `shutdown` from inside `run`.
    package func shutdown() {
        if !stopped.exchange(true, ordering: .acquiringAndReleasing) { crew.stop() }
    }
}
