import ArgumentParser
import CircuitGrad

/// `circuitgrad eval` (not built yet).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'eval' is not built yet")
    }
}
