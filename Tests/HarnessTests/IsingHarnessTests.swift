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
        let entries = try OptimizerEntry.entries(for: sk, names: ["sa-spin", "pt-spin"])
        #expect(entries.allSatisfy { $0.kind == .ising })
        let all = try OptimizerEntry.entries(for: sk, names: nil)
        #expect(all.map(\.name) == OptimizerCatalog.names(for: .ising))
        let rastrigin = try ResolvedLandscape(LandscapeSpec(name: "rastrigin", family: "rastrigin"))
        #expect(try OptimizerEntry.entries(for: rastrigin, names: ["sa"]).allSatisfy { $0.kind == .continuous })
        #expect(throws: HarnessError.self) { try OptimizerEntry.entries(for: sk, names: ["adam"]) }
        #expect(throws: HarnessError.self) { try OptimizerEntry.entries(for: rastrigin, names: ["piqa-spin"]) }
        // A former name of a discrete optimizer is refused on spins with the name it has now.
        #expect(throws: HarnessError("--optimizer: 'sa' does not apply to ising landscape 'sk' (valid: "
                                     + OptimizerCatalog.names(for: .ising).joined(separator: ", ") + "); 'sa' on ising landscapes is now 'sa-spin'")) {
            try OptimizerEntry.entries(for: sk, names: ["sa"])
        }
        #expect(throws: HarnessError.self) { try OptimizerEntry.entries(for: sk, names: ["sqa"]) }
    }

    @Test func isingRunCountsFlipAttemptsAndIsThreadIndependent() throws {
        let (groundEnergy, trapEnergies) = weakStrongLocalMinima()
        #expect(abs(groundEnergy - (-40.48)) < 1e-12 && trapEnergies.count == 3)
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
            // Every discrete optimizer stops exactly at the budget; greedy-restarts starts a restart
            // only when its N = 16 attempts fit, so it may stop up to N − 1 below.
            if record.optimizer == "greedy-restarts" {
                #expect(record.spent <= 3200 && record.spent > 3200 - 16, "spent \(record.spent)")
            } else {
                #expect(record.spent == 3200, "\(record.optimizer): spent \(record.spent)")
            }
            // The local-min start redraws until the trap is not global, so every trial is trapped,
            // and its trap is one of the enumerated non-global local minima (energies are sums of
            // a few dozen terms of size ≤ 1, exact to ~1e-14; the minima are ≥ 0.96 apart).
            #expect(record.trapped, "\(record.optimizer) trial \(record.trial): a local-min start must be trapped")
            #expect(trapEnergies.contains { abs($0 - record.trapValue) < 1e-9 },
                    "\(record.optimizer) trial \(record.trial): trap energy \(record.trapValue) is not a non-global local minimum \(trapEnergies)")
            #expect(record.bestValue >= groundEnergy - 1e-9 && record.bestValue <= record.trapValue)
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

/// Every single-flip local minimum of one weak–strong pair, by enumerating its 2^16 states with
/// the energy written out from the construction (two K_{4,4} cells of ferromagnetic J = 1,
/// spins 4…7 of the strong cell coupled to spins 4…7 of the weak one, fields +1 on the strong
/// cell and −0.44 on the weak one; H = −ΣJss − Σhs), independent of `IsingModel`. A state is a
/// local minimum when no flip lowers H (ΔE ≥ 0 for every spin, so plateaus count). Returns the
/// ground energy and the energies of the other local minima, ascending.
func weakStrongLocalMinima() -> (ground: Double, traps: [Double]) {
    var edges = [(Int, Int)]()
    for base in [0, 8] { for a in 0..<4 { for b in 4..<8 { edges.append((base + a, base + b)) } } }
    for a in 4..<8 { edges.append((a, 8 + a)) }
    let h = [Double](repeating: 1, count: 8) + [Double](repeating: -0.44, count: 8)
    var neighbours = [[Int]](repeating: [], count: 16)
    for (a, b) in edges { neighbours[a].append(b); neighbours[b].append(a) }
    var minima = [Double]()
    for mask in 0..<(1 << 16) {
        let s = (0..<16).map { mask & (1 << $0) != 0 ? 1.0 : -1.0 }
        let isMinimum = (0..<16).allSatisfy { i in 2 * s[i] * (h[i] + neighbours[i].reduce(0) { $0 + s[$1] }) >= 0 }
        guard isMinimum else { continue }
        minima.append(-edges.reduce(0) { $0 + s[$1.0] * s[$1.1] } - (0..<16).reduce(0) { $0 + h[$1] * s[$1] })
    }
    minima.sort()
    return (minima[0], Array(minima.dropFirst()))
}
