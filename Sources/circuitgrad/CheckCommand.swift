import ArgumentParser
import CircuitGrad

/// `circuitgrad check` (not built yet).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'check' is not built yet")
    }
}
