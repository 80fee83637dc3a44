/// A group of lanes the kernels load, combine and store at once: one `Double` for the
/// scalar path (blocks of 1 lane) or a `SIMD8<Double>` for blocks of 8·k lanes.
///
/// Only IEEE-754 operations that round exactly like their scalar form are offered, so a
/// kernel written once gives the same bits per lane as the op's scalar definition. Negation
/// flips the sign bit (`-0.0` at 0, the NaN's sign too), as the scalar `-x` does; there is no
/// prefix `-` here because `SIMD8`'s own computes `0 - x`.
protocol LaneChunk {
    /// Lanes per chunk.
    static var width: Int { get }
    /// Every lane equal to `value`.
    init(broadcast value: Double)
    /// Loads `width` doubles from `pointer`.
    init(loading pointer: UnsafePointer<Double>)
    /// Stores `width` doubles to `pointer`.
    func store(to pointer: UnsafeMutablePointer<Double>)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    /// IEEE negation: the sign bit flipped.
    func negated() -> Self
    /// IEEE absolute value: the sign bit cleared.
    func magnitudeOfLanes() -> Self
    /// ``ReluRule``'s value: x where x > 0 or NaN, else +0.
    func relu() -> Self
    /// 1 where x > 0, else 0.
    func positiveStep() -> Self
    /// ``Op/sign(_:)`` per lane.
    func signOfLanes() -> Self
    /// ``Op/extreme(_:_:greater:)`` per lane.
    static func extreme(_ a: Self, _ b: Self, greater: Bool) -> Self
    /// The partials of a two-argument `max`/`min` with value `v`: 1 for the argument equal to
    /// `v`, ½ each when both are, 0 otherwise.
    static func extremePartials(_ x: Self, _ y: Self, value v: Self) -> (Self, Self)
    /// ``Op/powExponentPartial(a:b:value:)`` per lane, given `ln a` in `logA`.
    static func powExponentPartial(a: Self, b: Self, value v: Self, logA: Self) -> Self
    /// 1 where `x` equals `v`, else 0 (counting the arguments of `max`/`min` tied with the value).
    static func oneWhere(_ x: Self, equals v: Self) -> Self
    /// `share` where `x` equals `v`, else 0 (an argument's share of a `max`/`min` gradient).
    static func share(_ share: Self, where x: Self, equals v: Self) -> Self
}

extension Double: LaneChunk {
    @inline(__always) static var width: Int { 1 }
    @inline(__always) init(broadcast value: Double) { self = value }
    @inline(__always) init(loading pointer: UnsafePointer<Double>) { self = pointer.pointee }
    @inline(__always) func store(to pointer: UnsafeMutablePointer<Double>) { pointer.pointee = self }
    @inline(__always) func negated() -> Double { -self }
    @inline(__always) func magnitudeOfLanes() -> Double { Swift.abs(self) }
    @inline(__always) func relu() -> Double { Op.relu(self) }
    @inline(__always) func positiveStep() -> Double { self > 0 ? 1 : 0 }
    @inline(__always) func signOfLanes() -> Double { Op.sign(self) }
    @inline(__always) static func extreme(_ a: Double, _ b: Double, greater: Bool) -> Double {
        Op.extreme(a, b, greater: greater)
    }
    @inline(__always) static func extremePartials(_ x: Double, _ y: Double, value v: Double) -> (Double, Double) {
        let first = x == v, second = y == v
        let ties = (first ? 1 : 0) + (second ? 1 : 0)
        let share = ties == 0 ? 0 : 1 / Double(ties)
        return (first ? share : 0, second ? share : 0)
    }
    @inline(__always) static func powExponentPartial(a: Double, b: Double, value v: Double, logA: Double) -> Double {
        a == 0 && b > 0 ? 0 : v * logA
    }
    @inline(__always) static func oneWhere(_ x: Double, equals v: Double) -> Double { x == v ? 1 : 0 }
    @inline(__always) static func share(_ share: Double, where x: Double, equals v: Double) -> Double { x == v ? share : 0 }
}

extension SIMD8: LaneChunk where Scalar == Double {
    @inline(__always) static var width: Int { 8 }
    @inline(__always) init(broadcast value: Double) { self.init(repeating: value) }
    @inline(__always) init(loading pointer: UnsafePointer<Double>) {
        self = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Double>.self)
    }
    @inline(__always) func store(to pointer: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD8<Double>.self)
    }
    @inline(__always) private var bits: SIMD8<UInt64> { unsafeBitCast(self, to: SIMD8<UInt64>.self) }
    @inline(__always) private init(bits: SIMD8<UInt64>) { self = unsafeBitCast(bits, to: SIMD8<Double>.self) }
    @inline(__always) func negated() -> SIMD8<Double> { SIMD8(bits: bits ^ SIMD8<UInt64>(repeating: 1 << 63)) }
    @inline(__always) func magnitudeOfLanes() -> SIMD8<Double> { SIMD8(bits: bits & SIMD8<UInt64>(repeating: ~(1 << 63))) }
    @inline(__always) func relu() -> SIMD8<Double> {
        SIMD8(repeating: 0).replacing(with: self, where: (self .> 0) .| (self .!= self))
    }
    @inline(__always) func positiveStep() -> SIMD8<Double> {
        SIMD8(repeating: 0).replacing(with: 1, where: self .> 0)
    }
    @inline(__always) func signOfLanes() -> SIMD8<Double> {
        var r = self   // NaN stays
        r.replace(with: 0, where: self .== 0)
        r.replace(with: 1, where: self .> 0)
        r.replace(with: -1, where: self .< 0)
        return r
    }
    @inline(__always) static func extreme(_ a: SIMD8<Double>, _ b: SIMD8<Double>, greater: Bool) -> SIMD8<Double> {
        var r = a
        r.replace(with: b, where: (b .!= b) .| (greater ? b .> a : b .< a))
        r.replace(with: a, where: a .!= a)
        return r
    }
    @inline(__always) static func extremePartials(_ x: SIMD8<Double>, _ y: SIMD8<Double>, value v: SIMD8<Double>)
        -> (SIMD8<Double>, SIMD8<Double>) {
        let first = x .== v, second = y .== v
        let share = SIMD8<Double>(repeating: 1).replacing(with: 0.5, where: first .& second)
        return (SIMD8(repeating: 0).replacing(with: share, where: first),
                SIMD8(repeating: 0).replacing(with: share, where: second))
    }
    @inline(__always) static func powExponentPartial(a: SIMD8<Double>, b: SIMD8<Double>, value v: SIMD8<Double>,
                                                     logA: SIMD8<Double>) -> SIMD8<Double> {
        (v * logA).replacing(with: 0, where: (a .== 0) .& (b .> 0))
    }
    @inline(__always) static func oneWhere(_ x: SIMD8<Double>, equals v: SIMD8<Double>) -> SIMD8<Double> {
        SIMD8(repeating: 0).replacing(with: 1, where: x .== v)
    }
    @inline(__always) static func share(_ share: SIMD8<Double>, where x: SIMD8<Double>, equals v: SIMD8<Double>) -> SIMD8<Double> {
        SIMD8(repeating: 0).replacing(with: share, where: x .== v)
    }
}
