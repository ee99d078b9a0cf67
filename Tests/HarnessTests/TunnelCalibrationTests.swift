import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// The tunneling map's barrier-height axis must measure something. A double well is f = H·g(x/w),
/// and the automatic temperature (and piqa's Γ) are proportional to H, so with settings derived
/// per trial every cell of one width is the same problem rescaled. With H = 1 and 2 (a power of
/// two, so that f, every ΔE and every automatic temperature scale exactly in floating point) the
/// Metropolis methods then make the same decisions in both cells, trial by trial; with the
/// settings measured once and held fixed they do not.
@Suite struct TunnelCalibrationTests {
    static let metropolis = ["sa", "pt", "piqa"]

    static func plan(_ calibration: TunnelCalibration) -> TunnelMapPlan {
        TunnelMapPlan(heights: [1, 2], widths: [1], dimension: 3, trials: 12, budget: 3000, candidate: "piqa",
                      classical: ["sa", "pt"], seed: 5, threads: 1, calibration: calibration)
    }

    /// Each method of `plan`, as the map runs it, on the cells H = 1 and H = 2 (w = 1), from the
    /// same starts (the H = 1 cell's: the wells do not move with H) and the same optimizer seeds.
    static func outcomes(_ plan: TunnelMapPlan) throws -> [String: [(TrialRecord, TrialRecord)]] {
        let (entries, _) = try TunnelMap.entries(plan)
        let low = try plan.landscape(height: 1, width: 1), high = try plan.landscape(height: 2, width: 1)
        guard case .continuous(let f1) = low.landscape, case .continuous(let f2) = high.landscape else {
            Issue.record("double wells are continuous")
            return [:]
        }
        var result = [String: [(TrialRecord, TrialRecord)]]()
        for entry in entries where metropolis.contains(entry.name) {
            let optimizer = try #require(entry.optimizer as? any ContinuousOptimizer)
            result[entry.name] = try (0..<plan.trials).map { trial in
                let start = try low.drawStart(seed: TrialSeeds.start(master: 9, instanceKey: low.instanceKey, trial: trial))
                var doubled = start
                doubled.trapValue = 2 * start.trapValue
                let seed = Seed.derive(9, "trial", entry.seedKey, "\(trial)")
                func settings(_ cell: ResolvedLandscape) -> TrialRunner.TrialSettings {
                    TrialRunner.TrialSettings(budget: cell.budget, tolerances: cell.tolerances, successThreshold: cell.successThreshold,
                                              start: cell.start, gradCost: nil)
                }
                return (TrialRunner.run(f1, optimizer, settings: settings(low), start: start, seed: seed),
                        TrialRunner.run(f2, optimizer, settings: settings(high), start: doubled, seed: seed))
            }
        }
        return result
    }

    @Test func rescaledCellsOfOneWidthMakeTheSameDecisionsTrialByTrial() throws {
        let outcomes = try Self.outcomes(Self.plan(.rescaled))
        #expect(Set(outcomes.keys) == Set(Self.metropolis))
        for (name, pairs) in outcomes {
            #expect(pairs.contains { $0.0.trapped }, "\(name): no trapped start")
            for (a, b) in pairs {
                #expect(a.escaped == b.escaped && a.evalsToEscape == b.evalsToEscape && a.success == b.success
                        && a.evalsToSuccess == b.evalsToSuccess && a.spent == b.spent, "\(name) trial \(a.trial)")
                // Every value of the H = 2 run is twice the H = 1 one.
                #expect(b.bestValue == 2 * a.bestValue, "\(name) trial \(a.trial): \(a.bestValue) vs \(b.bestValue)")
            }
        }
    }

    @Test func fixedCalibrationMakesATallerBarrierTallerForEveryMethod() throws {
        let plan = Self.plan(.fixed)
        let outcomes = try Self.outcomes(plan)
        for (name, pairs) in outcomes {
            let differing = pairs.filter { $0.0.escaped != $0.1.escaped || $0.0.evalsToEscape != $0.1.evalsToEscape }
            #expect(!differing.isEmpty, "\(name): the same decisions at H = 1 and H = 2 with fixed temperatures")
        }
        // The calibration is the reference cell's, whatever the grid: one set of parameters per method.
        let (_, calibrations) = try TunnelMap.entries(plan)
        var other = plan
        other.heights = [0.5, 8]
        other.widths = [0.25, 2]
        #expect(try TunnelMap.entries(other).calibrations == calibrations)
        #expect(calibrations.map(\.optimizer) == ["sa", "pt", "piqa"])
        for calibration in calibrations { #expect(calibration.automaticTemperature != nil && !calibration.parameters.isEmpty) }
    }

    /// One box for every map, so the cells a smaller map shares with a larger one are the same
    /// cells with the same outcomes.
    @Test func aSmallerMapIsASubsetOfALargerOne() throws {
        var small = TunnelMapPlan(heights: [2], widths: [1], dimension: 3, trials: 8, budget: 1500, candidate: "piqa",
                                  classical: ["sa", "adam"], seed: 3, threads: 1)
        let smallMap = try TunnelMap.run(small)
        small.heights = [0.5, 2]
        small.widths = [1, 2]
        let largeMap = try TunnelMap.run(small)
        for cell in smallMap.cells {
            let same = largeMap.cells.first { $0.height == cell.height && $0.width == cell.width && $0.optimizer == cell.optimizer && $0.phase == cell.phase }
            #expect(same?.escaped == cell.escaped && same?.trapped == cell.trapped && same?.success?.successes == cell.success?.successes,
                    "\(cell.optimizer) \(cell.phase)")
        }
        #expect(smallMap.comparisons.map(\.bestClassical) == largeMap.comparisons.filter { $0.height == 2 && $0.width == 1 }.map(\.bestClassical))
    }

    @Test func aWidthTheBoxCannotHoldIsRefused() {
        let plan = TunnelMapPlan(heights: [1], widths: [3.5], dimension: 2, trials: 2, classical: ["sa"], threads: 1)
        #expect {
            _ = try TunnelMap.run(plan)
        } throws: { error in
            String(describing: error).contains("width 3.5 does not fit the box [−4, 4]")
        }
    }
}
