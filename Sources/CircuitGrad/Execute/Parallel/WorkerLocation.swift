import CHwlocShim
import Synchronization

/// Where one worker actually runs, as it reports from inside a job.
public struct WorkerLocation: Sendable, Hashable {
    /// The worker index.
    public let worker: Int
    /// The kernel thread id of the worker's thread.
    public let threadID: Int
    /// The processing unit it runs on now (`sched_getcpu`), -1 when unknown.
    public let cpu: Int
    /// The processing unit it last ran on according to `hwloc_get_last_cpu_location`, -1 when unknown.
    public let hwlocLastCPU: Int
    /// The processing units it is bound to at that moment (OS indexes).
    public let boundTo: [Int]
}

extension WorkerPool {
    /// Runs one job in which every worker reports where it runs; index `i` is worker `i`.
    public func observeLocations() -> [WorkerLocation] {
        let slots = Mutex<[WorkerLocation?]>(Array(repeating: nil, count: threadCount))
        let topology = self.topology
        run { worker in
            let here = WorkerLocation(
                worker: worker, threadID: Int(chwloc_gettid()), cpu: Int(chwloc_sched_getcpu()),
                hwlocLastCPU: ThreadBinding.lastLocation(topology), boundTo: ThreadBinding.currentBinding(topology))
            slots.withLock { $0[worker] = here }
        }
        return slots.withLock { $0.map { $0! } }
    }
}
