import Testing
@testable import CircuitGrad

@Suite struct ResultIOTests {
    func sampleResult() -> EvaluationResult {
        var r = EvaluationResult(sampleCount: 3, inputCount: 2, paramCount: 2)
        r.values = [-12, .nan, Double.leastNonzeroMagnitude]
        r.inputGradients = [-4, -0.0, .infinity, -.infinity, Double("1e-320")!, 0.1]
        r.paramGradients = [0.25, -.infinity]
        return r
    }

    @Test func sampleCSVHasTheSpecColumnsAndRoundTrips() throws {
        let r = sampleResult()
        let text = ResultsWriter.sampleCSV(r, inputNames: ["x", "y"])
        #expect(text.hasPrefix("value,d_x,d_y\n-12.0,-4.0,-0.0\nnan,inf,-inf\n5e-324,1e-320,0.1\n"))
        let back = try SampleResultsTable.parse(Array(text.utf8), sourceName: "r.csv")
        #expect(back.columnNames == ["value", "d_x", "d_y"])
        let result = back.asResult()
        #expect(sameBits(result.values, r.values) && sameBits(result.inputGradients, r.inputGradients))
    }

    @Test func streamingCSVAndNPYFilesMatchTheWholeResult() throws {
        let r = sampleResult()
        let base = "/tmp/circuitgrad-results-\(getpidForTests())"
        try ResultsWriter.writeSamples(r, inputNames: ["x", "y"], to: base + ".csv")
        try ResultsWriter.writeSamples(r, inputNames: ["x", "y"], to: base + ".npy")
        let csv = try SampleResultsTable.read(contentsOf: base + ".csv")
        let npy = try SampleResultsTable.read(contentsOf: base + ".npy")
        #expect(sameBits(csv.values, npy.values))
        #expect(npy.rowCount == 3 && npy.columnNames.count == 3)
        #expect(sameBits(npy.asResult().inputGradients, r.inputGradients))
        // Data (3 × 3 doubles) starts on a 64-byte boundary after the header.
        let bytes = try FileBytes.read(base + ".npy")
        #expect((bytes.count - 9 * 8) % 64 == 0)
    }

    /// A results file written in parts (the header, then each process's rows) has the bytes of
    /// the file written whole, for CSV and NPY, however the samples are cut.
    @Test(arguments: ["r.csv", "r.NPY"])
    func headerAndRowsInPartsAreTheWholeFile(_ name: String) throws {
        let r = sampleResult()
        let base = "/tmp/circuitgrad-parts-\(getpidForTests())-" + name
        try ResultsWriter.writeSamples(r, inputNames: ["x", "y"], to: base)
        let whole = try FileBytes.read(base)
        for cuts in [[0, 3], [0, 1, 3], [0, 0, 2, 3], [0, 1, 2, 3]] {
            var parts = ResultsWriter.samplesHeader(sampleCount: 3, inputNames: ["x", "y"], path: name)
            for k in 1..<cuts.count {
                let out = BufferedOutput(collectingIn: name)
                try ResultsWriter.writeSampleRows(r, samples: cuts[k - 1]..<cuts[k], inputNames: ["x", "y"], path: name, to: out)
                let rows = out.takeBytes()
                #expect(ResultsWriter.sampleRowsLength(sampleCount: cuts[k] - cuts[k - 1], inputCount: 2, path: name) ?? rows.count == rows.count)
                parts += rows
            }
            #expect(parts == Array(whole), "cut at \(cuts)")
        }
    }

    @Test func paramGradientsCSVRoundTrips() throws {
        let r = sampleResult()
        let text = ResultsWriter.paramGradientsCSV(r, paramNames: ["w0", "w1"])
        #expect(text == "param,grad\nw0,0.25\nw1,-inf\n")
        let back = try ParamGradientsTable.parse(Array(text.utf8), sourceName: "p.csv")
        #expect(back.names == ["w0", "w1"] && back.gradients == [0.25, -.infinity])
        #expect(throws: CircuitError.self) { try ParamGradientsTable.parse(Array("name,value\n".utf8), sourceName: "p.csv") }
    }

    @Test func batchCSVRoundTripsThroughTheNumberWriter() throws {
        let c = try CircuitReader.parse("circuit 1\ninput a b\nf = add a b\noutput f\n", sourceName: "c")
        var rng = GeneratorRandom(seed: 9)
        var values: [Double] = [.infinity, -.infinity, -0.0, Double.leastNonzeroMagnitude, Double("1e-320")!]
        while values.count < 400 { let x = Double(bitPattern: rng.next()); if !x.isNaN { values.append(x) } }
        var text = "a,b\n"
        for k in stride(from: 0, to: values.count, by: 2) { text += NumberText.format(values[k]) + "," + NumberText.format(values[k + 1]) + "\n" }
        let b = try Batch.parse(Array(text.utf8), sourceName: "b.csv", for: c)
        #expect(b.values.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func atomicWriteLeavesTheOldFileWhenTheBodyFails() throws {
        let path = "/tmp/circuitgrad-atomic-\(getpidForTests()).txt"
        try AtomicFile.write("old\n", to: path)
        struct Boom: Error {}
        #expect(throws: Boom.self) { try AtomicFile.write(to: path) { out in out.write("partial"); throw Boom() } }
        #expect(try FileBytes.read(path) == Array("old\n".utf8))
    }

    @Test func bufferedOutputStreamsLargeTables() throws {
        let path = "/tmp/circuitgrad-stream-\(getpidForTests()).csv"
        let rows = 20000
        try AtomicFile.write(to: path) { out in
            let w = SampleResultsCSVWriter(inputNames: ["x"], output: out)
            for s in 0..<rows { w.appendRow(value: Double(s), gradient: [Double(-s)][...]) }
            try w.finish()
        }
        let t = try SampleResultsTable.read(contentsOf: path)
        #expect(t.rowCount == rows && t[rows - 1, 1] == -Double(rows - 1))
    }
}
