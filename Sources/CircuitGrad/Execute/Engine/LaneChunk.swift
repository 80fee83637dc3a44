/// A group of lanes the kernels load, combine and store at once: one `Double` for the
/// scalar path (blocks of 1 lane) or a `SIMD8<Double>` for blocks of 8·k lanes.
///
/// Only IEEE-754 operations that round exactly like their scalar form are offered, so a
/// kernel written once gives the same bits per lane as ``Op/value(_:constant:)``.
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
    static prefix func - (a: Self) -> Self
}

extension Double: LaneChunk {
    @inline(__always) static var width: Int { 1 }
    @inline(__always) init(broadcast value: Double) { self = value }
    @inline(__always) init(loading pointer: UnsafePointer<Double>) { self = pointer.pointee }
    @inline(__always) func store(to pointer: UnsafeMutablePointer<Double>) { pointer.pointee = self }
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
}
