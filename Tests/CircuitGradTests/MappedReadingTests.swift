import Foundation
import Testing
@testable import CircuitGrad

/// Files of a megabyte or more are mapped instead of copied (`FileBytes.withContents`): what
/// the readers make of a mapped file must be exactly what they make of the same bytes in memory,
/// errors (with their line and column) included.
@Suite struct MappedReadingTests {
    /// A temporary file holding `bytes`; the caller removes it.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = try CommandRunner.temporaryDirectory("mapped")
        let path = dir.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    func remove(_ path: String) { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }

    @Test func bigCircuitsReadTheSameMappedAsInMemory() throws {
        let circuit = try CircuitGenerator.layered(LayeredShape(nodes: 60_000), seed: 4)
        let text = Array(try CircuitWriter.text(of: circuit).utf8)
        #expect(text.count >= FileBytes.mappingThreshold)
        let path = try file("big.circuit", text)
        defer { remove(path) }
        let mapped = try CircuitReader.read(contentsOf: path)
        #expect(try CircuitWriter.text(of: mapped) == CircuitWriter.text(of: circuit))
        // The binary form of the same circuit, also past the threshold.
        let binary = try BinaryCircuitWriter.bytes(of: circuit)
        #expect(binary.count >= FileBytes.mappingThreshold)
        let binaryPath = try file("big.cgb", binary)
        defer { remove(binaryPath) }
        #expect(try CircuitWriter.text(of: CircuitReader.read(contentsOf: binaryPath)) == CircuitWriter.text(of: circuit))
    }

    @Test func bigBatchesReadTheSameMappedAsInMemoryAndErrorsKeepTheirPlace() throws {
        let circuit = try CircuitReader.parse("circuit 1\ninput a b\nf = mul a b\noutput f\n", sourceName: "c")
        var random = GeneratorRandom(seed: 9)
        let rows = 60_000
        let values = (0..<(2 * rows)).map { _ in random.uniform(-1e3, 1e3) }
        var csv = "b,a\n"
        for r in 0..<rows { csv += "\(NumberText.format(values[2 * r + 1])),\(NumberText.format(values[2 * r]))\n" }
        #expect(csv.utf8.count >= FileBytes.mappingThreshold)
        let path = try file("big.csv", Array(csv.utf8))
        defer { remove(path) }
        let batch = try Batch.read(contentsOf: path, for: circuit)
        #expect(batch.sampleCount == rows && batch.values.map(\.bitPattern) == values.map(\.bitPattern))
        // NPY, C order, the same values.
        let npy = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (\(rows), 2), }", doubles: values)
        let npyPath = try file("big.npy", npy)
        defer { remove(npyPath) }
        #expect(try Batch.read(contentsOf: npyPath, for: circuit).values.map(\.bitPattern) == values.map(\.bitPattern))
        // A bad field near the end is reported at its line and column, as from memory.
        let broken = Array(csv.utf8.dropLast(2)) + Array("x\n".utf8)
        let brokenPath = try file("broken.csv", broken)
        defer { remove(brokenPath) }
        let fromFile = #expect(throws: CircuitError.self) { try Batch.read(contentsOf: brokenPath, for: circuit) }
        let fromMemory = #expect(throws: CircuitError.self) { try Batch.parse(broken, sourceName: brokenPath, for: circuit) }
        #expect(fromFile?.description == fromMemory?.description && fromFile?.description.contains(":\(rows + 1):") == true,
                "\(String(describing: fromFile))")
    }
}
