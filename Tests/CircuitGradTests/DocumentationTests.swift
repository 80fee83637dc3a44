import Foundation
import Testing
@testable import CircuitGrad

/// The documentation that ships with the code: it stays inside the repository, covers every op,
/// and the command line points to it and knows its version.
@Suite struct DocumentationTests {
    static let root = CommandRunner.packageRoot

    /// Every text file below `folder` (or the file itself), relative to the repository root.
    static func textFiles(_ folder: String) -> [String] {
        let url = root.appendingPathComponent(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
        if !isDirectory.boolValue { return [folder] }
        let names = FileManager.default.subpaths(atPath: url.path) ?? []
        let textExtensions: Set = ["md", "swift", "py", "sh", "txt", "csv", ""]
        return names.map { folder + "/" + $0 }.filter { path in
            let ext = (path as NSString).pathExtension
            var dir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &dir)
            return exists && !dir.boolValue && textExtensions.contains(ext)
        }
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func nothingPointsOutsideTheRepository() throws {
        var offenders: [String] = []
        for path in ["README.md", "docs", "Sources", "scripts"].flatMap(Self.textFiles) {
            guard let text = try? Self.text(path) else { continue }
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("../shared") || line.contains("/work/") {
                offenders.append("\(path):\(n + 1): \(line.prefix(120))")
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }

    @Test func theFormatDescribesEveryOp() throws {
        let format = try Self.text("docs/format.md")
        for op in Op.allCases {
            let row = op.takesConstant ? "| `\(op.name) c` |" : "| `\(op.name)` |"
            #expect(format.contains(row), "docs/format.md has no table row for \(op.name)")
        }
    }

    @Test func theCommandLinePointsToTheFormatAndKnowsItsVersion() throws {
        let version = try CommandRunner.circuitgrad("--version")
        #expect(version.status == 0 && version.stdout == CircuitGradVersion.current + "\n", "\(version)")
        #expect(CircuitGradVersion.current.split(separator: ".").count == 3
            && CircuitGradVersion.current.split(separator: ".").allSatisfy { Int($0) != nil })
        let help = try CommandRunner.circuitgrad("--help")
        #expect(help.stdout.contains("docs/format.md"), "\(help.stdout)")
    }
}
