import CHwlocShim
import Dispatch
import Synchronization

/// The state a ``WorkerPool`` shares with its worker loops: the posted job, the futex words
/// that hand jobs out and report completion, the barrier, and each worker's pinning result.
///
/// Handing out a job: the caller stores the body, sets `pending` to the number of hosted
/// workers and advances `jobGeneration`; each hosted worker, spinning or parked on
/// `jobGeneration`, runs the body and decrements `pending`; the caller spins then parks on
/// `pending` until it reaches zero. Parked sides are woken only when they announced that they
/// sleep (`jobSleepers`, `callerSleeping`), so back-to-back jobs cost no system call.
final class WorkerCrew: @unchecked Sendable {
    /// How many `pause`s a worker or the caller spins before sleeping.
    static let spinLimit = SpinParkBarrier.spinLimit

    let threadCount: Int
    let topology: Topology
    let placements: [WorkerPlacement]
    let pin: PinMode
    let barrier: SpinParkBarrier

    private let words = PaddedFutexWords(count: 5)
    private var jobGeneration: FutexWord { words[0] }
    private var jobSleepers: FutexWord { words[1] }
    private var pending: FutexWord { words[2] }
    private var callerSleeping: FutexWord { words[3] }
    private var stopping: FutexWord { words[4] }

    /// The body of the current job; written by the caller before `jobGeneration` is advanced
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

        let jobGeneration = self.jobGeneration
        var seen: UInt32 = 0
        while true {
            seen = waitForChange(jobGeneration, from: seen, sleepers: jobSleepers)
            if stopping.atomic.pointee.load(ordering: .acquiring) != 0 { break }
            job!(worker)
            if pending.atomic.pointee.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue == 0
                && callerSleeping.atomic.pointee.load(ordering: .sequentiallyConsistent) != 0 {
                pending.wakeAll()
            }
        }
        binding?.restore()
        binding?.free()
    }

    /// Spins, then parks, until `word` differs from `old`; returns the new value.
    private func waitForChange(_ word: FutexWord, from old: UInt32, sleepers: FutexWord) -> UInt32 {
        for _ in 0..<Self.spinLimit {
            let now = word.atomic.pointee.load(ordering: .acquiring)
            if now != old { return now }
            chwloc_cpu_relax()
        }
        _ = sleepers.atomic.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        var now = word.atomic.pointee.load(ordering: .sequentiallyConsistent)
        while now == old {
            word.wait(whileEquals: old)
            now = word.atomic.pointee.load(ordering: .sequentiallyConsistent)
        }
        _ = sleepers.atomic.pointee.wrappingSubtract(1, ordering: .relaxed)
        return now
    }

    /// Runs `body(worker)` on every worker, the calling thread acting as worker 0; returns when
    /// all are done. `body` must not escape: it is cleared before returning.
    func runJob(_ body: @escaping (Int) -> Void) {
        job = body
        pending.atomic.pointee.store(UInt32(threadCount - 1), ordering: .relaxed)
        _ = jobGeneration.atomic.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if jobSleepers.atomic.pointee.load(ordering: .sequentiallyConsistent) != 0 { jobGeneration.wakeAll() }
        body(0)
        waitForWorkers()
        job = nil
    }

    /// Spins, then parks, until every hosted worker has finished the current job.
    private func waitForWorkers() {
        for _ in 0..<Self.spinLimit {
            if pending.atomic.pointee.load(ordering: .acquiring) == 0 { return }
            chwloc_cpu_relax()
        }
        callerSleeping.atomic.pointee.store(1, ordering: .sequentiallyConsistent)
        var left = pending.atomic.pointee.load(ordering: .sequentiallyConsistent)
        while left != 0 {
            pending.wait(whileEquals: left)
            left = pending.atomic.pointee.load(ordering: .sequentiallyConsistent)
        }
        callerSleeping.atomic.pointee.store(0, ordering: .relaxed)
    }

    /// Tells every hosted worker to leave its loop and waits until each has.
    func stop() {
        stopping.atomic.pointee.store(1, ordering: .releasing)
        _ = jobGeneration.atomic.pointee.wrappingAdd(1, ordering: .sequentiallyConsistent)
        jobGeneration.wakeAll()
        for q in queues { q.sync {} }   // a serial queue runs this only after the worker loop returned
        queues.removeAll()
    }
}
