/// How CircuitGrad writes numbers: the shortest text that reads back to the same
/// binary64 (Swift's `description`), with non-finite values written `nan`, `inf`, `-inf`.
/// Every number it writes is accepted by ``NumberSyntax`` (NaN only where NaN is allowed).
package enum NumberText {
    /// The text of `x`: `-0.0`, `5e-324`, `1e+16`, `0.1`, `inf`, `-inf`, `nan` (any NaN).
    package static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return x.description
    }
}
