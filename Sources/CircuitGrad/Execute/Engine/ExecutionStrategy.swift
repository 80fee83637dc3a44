/// How the engine runs one evaluation, as chosen for a batch from ``EvaluatorOptions/Strategy``
/// and the team: its raw value is the name `circuitgrad info` and `bench` print.
package enum ExecutionStrategy: String, Sendable, Hashable {
    /// One thread, every lane block in turn.
    case serial
    /// All workers on one block at a time, each level cut among them, barriers between levels.
    case levels
    /// Each worker evaluates whole lane blocks in its own rows; no barriers.
    case blocks
}
