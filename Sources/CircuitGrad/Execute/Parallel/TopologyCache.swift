/// One cache level of one kind (for example "L2 unified"), summarised over the allowed part of the machine.
public struct TopologyCache: Sendable, Hashable {
    /// Short name such as `L1d`, `L1i`, `L2`, `L3`.
    public let name: String
    /// Cache level (1, 2, 3, ...).
    public let level: Int
    /// `data`, `instruction` or `unified`.
    public let kind: String
    /// Size of one instance in bytes.
    public let sizeBytes: Int
    /// Cache line size in bytes (0 when unknown).
    public let lineBytes: Int
    /// How many instances cover the allowed processing units.
    public let count: Int
}
