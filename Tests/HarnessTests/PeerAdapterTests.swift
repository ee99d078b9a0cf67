import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// The peers shipped as external optimizers (scripts/peers): each runs through the harness on the
/// same starts as a native method, within its budget, without a failed trial, and (but for
/// Nevergrad's NGOpt, whose registry file says why) gives the same rows twice. A test is skipped,
/// saying so, only when its library is not installed (scripts/peers/setup installs them).
@Suite struct PeerAdapterTests {
    /// The python the registry files run: $TUNNELBENCH_PEERS_PYTHON, else the venv of scripts/peers/setup.
    static let python = ProcessInfo.processInfo.environment["TUNNELBENCH_PEERS_PYTHON"] ?? ".build/peers-venv/bin/python"

    static func installed(_ module: String) -> Bool {
        let path = python.hasPrefix("/") ? python : FileManager.default.currentDirectoryPath + "/" + python
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-c", "import \(module)"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static let scipy = installed("scipy"), cma = installed("cma"), nevergrad = installed("nevergrad")

    /// Rows of `name` (from scripts/peers/NAME.yaml) and of random-search on rastrigin, d = 2.
    static func rows(_ name: String, budget: Double, trials: Int = 2) throws -> [TrialRecord] {
        let file = try ExternalOptimizerFile.load("scripts/peers/\(name).yaml")
        return try OptimizerCatalog.withExternal([file.definition]) {
            let landscape = try ResolvedLandscape(LandscapeSpec(name: "rastrigin", family: "rastrigin"),
                                                  overrides: SpecOverrides(dimension: 2, trials: trials, budget: budget))
            let entries = try OptimizerEntry.entries(for: landscape, names: [name, "random-search"])
            return try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 5, threads: 2))
        }
    }

    static func check(_ name: String, budget: Double, reproducible: Bool = true) throws {
        let first = try rows(name, budget: budget)
        let peer = first.filter { $0.optimizer == name }, native = first.filter { $0.optimizer == "random-search" }
        #expect(peer.count == 2)
        for record in peer {
            #expect(!record.failed, "\(name): \(record.failure)")
            #expect(record.spent <= budget && record.evaluations > 0, "\(name) spent \(record.spent)")
        }
        #expect(peer.map(\.trapValue) == native.map(\.trapValue))
        if reproducible {
            #expect(RegistryTrialTests.timeless(try rows(name, budget: budget)) == RegistryTrialTests.timeless(first))
        }
    }

    @Test(.enabled(if: scipy, "scipy is not installed: run scripts/peers/setup"),
          arguments: ["scipy-dual-annealing", "scipy-differential-evolution", "scipy-basinhopping"])
    func scipysMethodsRunReproduciblyWithinTheBudget(name: String) throws { try Self.check(name, budget: 300) }

    @Test(.enabled(if: cma, "pycma is not installed: run scripts/peers/setup"))
    func pycmaRunsReproduciblyWithinTheBudget() throws { try Self.check("pycma-ipop", budget: 300) }

    @Test(.enabled(if: nevergrad, "Nevergrad is not installed: run scripts/peers/setup"),
          arguments: ["nevergrad-cma", "nevergrad-twopointsde", "nevergrad-ngopt"])
    func nevergradsOptimizersRunWithinTheBudget(name: String) throws {
        try Self.check(name, budget: 100, reproducible: name != "nevergrad-ngopt")
    }
}
