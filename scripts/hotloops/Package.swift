// swift-tools-version: 6.1
import PackageDescription

// The timing program of scripts/compare-builds: CPU time per unit of work of TunnelBench's hot
// loops. A nested package depending on the root package by path, so that the same source builds
// against any commit the script checks out (it copies this folder into each checkout). Only the
// Landscapes and Optimizers products are used, so the harness and its dependencies are not built.
let package = Package(
    name: "HotLoops",
    dependencies: [
        .package(name: "TunnelBench", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "hotloops",
            dependencies: [
                .product(name: "Landscapes", package: "TunnelBench"),
                .product(name: "Optimizers", package: "TunnelBench"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
