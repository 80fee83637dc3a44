import CircuitGrad

/// How big a `generate` run's circuit will be, worked out from its options before anything is
/// built, so that a size no machine could hold is refused at once (exit 71) instead of aborting
/// in the allocator, or running for minutes first.
///
/// The estimate counts wires (function nodes, inputs and parameters; splitters are at most one
/// per wire); `CircuitGenerator.checkSize(wires:kind:)` holds it against the readers' limit and
/// the memory (the library's `CircuitGenerator.generate` checks its shapes the same way).
struct GenerationSize {
    /// Estimated wires (saturating at `Int.max`).
    let wires: Int

    /// The estimate for the options of `command`.
    init(of command: GenerateCommand) {
        typealias M = MemoryEstimate
        switch command.kind {
        case "layered":
            let nodes = max(command.nodes ?? 1000, 0)
            let root = Int(Double(nodes).squareRoot().rounded(.up))
            let width = command.width ?? root
            wires = M.sum(M.sum(nodes, max(width, 0)), M.sum(max(command.inputs ?? width, 0), max(command.params ?? 0, 0)))
        case "mlp":
            let sizes = (command.layers ?? "4,16,16,1").split(separator: ",").map { max(Int($0.filter { $0 != " " }) ?? 0, 0) }
            // Per layer: a weight parameter and a multiply per connection, a sum, a bias and an
            // activation per unit; then the loss per output.
            var total = sizes.first ?? 0
            for (a, b) in zip(sizes, sizes.dropFirst()) {
                total = M.sum(total, M.sum(M.product(3, M.product(a, b)), M.product(4, b)))
            }
            wires = M.sum(total, M.product(4, sizes.last ?? 0))
        case "logistic":
            wires = M.product(4, M.sum(max(command.features ?? 8, 0), 1))
        case "tree":
            let leaves = max(command.inputs ?? 1024, 0)
            wires = M.product(2, leaves)
        case "chain":
            wires = M.sum(max(command.nodes ?? 1000, 0), 1)
        default:
            let cells = M.product(max(command.rows ?? 32, 0), max(command.columns ?? 32, 0))
            wires = M.sum(M.product(3, cells), M.sum(max(command.rows ?? 32, 0), max(command.columns ?? 32, 0)))
        }
    }

    /// Refuses a circuit past the readers' limit or past the memory available.
    /// - Throws: ``CircuitError`` of kind `resourceLimit` naming the size and the limit.
    func check(kind: String) throws {
        try CircuitGenerator.checkSize(wires: wires, kind: kind)
    }
}
