import Benchmark
import CircuitGrad

let benchmarks: @Sendable () -> Void = {
    Benchmark("placeholder") { b in for i in b.scaledIterations { blackHole(i) } }
}
