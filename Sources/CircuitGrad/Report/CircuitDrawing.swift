/// A circuit drawn node by node as a Graphviz DOT graph, the way backpropagation is taught:
/// inputs on the left, the output on the right, one column per dependency level; function
/// nodes labelled by their op, splitters drawn as junction dots, parameters in a box of their
/// own, and every wire labelled with its name and forward value and, below, its gradient
/// (`∂output/∂wire`) for one sample.
///
/// In the SVG Graphviz makes of it, wire `w` is the edge `<g id="wireW" class="edge">`
/// whose two `<text>` elements read `NAME = VALUE` and `grad GRADIENT`. All loops are
/// iterative; the size of the text is linear in the circuit's.
package struct CircuitDrawing {
    /// The circuit drawn.
    package let circuit: Circuit
    /// Values and gradients of one sample, or nil to label wires by name only.
    package let trace: ReferenceEvaluator.SampleTrace?
    /// Significant digits of the numbers shown (17 reads back exactly).
    package let digits: Int
    /// A title line (file name, sample).
    package let title: String

    /// Above this many function nodes and splitters a node-level picture is unreadable, and
    /// the automatic view draws a ``LevelSummary`` instead.
    package static let automaticLimit = 300

    /// A drawing of `circuit`, labelled from `trace` when given.
    package init(circuit: Circuit, trace: ReferenceEvaluator.SampleTrace?, digits: Int = 4, title: String = "") {
        self.circuit = circuit
        self.trace = trace
        self.digits = digits
        self.title = title
    }

    /// The DOT text.
    package func dot() -> String {
        let c = circuit
        var out = "digraph circuit {\n"
        out += "  graph [rankdir=LR, ranksep=0.7, nodesep=0.25, fontname=\"Helvetica\", labelloc=t, fontsize=12"
        out += title.isEmpty ? "];\n" : ", label=\(DotText.quoted(title))];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.6];\n"

        out += "  { rank=min;\n"
        for i in 0..<c.inputCount {
            out += "    i\(i) [id=\"input\(i)\", shape=box, style=\"rounded,filled\", fillcolor=\"#dbeafe\", label=\(DotText.quoted(c.inputNames[i]))];\n"
        }
        out += "  }\n"
        if c.paramCount > 0 {
            out += "  subgraph cluster_params {\n    label=\"parameters\"; style=dashed; color=\"#b45309\"; fontcolor=\"#b45309\";\n"
            for p in 0..<c.paramCount {
                let label = c.paramNames[p] + " = " + number(c.paramValues[p])
                out += "    p\(p) [id=\"param\(p)\", shape=box, style=\"filled\", fillcolor=\"#fef3c7\", label=\(DotText.quoted(label))];\n"
            }
            out += "  }\n"
        }

        // Function nodes, one column (rank) per level.
        var nodesOfLevel = [[Int]](repeating: [], count: c.levelCount + 1)
        for n in 0..<c.nodeCount { nodesOfLevel[Int(c.nodeLevel[n])].append(n) }
        for level in stride(from: 1, through: c.levelCount, by: 1) {
            out += "  { rank=same;\n"
            for n in nodesOfLevel[level] {
                let op = c.ops[n]
                let label = op.takesConstant ? "\(op.name) \(number(c.constants[n]))" : op.name
                let style = c.nodeIsLive[n] ? "shape=ellipse" : "shape=ellipse, style=dashed, color=gray50, fontcolor=gray50"
                out += "    n\(n) [id=\"node\(n)\", \(style), label=\(DotText.quoted(label))];\n"
            }
            out += "  }\n"
        }
        for s in 0..<c.splitterCount {
            out += "  s\(s) [id=\"splitter\(s)\", shape=point, width=0.09, color=\"#374151\"];\n"
        }
        out += "  out [id=\"output\", shape=box, style=\"filled\", fillcolor=\"#dcfce7\", label=\"output\"];\n  { rank=max; out; }\n"

        // One edge per wire, from its producer to its single consumer.
        for w in 0..<c.wireCount {
            let head: String
            var attributes = ""
            switch c.consumer(of: w) {
            case .none:
                out += "  end\(w) [shape=point, width=0.03, color=gray60];\n"
                head = "end\(w)"
                attributes = ", style=dashed, color=gray60"
            case .output:
                head = "out"
            case .node(let n, let position):
                head = "n\(n)"
                if c.arguments(of: n).count == 2, [.sub, .div, .pow].contains(c.ops[n]) {
                    attributes = ", headlabel=\"\(position == 0 ? "a" : "b")\", labelfontsize=8"
                }
            case .splitter(let s):
                head = "s\(s)"
            }
            out += "  \(tail(of: w)) -> \(head) [id=\"wire\(w)\", label=\(label(of: w))\(attributes)];\n"
        }
        out += "}\n"
        return out
    }

    /// The DOT id of the shape that drives `wire`.
    private func tail(of wire: Int) -> String {
        switch circuit.producer(of: wire) {
        case .input(let i): return "i\(i)"
        case .param(let p): return "p\(p)"
        case .node(let n): return "n\(n)"
        case .splitter(let s, _): return "s\(s)"
        }
    }

    /// The wire's label: `NAME = VALUE` over `grad GRADIENT` (name only without a trace).
    private func label(of wire: Int) -> String {
        let name = DotText.escapedHTML(circuit.name(ofWire: wire))
        guard let t = trace else { return "<\(name)>" }
        let value = number(t.values[Int(circuit.wireValue[wire])])
        let gradient = number(t.wireGradients[wire])
        return "<<font color=\"#15803d\">\(name) = \(value)</font><br/><font color=\"#b91c1c\">grad \(gradient)</font>>"
    }

    /// `x` with ``digits`` significant digits (`%.*g`), or `nan`, `inf`, `-inf`.
    func number(_ x: Double) -> String { DotText.number(x, digits: digits) }
}
