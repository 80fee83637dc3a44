import CHwloc
import CHwlocShim
#if canImport(Glibc)
import Glibc
#endif

/// What hwloc sees of this machine, restricted to what this process may use.
///
/// Loaded once (``current``), before any worker thread starts, with
/// `RESTRICT_TO_CPUBINDING | IS_THISSYSTEM` so that a `taskset` mask shrinks the topology
/// the way a cgroup cpuset does, and `DONT_CHANGE_BINDING` so that loading never moves the
/// calling thread. When hwloc cannot load, the topology falls back to the online processor
/// count with no pinning (``loadNote`` says why).
package final class Topology: @unchecked Sendable {
    /// The topology of this process, loaded on first use and kept for the life of the process.
    package static let current = Topology()

    /// The default worker count: the number of physical cores this process may use.
    package static var allowedCoreCount: Int { current.allowedCoreCount }

    /// The hwloc handle (nil when loading failed); read-only after init, so safe to share.
    let handle: hwloc_topology_t?

    /// Version of hwloc this was built against, such as `2.9.0`, and the runtime library's API
    /// version in parentheses (empty when hwloc did not load).
    package let hwlocVersion: String
    /// Number of packages (sockets) with allowed processing units.
    package let packageCount: Int
    /// The allowed physical cores, in hwloc logical order.
    package let cores: [TopologyCore]
    /// Every allowed processing unit (hardware thread), as OS indexes, ascending.
    package let allowedPUs: [Int]
    /// Number of NUMA nodes with allowed processing units (at least 1).
    package let numaNodeCount: Int
    /// Caches by level and kind, smallest level first.
    package let caches: [TopologyCache]
    /// The processor model string (hwloc `CPUModel`, else `/proc/cpuinfo`), or `unknown`.
    package let cpuModel: String
    /// Installed memory in bytes from `/proc/meminfo` (`MemTotal`); 0 when unreadable.
    /// (hwloc under-reports memory in some virtual machines, so it is not used.)
    package let memoryBytes: Int
    /// Why the topology is degraded (hwloc failed to load or a flag was refused); nil when all went well.
    package let loadNote: String?

    /// Number of allowed physical cores (at least 1).
    package var allowedCoreCount: Int { cores.count }
    /// Number of allowed processing units (at least 1).
    package var allowedPUCount: Int { allowedPUs.count }
    /// The allowed processing units in `taskset` list form, such as `0-1` or `0,2,5-7`.
    package var allowedPUList: String { Topology.listString(allowedPUs) }
    /// Whether threads can be bound to processing units.
    package var canBind: Bool { handle != nil }

    /// Loads the topology now. Prefer ``current``; a second load costs about 20 ms.
    init() {
        var notes: [String] = []
        var topo: hwloc_topology_t?
        if hwloc_topology_init(&topo) != 0 { topo = nil; notes.append("hwloc_topology_init failed (errno \(errno))") }
        if let t = topo {
            let wanted = UInt(HWLOC_TOPOLOGY_FLAG_RESTRICT_TO_CPUBINDING.rawValue)
                | UInt(HWLOC_TOPOLOGY_FLAG_IS_THISSYSTEM.rawValue)
                | UInt(HWLOC_TOPOLOGY_FLAG_DONT_CHANGE_BINDING.rawValue)
            if hwloc_topology_set_flags(t, wanted) != 0 {
                notes.append("hwloc refused RESTRICT_TO_CPUBINDING (errno \(errno)); a taskset mask is not honoured")
                _ = hwloc_topology_set_flags(t, UInt(HWLOC_TOPOLOGY_FLAG_DONT_CHANGE_BINDING.rawValue))
            }
            // Instruction caches are filtered out by default; keep them for the report.
            _ = hwloc_topology_set_icache_types_filter(t, HWLOC_TYPE_FILTER_KEEP_ALL)
            if hwloc_topology_load(t) != 0 {
                notes.append("hwloc_topology_load failed (errno \(errno))")
                hwloc_topology_destroy(t)
                topo = nil
            }
        }
        handle = topo
        memoryBytes = Topology.readMemTotal()

        guard let t = topo else {
            let online = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            hwlocVersion = ""
            packageCount = 1
            allowedPUs = Array(0..<online)
            cores = (0..<online).map { TopologyCore(index: $0, osIndex: $0, packageIndex: 0, puOSIndexes: [$0]) }
            numaNodeCount = 1
            caches = []
            cpuModel = Topology.readCPUModelFromProc() ?? "unknown"
            loadNote = notes.joined(separator: "; ") + "; threads will not be pinned"
            return
        }

        let api = hwloc_get_api_version()
        hwlocVersion = HWLOC_VERSION + " (API \(api >> 16).\((api >> 8) & 0xff).\(api & 0xff))"

        let allowed = hwloc_topology_get_allowed_cpuset(t)
        let pus = Topology.bitmapList(allowed)
        allowedPUs = pus.isEmpty ? [0] : pus

        // Packages in order, so cores can name theirs by position.
        var packages: [hwloc_obj_t] = []
        let packageTotal = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PACKAGE)
        for i in 0..<max(0, packageTotal) {
            if let p = hwloc_get_obj_by_type(t, HWLOC_OBJ_PACKAGE, UInt32(i)),
               hwloc_bitmap_intersects(p.pointee.cpuset, allowed) != 0 { packages.append(p) }
        }
        packageCount = max(1, packages.count)

        var found: [TopologyCore] = []
        let coreTotal = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE)
        for i in 0..<max(0, coreTotal) {
            guard let c = hwloc_get_obj_by_type(t, HWLOC_OBJ_CORE, UInt32(i)) else { continue }
            let both = hwloc_bitmap_alloc()
            hwloc_bitmap_and(both, c.pointee.cpuset, allowed)
            let list = Topology.bitmapList(both)
            hwloc_bitmap_free(both)
            if list.isEmpty { continue }
            let package = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_PACKAGE, c)
            let packageIndex = packages.firstIndex { $0 == package } ?? 0
            let os = c.pointee.os_index == UInt32.max ? nil : Int(c.pointee.os_index)
            found.append(TopologyCore(index: found.count, osIndex: os, packageIndex: packageIndex, puOSIndexes: list))
        }
        if found.isEmpty {
            // No core objects (some virtual machines): treat every processing unit as a core.
            found = allowedPUs.enumerated().map {
                TopologyCore(index: $0.offset, osIndex: nil, packageIndex: 0, puOSIndexes: [$0.element])
            }
            notes.append("hwloc reports no cores; each processing unit counts as one")
        }
        cores = found

        var numa = 0
        let numaTotal = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_NUMANODE)
        for i in 0..<max(0, numaTotal) {
            if let n = hwloc_get_obj_by_type(t, HWLOC_OBJ_NUMANODE, UInt32(i)),
               hwloc_bitmap_intersects(n.pointee.cpuset, allowed) != 0 { numa += 1 }
        }
        numaNodeCount = max(1, numa)

        // Caches by type (not hwloc_get_cache_covering_cpuset, which returns L1d for a core).
        let cacheTypes: [(hwloc_obj_type_t, Int, String, String)] = [
            (HWLOC_OBJ_L1CACHE, 1, "data", "L1d"), (HWLOC_OBJ_L1ICACHE, 1, "instruction", "L1i"),
            (HWLOC_OBJ_L2CACHE, 2, "unified", "L2"), (HWLOC_OBJ_L2ICACHE, 2, "instruction", "L2i"),
            (HWLOC_OBJ_L3CACHE, 3, "unified", "L3"), (HWLOC_OBJ_L3ICACHE, 3, "instruction", "L3i"),
            (HWLOC_OBJ_L4CACHE, 4, "unified", "L4"), (HWLOC_OBJ_L5CACHE, 5, "unified", "L5"),
        ]
        var cacheList: [TopologyCache] = []
        for (type, level, defaultKind, defaultName) in cacheTypes {
            let total = hwloc_get_nbobjs_by_type(t, type)
            var count = 0
            var size = 0
            var line = 0
            var kind = defaultKind
            for i in 0..<max(0, total) {
                guard let o = hwloc_get_obj_by_type(t, type, UInt32(i)),
                      hwloc_bitmap_intersects(o.pointee.cpuset, allowed) != 0 else { continue }
                count += 1
                if let attr = o.pointee.attr {
                    size = max(size, Int(attr.pointee.cache.size))
                    line = Int(attr.pointee.cache.linesize)
                    if attr.pointee.cache.type == HWLOC_OBJ_CACHE_UNIFIED { kind = "unified" }
                    else if attr.pointee.cache.type == HWLOC_OBJ_CACHE_DATA { kind = "data" }
                    else if attr.pointee.cache.type == HWLOC_OBJ_CACHE_INSTRUCTION { kind = "instruction" }
                }
            }
            if count > 0 {
                let name = level == 1 ? defaultName : (kind == "instruction" ? "L\(level)i" : (kind == "data" ? "L\(level)d" : "L\(level)"))
                cacheList.append(TopologyCache(name: name, level: level, kind: kind, sizeBytes: size, lineBytes: line, count: count))
            }
        }
        caches = cacheList

        var model: String?
        if let p = hwloc_get_obj_by_type(t, HWLOC_OBJ_PACKAGE, 0), let s = hwloc_obj_get_info_by_name(p, "CPUModel") {
            model = String(cString: s)
        }
        cpuModel = model ?? Topology.readCPUModelFromProc() ?? "unknown"
        loadNote = notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// A topology without hwloc made of `cores` (for tests of placement on machines unlike this one).
    init(testCores: [TopologyCore]) {
        handle = nil
        hwlocVersion = ""
        packageCount = 1 + (testCores.map(\.packageIndex).max() ?? 0)
        cores = testCores
        allowedPUs = testCores.flatMap(\.puOSIndexes).sorted()
        numaNodeCount = 1
        caches = []
        cpuModel = "test"
        memoryBytes = 0
        loadNote = "test topology"
    }

    deinit {
        if let t = handle { hwloc_topology_destroy(t) }
    }

    /// A new hwloc bitmap holding `pus` (OS indexes); the caller frees it with `hwloc_bitmap_free`.
    static func makeBitmap(_ pus: [Int]) -> hwloc_bitmap_t? {
        guard let b = hwloc_bitmap_alloc() else { return nil }
        for p in pus { hwloc_bitmap_set(b, UInt32(p)) }
        return b
    }

    /// The set bits of `set`, ascending.
    static func bitmapList(_ set: hwloc_const_bitmap_t?) -> [Int] {
        guard let set else { return [] }
        let count = Int(chwloc_bitmap_to_list(set, nil, 0))
        if count <= 0 { return [] }
        var out = [Int32](repeating: 0, count: count)
        let n = out.withUnsafeMutableBufferPointer { Int(chwloc_bitmap_to_list(set, $0.baseAddress, Int32(count))) }
        return out.prefix(min(n, count)).map(Int.init)
    }

    /// `[0, 1, 2, 5]` → `0-2,5`.
    static func listString(_ values: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        let v = values.sorted()
        while i < v.count {
            var j = i
            while j + 1 < v.count && v[j + 1] == v[j] + 1 { j += 1 }
            parts.append(j == i ? "\(v[i])" : "\(v[i])-\(v[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    /// Lines of a small text file (such as `/proc/meminfo`), or nil when it cannot be read.
    static func readLines(_ path: String) -> [String]? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var lines: [String] = []
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        while getline(&buffer, &capacity, f) > 0 {
            if let b = buffer { lines.append(String(cString: b)) }
        }
        return lines
    }

    /// `MemTotal` from `/proc/meminfo`, in bytes; 0 when unreadable.
    static func readMemTotal() -> Int {
        for line in readLines("/proc/meminfo") ?? [] where line.hasPrefix("MemTotal:") {
            let digits = line.dropFirst("MemTotal:".count).filter { $0.isNumber }
            return (Int(String(digits)) ?? 0) * 1024
        }
        return 0
    }

    /// The first `model name` in `/proc/cpuinfo`.
    static func readCPUModelFromProc() -> String? {
        for line in readLines("/proc/cpuinfo") ?? [] where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }.filter { $0 != "\n" })
            }
        }
        return nil
    }
}
