import CHwloc

/// Where one worker of a ``WorkerPool`` is bound.
package struct WorkerPlacement: Sendable, Hashable {
    /// The worker index (0 is the thread that calls ``WorkerPool/run(_:)``).
    package let worker: Int
    /// Position of the worker's core in ``Topology/cores``; nil for ``PinMode/none``.
    package let coreIndex: Int?
    /// The processing units (OS indexes) the worker is bound to.
    package let puOSIndexes: [Int]
}

extension Topology {
    /// Where `threadCount` workers go under `pin`. Throws when `threadCount` is not in
    /// `1...allowedPUCount` (more workers than processing units would spin against each other).
    package func placements(threadCount: Int, pin: PinMode) throws -> [WorkerPlacement] {
        guard threadCount >= 1 else {
            throw WorkerPoolError("worker pool: --threads must be at least 1 (got \(threadCount))")
        }
        guard threadCount <= allowedPUCount else {
            throw WorkerPoolError(
                "worker pool: \(threadCount) threads asked for, but only \(allowedPUCount) processing unit(s) are allowed "
                + "(\(allowedPUList)); more spinning workers than processing units would stall each other")
        }
        if pin == .none {
            return (0..<threadCount).map { WorkerPlacement(worker: $0, coreIndex: nil, puOSIndexes: allowedPUs) }
        }
        let firstRound = min(threadCount, cores.count)
        let order = spreadCoreOrder(firstRound)
        // Slot list: (core, which of its PUs), one core each first, then the cores' further PUs.
        var slots: [(core: Int, pu: Int)] = order.map { ($0, 0) }
        var depth = 1
        while slots.count < threadCount {
            var added = false
            for c in order + cores.indices.filter({ !order.contains($0) }) where cores[c].puOSIndexes.count > depth {
                slots.append((c, depth))
                added = true
                if slots.count == threadCount { break }
            }
            depth += 1
            if !added && depth > 64 { break }
        }
        return slots.prefix(threadCount).enumerated().map { worker, slot in
            let core = cores[slot.core]
            let pus = pin == .core ? core.puOSIndexes : [core.puOSIndexes[slot.pu]]
            return WorkerPlacement(worker: worker, coreIndex: slot.core, puOSIndexes: pus)
        }
    }

    /// `count` distinct core positions, spread over packages and shared caches by `hwloc_distrib`
    /// (falls back to logical order without hwloc).
    func spreadCoreOrder(_ count: Int) -> [Int] {
        guard let t = handle, count > 0, count < cores.count, let root = hwloc_get_root_obj(t) else {
            return Array(0..<min(count, cores.count))
        }
        var roots: [hwloc_obj_t?] = [root]
        var sets = [hwloc_bitmap_t?](repeating: nil, count: count)
        let coreDepth = hwloc_get_type_depth(t, HWLOC_OBJ_CORE)
        let until = coreDepth >= 0 ? coreDepth : Int32.max
        let rc = roots.withUnsafeMutableBufferPointer { r in
            sets.withUnsafeMutableBufferPointer { s in
                hwloc_distrib(t, r.baseAddress, 1, s.baseAddress, UInt32(count), until, 0)
            }
        }
        defer { for s in sets where s != nil { hwloc_bitmap_free(s) } }
        guard rc == 0 else { return Array(0..<count) }
        var chosen: [Int] = []
        for s in sets {
            let first = Int(hwloc_bitmap_first(s))
            if let c = cores.firstIndex(where: { $0.puOSIndexes.contains(first) }), !chosen.contains(c) {
                chosen.append(c)
            }
        }
        for c in cores.indices where chosen.count < count && !chosen.contains(c) { chosen.append(c) }
        return chosen
    }
}
