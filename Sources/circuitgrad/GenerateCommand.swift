import ArgumentParser
import CircuitGrad

/// `circuitgrad generate` (not built yet).
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'generate' is not built yet")
    }
}
