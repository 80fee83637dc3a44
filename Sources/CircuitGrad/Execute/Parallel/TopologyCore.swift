/// One physical core the process may run on.
public struct TopologyCore: Sendable, Hashable {
    /// Position in ``Topology/cores`` (hwloc logical order among the allowed cores).
    public let index: Int
    /// The operating system's number for the core, when hwloc knows it.
    public let osIndex: Int?
    /// Which package (socket) the core belongs to, as a position in package order.
    public let packageIndex: Int
    /// The allowed processing units (hardware threads) of the core, as OS indexes.
    public let puOSIndexes: [Int]
}
