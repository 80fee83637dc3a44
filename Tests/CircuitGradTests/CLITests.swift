import Foundation
import Testing
@testable import CircuitGrad

/// The `circuitgrad` executable end to end: the seeds' worked examples through `eval`, with
/// answers derived by hand in the comments; located errors; non-finite reports; NPY output;
/// `info --json`, `check`, and refusing to overwrite inputs.
@Suite(.serialized) struct CLITests {
    /// Writes `files` (name → text) into a fresh directory and returns its path.
    func scratch(_ tag: String, _ files: [String: String]) throws -> URL {
        let dir = try CommandRunner.temporaryDirectory(tag)
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    /// `eval` on `circuit` and a CSV batch; returns the results table parsed from standard output.
    func eval(_ circuit: String, batch: String?, _ extra: [String] = []) throws -> (SampleResultsTable, CommandRunner.Output, URL) {
        var files = ["c.circuit": circuit]
        if let batch { files["b.csv"] = batch }
        let dir = try scratch("eval", files)
        var args = ["eval", dir.appendingPathComponent("c.circuit").path]
        if batch != nil { args += ["--inputs", dir.appendingPathComponent("b.csv").path] }
        let out = try CommandRunner.run(CommandRunner.circuitgrad, args + extra.map { $0.replacingOccurrences(of: "$DIR", with: dir.path) })
        #expect(out.status == 0, "circuitgrad \(args.joined(separator: " ")): \(out.stderr)")
        let table = try SampleResultsTable.parse(Array(out.stdout.utf8), sourceName: "<stdout>")
        return (table, out, dir)
    }

    func row(_ t: SampleResultsTable, _ r: Int) -> [Double] {
        (0..<t.columnNames.count).map { t[r, $0] }
    }

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: CommandRunner.circuitgrad), "missing \(CommandRunner.circuitgrad)")
    }

    @Test func workedExampleFromTheExamplesFolder() throws {
        // f = (x+y)·z at (−2, 5, −4): f = 3·(−4) = −12; ∂f/∂x = ∂f/∂y = z = −4; ∂f/∂z = x+y = 3.
        let out = try CommandRunner.circuitgrad("eval", "Examples/worked.circuit", "--inputs", "Examples/worked.csv")
        #expect(out.status == 0)
        let t = try SampleResultsTable.parse(Array(out.stdout.utf8), sourceName: "<stdout>")
        #expect(t.columnNames == ["value", "d_x", "d_y", "d_z"])
        #expect(row(t, 0) == [-12, -4, -4, 3])
    }

    @Test func ratioWithImplicitFanOut() throws {
        // f = x/(x+y) at (−1, 2): s = 1, f = −1; ∂f/∂x = 1/s − x/s² = 1 + 1 = 2; ∂f/∂y = −x/s² = 1.
        let (t, _, dir) = try eval("circuit 1\ninput x y\ns = add x y\nf = div x s\noutput f\n", batch: "x,y\n-1,2\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(row(t, 0) == [-1, 2, 1])
    }

    @Test func scaledSumOfProductAndMax() throws {
        // f = 3·(x·y + max(z, w)) at (3, −4, 2, −1): max picks z; ∂f/∂x = 3y = −12, ∂f/∂y = 3x = 9,
        // ∂f/∂z = 3, ∂f/∂w = 0; f = 3·(−12 + 2) = −30. Columns in any order in the CSV header.
        let c = "circuit 1\ninput x y z w\np = mul x y\nm = max z w\ns = add p m\nf = scale s 3\noutput f\n"
        let (t, _, dir) = try eval(c, batch: "w,z,y,x\n-1,2,-4,3\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(row(t, 0) == [-30, -12, 9, 3, 0])
    }

    @Test func logisticNeuronWithParameterGradients() throws {
        // z = w0 + w1·x1 + w2·x2 = −3 + 2·(−1) + (−3)·(−2) = 1; f = σ(1); s' = σ(1)(1 − σ(1)).
        // ∂f/∂x1 = w1·s' = 2s', ∂f/∂x2 = w2·s' = −3s'; per sample ∂f/∂w0 = s', ∂f/∂w1 = x1·s' = −s',
        // ∂f/∂w2 = x2·s' = −2s'. Two identical samples: parameter gradients are exactly twice those.
        let (t, _, dir) = try eval(
            try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("Examples/neuron.circuit"), encoding: .utf8),
            batch: "x1,x2\n-1,-2\n-1,-2\n", ["--param-grads", "$DIR/pg.csv"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let sigma = 1 / (1 + Foundation.exp(-1.0))
        let sp = sigma * (1 - sigma)
        #expect(row(t, 0) == [sigma, 2 * sp, -3 * sp])
        #expect(row(t, 1) == row(t, 0))
        let pg = try ParamGradientsTable.read(contentsOf: dir.appendingPathComponent("pg.csv").path)
        #expect(pg.names == ["w0", "w1", "w2"])
        #expect(pg.gradients == [2 * sp, -2 * sp, -4 * sp])
    }

    @Test func multiplyNodeWithUpstreamFive() throws {
        // f = 5·(x·y) at (3, 4): the mul node gets upstream 5 and sends 5·4 = 20 to x and 5·3 = 15 to y.
        let (t, _, dir) = try eval("circuit 1\ninput x y\nm = mul x y\nf = scale m 5\noutput f\n", batch: "x,y\n3,4\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(row(t, 0) == [60, 20, 15])
    }

    @Test func sineAtHalfPiWithUpstreamTwo() throws {
        // f = 2·sin(x) at x = π/2: the sin node gets upstream 2 and sends 2·cos(π/2) (≈ 1.2e−16 in binary64).
        let halfPi = Double.pi / 2
        let (t, _, dir) = try eval("circuit 1\ninput x\ns = sin x\nf = scale s 2\noutput f\n", batch: "x\n\(halfPi)\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(row(t, 0) == [2 * Foundation.sin(halfPi), 2 * Foundation.cos(halfPi)])
    }

    @Test func squareThroughMulOfTheSameWireAndOutputFanOut() throws {
        // y = x·x read also by the output line: f = y, ∂f/∂x = 2x = 6 at x = 3 (x's two uses are two wires).
        let (t, _, dir) = try eval("circuit 1\noutput y\ny = mul x x\ninput x\n", batch: "x\n3\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(row(t, 0) == [9, 6])
    }

    @Test func circuitWithoutInputsIsEvaluatedOnce() throws {
        // f = 2.5·w with w = 4: value 10; ∂f/∂w = 2.5 (one evaluation).
        let (t, _, dir) = try eval("circuit 1\nparam w 4\nf = scale w 2.5\noutput f\n", batch: nil, ["--param-grads", "$DIR/pg.csv"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(t.columnNames == ["value"])
        #expect(t.rowCount == 1 && t[0, 0] == 10)
        #expect(try ParamGradientsTable.read(contentsOf: dir.appendingPathComponent("pg.csv").path).gradients == [2.5])
    }

    @Test(arguments: ["engine", "reference"])
    func npyOutputEqualsCSVOutput(evaluator: String) throws {
        let dir = try scratch("npy", [:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let npy = dir.appendingPathComponent("r.npy").path
        let a = try CommandRunner.circuitgrad("eval", "Examples/neuron.circuit", "--inputs", "Examples/neuron.csv", "--evaluator", evaluator)
        let b = try CommandRunner.circuitgrad("eval", "Examples/neuron.circuit", "--inputs", "Examples/neuron.csv", "--output", npy, "--evaluator", evaluator)
        #expect(a.status == 0 && b.status == 0)
        let csv = try SampleResultsTable.parse(Array(a.stdout.utf8), sourceName: "<stdout>")
        let fromNPY = try SampleResultsTable.read(contentsOf: npy)
        #expect(fromNPY.values.map(\.bitPattern) == csv.values.map(\.bitPattern))
    }

    @Test func malformedCircuitGetsALocatedError() throws {
        let dir = try scratch("bad", ["bad.circuit": "circuit 1\ninput x\ny = frob x\noutput y\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.circuit").path
        let out = try CommandRunner.circuitgrad("info", path)
        #expect(out.status != 0)
        #expect(out.stderr.contains("\(path):3:5:"), "\(out.stderr)")
        #expect(out.stderr.contains("frob"))
    }

    @Test func nonFiniteNodeIsNamedAndCheckFiniteFails() throws {
        // log(0.5) < 0, so sqrt of it is NaN: the first non-finite node is z (sqrt), sample 1.
        let c = "circuit 1\ninput x\ny = log x\nz = sqrt y\noutput z\n"
        let (t, out, dir) = try eval(c, batch: "x\n2\n0.5\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(t[1, 0].isNaN)
        #expect(out.stderr.contains("sample 1: node 'z' (sqrt) produced a non-finite value (nan)"), "\(out.stderr)")
        let strict = try CommandRunner.circuitgrad("eval", dir.appendingPathComponent("c.circuit").path,
                                                   "--inputs", dir.appendingPathComponent("b.csv").path, "--check-finite")
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("error: non-finite result"))
    }

    @Test func refusesToOverwriteItsInputs() throws {
        let dir = try scratch("keep", ["c.circuit": "circuit 1\ninput x\nf = neg x\noutput f\n", "b.csv": "x\n1\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let b = dir.appendingPathComponent("b.csv").path
        let out = try CommandRunner.circuitgrad("eval", dir.appendingPathComponent("c.circuit").path, "--inputs", b, "--output", b)
        #expect(out.status != 0)
        #expect(try String(contentsOfFile: b, encoding: .utf8) == "x\n1\n")
    }

    @Test func infoJSONCountsNodesAndSplitters() throws {
        let out = try CommandRunner.circuitgrad("info", "Examples/ratio.circuit", "--json")
        #expect(out.status == 0)
        // x/(x+y): 2 function nodes, x read twice → 1 inserted splitter, 2 levels.
        #expect(out.stdout.contains("\"functionNodes\":2"))
        #expect(out.stdout.contains("\"splitters\":{\"written\":0,\"inserted\":1}"))
        #expect(out.stdout.contains("\"levels\":2"))
    }

    /// `bench --inputs` times the given batch (its sample count, not --batch's default), and
    /// refuses --batch beside it.
    @Test func benchTimesTheGivenBatch() throws {
        let out = try CommandRunner.circuitgrad("bench", "Examples/neuron.circuit", "--inputs", "Examples/neuron.csv",
                                                "--threads", "1", "--reps", "1", "--json")
        #expect(out.status == 0, "\(out.stderr)")
        let samples = try String(contentsOfFile: "Examples/neuron.csv", encoding: .utf8).split(separator: "\n").count - 1
        #expect(out.stdout.contains("\"batch\":\(samples),"), "\(out.stdout)")
        #expect(out.stdout.contains("\"inputs\":\"Examples/neuron.csv\""), "\(out.stdout)")
        let both = try CommandRunner.circuitgrad("bench", "Examples/neuron.circuit", "--inputs", "Examples/neuron.csv", "--batch", "8")
        #expect(both.status == 64 && both.stderr.contains("--batch and --inputs cannot both be given"), "\(both.stderr)")
    }

    @Test func checkPassesOnTheExamples() throws {
        for name in ["worked", "ratio", "neuron"] {
            let out = try CommandRunner.circuitgrad("check", "Examples/\(name).circuit")
            #expect(out.status == 0, "\(name): \(out.stdout) \(out.stderr)")
            #expect(out.stdout.hasSuffix("PASS\n"))
        }
    }

    @Test func generatedCircuitsLoadCheckAndEvaluateFinite() throws {
        let dir = try scratch("gen", [:])
        defer { try? FileManager.default.removeItem(at: dir) }
        for kind in [["layered", "--nodes", "400"], ["mlp", "--layers", "3,5,2"], ["logistic", "--features", "4"],
                     ["tree", "--inputs", "16"], ["chain", "--nodes", "50"], ["grid", "--rows", "6", "--columns", "7"]] {
            let c = dir.appendingPathComponent("\(kind[0]).circuit").path, b = dir.appendingPathComponent("\(kind[0]).csv").path
            let gen = try CommandRunner.run(CommandRunner.circuitgrad, ["generate"] + kind + ["--seed", "3", "-o", c, "--batch", "5", "--batch-out", b, "--quiet"])
            #expect(gen.status == 0, "\(kind): \(gen.stderr)")
            let check = try CommandRunner.circuitgrad("check", c, "--inputs", b)
            #expect(check.status == 0, "\(kind): \(check.stdout)")
            let ev = try CommandRunner.circuitgrad("eval", c, "--inputs", b, "--check-finite")
            #expect(ev.status == 0, "\(kind): \(ev.stderr)")
        }
    }
}
