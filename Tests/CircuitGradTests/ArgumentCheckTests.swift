import Foundation
import Testing
import CircuitGrad

/// Arguments a caller can get wrong at run time give an error or a documented value, never a
/// trap. A plain `import`: the package's own declarations (the reference evaluator, explicit
/// splits, check options) are visible to this test target too, so the consumer check in
/// scripts/check-consumer is what proves the example code needs nothing beyond the public API.
@Suite struct ArgumentCheckTests {
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func batchRowsOfTheWrongWidthThrowNamingTheRow() {
        let m = message { _ = try Batch(rows: [[1, 2], [3], [4, 5]], inputCount: 2) }
        #expect(m.contains("row 1 has 1 values") && m.contains("2 inputs"), "\(m)")
        #expect(message { _ = try Batch(rows: [[1, 2], [3, 4]], inputCount: 2) } == "")
    }

    @Test func batchValuesThatDoNotFillTheTableThrow() throws {
        #expect(message { _ = try Batch(sampleCount: 2, inputCount: 3, values: [1, 2, 3, 4, 5]) }
            .contains("5 values do not fill 2 samples × 3 inputs"))
        #expect(message { _ = try Batch(sampleCount: -1, inputCount: 0, values: []) }.contains("non-negative"))
        let empty = try Batch(sampleCount: 0, inputCount: 4, values: [])
        #expect(empty.sampleCount == 0 && empty.inputCount == 4)
    }

    @Test func sumAndProductOfNoneOrOneWireHaveDocumentedValues() throws {
        // f = x · sum([]) + product([]) + sum([x]) · product([y]) = x·0 + 1 + x·y.
        let b = CircuitBuilder()
        let x = b.input("x"), y = b.input("y")
        let f = x * b.sum([]) + b.product([]) + b.sum([x]) * b.product([y])
        let c = try b.build(output: f)
        let r = try ReferenceEvaluator(circuit: c).evaluate(try Batch(rows: [[3, 5]], inputCount: 2))
        #expect(r.values == [16])                            // 0 + 1 + 15
        #expect(Array(r.gradient(ofSample: 0)) == [5, 3])    // ∂/∂x = 0 + y, ∂/∂y = x
        #expect(c.nodeCount == 6)                            // const 0, mul, const 1, add, mul, add
    }

    @Test func aWireOfAnotherBuilderIsAnErrorAtBuild() {
        let one = CircuitBuilder(), two = CircuitBuilder()
        let x = one.input("x"), y = two.input("y")
        let m = message { _ = try one.build(output: x * y) }
        #expect(m.contains("reads wire 'y' of another CircuitBuilder"), "\(m)")
        #expect(message { _ = try two.build(output: x) }.contains("belongs to another CircuitBuilder"))
        // A split of a foreign wire, even one whose name exists here too, is refused.
        let three = CircuitBuilder()
        let y3 = three.input("y")
        let copies = three.split(y, into: ["a", "b"])
        let m3 = message { _ = try three.build(output: y3 * copies[0] * copies[1]) }
        #expect(m3.contains("split into a b reads wire 'y' of another CircuitBuilder"), "\(m3)")
        let four = CircuitBuilder()
        let z = four.input("z")
        let single = four.split(z, into: ["only"])
        #expect(message { _ = try four.build(output: single[0]) } != "")
    }

    @Test func aNegativeSampleLimitChecksNothingInsteadOfTrapping() throws {
        let b = CircuitBuilder()
        let x = b.input("x")
        let c = try b.build(output: Wire.sin(x))
        var options = GradientCheck.Options()
        options.sampleLimit = -3
        let report = try GradientCheck.run(ReferenceEvaluator(circuit: c), on: try Batch(rows: [[1], [2]], inputCount: 1),
                                           options: options)
        #expect(report.passed)
        options.sampleLimit = 1
        #expect(try GradientCheck.run(ReferenceEvaluator(circuit: c), on: try Batch(rows: [[1]], inputCount: 1),
                                      options: options).passed)
    }

    @Test func parameterValuesMustMatchTheParameters() throws {
        let b = CircuitBuilder()
        let w = b.param("w", 2), x = b.input("x")
        let c = try b.build(output: w * x)
        #expect(message { _ = try ReferenceEvaluator(circuit: c, paramValues: [1, 2]) }
            .contains("2 parameter values given but the circuit has 1 parameters"))
        let r = try ReferenceEvaluator(circuit: c, paramValues: [-3]).evaluate(try Batch(rows: [[4]], inputCount: 1))
        #expect(r.values == [-12] && r.paramGradients == [4])
    }

    @Test func writersRefuseNamesThatDoNotMatchAndLeaveNoFile() throws {
        let b = CircuitBuilder()
        let w = b.param("w", 2), x = b.input("x")
        let c = try b.build(output: w * x)
        let batch = try Batch(rows: [[1], [2]], inputCount: 1)
        let r = try CircuitEvaluator(circuit: c, options: EvaluatorOptions(threads: 1)).evaluate(batch)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-args-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.csv").path
        #expect(message { try ResultsWriter.writeSamples(r, inputNames: ["x", "y"], to: out) }.contains("2 input names"))
        #expect(message { try ResultsWriter.writeParamGradients(r, paramNames: [], to: out) }.contains("0 parameter names"))
        #expect(message { try BatchWriter.write(batch, inputNames: [], to: out) }.contains("0 input names"))
        #expect(!FileManager.default.fileExists(atPath: out))
        try BatchWriter.write(batch, inputNames: ["x"], to: out)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "x\n1.0\n2.0\n")
    }
}
