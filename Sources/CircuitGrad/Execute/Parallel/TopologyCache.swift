/// One cache level of one kind (for example "L2 unified"), summarised over the allowed part of the machine.
package struct TopologyCache: Sendable, Hashable {
    /// Short name such as `L1d`, `L1i`, `L2`, `L3`.
    package let name: String
    /// Cache level (1, 2, 3, ...).
    package let level: Int
    /// `data`, `instruction` or `unified`.
    package let kind: String
    /// Size of one instance in bytes.
    package let sizeBytes: Int
    /// Cache line size in bytes (0 when unknown).
    package let lineBytes: Int
    /// How many instances cover the allowed processing units.
    package let count: Int
}
