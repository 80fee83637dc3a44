import ArgumentParser
import CircuitGrad

/// `circuitgrad example` (not built yet).
struct ExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "example", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'example' is not built yet")
    }
}
