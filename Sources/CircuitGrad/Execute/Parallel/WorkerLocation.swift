import CHwlocShim

/// Where one worker actually runs, as it reports from inside a job.
package struct WorkerLocation: Sendable, Hashable {
    /// The worker index.
    package let worker: Int
    /// The kernel thread id of the worker's thread.
    package let threadID: Int
    /// The processing unit it runs on now (`sched_getcpu`), -1 when unknown.
    package let cpu: Int
    /// The processing unit it last ran on according to `hwloc_get_last_cpu_location`, -1 when unknown.
    package let hwlocLastCPU: Int
    /// The processing units it is bound to at that moment (OS indexes).
    package let boundTo: [Int]
}

extension WorkerPool {
    /// Runs one job in which every worker reports where it runs; index `i` is worker `i`.
    package func observeLocations() -> [WorkerLocation] {
        // One slot per worker, written only by that worker; `run` orders the writes before the read.
        // (Not a Mutex: ThreadSanitizer reported a race through Synchronization.Mutex here, which
        // locks with a futex it does not see.)
        let slots = UnsafeMutableBufferPointer<WorkerLocation?>.allocate(capacity: threadCount)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize().deallocate() }
        let topology = self.topology
        run { worker in
            slots[worker] = WorkerLocation(
                worker: worker, threadID: Int(chwloc_gettid()), cpu: Int(chwloc_sched_getcpu()),
                hwlocLastCPU: ThreadBinding.lastLocation(topology), boundTo: ThreadBinding.currentBinding(topology))
        }
        return slots.map { $0! }
    }
}
