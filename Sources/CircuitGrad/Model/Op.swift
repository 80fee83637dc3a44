/// The scalar functions a function node can apply (the spec's table of ops). Each op's
/// definition (arity, value, partials, lane kernels, cost) is its rule, `Sources/CircuitGrad/Ops`.
///
/// The raw value is the op code stored in ``Circuit/ops``; it never changes for
/// an existing op, so plans and files built from it stay valid.
public enum Op: UInt8, CaseIterable, Sendable, Hashable {
    case add, sub, mul, div, neg, recip, square, sqrt, exp, log, sin, cos, tanh
    case sigmoid, relu, abs, max, min, pow, scale, offset, powc, const

    /// How many wire arguments an op takes.
    public enum Arity: Sendable, Hashable {
        /// Exactly this many wires.
        case exactly(Int)
        /// Two or more wires.
        case atLeastTwo

        /// Whether `count` wire arguments are allowed.
        public func accepts(_ count: Int) -> Bool {
            switch self {
            case .exactly(let n): return count == n
            case .atLeastTwo: return count >= 2
            }
        }

        /// How the arity reads in an error message: "1 wire", "2 or more wires".
        public var description: String {
            switch self {
            case .exactly(let n): return n == 1 ? "1 wire" : "\(n) wires"
            case .atLeastTwo: return "2 or more wires"
            }
        }
    }

    /// The op's name in a `.circuit` file (`add`, `powc`, …).
    public var name: String { rule.name }

    /// The op with this file name, or nil.
    public init?(name: some StringProtocol) {
        guard let op = Op.byName[String(name)] else { return nil }
        self = op
    }

    private static let byName: [String: Op] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// How many wire arguments the op reads.
    public var arity: Arity { rule.arity }

    /// Whether a number literal `c` follows the wire arguments (`scale`, `offset`, `powc`, `const`).
    public var takesConstant: Bool { rule.takesConstant }
}
