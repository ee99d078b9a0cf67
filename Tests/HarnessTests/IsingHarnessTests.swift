import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

let isingPackageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite struct IsingHarnessTests {
    func resolved(_ family: String, parameters: [String: String] = [:], trials: Int = 8, budget: Double = 4000,
                  start: StartProtocolKind? = nil) throws -> ResolvedLandscape {
        var spec = LandscapeSpec(name: family, family: family)
        spec.parameters = parameters
        return try ResolvedLandscape(spec, overrides: SpecOverrides(trials: trials, budget: budget, start: start))
    }

    @Test func localMinStartsAreQuenchedStatesAboveTheGroundState() throws {
        let landscape = try resolved("planted", parameters: ["side": "6"])
        let model = try #require(landscape.ising)
        for trial in 0..<10 {
            let start = try landscape.drawStart(seed: UInt64(trial))
            let spins = start.point.map { Int8($0) }
            #expect(model.isLocalMinimum(spins))
            #expect(start.trapValue > model.optimum.value! + landscape.tolerances.success)
            #expect(abs(model.energy(spins) - start.trapValue) < 1e-12)
        }
    }

    @Test func discreteOptimizersArePickedByLandscapeKind() throws {
        let sk = try resolved("sk")
        let entries = try OptimizerEntry.entries(for: sk, names: ["sa", "pt"])
        #expect(entries.allSatisfy { $0.kind == .ising })
        let all = try OptimizerEntry.entries(for: sk, names: nil)
        #expect(all.map(\.name) == SpinOptimizerCatalog.names)
        let rastrigin = try ResolvedLandscape(LandscapeSpec(name: "rastrigin", family: "rastrigin"))
        #expect(try OptimizerEntry.entries(for: rastrigin, names: ["sa"]).allSatisfy { $0.kind == .continuous })
        #expect(throws: HarnessError.self) { try OptimizerEntry.entries(for: sk, names: ["adam"]) }
        #expect(throws: HarnessError.self) { try OptimizerEntry.entries(for: rastrigin, names: ["sqa"]) }
    }

    @Test func isingRunCountsFlipAttemptsAndIsThreadIndependent() throws {
        let landscape = try resolved("weak-strong", trials: 6, budget: 3200)
        let entries = try OptimizerEntry.entries(for: landscape, names: nil)
        func run(_ threads: Int) throws -> [TrialRecord] {
            try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizersPerLandscape: [entries], masterSeed: 3, threads: threads))
        }
        let one = try run(1), two = try run(2)
        #expect(one.map { Array($0.csvFields.dropLast()) } == two.map { Array($0.csvFields.dropLast()) })
        for record in one {
            #expect(record.failure.isEmpty)
            #expect(record.gradientEvaluations == 0 && Double(record.evaluations) == record.spent)
            #expect(record.spent >= 3200 && record.spent < 3200 + 2 * 16 * 16)
            #expect(record.trapped && abs(record.trapValue - (-39.52)) < 1e-9 || !record.trapped || record.trapValue > -40.48)
        }
        // greedy-restarts reaches the 16-spin ground state within 200 quenches' budget.
        #expect(one.filter { $0.optimizer == "greedy-restarts" }.allSatisfy { $0.success == true })
    }

    @Test func santoroSpecResolvesWithItsPublishedGroundEnergy() throws {
        let path = isingPackageRoot.appendingPathComponent("Landscapes/santoro-80x80.yaml").path
        let landscape = try ResolvedLandscape(LandscapeResolver.load(path: path))
        let model = try #require(landscape.ising)
        #expect(model.size == 6400 && landscape.dimension == 6400)
        #expect(abs(model.optimum.value! - (-10115.306731456)) < 1e-7)
        #expect(model.optimum.status == .bestKnown)
    }

    @Test func ferroRingStartsAtItsDeclaredTrap() throws {
        let landscape = try resolved("ferro-ring")
        let start = try landscape.drawStart(seed: 1)
        #expect(start.point.allSatisfy { $0 == -1 } && start.trapped)
    }
}
