import ArgumentParser
import CircuitGrad

/// `circuitgrad bench` (not built yet).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "(not built yet)")

    func run() throws {
        throw ValidationError("'bench' is not built yet")
    }
}
