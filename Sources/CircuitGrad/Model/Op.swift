/// The scalar functions a function node can apply (the table of ops in `docs/format.md`). Each
/// op's definition (arity, value, partials, lane kernels, cost) is its rule, `Sources/CircuitGrad/Ops`.
///
/// The raw value is the op code the engine stores per node; it never changes for
/// an existing op, so plans and files built from it stay valid.
package enum Op: UInt8, CaseIterable, Sendable, Hashable {
    /// Σ aᵢ over two or more wires; each partial is 1.
    case add
    /// a − b; partials 1 and −1.
    case sub
    /// Π aᵢ over two or more wires; the partial for aᵢ is the product of the others (no division).
    case mul
    /// a / b; partials 1/b and −a/b².
    case div
    /// −a; partial −1.
    case neg
    /// 1/a; partial −1/a².
    case recip
    /// a²; partial 2a.
    case square
    /// √a; partial 1/(2√a).
    case sqrt
    /// eᵃ; partial eᵃ.
    case exp
    /// ln a; partial 1/a.
    case log
    /// sin a; partial cos a.
    case sin
    /// cos a; partial −sin a.
    case cos
    /// tanh a; partial 1 − tanh² a.
    case tanh
    /// σ(a) = 1/(1 + e^(−a)); partial σ(1 − σ).
    case sigmoid
    /// max(a, 0); partial 1 for a > 0, else 0 (NaN stays NaN).
    case relu
    /// |a|; partial sign(a), 0 at a = 0.
    case abs
    /// The largest of two or more wires; tied arguments share the upstream gradient equally.
    case max
    /// The smallest of two or more wires; tied arguments share the upstream gradient equally.
    case min
    /// a^b; partials b·a^(b−1) and a^b·ln a (0 for a = 0, b > 0).
    case pow
    /// c·a for the node's number c; partial c.
    case scale
    /// a + c for the node's number c; partial 1.
    case offset
    /// a^c for the node's number c; partial c·a^(c−1).
    case powc
    /// The node's number c; reads no wire.
    case const

    /// How many wire arguments an op takes.
    package enum Arity: Sendable, Hashable {
        /// Exactly this many wires.
        case exactly(Int)
        /// Two or more wires.
        case atLeastTwo

        /// Whether `count` wire arguments are allowed.
        package func accepts(_ count: Int) -> Bool {
            switch self {
            case .exactly(let n): return count == n
            case .atLeastTwo: return count >= 2
            }
        }

        /// How the arity reads in an error message: "1 wire", "2 or more wires".
        package var description: String {
            switch self {
            case .exactly(let n): return n == 1 ? "1 wire" : "\(n) wires"
            case .atLeastTwo: return "2 or more wires"
            }
        }
    }

    /// The op's name in a `.circuit` file (`add`, `powc`, …).
    package var name: String { rule.name }

    /// The op with this file name, or nil.
    package init?(name: some StringProtocol) {
        guard let op = Op.byName[String(name)] else { return nil }
        self = op
    }

    private static let byName: [String: Op] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// How many wire arguments the op reads.
    package var arity: Arity { rule.arity }

    /// Whether a number literal `c` follows the wire arguments (`scale`, `offset`, `powc`, `const`).
    package var takesConstant: Bool { rule.takesConstant }
}
