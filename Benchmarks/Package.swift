// swift-tools-version: 6.1
import PackageDescription

// Release-build benchmarks of TunnelBench's hot paths (ordo-one/benchmark). Kept in a nested
// package so the root package's `swift build` and `swift test` never build the benchmark tooling.
// Run from this directory: `swift package benchmark` (see README.md); the Ising timer is
// `swift build -c release --product ising-speed`, then `.build/release/ising-speed`.
let package = Package(
    name: "TunnelBenchBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "TunnelBench", path: ".."),
        // Only the malloc interposer trait: the default traits pull a package not used here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Evaluations per second of Rastrigin d = 10: bare calls, through `Objective`, and through
        // the harness's trial path (random-search, sa).
        .executableTarget(
            name: "Evaluation",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Landscapes", package: "TunnelBench"),
                .product(name: "Optimizers", package: "TunnelBench"),
                .product(name: "Harness", package: "TunnelBench"),
            ],
            path: "Benchmarks/Evaluation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // value(at:) against valueAndGradient(at:gradient:) for every family: each family's gradCost.
        .executableTarget(
            name: "GradientCost",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Landscapes", package: "TunnelBench"),
            ],
            path: "Benchmarks/GradientCost",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // Flip attempts per second of the discrete engines on an instance file, single thread, for the
        // side-by-side comparison with other samplers (scripts/compare-ising-peers). A plain
        // executable, not a package-benchmark target, so that the peers and it time the same files;
        // outside Benchmarks/Benchmarks/, because `swift package benchmark` runs every executable
        // target there as a benchmark.
        .executableTarget(
            name: "ising-speed",
            dependencies: [
                .product(name: "Landscapes", package: "TunnelBench"),
                .product(name: "Optimizers", package: "TunnelBench"),
            ],
            path: "Tools/IsingSpeed"),
    ],
    swiftLanguageModes: [.v6]
)
