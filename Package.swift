// swift-tools-version: 6.1
// CircuitGrad: batched forward values and reverse-mode gradients of scalar
// circuits, on every core, with results that do not depend on the thread count.
//
// Platforms: Linux only (tested on x86_64; arm64 has code paths), Swift 6.1 or later. The
// library uses Glibc, the Linux futex system call and hwloc (Debian: libhwloc-dev), so it does
// not build on macOS or Windows. SwiftPM's `platforms:` list names Apple platforms only, so the
// limit is stated here, in the README, and by a compile-time #error in
// Sources/CircuitGrad/Platform.swift.
import PackageDescription

let package = Package(
    name: "CircuitGrad",
    products: [
        .library(name: "CircuitGrad", targets: ["CircuitGrad"]),
        .executable(name: "circuitgrad", targets: ["circuitgrad"]),
    ],
    traits: [
        // Off by default so the package builds where Open MPI is missing; scripts/setup turns it on.
        .trait(name: "MPI", description: "Batches and training spread over processes and machines with Open MPI (libopenmpi-dev): --mpi."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // `swift package generate-documentation` (the DocC catalog in Sources/CircuitGrad/CircuitGrad.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // hwloc through pkg-config (Debian: libhwloc-dev); the worker pool pins threads with it.
        .systemLibrary(name: "CHwloc", pkgConfig: "hwloc", providers: [.apt(["libhwloc-dev"])]),
        // What Swift cannot import directly: bitmap iteration macros, futex, sched_getcpu.
        .target(name: "CHwlocShim", dependencies: ["CHwloc"]),
        // SLEEF through pkg-config (Debian: libsleef-dev): vectorised elementary functions.
        .systemLibrary(name: "CSleef", pkgConfig: "sleef", providers: [.apt(["libsleef-dev"])]),
        // Row loops over SLEEF's deterministic FMA family, the vector width chosen at start-up.
        .target(name: "CVecMath", dependencies: ["CSleef"], linkerSettings: [.linkedLibrary("sleef")]),
        .target(
            name: "CircuitGrad",
            dependencies: ["CHwloc", "CHwlocShim", "CVecMath"]),
        // Open MPI through pkg-config (Debian: libopenmpi-dev), and the C calls Swift cannot make
        // directly (MPI's handles are macros); used only with the MPI trait.
        .systemLibrary(name: "COpenMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        .target(name: "CMPIShim", dependencies: [.target(name: "COpenMPI", condition: .when(traits: ["MPI"]))]),
        .target(
            name: "CircuitGradMPI",
            dependencies: ["CircuitGrad", .target(name: "CMPIShim", condition: .when(traits: ["MPI"]))]),
        .executableTarget(
            name: "circuitgrad",
            dependencies: ["CircuitGrad", .target(name: "CircuitGradMPI", condition: .when(traits: ["MPI"])),
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
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
