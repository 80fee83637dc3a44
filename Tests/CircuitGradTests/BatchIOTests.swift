import Testing
@testable import CircuitGrad
#if canImport(Glibc)
import Glibc
#endif

func getpidForTests() -> Int32 { getpid() }

/// Parsing a CSV batch must fail at `line`:`column` with a message containing `fragment`.
func expectBatchError(
    _ text: String, for circuit: Circuit, line: Int32, column: Int32, _ fragment: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    do {
        _ = try Batch.parse(Array(text.utf8), sourceName: "b.csv", for: circuit)
        Issue.record("expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
    } catch let e as CircuitError {
        #expect(e.file == "b.csv", sourceLocation: sourceLocation)
        #expect(e.location.line == line && e.location.column == column, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

/// A little NPY file written by hand (independent of the results writer).
func npyBytes(header: String, major: UInt8 = 1, doubles: [Double]) -> [UInt8] {
    var h = Array(header.utf8)
    let prefix = major == 1 ? 10 : 12
    while (prefix + h.count + 1) % 64 != 0 { h.append(0x20) }
    h.append(0x0A)
    var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0]
    if major == 1 { out += [UInt8(h.count & 0xFF), UInt8(h.count >> 8)] } else { out += [UInt8(h.count & 0xFF), UInt8(h.count >> 8), 0, 0] }
    out += h
    for d in doubles { withUnsafeBytes(of: d.bitPattern.littleEndian) { out += $0 } }
    return out
}

@Suite struct BatchIOTests {
    let worked = try! CircuitReader.parse("circuit 1\ninput x y z\nv1 = add x y\nf = mul v1 z\noutput f\n", sourceName: "w")

    @Test func csvColumnsInAnyOrderMapToDeclarationOrder() throws {
        let b = try Batch.parse(Array("z,x,y\n-4,-2,5\n3,1,2\n".utf8), sourceName: "b.csv", for: worked)
        #expect(b.sampleCount == 2 && b.inputCount == 3)
        #expect(b.values == [-2, 5, -4, 1, 2, 3])
    }

    @Test func csvLayoutChoices() throws {
        let expected: [Double] = [-2, 5, -4, 1, .infinity, -.infinity]
        let variants = [
            "x,y,z\n-2,5,-4\n1,inf,-inf",                          // no trailing newline
            "\u{FEFF}x,y,z\r\n-2,5,-4\r\n1,inf,-inf\r\n",           // BOM and CRLF
            " x , y,\tz\n\n-2 ,5, -4\n  \n1,+inf,-inf\n\n",           // spaces, tabs, blank lines
        ]
        for v in variants {
            let b = try Batch.parse(Array(v.utf8), sourceName: "b.csv", for: worked)
            #expect(b.values.map(\.bitPattern) == expected.map(\.bitPattern), "\(v.debugDescription)")
        }
        let empty = try Batch.parse(Array("x,y,z\n".utf8), sourceName: "b.csv", for: worked)
        #expect(empty.sampleCount == 0)
    }

    @Test func csvErrorsAreLocated() {
        expectBatchError("", for: worked, line: 0, column: 0, "the file is empty")
        expectBatchError("x,y\n1,2\n", for: worked, line: 1, column: 0, "lacks column for input wire z")
        expectBatchError("x,y,z,w\n", for: worked, line: 1, column: 7, "column 'w' is not an input wire")
        expectBatchError("x,y,x,z\n", for: worked, line: 1, column: 5, "column 'x' appears twice")
        expectBatchError("x,y,z\n1,2\n", for: worked, line: 2, column: 4, "this row has 2 fields, the header has 3")
        expectBatchError("x,y,z\n1,2,3,4\n", for: worked, line: 2, column: 7, "more than the header's 3 fields")
        expectBatchError("x,y,z\n1,,3\n", for: worked, line: 2, column: 3, "empty field in column 'y'")
        expectBatchError("x,y,z\n1,2,nan\n", for: worked, line: 2, column: 5, "NaN cannot be given")
        expectBatchError("x,y,z\n1,2,3\n1e999,2,3\n", for: worked, line: 3, column: 1, "overflows binary64")
        expectBatchError("x,y,z\n1,0x2,3\n", for: worked, line: 2, column: 3, "hexadecimal")
        expectBatchError("# x,y,z\n1,2,3\n", for: worked, line: 1, column: 1, "comments are not allowed")
        expectBatchError("\"x\",y,z\n", for: worked, line: 1, column: 1, "quoted column names")
        expectBatchError("x,y,z\n1,2\r3\n", for: worked, line: 2, column: 4, "carriage return")
    }

    @Test func circuitWithoutInputsNeedsNoBatch() throws {
        let c = try CircuitReader.parse("circuit 1\nk = const 2\noutput k\n", sourceName: "k")
        expectBatchError("a\n1\n", for: c, line: 0, column: 0, "needs no batch")
        let b = try Batch.parse(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 0), }", doubles: []), sourceName: "b.npy", for: c)
        #expect(b.sampleCount == 3 && b.inputCount == 0)
    }

    @Test func npyCAndFortranOrder() throws {
        let rows: [[Double]] = [[-2, 5, -4], [1, -0.0, 5e-324]]
        let c = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", doubles: rows.flatMap { $0 })
        let f = npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", major: 2,
                         doubles: [rows[0][0], rows[1][0], rows[0][1], rows[1][1], rows[0][2], rows[1][2]])
        for bytes in [c, f] {
            let b = try Batch.parse(bytes, sourceName: "b.npy", for: worked)
            #expect(b.values.map(\.bitPattern) == rows.flatMap { $0 }.map(\.bitPattern))
        }
    }

    @Test func npyErrorsSayWhatIsWrong() {
        func expectNPY(_ bytes: [UInt8], _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            do {
                _ = try Batch.parse(bytes, sourceName: "b.npy", for: worked)
                Issue.record("expected \(fragment)", sourceLocation: sourceLocation)
            } catch let e as CircuitError {
                #expect(e.file == "b.npy" && e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
            } catch { Issue.record("\(error)", sourceLocation: sourceLocation) }
        }
        expectNPY(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }", doubles: []), "element type '<f4'")
        expectNPY(npyBytes(header: "{'descr': '>f8', 'fortran_order': False, 'shape': (1, 3), }", doubles: [1, 2, 3]), "big-endian")
        expectNPY(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", doubles: [1, 2, 3]), "1 dimension")
        expectNPY(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", doubles: [1, 2]), "the circuit has 3 input wires")
        expectNPY(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", doubles: [1, 2, 3]), "needs 48 data bytes, the file has 24")
        expectNPY(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }", doubles: [1, .nan, 3]), "NaN at row 1, column 2")
        expectNPY(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 3), }", doubles: []), "too large")
        expectNPY(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 3), }", doubles: []), "needs more data bytes")
        expectNPY(npyBytes(header: "{'descr': '<f8', 'fortran_order': maybe, 'shape': (1, 3), }", doubles: [1, 2, 3]), "must be True or False")
        expectNPY([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 9, 0, 0, 0], "unsupported format version 9.0")
        expectNPY([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 200, 0], "ends inside the header")
    }

    @Test func npyNeverCrashesOnMutations() {
        var rng = SplitMix(seed: 5)
        let good = npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", doubles: [1, 2, 3, 4, 5, 6])
        for _ in 0..<3000 {
            var b = good
            for _ in 0..<Int(1 + rng.next() % 3) {
                let at = Int(rng.next() % UInt64(b.count))
                switch rng.next() % 3 {
                case 0: b[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: b.remove(at: at)
                default: b = Array(b[0..<at])
                }
                if b.isEmpty { break }
            }
            _ = try? Batch.parse(b, sourceName: "m.npy", for: worked)
        }
    }

    @Test func exampleBatchesRead() throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0] + "/Examples/"
        for name in ["worked", "neuron", "ratio"] {
            let c = try CircuitReader.read(contentsOf: root + name + ".circuit")
            let b = try Batch.read(contentsOf: root + name + ".csv", for: c)
            #expect(b.sampleCount == 3 && b.inputCount == c.inputCount)
        }
        let w = try Batch.read(contentsOf: root + "worked.csv", for: worked)
        #expect(Array(w.row(0)) == [-2, 5, -4])
    }
}
