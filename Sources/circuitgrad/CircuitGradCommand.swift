import ArgumentParser
import CircuitGrad

/// The `circuitgrad` command: values and gradients of scalar circuits over batches (run by
/// ``CommandLineEntry``).
struct CircuitGradCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circuitgrad",
        abstract: "Batched values and reverse-mode gradients of scalar circuits, on every core.",
        discussion: """
            Circuits are .circuit text files (format version 1); batches are CSV or NPY. The file \
            formats are described in docs/format.md of the CircuitGrad source.

            """ + ExitStatus.helpText,
        version: CircuitGradVersion.current,
        subcommands: [
            ExampleCommand.self, EvalCommand.self, InfoCommand.self, CheckCommand.self,
            BenchCommand.self, GenerateCommand.self, TopologyCommand.self,
            TrainCommand.self, HVPCommand.self, BenchStepsCommand.self, DrawCommand.self, ConvertCommand.self,
        ])
}
