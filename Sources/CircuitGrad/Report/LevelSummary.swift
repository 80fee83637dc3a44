/// The shape of a large circuit level by level: how wide each level is, which ops it holds,
/// where fan-out concentrates and how many wires flow between levels. Consecutive levels
/// are grouped into at most ``bandLimit`` bands, so a deep circuit stays a readable picture.
///
/// Built in one pass over nodes and arguments (time and memory linear in the circuit, no
/// recursion); ``dot(title:outputValue:)`` draws it with Graphviz.
package struct LevelSummary: Sendable {
    /// Consecutive levels summarised together.
    package struct Band: Sendable {
        /// First and last level of the band (1-based, inclusive).
        package var levels: ClosedRange<Int>
        /// Function nodes in the band.
        package var nodes = 0
        /// Dead function nodes in the band (no path to the output).
        package var deadNodes = 0
        /// The widest level's node count.
        package var widestLevel = 0
        /// Node count of each op, indexed by ``Op/rawValue``.
        package var opCounts = [Int](repeating: 0, count: Op.allCases.count)
        /// Wires produced in the band that are read more than once.
        package var fanOutWires = 0
        /// The most uses of any one wire produced in the band.
        package var largestFanOut = 0
    }

    /// A wire read by many consumers.
    package struct FanOut: Sendable, Equatable {
        /// The wire's name.
        package var name: String
        /// Its level (0 for inputs and parameters).
        package var level: Int
        /// How many times it is read (node arguments and the output).
        package var uses: Int
    }

    /// The most bands a summary has.
    package static let bandLimit = 40
    /// The most wires listed in ``hotspots``.
    package static let hotspotLimit = 6

    /// Bands in level order.
    package let bands: [Band]
    /// Wires between bands, row-major by (from, to) over `bands.count + 2` columns: column 0
    /// is the inputs and parameters, `1...bands.count` the level bands, `bands.count + 1` the output.
    private let flowCounts: [Int]
    /// The wires read most often, most first.
    package let hotspots: [FanOut]
    /// Counts of the whole circuit.
    package let inputs: Int, params: Int, nodes: Int, splitters: Int, levels: Int
    /// The output wire's name and level.
    package let output: String, outputLevel: Int
    /// Inputs and parameters read more than once, and the most uses among them.
    package let sourceFanOutWires: Int, sourceLargestFanOut: Int

    /// How many wires go from column `from` to column `to`: column 0 is the inputs and
    /// parameters, `1...bands.count` the level bands, `bands.count + 1` the output.
    package func flow(from: Int, to: Int) -> Int { flowCounts[from * (bands.count + 2) + to] }

    /// Summarises `circuit`.
    package init(circuit c: Circuit) {
        let levelCount = c.levelCount
        let bandCount = Swift.min(levelCount, Self.bandLimit)
        let columns = bandCount + 2
        func band(ofLevel l: Int) -> Int { l == 0 ? 0 : 1 + (l - 1) * bandCount / Swift.max(levelCount, 1) }
        func level(ofValueWire v: Int) -> Int { v < c.firstNodeWire ? 0 : Int(c.nodeLevel[v - c.firstNodeWire]) }
        var bands = (0..<bandCount).map { b in
            Band(levels: (b * levelCount / bandCount + 1)...((b + 1) * levelCount / bandCount))
        }
        var flowCounts = [Int](repeating: 0, count: columns * columns)

        // Nodes, level widths, ops, and the wires each node reads.
        let widths = c.levelWidths
        for l in stride(from: 1, through: levelCount, by: 1) {
            let b = band(ofLevel: l) - 1
            bands[b].widestLevel = Swift.max(bands[b].widestLevel, widths[l])
        }
        var uses = [Int32](repeating: 0, count: c.valueCount)
        for n in 0..<c.nodeCount {
            let to = band(ofLevel: Int(c.nodeLevel[n]))
            bands[to - 1].nodes += 1
            bands[to - 1].opCounts[Int(c.ops[n].rawValue)] += 1
            if !c.nodeIsLive[n] { bands[to - 1].deadNodes += 1 }
            for a in c.arguments(of: n) {
                let v = Int(c.wireValue[Int(a)])
                uses[v] += 1
                flowCounts[band(ofLevel: level(ofValueWire: v)) * columns + to] += 1
            }
        }
        let outputValue = Int(c.wireValue[Int(c.outputWire)])
        uses[outputValue] += 1
        flowCounts[band(ofLevel: level(ofValueWire: outputValue)) * columns + bandCount + 1] += 1

        // Fan-out per band, and the wires read most often.
        var hotspots = [FanOut]()
        var sourceFanOutWires = 0, sourceLargestFanOut = 0
        for v in 0..<c.valueCount where uses[v] > 1 {
            let u = Int(uses[v]), b = band(ofLevel: level(ofValueWire: v))
            if b == 0 {
                sourceFanOutWires += 1
                sourceLargestFanOut = Swift.max(sourceLargestFanOut, u)
            } else {
                bands[b - 1].fanOutWires += 1
                bands[b - 1].largestFanOut = Swift.max(bands[b - 1].largestFanOut, u)
            }
            if hotspots.count < Self.hotspotLimit || u > hotspots[hotspots.count - 1].uses {
                let at = hotspots.firstIndex { $0.uses < u } ?? hotspots.count
                hotspots.insert(FanOut(name: c.name(ofWire: v), level: level(ofValueWire: v), uses: u), at: at)
                if hotspots.count > Self.hotspotLimit { hotspots.removeLast() }
            }
        }
        self.inputs = c.inputCount
        self.params = c.paramCount
        self.nodes = c.nodeCount
        self.splitters = c.splitterCount
        self.levels = levelCount
        self.bands = bands
        self.flowCounts = flowCounts
        self.hotspots = hotspots
        self.sourceFanOutWires = sourceFanOutWires
        self.sourceLargestFanOut = sourceLargestFanOut
        self.output = c.name(ofWire: Int(c.outputWire))
        self.outputLevel = level(ofValueWire: outputValue)
    }
}
