/// A ``LevelSummary`` drawn as a Graphviz DOT graph, top to bottom: the inputs and
/// parameters first, one box per band of levels (its width grows with the band's widest
/// level, so the column of boxes reads as a histogram of width per level), the output last.
/// Arrows join consecutive bands and carry the larger flows that skip bands, thicker for more
/// wires; a note lists the wires read most often.
extension LevelSummary {
    /// The most arrows drawn; smaller flows are counted in a note instead.
    package static let flowLimit = 60

    /// The DOT text; `outputValue` (of one sample) is shown in the output box when given.
    package func dot(title: String, outputValue: String? = nil) -> String {
        var out = "digraph summary {\n"
        let heading = title + (title.isEmpty ? "" : "\n")
            + "\(grouped(nodes)) function nodes, \(grouped(splitters)) splitters, \(grouped(levels)) levels"
            + (levels > bands.count ? " in \(bands.count) bands" : "") + " (summary view)"
        out += "  graph [rankdir=TB, ranksep=0.3, nodesep=0.3, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=\(DotText.quoted(heading))];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=filled];\n  edge [fontname=\"Helvetica\", fontsize=9, color=\"#6b7280\"];\n"

        var sources = "inputs: \(grouped(inputs)), parameters: \(grouped(params))"
        if sourceFanOutWires > 0 { sources += "\\nread more than once: \(grouped(sourceFanOutWires)) (up to \(grouped(sourceLargestFanOut)) uses)" }
        out += "  b0 [id=\"sources\", fillcolor=\"#dbeafe\", label=\"\(sources)\"];\n"
        let widest = bands.map(\.widestLevel).max() ?? 1
        for (k, band) in bands.enumerated() {
            let range = band.levels.count == 1 ? "level \(band.levels.lowerBound)" : "levels \(band.levels.lowerBound)–\(band.levels.upperBound)"
            var text = "\(range): \(grouped(band.nodes)) nodes, widest level \(grouped(band.widestLevel))\\n" + opMix(band)
            var notes = [String]()
            if band.fanOutWires > 0 { notes.append("fan-out: \(grouped(band.fanOutWires)) wires, up to \(grouped(band.largestFanOut)) uses") }
            let within = flow(from: k + 1, to: k + 1)
            if within > 0 { notes.append("\(grouped(within)) wires within") }
            if band.deadNodes > 0 { notes.append("dead: \(grouped(band.deadNodes))") }
            if !notes.isEmpty { text += "\\n" + notes.joined(separator: "; ") }
            let width = 2.0 + 8.0 * Double(band.widestLevel) / Double(Swift.max(widest, 1))
            let fill = band.largestFanOut >= 8 ? "#fde68a" : "#f3f4f6"
            out += "  b\(k + 1) [id=\"band\(k + 1)\", fillcolor=\"\(fill)\", width=\(DotText.number(width, digits: 3)), label=\"\(text)\"];\n"
        }
        let last = bands.count + 1
        let outText = "output \(output) (level \(outputLevel))" + (outputValue.map { ", value \($0)" } ?? "")
        out += "  b\(last) [id=\"output\", fillcolor=\"#dcfce7\", label=\"\(outText)\"];\n"

        // Arrows: every flow between consecutive columns, then the largest ones that skip.
        var all = [(from: Int, to: Int, count: Int)]()
        for from in 0..<last {
            for to in (from + 1)...last where flow(from: from, to: to) > 0 { all.append((from, to, flow(from: from, to: to))) }
        }
        func rank(_ f: (from: Int, to: Int, count: Int)) -> (Int, Int, Int, Int) { (f.to - f.from == 1 ? 1 : 0, f.count, -f.from, -f.to) }
        all.sort { rank($0) > rank($1) }
        let most = all.map(\.count).max() ?? 1
        for f in all.prefix(Self.flowLimit) {
            let width = 0.6 + 4.0 * Double(f.count) / Double(most)
            let skip = f.to - f.from > 1 ? ", constraint=false, style=dashed" : ""
            out += "  b\(f.from) -> b\(f.to) [label=\"\(grouped(f.count))\", penwidth=\(DotText.number(width, digits: 3))\(skip)];\n"
        }
        for k in 0..<last where flow(from: k, to: k + 1) == 0 { out += "  b\(k) -> b\(k + 1) [style=invis];\n" }
        var note = "where fan-out concentrates:\\l"
        for h in hotspots { note += "\(h.name) (level \(h.level)): \(grouped(h.uses)) uses\\l" }
        if hotspots.isEmpty { note += "no wire is read more than once\\l" }
        if all.count > Self.flowLimit { note += "\(all.count - Self.flowLimit) smaller flows that skip bands not drawn\\l" }
        out += "  note [id=\"fanout\", shape=note, fillcolor=\"#fff7ed\", label=\"\(note)\"];\n"
        out += "  b0 -> note [style=invis];\n}\n"
        return out
    }

    /// The band's ops, most frequent first, as percentages (the rest summed as `other`).
    private func opMix(_ band: Band) -> String {
        let ranked = Op.allCases.map { ($0, band.opCounts[Int($0.rawValue)]) }.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
        let total = Swift.max(band.nodes, 1)
        var parts = ranked.prefix(4).map { "\($0.0.name) \(percent($0.1, of: total))" }
        let rest = ranked.dropFirst(4).reduce(0) { $0 + $1.1 }
        if rest > 0 { parts.append("other \(percent(rest, of: total))") }
        return parts.joined(separator: ", ")
    }

    private func percent(_ n: Int, of total: Int) -> String {
        let p = 100 * Double(n) / Double(total)
        return p >= 1 || n == 0 ? "\(Int(p.rounded()))%" : "<1%"
    }

    /// `n` with thin groups of three digits: `12,345`.
    private func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, ch) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
