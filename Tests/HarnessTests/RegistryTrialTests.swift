import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// Trials over both registries, through the one trial path: every optimizer on a landscape of
/// its kind, every family with an optimizer of its kind. A new registry entry is covered here
/// with no list to edit.
@Suite struct RegistryTrialTests {
    /// A small landscape of `kind` with paired starts.
    static func smallLandscape(_ kind: LandscapeKind, budget: Double) throws -> ResolvedLandscape {
        switch kind {
        case .continuous:
            return try ResolvedLandscape(LandscapeSpec(name: "rastrigin", family: "rastrigin"),
                                         overrides: SpecOverrides(dimension: 2, trials: 3, budget: budget))
        case .ising:
            return try ResolvedLandscape(LandscapeSpec(name: "weak-strong", family: "weak-strong"),
                                         overrides: SpecOverrides(trials: 3, budget: budget))
        }
    }

    /// The records with the wall clock removed (the only field that may differ between runs).
    static func timeless(_ records: [TrialRecord]) -> [String] {
        records.map { record in
            var r = record
            r.wallTime = 0
            return r.csvFields.joined(separator: ",")
        }
    }

    /// Each optimizer, on a landscape of its kind at a budget above its minimum: no trial fails,
    /// spending stays within the budget (one value-and-gradient call past it at most for a
    /// continuous method, none for a discrete one), escape and success are never claimed without
    /// an incumbent at the threshold, and the records are the same with one thread or two.
    /// Also the documented external optimizer (Examples/external), held to the same checks.
    @Test(arguments: OptimizerCatalog.names + ["py-random-search"])
    func everyOptimizerRunsReproduciblyWithinItsBudgetOnALandscapeOfItsKind(name: String) throws {
        let example = try ExternalOptimizerFile.load("Examples/external/random-search.yaml")
        try OptimizerCatalog.withExternal([example.definition]) { try runsReproduciblyWithinItsBudget(name: name) }
    }

    func runsReproduciblyWithinItsBudget(name: String) throws {
        let type = try OptimizerCatalog.definition(named: name)
        let landscape = try Self.smallLandscape(type.kind, budget: 700)
        let entries = try OptimizerEntry.entries(for: landscape, names: [name])
        #expect(entries.map(\.kind) == [type.kind])
        let one = try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 3, threads: 1))
        let two = try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 3, threads: 2))
        #expect(one.count == 3)
        #expect(Self.timeless(one) == Self.timeless(two))
        var gradCost = 1.0
        if case .continuous(let function) = landscape.landscape { gradCost = function.gradCost }
        let slack = type.kind == .continuous ? max(1, gradCost) : 0
        for record in one {
            #expect(!record.failed, "\(name): \(record.failure)")
            #expect(record.spent <= landscape.budget + slack, "\(name) spent \(record.spent) of \(landscape.budget)")
            if record.escaped { #expect(record.bestValue < record.trapValue && record.evalsToEscape != nil) }
            if record.success == true, let fStar = landscape.landscape.optimum.value {
                #expect(record.bestValue <= fStar + landscape.tolerances.success)
            }
        }
    }

    /// Each family (but `ising-file`, which needs a file) at its defaults: two resolutions give the
    /// same instance key and the same starts from the same seeds, a different instance number gives
    /// a different key, and a trial of the kind's first optimizer runs on it without failing.
    @Test(arguments: LandscapeCatalog.families.filter { $0.textParameters.isEmpty }.map(\.name))
    func everyFamilyResolvesReproduciblyAndRunsATrialOfItsKind(name: String) throws {
        let spec = LandscapeSpec(name: name, family: name)
        let overrides = SpecOverrides(trials: 2, budget: 300, start: .uniform)
        let a = try ResolvedLandscape(spec, overrides: overrides)
        let b = try ResolvedLandscape(spec, overrides: overrides)
        var other = overrides
        other.instance = 2
        let c = try ResolvedLandscape(spec, overrides: other)
        #expect(a.kind == a.family.kind && a.landscape.kind == a.kind)
        #expect(a.instanceKey == b.instanceKey && a.instanceKey != c.instanceKey)
        #expect(a.dimension == a.landscape.dimension)
        for seed in [UInt64(1), 2] {
            let first = try a.drawStart(seed: seed), again = try b.drawStart(seed: seed)
            #expect(first.point == again.point && first.trapPoint == again.trapPoint && first.trapValue == again.trapValue)
            #expect(first.point.count == a.dimension)
        }
        let optimizer = try #require(a.kind.optimizerNames.first)
        let records = try BenchmarkRun.execute(RunPlan(landscapes: [a], optimizers: try OptimizerEntry.entries(for: a, names: [optimizer]),
                                                       masterSeed: 1, threads: 1))
        #expect(records.count == 2 && records.allSatisfy { !$0.failed }, "\(records.map(\.failure))")
    }
}
