import CVecMath

/// The elementary functions every path uses: SLEEF's deterministic FMA family (at most 1 ULP),
/// over rows for the lane kernels and one element at a time for the reference. An element's
/// bits do not depend on the row length, its position or the vector width picked at start-up
/// (see `Sources/CVecMath`); NaN results are settled as the CPU's own arithmetic settles them.
/// Output rows must not overlap argument rows.
package enum ElementaryFunctions {
    /// `y[i] = √x[i]` for `i < n` (IEEE square root, the same bits as `squareRoot()`).
    @inline(__always) static func sqrt(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) { cvm_sqrt(x, y, n) }
    /// `y[i] = exp(x[i])` for `i < n`.
    @inline(__always) static func exp(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) { cvm_exp(x, y, n) }
    /// `y[i] = log(x[i])`.
    @inline(__always) static func log(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) { cvm_log(x, y, n) }
    /// `y[i] = sin(x[i])`.
    @inline(__always) static func sin(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) { cvm_sin(x, y, n) }
    /// `y[i] = cos(x[i])`.
    @inline(__always) static func cos(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) { cvm_cos(x, y, n) }
    /// `s[i] = sin(x[i])` and `c[i] = cos(x[i])` from one call, the bits of ``sin(_:_:_:)`` and ``cos(_:_:_:)``.
    @inline(__always) static func sinCos(_ x: UnsafePointer<Double>, sin s: UnsafeMutablePointer<Double>, cos c: UnsafeMutablePointer<Double>, _ n: Int) {
        cvm_sincos(x, s, c, n)
    }
    /// `y[i] = tanh(x[i])`.
    @inline(__always) static func tanh(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) { cvm_tanh(x, y, n) }
    /// `y[i] = 1 / (1 + exp(−x[i]))`.
    @inline(__always) static func sigmoid(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) { cvm_sigmoid(x, y, n) }
    /// `y[i] = pow(a[i], b[i])`.
    @inline(__always) static func pow(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        cvm_pow(a, b, y, n)
    }
    /// `y[i] = pow(a[i], c)`.
    @inline(__always) static func pow(_ a: UnsafePointer<Double>, _ c: Double, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        cvm_powc(a, c, y, n)
    }
    /// `y[i] = pow(a[i], b[i])` with what its partials need, from one logarithm of `a[i]`:
    /// `d[i] = pow(a[i], b[i] − 1)` and `l[i] = powLog(a[i])`, the bits of those calls.
    @inline(__always) static func powKeepingDerivatives(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                                                        d: UnsafeMutablePointer<Double>, l: UnsafeMutablePointer<Double>, _ n: Int) {
        cvm_pow_keep(a, b, y, d, l, n)
    }
    /// `y[i] = pow(a[i], c)` and `d[i] = pow(a[i], c − 1)`, from one logarithm of `a[i]`.
    @inline(__always) static func powKeepingDerivative(_ a: UnsafePointer<Double>, _ c: Double, _ y: UnsafeMutablePointer<Double>,
                                                       d: UnsafeMutablePointer<Double>, _ n: Int) {
        cvm_powc_keep(a, c, y, d, n)
    }
    /// `l[i] = ln a[i]` as `pow`'s partials take it: `pow`'s own logarithm of its base, rounded
    /// once (within about 0.5 ULP) where `a[i]` is positive and normal, ``log(_:_:_:)`` elsewhere.
    @inline(__always) static func powLog(_ a: UnsafePointer<Double>, _ l: UnsafeMutablePointer<Double>, _ n: Int) { cvm_pow_log(a, l, n) }

    /// One element through a row function.
    @inline(__always) private static func one(_ x: Double, _ f: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void) -> Double {
        var x = x, y = 0.0
        f(&x, &y, 1)
        return y
    }

    /// eˣ.
    static func exp(_ x: Double) -> Double { one(x, exp) }
    /// ln a as `pow`'s partials take it (``powLog(_:_:_:)``).
    static func powLog(_ a: Double) -> Double { one(a, powLog) }
    /// ln x.
    static func log(_ x: Double) -> Double { one(x, log) }
    /// sin x.
    static func sin(_ x: Double) -> Double { one(x, sin) }
    /// cos x.
    static func cos(_ x: Double) -> Double { one(x, cos) }
    /// tanh x.
    static func tanh(_ x: Double) -> Double { one(x, tanh) }
    /// 1 / (1 + e⁻ˣ).
    static func sigmoid(_ x: Double) -> Double { one(x, sigmoid) }
    /// aᵇ.
    static func pow(_ a: Double, _ b: Double) -> Double {
        var a = a, b = b, y = 0.0
        cvm_pow(&a, &b, &y, 1)
        return y
    }

    /// Which SLEEF family and width this machine runs, e.g. "SLEEF finz (FMA) u10, 8 lanes".
    package static var summary: String {
        "SLEEF \(usesFMA ? "finz (FMA)" : "cinz (no FMA)") u10, \(vectorWidth) lane\(vectorWidth == 1 ? "" : "s")"
    }

    /// SLEEF lanes per call on this machine (8 AVX-512F, 4 AVX2, 2 SSE2, 1 portable C).
    static var vectorWidth: Int { Int(cvm_width()) }
    /// Whether the functions in use are SLEEF's FMA family (the bits promised across machines).
    static var usesFMA: Bool { cvm_uses_fma() != 0 }
    /// Runs every later call at `width` lanes (8, 4, 2 or 1; 0 restores the start-up choice);
    /// false when this CPU cannot. For tests; call only while nothing evaluates.
    static func forceWidth(_ width: Int) -> Bool { cvm_force_width(Int32(width)) != 0 }
}
