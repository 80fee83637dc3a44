/// How the workers of a ``CircuitEvaluator`` are pinned (``EvaluatorOptions``).
///
/// - `core`: each worker is bound to one physical core (all of that core's allowed hardware
///   threads); workers go to distinct cores first, spread with `hwloc_distrib`.
/// - `pu`: each worker is bound to a single processing unit (hardware thread): first one per
///   core in the same order as `core`, then the cores' further hardware threads.
/// - `none`: no pinning; workers are bound to the whole allowed set, which undoes any mask
///   inherited from the thread that started them.
public enum PinMode: String, Sendable, CaseIterable {
    /// One worker per physical core, bound to that core.
    case core
    /// One worker per processing unit (hardware thread), bound to that unit.
    case pu
    /// Unpinned: bound to every allowed processing unit.
    case none
}
