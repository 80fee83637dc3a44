@testable import CircuitGrad
import Foundation

/// The IEEE edge-case circuits (infinite inputs, NaN from log/sqrt/pow/div, kinks, ties, zeros
/// in mul), kept as files in `Examples/edge-cases/`: each `NAME.circuit` with its batch
/// `NAME.csv`. `scripts/crosscheck` runs the same files.
struct EdgeCase {
    let name: String
    let circuitPath: String
    let batchPath: String
    let circuit: Circuit
    let batch: Batch

    /// The folder of the edge cases.
    static let folder = CommandRunner.packageRoot.appendingPathComponent("Examples/edge-cases")

    /// Every edge case of the folder, by name; at least six (fewer means the folder was lost).
    static func all() throws -> [EdgeCase] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".circuit") }.map { String($0.dropLast(".circuit".count)) }.sorted()
        precondition(names.count >= 6, "Examples/edge-cases/ should hold the six IEEE edge cases")
        return try names.map { name in
            let c = folder.appendingPathComponent(name + ".circuit").path
            let b = folder.appendingPathComponent(name + ".csv").path
            let circuit = try CircuitReader.read(contentsOf: c)
            return EdgeCase(name: name, circuitPath: c, batchPath: b, circuit: circuit,
                            batch: try Batch.read(contentsOf: b, for: circuit))
        }
    }
}
