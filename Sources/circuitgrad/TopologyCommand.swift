import ArgumentParser
import CircuitGrad

/// `circuitgrad topology`: what hwloc sees of this machine, and where a worker pool's
/// workers are pinned and actually run.
struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "Show the processor topology this process may use and where pool workers run.",
        discussion: """
            Loads the hwloc topology restricted to the allowed CPU set (cgroup cpuset and taskset mask), \
            prints packages, cores, processing units, caches, NUMA nodes, CPU model and memory, then starts \
            a worker pool and asks each worker, from inside the worker, where it runs.
            """)

    @Option(name: .long, help: "Number of workers (default: one per allowed core).")
    var threads: Int?

    @Option(name: .long, help: "Pinning: \(PinMode.allCases.map(\.rawValue).joined(separator: ", ")).")
    var pin: PinMode = .core

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .long, help: "Run as every rank of an MPI job (mpirun … circuitgrad topology --mpi): rank 0 prints each rank's cores and workers.")
    var mpi = false

    func validate() throws {
        #if !MPI
        if mpi { throw ValidationError(MPIArguments.unavailable) }
        #endif
    }

    func run() throws {
        #if MPI
        if mpi { return try runWithMPI() }
        #endif
        print(try report(), terminator: "")
    }

    /// This process's topology and its worker pool's placement, as text or JSON.
    func report() throws -> String {
        let topology = Topology.current
        let pool: WorkerPool
        do {
            pool = try WorkerPool(threads: threads, pin: pin)
        } catch let error as WorkerPoolError {
            throw ValidationError(error.message)
        }
        defer { pool.shutdown() }
        let seen = pool.observeLocations()
        return json ? jsonReport(topology, pool, seen) : textReport(topology, pool, seen)
    }

    /// A byte count in the largest binary unit that keeps it at least 1 (`48 KiB`, `23.4 GiB`).
    func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        if value == value.rounded() { return "\(Int(value)) \(units[unit])" }
        return "\((value * 10).rounded() / 10) \(units[unit])"
    }

    func list(_ pus: [Int]) -> String {
        pus.map(String.init).joined(separator: ",")
    }

    func textReport(_ t: Topology, _ pool: WorkerPool, _ seen: [WorkerLocation]) -> String {
        var out = ""
        out += "hwloc:        \(t.hwlocVersion.isEmpty ? "not loaded" : t.hwlocVersion)\n"
        if let note = t.loadNote { out += "note:         \(note)\n" }
        out += "CPU model:    \(t.cpuModel)\n"
        out += "packages:     \(t.packageCount)\n"
        out += "cores:        \(t.allowedCoreCount) allowed\n"
        out += "PUs:          \(t.allowedPUCount) allowed (\(t.allowedPUList))\n"
        out += "NUMA nodes:   \(t.numaNodeCount)\n"
        out += "memory:       \(bytes(t.memoryBytes)) (MemTotal, /proc/meminfo)\n"
        let caches = t.caches.map { "\($0.name) \(bytes($0.sizeBytes)) x\($0.count)" }
        out += "caches:       \(caches.isEmpty ? "unknown" : caches.joined(separator: ", "))\n"
        out += "elementary:   \(ElementaryFunctions.summary)\n"
        for core in t.cores {
            out += "  core \(core.index)\(core.osIndex.map { " (os \($0))" } ?? ""): package \(core.packageIndex), PUs \(list(core.puOSIndexes))\n"
        }
        out += "\nworker pool:  \(pool.threadCount) thread(s), pin \(pool.pinMode.rawValue)"
        out += pool.threadCount > 1 ? "; worker 0 is the calling thread (bound for a run only when it runs elsewhere)\n" : "; runs on the calling thread, unpinned\n"
        out += "  worker  core  pinned to   bound to    running on  hwloc last  thread id\n"
        for (place, here) in zip(pool.placements, seen) {
            func col(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
            out += "  " + col("\(place.worker)", 8) + col(place.coreIndex.map(String.init) ?? "-", 6)
                + col(list(place.puOSIndexes), 12) + col(list(here.boundTo), 12)
                + col("\(here.cpu)", 12) + col("\(here.hwlocLastCPU)", 12) + "\(here.threadID)\n"
        }
        if let note = pool.pinningNote { out += "pinning note: \(note)\n" }
        return out
    }

    func jsonReport(_ t: Topology, _ pool: WorkerPool, _ seen: [WorkerLocation]) -> String {
        func num(_ n: Int) -> JSONValue { .number(Double(n)) }
        func ints(_ v: [Int]) -> JSONValue { .array(v.map(num)) }
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let caches: [JSONValue] = t.caches.map {
            .object(["name": .string($0.name), "level": num($0.level), "kind": .string($0.kind),
                     "sizeBytes": num($0.sizeBytes), "lineBytes": num($0.lineBytes), "count": num($0.count)])
        }
        let cores: [JSONValue] = t.cores.map {
            .object(["index": num($0.index), "osIndex": $0.osIndex.map(num) ?? .null,
                     "package": num($0.packageIndex), "pus": ints($0.puOSIndexes)])
        }
        let workers: [JSONValue] = zip(pool.placements, seen).map { place, here in
            .object(["worker": num(place.worker), "core": place.coreIndex.map(num) ?? .null,
                     "pinnedTo": ints(place.puOSIndexes), "boundTo": ints(here.boundTo), "cpu": num(Int(here.cpu)),
                     "hwlocLastCPU": num(Int(here.hwlocLastCPU)), "threadID": num(Int(here.threadID))])
        }
        let report: JSONObject = [
            "hwlocVersion": .string(t.hwlocVersion), "loadNote": opt(t.loadNote), "cpuModel": .string(t.cpuModel),
            "packages": num(t.packageCount), "cores": num(t.allowedCoreCount), "pus": num(t.allowedPUCount),
            "allowedPUs": ints(t.allowedPUs), "numaNodes": num(t.numaNodeCount), "memoryBytes": num(t.memoryBytes),
            "caches": .array(caches), "coreList": .array(cores),
            "pool": .object(["threads": num(pool.threadCount), "pin": .string(pool.pinMode.rawValue),
                             "pinningNote": opt(pool.pinningNote), "workers": .array(workers)]),
        ]
        return JSONValue.object(report).text + "\n"
    }
}
