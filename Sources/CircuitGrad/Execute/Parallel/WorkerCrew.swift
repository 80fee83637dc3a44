import Dispatch
import Synchronization

/// The state a ``WorkerPool`` shares with its worker loops: the posted job, the futex words
/// that hand jobs out and report completion, the barrier, and each worker's pinning result.
///
/// Handing out a job: the caller stores the body, sets `pending` to the number of hosted
/// workers and advances the job generation; each hosted worker, waiting on `jobs` (spinning,
/// then parked), runs the body and decrements `pending`; the caller waits on `pending` until
/// it reaches zero. Both waits are ``SpinParkNotifier``s: parked sides are woken only when they
/// announced that they sleep, so back-to-back jobs cost no system call.
final class WorkerCrew: @unchecked Sendable {
    let threadCount: Int
    let topology: Topology
    let placements: [WorkerPlacement]
    let pin: PinMode
    let barrier: SpinParkBarrier

    private let words = PaddedFutexWords(count: 5)
    /// The job generation, advanced for every job and for stopping; hosted workers wait on it.
    private var jobs: SpinParkNotifier { SpinParkNotifier(word: words[0], sleepers: words[1]) }
    /// Hosted workers still running the current job; the caller waits on it to reach zero.
    private var pending: SpinParkNotifier { SpinParkNotifier(word: words[2], sleepers: words[3]) }
    private var stopping: FutexWord { words[4] }

    /// The body of the current job; written by the caller before the job generation is advanced
    /// (release) and read by workers after they see the new generation (acquire).
    private var job: ((Int) -> Void)?
    /// Pinning failure of each hosted worker (index 0 unused), written before `started` is left.
    private(set) var pinFailures: [String?]
    /// How many hosted worker loops are running now (for tests of shutdown).
    let runningWorkers = Atomic<Int>(0)
    /// Joined when every hosted worker has pinned itself and is ready for jobs.
    private let started = DispatchGroup()
    /// One serial queue per hosted worker (index 0 unused: worker 0 is the caller).
    private var queues: [DispatchQueue] = []

    init(topology: Topology, placements: [WorkerPlacement], pin: PinMode) {
        self.threadCount = placements.count
        self.topology = topology
        self.placements = placements
        self.pin = pin
        self.barrier = SpinParkBarrier(parties: placements.count)
        self.pinFailures = Array(repeating: nil, count: placements.count)
    }

    /// Starts workers 1..<threadCount, each a long-lived work item on its own serial queue,
    /// and returns once all have pinned themselves.
    func start() {
        for worker in 1..<max(1, threadCount) {
            let queue = DispatchQueue(label: "circuitgrad.worker.\(worker)", qos: .userInitiated)
            queues.append(queue)
            started.enter()
            queue.async { [self] in workerLoop(worker) }
        }
        started.wait()
    }

    /// The life of hosted worker `worker`: pin, then take jobs until told to stop, then
    /// put the Dispatch thread's old binding back.
    private func workerLoop(_ worker: Int) {
        runningWorkers.add(1, ordering: .relaxed)
        defer { runningWorkers.subtract(1, ordering: .releasing) }
        var binding = ThreadBinding(topology: topology, pus: placements[worker].puOSIndexes)
        if binding == nil {
            if pin != .none && topology.canBind { pinFailures[worker] = "worker \(worker): could not allocate an hwloc bitmap" }
        } else {
            pinFailures[worker] = binding!.apply().map { "worker \(worker): \($0)" }
        }
        started.leave()

        let jobs = self.jobs, pending = self.pending
        var seen: UInt32 = 0
        while true {
            let previous = seen
            seen = jobs.wait { $0 != previous }
            if stopping.atomic.pointee.load(ordering: .acquiring) != 0 { break }
            job!(worker)
            if pending.word.atomic.pointee.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue == 0 {
                pending.wakeParked()
            }
        }
        binding?.restore()
        binding?.free()
    }

    /// Runs `body(worker)` on every worker, the calling thread acting as worker 0; returns when
    /// all are done. `body` must not escape: it is cleared before returning.
    func runJob(_ body: @escaping (Int) -> Void) {
        job = body
        pending.word.atomic.pointee.store(UInt32(threadCount - 1), ordering: .relaxed)
        jobs.advance()
        body(0)
        _ = pending.wait { $0 == 0 }   // every hosted worker has finished the job
        job = nil
    }

    /// Tells every hosted worker to leave its loop and waits until each has.
    func stop() {
        stopping.atomic.pointee.store(1, ordering: .releasing)
        _ = jobs.word.atomic.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        jobs.word.wakeAll()
        for q in queues { q.sync {} }   // a serial queue runs this only after the worker loop returned
        queues.removeAll()
    }
}
