/// A weighted choice of ops, written `add:4,mul:4,sin:1,exp:1` (an op without `:weight`
/// has weight 1). Drawing is deterministic: an integer below the total weight picks the op
/// whose cumulative weight covers it, in the order the ops were written.
package struct OpMix: Sendable, Hashable, CustomStringConvertible {
    /// The ops and their positive integer weights, in the order written.
    package let entries: [(op: Op, weight: Int)]
    private let cumulative: [Int]

    /// A mix from ops and weights; weights must be positive and ops distinct.
    package init(_ entries: [(op: Op, weight: Int)]) throws {
        guard !entries.isEmpty else { throw GeneratorError("an op mix needs at least one op") }
        var seen = Set<Op>()
        var running = 0
        var cumulative = [Int]()
        for (op, weight) in entries {
            guard weight > 0 else { throw GeneratorError("op mix: weight of '\(op.name)' must be a positive integer, got \(weight)") }
            guard seen.insert(op).inserted else { throw GeneratorError("op mix: '\(op.name)' is listed twice") }
            running += weight
            cumulative.append(running)
        }
        self.entries = entries
        self.cumulative = cumulative
    }

    /// Parses `add:4,mul:4,sin:1` (spaces around items are ignored).
    package init(parsing text: String) throws {
        var entries = [(op: Op, weight: Int)]()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            let name = parts[0].trimmingSpaces
            guard let op = Op(name: name) else {
                throw GeneratorError("op mix '\(text)': '\(name)' is not an op")
            }
            var weight = 1
            if parts.count == 2 {
                guard let w = Int(parts[1].trimmingSpaces), w > 0 else {
                    throw GeneratorError("op mix '\(text)': the weight of '\(name)' must be a positive integer, got '\(parts[1])'")
                }
                weight = w
            } else if parts.count > 2 {
                throw GeneratorError("op mix '\(text)': '\(item)' should read OP or OP:WEIGHT")
            }
            entries.append((op, weight))
        }
        try self.init(entries)
    }

    /// Throws unless every op of the mix is in `allowed`; `kind` names the generator in the message.
    package func require(only allowed: [Op], for kind: String) throws {
        for (op, _) in entries where !allowed.contains(op) {
            throw GeneratorError("the \(kind) generator cannot use '\(op.name)'; allowed ops: "
                                 + allowed.map(\.name).joined(separator: ", "))
        }
    }

    /// Sum of the weights.
    package var totalWeight: Int { cumulative.last! }

    /// Draws one op.
    package func draw(_ random: inout GeneratorRandom) -> Op {
        let r = random.index(below: totalWeight)
        var i = 0
        while cumulative[i] <= r { i += 1 }
        return entries[i].op
    }

    /// The mix as written: `add:4,mul:4`.
    package var description: String { entries.map { "\($0.op.name):\($0.weight)" }.joined(separator: ",") }

    package static func == (a: OpMix, b: OpMix) -> Bool { a.description == b.description }
    package func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
