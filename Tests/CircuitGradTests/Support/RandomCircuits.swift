#if canImport(Glibc)
import Glibc
#endif
@testable import CircuitGrad

/// The random circuits of the tests, built with ``CircuitBuilder`` from one seed:
///
/// - **every op** of `ops` (the first `ops.count` nodes take them in a shuffled order, later
///   nodes draw at random), with 2 to 4 arguments for the variadic ones;
/// - **fan-out and ties**: arguments come from the last `window` wires, so wires are read by
///   several nodes and by one node twice (the first `max`, `min` and `mul` always read one wire
///   twice, later ones now and then);
/// - **explicit splits**, now and then, of a recent wire (which may be a split output), and
///   always at least one **split of a split output**;
/// - **parameters**, `const` nodes and **dead nodes** (wires nothing reads are summed into the
///   output, except about a quarter of them and always the first).
///
/// Values stay finite and moderate on ``batch(for:samples:seed:)``'s inputs: the maker tracks
/// an interval for every wire and, before an op reads a wire, bounds it with `tanh` when its
/// magnitude may exceed 4, and makes it positive with `offset(abs(·), 0.5)` when the op needs
/// a positive argument (`log`, `sqrt`, `recip`, `div`'s divisor, `pow`'s and `powc`'s base).
enum RandomCircuits {
    /// Where ``batch(for:samples:seed:)`` draws inputs from.
    static let inputRange = -2.0...2.0
    /// Where parameter values are drawn from.
    static let paramRange = 0.5...1.5

    static func make(seed: UInt64, inputs: Int = 4, params: Int = 2, nodes: Int = 60,
                     ops: [Op] = Op.allCases, window: Int = 12) throws -> Circuit {
        var maker = Maker(seed: seed)
        return try maker.make(inputs: inputs, params: params, nodes: nodes, ops: ops, window: window)
    }

    /// `samples` rows of inputs drawn uniformly from ``inputRange``.
    static func batch(for c: Circuit, samples: Int, seed: UInt64) throws -> Batch {
        var g = GeneratorRandom(seed: seed, stream: 1)
        let values = (0..<(samples * c.inputCount)).map { _ in g.uniform(inputRange.lowerBound, inputRange.upperBound) }
        return try Batch(sampleCount: samples, inputCount: c.inputCount, values: values)
    }

    /// One circuit being drawn: the builder, the wires so far with their value intervals.
    private struct Maker {
        var g: GeneratorRandom
        let b = CircuitBuilder()
        var wires: [Wire] = []
        var bounds: [String: ClosedRange<Double>] = [:]
        var read = Set<String>()
        var splitOutputs: [Wire] = []
        var splitCount = 0
        var splitOfSplit = false

        init(seed: UInt64) { g = GeneratorRandom(seed: seed) }

        mutating func make(inputs: Int, params: Int, nodes: Int, ops: [Op], window: Int) throws -> Circuit {
            for i in 0..<inputs { add(b.input("x\(i)"), RandomCircuits.inputRange) }
            for p in 0..<params {
                let v = g.uniform(RandomCircuits.paramRange.lowerBound, RandomCircuits.paramRange.upperBound)
                add(b.param("w\(p)", v), v...v)
            }
            var firstUse = ops
            g.shuffle(&firstUse)
            firstUse.reverse()
            var tied = Set<Op>()
            for k in 0..<nodes {
                if g.index(below: 8) == 0 { split(recent(window)) }
                let op = firstUse.popLast() ?? ops[g.index(below: ops.count)]
                var args: [Wire] = []
                switch op.arity {
                case .exactly(let n): for _ in 0..<n { args.append(recent(window)) }
                case .atLeastTwo: for _ in 0..<(2 + g.index(below: 3)) { args.append(recent(window)) }
                }
                if [.max, .min, .mul].contains(op) && (!tied.contains(op) || g.index(below: 3) == 0) {
                    args[1] = args[0]   // one wire read twice: a tie for max/min, a square for mul
                    tied.insert(op)
                }
                let constant: Double
                switch op {
                case .powc: constant = [0.5, 2, 3, -1, 1.5][g.index(below: 5)]
                case .const: constant = g.uniform(-2, 2)
                default: constant = op.takesConstant ? g.uniform(-1.5, 1.5) : 0
                }
                args = guarded(args, for: op)
                for a in args { read.insert(a.name) }
                let w = b.node(op, args, constant: constant, name: "n\(k)")
                add(w, RandomCircuits.interval(op, args.map { bounds[$0.name]! }, constant: constant))
            }
            let last = wires[wires.count - 1]
            if !splitOfSplit {
                let source = splitOutputs.last ?? split(last)[0]
                split(source)
            }
            // Output: the last node plus the wires nothing reads yet, bounded; about a quarter of
            // them, and always the first unread node, are left dead.
            var tail = [last]
            let unread = wires.filter { !read.contains($0.name) && $0.name != last.name }
            let dead = unread.first { $0.name.hasPrefix("n") || $0.name.hasPrefix("_") }?.name
            for w in unread where w.name != dead && g.index(below: 4) != 0 { tail.append(w) }
            tail = tail.map { bounded($0) }
            return try b.build(output: tail.count == 1 ? b.node(.square, tail) : b.node(.add, tail))
        }

        mutating func add(_ w: Wire, _ range: ClosedRange<Double>) {
            wires.append(w)
            bounds[w.name] = range
        }

        mutating func recent(_ window: Int) -> Wire {
            wires[wires.count - 1 - g.index(below: Swift.min(window, wires.count))]
        }

        @discardableResult
        mutating func split(_ source: Wire) -> [Wire] {
            if splitOutputs.contains(where: { $0.name == source.name }) { splitOfSplit = true }
            let names = (0..<(2 + g.index(below: 2))).map { "s\(splitCount)_\($0)" }
            splitCount += 1
            read.insert(source.name)
            let outs = b.split(source, into: names)
            for o in outs { add(o, bounds[source.name]!) }
            splitOutputs += outs
            return outs
        }

        /// `args` made safe for `op`: positive where it needs that, bounded by 4 otherwise;
        /// a wire read twice gets one guard node, so it is still one wire read twice.
        mutating func guarded(_ args: [Wire], for op: Op) -> [Wire] {
            var made: [String: Wire] = [:]
            return args.enumerated().map { position, a in
                let needsPositive: Bool
                switch op {
                case .log, .sqrt, .recip, .pow, .powc: needsPositive = position == 0
                case .div: needsPositive = position == 1
                default: needsPositive = false
                }
                let key = (needsPositive ? "+" : "") + a.name
                if let m = made[key] { return m }
                let w = needsPositive ? positive(a) : bounded(a)
                made[key] = w
                return w
            }
        }

        /// `w` itself when its magnitude stays within 4, else `tanh(w)`.
        mutating func bounded(_ w: Wire) -> Wire {
            let r = bounds[w.name]!
            if Swift.max(Swift.abs(r.lowerBound), Swift.abs(r.upperBound)) <= 4 { return w }
            return node(.tanh, [w])
        }

        /// `w` itself when it stays within [0.25, 4.5], else `offset(abs(bounded w), 0.5)`.
        mutating func positive(_ w: Wire) -> Wire {
            let r = bounds[w.name]!
            if r.lowerBound >= 0.25 && r.upperBound <= 4.5 { return w }
            return node(.offset, [node(.abs, [bounded(w)])], constant: 0.5)
        }

        mutating func node(_ op: Op, _ args: [Wire], constant: Double = 0) -> Wire {
            for a in args { read.insert(a.name) }
            let w = b.node(op, args, constant: constant)
            add(w, RandomCircuits.interval(op, args.map { bounds[$0.name]! }, constant: constant))
            return w
        }
    }

    /// An interval holding `op`'s value whenever its arguments lie in `a` (positive where the
    /// maker made them so).
    static func interval(_ op: Op, _ a: [ClosedRange<Double>], constant c: Double) -> ClosedRange<Double> {
        func hull(_ xs: [Double]) -> ClosedRange<Double> { xs.min()!...xs.max()! }
        func monotone(_ r: ClosedRange<Double>, _ f: (Double) -> Double) -> ClosedRange<Double> {
            hull([f(r.lowerBound), f(r.upperBound)])
        }
        let x = a.first ?? c...c
        switch op {
        case .add: return a.map(\.lowerBound).reduce(0, +)...a.map(\.upperBound).reduce(0, +)
        case .sub: return (x.lowerBound - a[1].upperBound)...(x.upperBound - a[1].lowerBound)
        case .mul:
            return a.dropFirst().reduce(x) { p, r in
                hull([p.lowerBound * r.lowerBound, p.lowerBound * r.upperBound, p.upperBound * r.lowerBound, p.upperBound * r.upperBound])
            }
        case .div:
            return hull([x.lowerBound / a[1].lowerBound, x.lowerBound / a[1].upperBound,
                         x.upperBound / a[1].lowerBound, x.upperBound / a[1].upperBound])
        case .max: return a.map(\.lowerBound).max()!...a.map(\.upperBound).max()!
        case .min: return a.map(\.lowerBound).min()!...a.map(\.upperBound).min()!
        case .pow:
            return hull([Glibc.pow(x.lowerBound, a[1].lowerBound), Glibc.pow(x.lowerBound, a[1].upperBound),
                         Glibc.pow(x.upperBound, a[1].lowerBound), Glibc.pow(x.upperBound, a[1].upperBound)])
        case .const: return c...c
        case .neg: return monotone(x) { -$0 }
        case .recip: return monotone(x) { 1 / $0 }
        case .square:
            let m = Swift.max(x.lowerBound * x.lowerBound, x.upperBound * x.upperBound)
            return (x.contains(0) ? 0 : Swift.min(x.lowerBound * x.lowerBound, x.upperBound * x.upperBound))...m
        case .sqrt: return monotone(x) { $0.squareRoot() }
        case .exp: return monotone(x) { Glibc.exp($0) }
        case .log: return monotone(x) { Glibc.log($0) }
        case .sin, .cos: return -1...1
        case .tanh: return monotone(x) { Glibc.tanh($0) }
        case .sigmoid: return monotone(x) { 1 / (1 + Glibc.exp(-$0)) }
        case .relu: return monotone(x) { Swift.max($0, 0) }
        case .abs:
            let m = Swift.max(Swift.abs(x.lowerBound), Swift.abs(x.upperBound))
            return (x.contains(0) ? 0 : Swift.min(Swift.abs(x.lowerBound), Swift.abs(x.upperBound)))...m
        case .scale: return monotone(x) { c * $0 }
        case .offset: return monotone(x) { $0 + c }
        case .powc: return monotone(x) { Glibc.pow($0, c) }
        }
    }
}
