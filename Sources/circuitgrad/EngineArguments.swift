import ArgumentParser
import CircuitGrad

extension EvaluatorOptions.Strategy: ExpressibleByArgument {}
extension PinMode: ExpressibleByArgument {}

/// How the engine places and shares its work; shared by every command that runs the engine.
struct EngineArguments: ParsableArguments {
    @Option(help: "Pin workers to a physical core each, to a processing unit each, or not at all: core, pu, none.")
    var pin: PinMode = .core

    @Option(name: .customLong("lane-block"), help: "Samples per lane block: 1, or a power of two that is a multiple of 8 (default: chosen).")
    var laneBlock: Int?

    @Option(help: "How workers share an evaluation: auto, levels (cut each level), blocks (whole lane blocks each).")
    var strategy: EvaluatorOptions.Strategy = .auto

    func validate() throws {
        if let l = laneBlock, !CircuitEvaluator.isValidLaneBlock(l) {
            throw ValidationError("--lane-block must be 1 or a power of two that is a multiple of 8 (8 … \(CircuitEvaluator.largestLaneBlock)), got \(l)")
        }
    }

    /// The engine options these arguments describe, with `threads` workers (nil: one per allowed core).
    /// `evaluatesOnce`: the command evaluates one batch with it (``EvaluatorOptions/evaluatesOnce``).
    func options(threads: Int?, evaluatesOnce: Bool = false) -> EvaluatorOptions {
        var options = EvaluatorOptions(threads: threads, pin: pin, laneBlock: laneBlock, strategy: strategy)
        options.evaluatesOnce = evaluatesOnce
        return options
    }
}
