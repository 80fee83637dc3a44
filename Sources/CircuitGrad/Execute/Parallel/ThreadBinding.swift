import CHwloc
import CHwlocShim
#if canImport(Glibc)
import Glibc
#endif

/// Binding of the calling thread to processing units, through hwloc, with the old binding kept
/// so it can be put back. One value per thread; not shared.
struct ThreadBinding {
    private let topology: hwloc_topology_t
    private let target: hwloc_bitmap_t
    private let saved: hwloc_bitmap_t
    private var hasSaved = false

    /// A binding to `pus` (OS indexes), or nil without hwloc.
    init?(topology: Topology, pus: [Int]) {
        guard let t = topology.handle, let target = Topology.makeBitmap(pus), let saved = hwloc_bitmap_alloc() else {
            return nil
        }
        self.topology = t
        self.target = target
        self.saved = saved
    }

    /// Frees the bitmaps (call once, when done).
    func free() {
        hwloc_bitmap_free(target)
        hwloc_bitmap_free(saved)
    }

    /// Binds the calling thread to the target set, remembering its current binding first.
    /// Skips the system call when the thread is already bound exactly so. Returns nil on
    /// success, else why it failed.
    mutating func apply() -> String? {
        hasSaved = hwloc_get_cpubind(topology, saved, Int32(HWLOC_CPUBIND_THREAD.rawValue)) == 0
        if hasSaved && hwloc_bitmap_isequal(saved, target) != 0 {
            hasSaved = false
            return nil
        }
        if hwloc_set_cpubind(topology, target, Int32(HWLOC_CPUBIND_THREAD.rawValue)) != 0 {
            let e = errno
            hasSaved = false
            return "binding to PUs \(Topology.listString(Topology.bitmapList(target))) failed: "
                + String(cString: strerror(e)) + " (errno \(e))"
        }
        return nil
    }

    /// Puts back the binding saved by ``apply()`` (if it changed anything).
    mutating func restore() {
        if hasSaved { _ = hwloc_set_cpubind(topology, saved, Int32(HWLOC_CPUBIND_THREAD.rawValue)) }
        hasSaved = false
    }

    /// The processing units the calling thread is bound to now (OS indexes).
    static func currentBinding(_ topology: Topology) -> [Int] {
        guard let t = topology.handle, let set = hwloc_bitmap_alloc() else { return [] }
        defer { hwloc_bitmap_free(set) }
        guard hwloc_get_cpubind(t, set, Int32(HWLOC_CPUBIND_THREAD.rawValue)) == 0 else { return [] }
        return Topology.bitmapList(set)
    }

    /// The processing unit the calling thread last ran on, as hwloc reports it (-1 when unknown).
    static func lastLocation(_ topology: Topology) -> Int {
        guard let t = topology.handle, let set = hwloc_bitmap_alloc() else { return -1 }
        defer { hwloc_bitmap_free(set) }
        guard hwloc_get_last_cpu_location(t, set, Int32(HWLOC_CPUBIND_THREAD.rawValue)) == 0 else { return -1 }
        return Int(hwloc_bitmap_first(set))
    }
}
