import Foundation
import Testing
@testable import CircuitGrad

/// Generated circuits and batches as files: the same seed gives the same bytes, and what is
/// written reads back to the same circuit and the same batch bits.
@Suite("Generator files")
struct GeneratorFilesTests {
    /// FNV-1a 64 of the text's UTF-8 bytes (a stable hash for comparing written files).
    func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    @Test("Same seed: the same .circuit bytes; another seed: other bytes", arguments: GeneratorSamples.shapes.map(\.0))
    func sameBytes(kind: String) throws {
        let shape = try #require(GeneratorSamples.shapes.first { $0.0 == kind }?.1)
        let a = try CircuitWriter.text(of: shape.circuit(seed: 77))
        let b = try CircuitWriter.text(of: shape.circuit(seed: 77))
        #expect(fnv1a(a) == fnv1a(b) && a == b)
        let c = try CircuitWriter.text(of: shape.circuit(seed: 78))
        // Shapes without random choices or parameters write the same text for every seed.
        if !(kind == "tree" || kind == "grid") {
            #expect(a != c)
        }
    }

    @Test("The written text reads back to the same circuit", arguments: GeneratorSamples.shapes.map(\.0))
    func readsBack(kind: String) throws {
        let shape = try #require(GeneratorSamples.shapes.first { $0.0 == kind }?.1)
        let circuit = try shape.circuit(seed: 5)
        let text = try CircuitWriter.text(of: circuit)
        let reread = try CircuitReader.parse(text, sourceName: "\(kind).circuit")
        #expect(CircuitFingerprint(reread) == CircuitFingerprint(circuit))
        #expect(reread.nodeLevel == circuit.nodeLevel)
    }

    @Test("Batches written as CSV and NPY read back to the same bits")
    func batchRoundTrip() throws {
        let shape = MLPShape(layerSizes: [3, 4, 2])
        let circuit = try shape.circuit(seed: 8)
        let batch = try shape.batch(samples: 9, seed: 8)
        let directory = FileManager.default.temporaryDirectory.path + "/generator-files-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for format in BatchWriter.Format.allCases {
            let path = "\(directory)/batch.\(format.rawValue)"
            try BatchWriter.write(batch, inputNames: circuit.inputNames, format: format, to: path)
            let reread = try Batch.read(contentsOf: path, for: circuit)
            #expect(reread.values.map(\.bitPattern) == batch.values.map(\.bitPattern), "\(format)")
            #expect(reread.sampleCount == 9 && reread.inputCount == 5)
        }
        let csv = BatchWriter.csvText(batch, inputNames: circuit.inputNames)
        #expect(csv.hasPrefix("x0,x1,x2,y0,y1\n"))
        #expect(csv.split(separator: "\n").count == 10)
        #expect(BatchWriter.Format(path: "a.NPY") == .npy && BatchWriter.Format(path: "a.txt") == nil)
    }
}
