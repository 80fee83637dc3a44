import Foundation
import Testing

/// The Python tools of `scripts/` that tests run (`random_circuit.py`, `independent_eval.py`);
/// tests that need them are skipped where `python3` is missing.
enum PythonScripts {
    /// The `scripts/` folder.
    static let folder = CommandRunner.packageRoot.appendingPathComponent("scripts")

    /// A `python3` executable, or nil.
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs `scripts/SCRIPT` with `arguments`; expects it to succeed.
    static func run(_ script: String, _ arguments: [String]) throws {
        let out = try CommandRunner.run(python!, [folder.appendingPathComponent(script).path] + arguments)
        #expect(out.status == 0, "python3 \(script) \(arguments.joined(separator: " ")): \(out.stderr)")
    }
}
