import Foundation
import Testing
@testable import CircuitGrad

/// `circuitgrad draw`: the node view's wire labels carry what `eval` and the reference sweeps
/// compute (read back from the SVG Graphviz makes), and large circuits get a bounded summary.
@Suite(.serialized) struct DrawTests {
    /// A wire's two label lines read back from an SVG: `NAME = VALUE` and `grad GRADIENT`.
    struct WireLabel {
        var name: String
        var value: Double
        var gradient: Double
    }

    /// The labels of every `<g id="wireN" class="edge">` group, by wire number.
    static func wireLabels(svg: String) throws -> [Int: WireLabel] {
        var labels = [Int: WireLabel]()
        for group in svg.components(separatedBy: "<g id=\"wire").dropFirst() {
            let number = try #require(Int(group.prefix { $0.isNumber }))
            let body = group.components(separatedBy: "</g>")[0]
            let texts = body.components(separatedBy: "<text").dropFirst().map { piece -> String in
                let inner = piece.split(separator: ">", maxSplits: 1)[1]
                return decodeEntities(String(inner.prefix { $0 != "<" }))
            }
            try #require(texts.count >= 2, "wire \(number): \(texts)")
            let first = texts[0].components(separatedBy: " = ")
            try #require(first.count == 2 && texts[1].hasPrefix("grad "), "wire \(number): \(texts)")
            labels[number] = WireLabel(name: first[0], value: try #require(Double(first[1])),
                                       gradient: try #require(Double(texts[1].dropFirst(5))))
        }
        return labels
    }

    static func decodeEntities(_ s: String) -> String {
        s.replacingOccurrences(of: "&#45;", with: "-").replacingOccurrences(of: "&#43;", with: "+")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("Wire labels carry eval's values and gradients", arguments: ["worked", "neuron", "ratio"])
    func wireLabelsCarryEvalResults(example: String) throws {
        let circuitPath = "Examples/\(example).circuit", batchPath = "Examples/\(example).csv"
        let root = CommandRunner.packageRoot.path + "/"
        let circuit = try CircuitReader.read(contentsOf: root + circuitPath)
        let batch = try Batch.read(contentsOf: root + batchPath, for: circuit)
        let eval = try CommandRunner.circuitgrad("eval", circuitPath, "--inputs", batchPath)
        let results = try SampleResultsTable.parse(Array(eval.stdout.utf8), sourceName: "eval")
        let dir = try CommandRunner.temporaryDirectory("draw")
        defer { try? FileManager.default.removeItem(at: dir) }
        for sample in 0..<batch.sampleCount {
            let svg = dir.appendingPathComponent("\(example)-\(sample).svg").path
            let out = try CommandRunner.circuitgrad("draw", circuitPath, "--inputs", batchPath, "--sample", "\(sample)", "--digits", "17", "-o", svg)
            #expect(out.status == 0, "\(out.stderr)")
            let labels = try Self.wireLabels(svg: try String(contentsOfFile: svg, encoding: .utf8))
            #expect(labels.count == circuit.wireCount)
            // Inputs carry the batch's values and eval's gradient columns; the output wire eval's value and 1.
            for i in 0..<circuit.inputCount {
                #expect(labels[i]?.name == circuit.inputNames[i])
                #expect(labels[i]?.value.bitPattern == batch[sample, i].bitPattern)
                #expect(labels[i]?.gradient.bitPattern == results[sample, 1 + i].bitPattern, "\(example) sample \(sample) d_\(circuit.inputNames[i])")
            }
            let output = Int(circuit.outputWire)
            #expect(labels[output]?.value.bitPattern == results[sample, 0].bitPattern && labels[output]?.gradient == 1)
            // Every other wire carries the reference sweeps' value and gradient.
            let trace = ReferenceEvaluator(circuit: circuit).trace(sample: sample, of: batch)
            for w in 0..<circuit.wireCount {
                #expect(labels[w]?.name == circuit.name(ofWire: w))
                #expect(labels[w]?.value.bitPattern == trace.values[Int(circuit.wireValue[w])].bitPattern, "\(example) wire \(w)")
                #expect(labels[w]?.gradient.bitPattern == trace.wireGradients[w].bitPattern, "\(example) wire \(w)")
            }
        }
    }

    @Test func workedExampleByHand() throws {
        // f = (x + y)·z at (−2, 5, −4): v1 = 3 with gradient z = −4, as the teaching figure shows.
        let out = try CommandRunner.circuitgrad("draw", "Examples/worked.circuit", "--inputs", "Examples/worked.csv", "-o", "-", "--format", "dot")
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("digraph circuit"))
        #expect(out.stdout.contains("v1 = 3</font><br/><font color=\"#b91c1c\">grad -4<"))
        #expect(out.stdout.contains("f = -12</font><br/><font color=\"#b91c1c\">grad 1<"))
    }

    @Test func summaryOfALargeCircuitIsBounded() throws {
        for (name, shape) in [("layered", LayeredShape(nodes: 100_000, width: 300) as any CircuitShape),
                              ("chain", ChainShape(length: 100_000))] {
            let c = try shape.circuit(seed: 5, progress: nil)
            let summary = LevelSummary(circuit: c)
            #expect(summary.bands.count == min(c.levelCount, LevelSummary.bandLimit), "\(name)")
            #expect(summary.bands.reduce(0) { $0 + $1.nodes } == c.nodeCount)
            #expect(summary.bands.first?.levels.lowerBound == 1 && summary.bands.last?.levels.upperBound == c.levelCount)
            let columns = summary.bands.count + 2
            var flows = 0
            for a in 0..<columns { for b in 0..<columns { flows += summary.flow(from: a, to: b) } }
            #expect(flows == c.args.count + 1, "every argument and the output line is one flow")
            let dot = summary.dot(title: name)
            #expect(dot.utf8.count < 32_000, "\(name): \(dot.utf8.count) bytes of DOT")
        }
    }

    @Test func automaticViewPicksTheSummaryForBigCircuitsAndDotLaysItOut() throws {
        let dir = try CommandRunner.temporaryDirectory("draw-big")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.cgb").path
        try BinaryCircuitWriter.write(try LayeredShape(nodes: 100_000, width: 300).circuit(seed: 3, progress: nil), to: path)
        let svg = dir.appendingPathComponent("big.svg").path
        let out = try CommandRunner.circuitgrad("draw", path, "-o", svg)
        #expect(out.status == 0, "\(out.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("summary view") && text.contains("where fan&#45;out concentrates"))
        let nodes = try CommandRunner.circuitgrad("draw", path, "-o", svg, "--view", "nodes")
        #expect(nodes.status != 0 && nodes.stderr.contains("--view summary"), "\(nodes.stderr)")
        let unknown = try CommandRunner.circuitgrad("draw", path, "-o", dir.appendingPathComponent("x.bmp").path)
        #expect(unknown.status != 0 && unknown.stderr.contains("--format"))
        let small = try CommandRunner.circuitgrad("draw", "Examples/neuron.circuit", "-o", svg, "--view", "summary")
        let smallSummary = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(small.status == 0 && smallSummary.contains("summary view"))
    }
}
