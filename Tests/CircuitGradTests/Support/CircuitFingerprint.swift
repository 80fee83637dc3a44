@testable import CircuitGrad

/// Every number of a circuit's arrays, doubles by bit pattern, in one comparable value.
struct CircuitFingerprint: Equatable {
    var names: [String]
    var structure: [Int64]
    var bits: [UInt64]

    init(_ c: Circuit) {
        names = c.inputNames + c.paramNames + c.nodeNames
        structure = c.ops.map { Int64($0.rawValue) } + c.argStart.map(Int64.init) + c.args.map(Int64.init)
            + c.splitterSource.map(Int64.init) + c.splitterOutputStart.map(Int64.init) + [Int64(c.outputWire)]
        bits = (c.paramValues + c.constants).map(\.bitPattern)
    }
}
