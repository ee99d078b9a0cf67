// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "TunnelBench",
    products: [
        .executable(name: "bench", targets: ["bench"]),
        .library(name: "Harness", targets: ["Harness"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "Optimizers", targets: ["Optimizers"]),
        .library(name: "Landscapes", targets: ["Landscapes"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // MARK: - Public API

        .executableTarget(
            name: "bench",
            dependencies: [
                "Harness",
                "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(
            name: "Harness",
            dependencies: ["Landscapes", "Optimizers", "GSL", "CFileSystem", .product(name: "Yams", package: "Yams")]),
        // The report and figures: what they show comes from the files a run wrote (run.json and
        // the CSV files, surface.csv for the background of a 2-D trajectory figure); the tunneling
        // map's page, from the files tunnel-map wrote (tunnel-map.json and its two CSV files).
        .target(name: "Report", dependencies: ["Harness", "Landscapes", "Optimizers"]),
        .target(
            name: "Optimizers", dependencies: ["Landscapes", "GSL"],
            // Optimized even in debug builds: the optimizers' inner loops (L-BFGS-B's Cauchy point and
            // subspace step above all) run 50× slower unoptimized, which made the debug default run
            // take minutes. DEBUG stays defined, so debug-only checks still run.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "Landscapes"),

        // MARK: - Implementation details

        .target(name: "GSL", dependencies: ["CGSL"]),
        // renameat2(RENAME_EXCHANGE), which Swift's Glibc module does not declare.
        .target(name: "CFileSystem"),
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),

        // MARK: - Tests

        .testTarget(name: "LandscapesTests", dependencies: ["Landscapes"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers", "GSL"]),
        // What more than one test target uses (seeded CSV documents).
        .target(name: "TestSupport", dependencies: ["Landscapes"], path: "Tests/TestSupport"),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "TestSupport"], exclude: ["Tables"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Harness", "Landscapes", "TestSupport"]),
        .testTarget(name: "BenchTests", dependencies: ["bench", "Harness"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
