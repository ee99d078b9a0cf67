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
    static let dwave = installed("dwave.samplers"), openjij = installed("openjij")

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

    /// Rows of the Ising sampler `name` and of sa-spin on the ferromagnetic ring with a field
    /// (N = 16, h = 0.5, E* = −N(1 + h) = −24), from uniform starts.
    static func isingRows(_ name: String, budget: Double, overrides: [String: String] = [:]) throws -> [TrialRecord] {
        let file = try ExternalOptimizerFile.load("scripts/peers/\(name).yaml")
        return try OptimizerCatalog.withExternal([file.definition]) {
            var spec = LandscapeSpec(name: "ring", family: "ferro-ring")
            spec.parameters = ["size": "16", "field": "0.5"]
            let landscape = try ResolvedLandscape(spec, overrides: SpecOverrides(trials: 3, budget: budget, start: .uniform))
            let entries = try OptimizerEntry.entries(for: landscape, names: [name, "sa-spin"], overrides: [name: overrides])
            return try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 5, threads: 2))
        }
    }

    /// Each Ising sampler runs on the same starts as sa-spin, spends the whole sweeps that fit
    /// (sweeps × N × P × R, declared), gives the same rows twice, and reaches the ground state of
    /// an easy model in every trial: a sign slipped between the conventions (ours H = −Σ J s s −
    /// Σ h s, dimod's E = Σ h s + Σ J s s) would end every read at the highest state instead.
    @Test(.enabled(if: dwave && openjij, "dwave-samplers or OpenJij is not installed: run scripts/peers/setup"),
          arguments: [("dwave-sa", 16 * 1), ("openjij-sa", 16 * 1), ("openjij-sqa", 16 * 4)])
    func isingSamplersRunReproduciblyAndFindAnEasyGroundState(name: String, attemptsPerSweep: Int) throws {
        let overrides = name == "openjij-sqa" ? ["trotter": "4"] : [:]
        let budget = 200.0 * Double(attemptsPerSweep) + 7  // 200 sweeps, and 7 attempts that buy no sweep
        let first = try Self.isingRows(name, budget: budget, overrides: overrides)
        let peer = first.filter { $0.optimizer == name }, native = first.filter { $0.optimizer == "sa-spin" }
        #expect(peer.count == 3 && peer.map(\.trapValue) == native.map(\.trapValue))
        for record in peer {
            #expect(!record.failed, "\(name): \(record.failure)")
            #expect(record.budgetDeclared && record.spent == budget - 7 && record.evalsToSuccess == nil)
            #expect(record.success == true && record.finalSuccess == true && record.finalValue == -24, "\(name): \(record.finalValue ?? .nan)")
        }
        #expect(RegistryTrialTests.timeless(try Self.isingRows(name, budget: budget, overrides: overrides)) == RegistryTrialTests.timeless(first))
    }
}
