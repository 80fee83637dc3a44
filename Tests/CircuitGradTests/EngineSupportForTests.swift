@testable import CircuitGrad

/// A second, deliberately plain implementation for the engine tests: one sample at a time,
/// values by level, gradients by the model's definition read straight off `Circuit.consumer(of:)`
/// (a splitter's gradient is the sum of its outputs' gradients in output order), parameter
/// gradients summed over samples with ``PairwiseSum``.
struct PlainOracle {
    let circuit: Circuit

    func evaluate(_ batch: Batch) -> EvaluationResult {
        let c = circuit
        var result = EvaluationResult(sampleCount: batch.sampleCount, inputCount: c.inputCount, paramCount: c.paramCount)
        let order = (0..<c.nodeCount).sorted { (c.nodeLevel[$0], $0) < (c.nodeLevel[$1], $1) }
        var perSampleParam = [[Double]](repeating: [], count: c.paramCount)
        for s in 0..<batch.sampleCount {
            var value = [Double](repeating: 0, count: c.valueCount)
            for i in 0..<c.inputCount { value[i] = batch[s, i] }
            for p in 0..<c.paramCount { value[c.inputCount + p] = c.paramValues[p] }
            for n in order {
                let args = c.arguments(of: n).map { value[Int(c.wireValue[Int($0)])] }
                value[c.nodeWire(n)] = args.withUnsafeBufferPointer { c.ops[n].value($0, constant: c.constants[n]) }
            }
            // contribution[argument position in c.args]
            var contribution = [Double](repeating: 0, count: c.args.count)
            func gradient(ofWire w: Int) -> Double {
                switch c.consumer(of: w) {
                case .none: return 0
                case .output: return 1
                case .node(let n, let position): return contribution[Int(c.argStart[n]) + position]
                case .splitter(let sp):
                    let outs = Array(c.outputs(ofSplitter: sp))
                    var sum = gradient(ofWire: outs[0])
                    for o in outs.dropFirst() { sum += gradient(ofWire: o) }
                    return sum
                }
            }
            for n in order.reversed() where c.nodeIsLive[n] {
                let upstream = gradient(ofWire: c.nodeWire(n))
                let args = c.arguments(of: n).map { value[Int(c.wireValue[Int($0)])] }
                var partials = [Double](repeating: 0, count: args.count)
                args.withUnsafeBufferPointer { a in
                    partials.withUnsafeMutableBufferPointer { p in
                        c.ops[n].partials(a, value: value[c.nodeWire(n)], constant: c.constants[n], into: p)
                    }
                }
                for k in 0..<args.count { contribution[Int(c.argStart[n]) + k] = upstream * partials[k] }
            }
            result.values[s] = value[Int(c.wireValue[Int(c.outputWire)])]
            for i in 0..<c.inputCount { result.inputGradients[s * c.inputCount + i] = gradient(ofWire: i) }
            for p in 0..<c.paramCount { perSampleParam[p].append(gradient(ofWire: c.inputCount + p)) }
        }
        for p in 0..<c.paramCount { result.paramGradients[p] = PairwiseSum.sum(perSampleParam[p]) }
        return result
    }
}

/// Same bits, except that any NaN equals any NaN (compilers may pick either operand's NaN payload).
func sameBits(_ a: EvaluationResult, _ b: EvaluationResult) -> Bool {
    func same(_ x: [Double], _ y: [Double]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }
    return a.sampleCount == b.sampleCount && same(a.values, b.values)
        && same(a.inputGradients, b.inputGradients) && same(a.paramGradients, b.paramGradients)
}

/// Random circuits for the engine tests: every op, fan-out, explicit splits (and splits of
/// splits), parameters, constants and dead nodes.
enum RandomCircuits {
    static func make(seed: UInt64, inputs: Int = 4, params: Int = 2, nodes: Int = 60,
                     ops: [Op] = Op.allCases, window: Int = 12) throws -> Circuit {
        var g = GeneratorRandom(seed: seed)
        let b = CircuitBuilder()
        var wires: [Wire] = []
        for i in 0..<inputs { wires.append(b.input("x\(i)")) }
        for p in 0..<params { wires.append(b.param("w\(p)", Double.random(in: 0.5...1.5, using: &g))) }
        var splitCount = 0
        var used = Set<String>()
        for k in 0..<nodes {
            // Now and then an explicit split of a recent wire (it may itself be a split output).
            if !wires.isEmpty && Int.random(in: 0..<8, using: &g) == 0 {
                let src = wires[wires.count - 1 - Int.random(in: 0..<min(window, wires.count), using: &g)]
                let count = Int.random(in: 2...3, using: &g)
                let names = (0..<count).map { "s\(splitCount)_\($0)" }
                splitCount += 1
                used.insert(src.name)
                wires.append(contentsOf: b.split(src, into: names))
            }
            let op = ops[Int.random(in: 0..<ops.count, using: &g)]
            let argc: Int
            switch op.arity {
            case .exactly(let n): argc = n
            case .atLeastTwo: argc = Int.random(in: 2...4, using: &g)
            }
            var args: [Wire] = []
            for _ in 0..<argc {
                let back = Int.random(in: 0..<min(window, wires.count), using: &g)
                let w = wires[wires.count - 1 - back]
                used.insert(w.name)
                args.append(w)
            }
            // Keep logs, roots and powers mostly in their domain: read |a| + 0.5 instead.
            if [.log, .sqrt, .pow, .powc].contains(op) {
                args[0] = b.node(.offset, [b.node(.abs, [args[0]])], constant: 0.5)
            }
            let constant: Double
            switch op {
            case .powc: constant = [0.5, 2, 3, -1, 1.5][Int.random(in: 0..<5, using: &g)]
            case .const: constant = Double.random(in: -2...2, using: &g)
            default: constant = Double.random(in: -1.5...1.5, using: &g)
            }
            wires.append(b.node(op, args, constant: op.takesConstant ? constant : 0, name: "n\(k)"))
        }
        // Output: the sum of the last node and most wires nothing reads yet (the rest stay dead).
        var tail = [wires[wires.count - 1]]
        for w in wires.dropLast() where !used.contains(w.name) && Int.random(in: 0..<4, using: &g) != 0 {
            tail.append(w)
        }
        return try b.build(output: tail.count == 1 ? tail[0] * tail[0] : b.sum(tail))
    }

    static func batch(for c: Circuit, samples: Int, seed: UInt64) throws -> Batch {
        var g = GeneratorRandom(seed: seed)
        let values = (0..<(samples * c.inputCount)).map { _ in Double.random(in: 0.5...1.5, using: &g) }
        return try Batch(sampleCount: samples, inputCount: c.inputCount, values: values)
    }
}
