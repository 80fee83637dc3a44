import ArgumentParser
import CircuitGrad

/// The `circuitgrad` command: values and gradients of scalar circuits over batches.
@main
struct CircuitGradCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circuitgrad",
        abstract: "Batched values and reverse-mode gradients of scalar circuits, on every core.",
        discussion: ExitStatus.helpText,
        subcommands: [
            ExampleCommand.self, EvalCommand.self, InfoCommand.self, CheckCommand.self,
            BenchCommand.self, GenerateCommand.self, TopologyCommand.self,
        ])
}
