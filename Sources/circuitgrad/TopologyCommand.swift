import ArgumentParser
import CircuitGrad

/// `circuitgrad topology` (not built yet).
struct TopologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topology", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'topology' is not built yet")
    }
}
