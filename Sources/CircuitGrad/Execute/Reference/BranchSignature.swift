/// Which side of every non-smooth point each live node sits on, at one point of input space.
///
/// Two points with the same signature lie on the same smooth piece of the circuit, so a
/// central difference between them measures the derivative. Each live node contributes the
/// code its rule's ``OpKink`` asks for:
/// - `.signOfArgument(i)`: the sign class of argument `i` (`relu`, `abs`: kink at 0; `sqrt`,
///   `log`, `recip`, `powc`: domain edge or pole at 0; `div`: the denominator; `pow`: the base,
///   the a > 0 boundary of ∂/∂b and the a = 0 edge);
/// - `.tiesWithValue`: the set of argument positions equal to the extreme (`max`, `min`).
/// Sign classes: −1, 0, 1, and 2 for NaN. Smooth ops contribute nothing.
struct BranchSignature: Equatable {
    var codes: [Int]

    /// The signature of the forward `values` of a circuit.
    init(circuit: Circuit, values: [Double]) {
        codes = []
        func argument(_ n: Int, _ i: Int) -> Double {
            values[Int(circuit.wireValue[Int(circuit.arguments(of: n)[circuit.arguments(of: n).startIndex + i])])]
        }
        for n in 0..<circuit.nodeCount where circuit.nodeIsLive[n] {
            switch circuit.ops[n].rule.kink {
            case .signOfArgument(let i):
                codes.append(Self.signClass(argument(n, i)))
            case .tiesWithValue:
                let v = values[circuit.nodeWire(n)]
                var hash = 0
                for i in 0..<circuit.arguments(of: n).count where argument(n, i) == v {
                    hash = hash &* 31 &+ (i + 1)
                }
                codes.append(hash)
            case .smooth:
                break
            }
        }
    }

    /// −1, 0 or 1 by the sign of `x`; 2 for NaN.
    static func signClass(_ x: Double) -> Int { x > 0 ? 1 : (x < 0 ? -1 : (x == 0 ? 0 : 2)) }
}
