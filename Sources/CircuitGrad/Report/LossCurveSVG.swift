import Glibc

/// A loss curve as a small SVG picture: loss against step, on a logarithmic axis when every
/// loss is positive (so a fall by orders of magnitude reads as a straight drop), else linear.
/// Gridlines at each power of ten (or at five even steps), the step axis at five even steps.
public enum LossCurveSVG {
    /// The SVG text for losses `losses[k]` at steps `k + 1`, titled `title`.
    public static func text(losses: [Double], title: String) -> String {
        let width = 640.0, height = 400.0, left = 80.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let finite = losses.filter(\.isFinite)
        let logarithmic = !finite.isEmpty && finite.allSatisfy { $0 > 0 }
        func y(_ v: Double) -> Double { logarithmic ? log10(v) : v }
        var lo = finite.map(y).min() ?? 0, hi = finite.map(y).max() ?? 1
        if logarithmic { lo = floor(lo); hi = max(ceil(hi), lo + 1) } else if hi == lo { hi = lo + 1 }
        let n = max(losses.count, 2)
        func px(_ step: Int) -> Double { left + plotW * Double(step - 1) / Double(n - 1) }
        func py(_ v: Double) -> Double { top + plotH * (1 - (y(v) - lo) / (hi - lo)) }
        func f(_ x: Double) -> String { String(Double(Int((x * 10).rounded())) / 10) }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="22" text-anchor="middle" font-size="14">\(escape(title))</text>

            """
        // Horizontal gridlines and labels.
        let yTicks: [Double] = logarithmic ? (Int(lo)...Int(hi)).map { pow(10, Double($0)) }
            : (0...4).map { lo + (hi - lo) * Double($0) / 4 }
        for t in yTicks {
            let yy = f(py(t))
            out += "<line x1=\"\(f(left))\" y1=\"\(yy)\" x2=\"\(f(width - right))\" y2=\"\(yy)\" stroke=\"#ddd\"/>\n"
            let label = logarithmic ? "1e\(Int(log10(t).rounded()))" : NumberText.format(Double(Float(t)))
            out += "<text x=\"\(f(left - 6))\" y=\"\(yy)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(label)</text>\n"
        }
        // Step ticks.
        for k in 0...4 {
            let step = 1 + Int((Double(n - 1) * Double(k) / 4).rounded())
            out += "<text x=\"\(f(px(step)))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(step)</text>\n"
        }
        out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">step</text>\n"
        out += "<text transform=\"translate(16,\(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">loss\(logarithmic ? " (log scale)" : "")</text>\n"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#444\"/>\n"
        // The curve: one polyline per stretch of finite losses.
        var points: [String] = []
        func flush() {
            if points.count > 0 { out += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>\n" }
            points = []
        }
        for (k, v) in losses.enumerated() {
            if v.isFinite && (!logarithmic || v > 0) { points.append("\(f(px(k + 1))),\(f(py(v)))") } else { flush() }
        }
        flush()
        return out + "</svg>\n"
    }

    /// Writes the picture to `path` atomically.
    public static func write(losses: [Double], title: String, to path: String) throws {
        try AtomicFile.write(text(losses: losses, title: title), to: path)
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
