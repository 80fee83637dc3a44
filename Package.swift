// swift-tools-version: 6.1
// CircuitGrad: batched forward values and reverse-mode gradients of scalar
// circuits, on every core, with results that do not depend on the thread count.
import PackageDescription

let package = Package(
    name: "CircuitGrad",
    products: [
        .library(name: "CircuitGrad", targets: ["CircuitGrad"]),
        .executable(name: "circuitgrad", targets: ["circuitgrad"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // hwloc through pkg-config (Debian: libhwloc-dev); the worker pool pins threads with it.
        .systemLibrary(name: "CHwloc", pkgConfig: "hwloc", providers: [.apt(["libhwloc-dev"])]),
        // What Swift cannot import directly: bitmap iteration macros, futex, sched_getcpu.
        .target(name: "CHwlocShim", dependencies: ["CHwloc"]),
        .target(
            name: "CircuitGrad",
            dependencies: ["CHwloc", "CHwlocShim"]),
        .executableTarget(
            name: "circuitgrad",
            dependencies: ["CircuitGrad", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // libFuzzer harnesses for the readers (scripts/fuzz builds them with -sanitize=fuzzer,address).
        .executableTarget(
            name: "CircuitGradFuzz",
            dependencies: ["CircuitGrad"],
            path: "Fuzz/CircuitGradFuzz"),
        .testTarget(
            name: "CircuitGradTests",
            dependencies: ["CircuitGrad"]),
        .executableTarget(
            name: "CircuitGradBenchmarks",
            dependencies: ["CircuitGrad", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/CircuitGradBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
