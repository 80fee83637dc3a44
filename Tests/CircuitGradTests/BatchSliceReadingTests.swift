import Foundation
import Testing
@testable import CircuitGrad

/// Reading one rank's rows of a batch: the same numbers as reading the whole file, and an
/// error in a row reported, at the file's own line and column, only by the slice holding it.
@Suite struct BatchSliceReadingTests {
    let circuit = try! CircuitReader.parse("circuit 1\ninput x y z\nv1 = add x y\nf = mul v1 z\noutput f\n", sourceName: "w")

    func write(_ text: String) throws -> String {
        let dir = try CommandRunner.temporaryDirectory("slice")
        let path = dir.appendingPathComponent("b.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A BOM, CR LF, blank lines and columns in another order than the circuit's inputs.
    let awkward = "\u{FEFF}z, x ,y\r\n\r\n1,2,3\r\n4,5,6\r\n  \r\n7,8,9\r\n10,11,12\r\n\r\n13,14,15\r\n"

    @Test func slicesAreTheRowsOfTheWholeBatch() throws {
        let path = try write(awkward)
        let whole = try Batch.read(contentsOf: path, for: circuit)
        #expect(whole.sampleCount == 5)
        for (lo, hi) in [(0, 5), (0, 2), (2, 5), (1, 4), (3, 3), (5, 5)] {
            let slice = try Batch.readSlice(contentsOf: path, for: circuit) { total in
                #expect(total == 5)
                return lo..<hi
            }
            #expect(slice.sampleCount == 5 && slice.samples == lo..<hi)
            #expect(slice.batch.values == Array(whole.values[(lo * 3)..<(hi * 3)]))
        }
    }

    @Test func aBadRowIsReportedOnlyByItsSliceAtItsOwnLine() throws {
        let path = try write(awkward.replacingOccurrences(of: "10,11,12", with: "10,1x,12"))
        var wholeError = ""
        do { _ = try Batch.read(contentsOf: path, for: circuit) } catch { wholeError = "\(error)" }
        #expect(wholeError.contains(":7:4:"), "\(wholeError)")
        var sliceError = ""
        do { _ = try Batch.readSlice(contentsOf: path, for: circuit) { _ in 3..<5 } } catch { sliceError = "\(error)" }
        #expect(sliceError == wholeError)
        let clean = try Batch.readSlice(contentsOf: path, for: circuit) { _ in 0..<3 }
        #expect(clean.batch.sampleCount == 3)
    }
}
