import Testing
@testable import CircuitGrad

/// One instance of every generator kind, small enough for debug-build tests.
enum GeneratorSamples {
    /// A name and a shape per kind (and a few option variants).
    static let shapes: [(String, any CircuitShape)] = [
        ("layered", LayeredShape(nodes: 600, width: 24, params: 2)),
        ("layered-all-ops", LayeredShape(nodes: 600, width: 20, fanIn: 3,
                                         ops: try! OpMix(parsing: "add,sub,mul,max,min,neg,abs,square,sin,cos,tanh,sigmoid,exp,log,sqrt,recip,div"))),
        ("mlp", MLPShape(layerSizes: [4, 6, 5, 2])),
        ("mlp-sigmoid-logistic", MLPShape(layerSizes: [3, 4, 1], activation: .sigmoid, loss: .logistic)),
        ("logistic", LogisticShape(features: 5)),
        ("tree", TreeShape(leaves: 37)),
        ("tree-mul", TreeShape(leaves: 20, fanIn: 3, ops: try! OpMix(parsing: "add:1,mul:1"))),
        ("chain", ChainShape(length: 200)),
        ("grid", GridShape(rows: 7, columns: 9)),
        ("grid-mixed", GridShape(rows: 5, columns: 4, ops: try! OpMix(parsing: "sin,tanh,sigmoid"))),
    ]
}
