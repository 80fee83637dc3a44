/// One physical core the process may run on.
package struct TopologyCore: Sendable, Hashable {
    /// Position in ``Topology/cores`` (hwloc logical order among the allowed cores).
    package let index: Int
    /// The operating system's number for the core, when hwloc knows it.
    package let osIndex: Int?
    /// Which package (socket) the core belongs to, as a position in package order.
    package let packageIndex: Int
    /// The allowed processing units (hardware threads) of the core, as OS indexes.
    package let puOSIndexes: [Int]
}
