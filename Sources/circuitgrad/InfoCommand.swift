import ArgumentParser
import CircuitGrad

/// `circuitgrad info` (not built yet).
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'info' is not built yet")
    }
}
