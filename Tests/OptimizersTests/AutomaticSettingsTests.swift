import Landscapes
import Testing
@testable import Optimizers

/// Holding a method's automatic settings fixed: measured once, written as parameter texts, they
/// leave nothing automatic, so the fixed configuration probes nothing, and they give the schedule
/// the automatic rule gives at that temperature.
@Suite struct AutomaticSettingsTests {
    static let landscape = DoubleWell(dimension: 3, height: 2, width: 0.5, asymmetry: 0.1, bound: 2)
    /// Every coordinate in its shallow well: a trapped start.
    static let start = [Double](repeating: 0.5, count: 3)

    static var settable: [String] {
        OptimizerCatalog.names(for: .continuous).filter { (try? OptimizerCatalog.make($0)) is any AutomaticSettings }
    }

    /// Every continuous method that declares automatic settings (the registry, no list): measure,
    /// fix, and check that the fixed configuration has none left and makes no calibration probe in
    /// a trial, while the automatic one does whenever it measured a temperature.
    @Test(arguments: settable)
    func fixedSettingsLeaveNothingAutomaticAndProbeNothing(name: String) throws {
        var automatic = try #require(OptimizerCatalog.make(name) as? any ContinuousOptimizer & AutomaticSettings)
        if automatic.settingDerivedDuringTheRun != nil {
            // A setting derived during the run is refused by whoever needs it fixed; an explicit
            // value (here the one a user would give) leaves none.
            let fixedName = try #require(OptimizerCatalog.definition(named: name).parameterSpecs.first { $0.name == "temperature" }).name
            automatic = try #require(OptimizerCatalog.make(name, overrides: [fixedName: "1"]) as? any ContinuousOptimizer & AutomaticSettings)
            #expect(automatic.settingDerivedDuringTheRun == nil)
        }
        var probe = Objective(landscape: Self.landscape, budget: 1e6, escapeThreshold: -.infinity, successThreshold: nil)
        var rng = Xoshiro256(seed: 7)
        let t = automatic.automaticTemperature(&probe, from: Self.start, using: &rng)
        if let t { #expect(t > 0 && t.isFinite) }
        let texts = automatic.fixedSettings(automaticTemperature: t ?? .nan, box: Self.landscape.domain)
        for value in texts.values { #expect(Double(value).map { $0 > 0 && $0.isFinite } == true, "\(name): \(texts)") }
        let fixed = try #require(OptimizerCatalog.make(name, overrides: texts) as? any ContinuousOptimizer & AutomaticSettings)
        var again = Objective(landscape: Self.landscape, budget: 1e6, escapeThreshold: -.infinity, successThreshold: nil)
        #expect(fixed.automaticTemperature(&again, from: Self.start, using: &rng) == nil)
        #expect(fixed.fixedSettings(automaticTemperature: Double.nan, box: Self.landscape.domain).isEmpty)

        func probes(_ optimizer: any ContinuousOptimizer) -> Int {
            var objective = Objective(landscape: Self.landscape, budget: 3000, escapeThreshold: -.infinity, successThreshold: nil)
            var trialRNG = Xoshiro256(seed: 11)
            _ = optimizer.minimize(&objective, from: Self.start, using: &trialRNG)
            return objective.calibrationEvaluations
        }
        #expect(probes(fixed) == 0, "\(name) with \(texts)")
        if t != nil { #expect(probes(automatic) > 0, "\(name)") }
    }

    /// sa: the fixed ends are the ends the automatic rule resolves at T_auto, an explicit T1 kept.
    @Test func saFixesTheEndsItsRuleResolves() throws {
        for (overrides, t, expected) in [([String: String](), 3.0, (3.0, 3e-3)), (["final-temperature": "5"], 3.0, (5.0, 5.0)),
                                         (["final-temperature": "0.1"], 3.0, (3.0, 0.1))] {
            let sa = try #require(OptimizerCatalog.make("sa", overrides: overrides) as? SimulatedAnnealing)
            let texts = sa.fixedSettings(automaticTemperature: t, box: Self.landscape.domain)
            #expect(texts == ["initial-temperature": formatReal(expected.0), "final-temperature": formatReal(expected.1)])
        }
    }

    /// piqa: the schedule of the fixed configuration, which never asks for T_auto, equals the
    /// automatic schedule at T_auto, annealed or not, for several bead counts and boxes.
    @Test(arguments: [(8, true, 2.0), (16, true, 0.5), (4, false, 3.0)])
    func piqaFixedScheduleIsTheAutomaticOneAtThatTemperature(beads: Int, anneal: Bool, bound: Double) throws {
        let box = Box(cube: -bound, bound, dimension: 3)
        let t = 0.37
        let auto = try #require(OptimizerCatalog.make("piqa", overrides: ["beads": String(beads), "anneal-temperature": String(anneal)])
            as? PathIntegralAnnealing)
        let expected = auto.schedule(box: box) { t }
        var texts = auto.fixedSettings(automaticTemperature: t, box: box)
        texts["beads"] = String(beads)
        texts["anneal-temperature"] = String(anneal)
        let fixed = try #require(OptimizerCatalog.make("piqa", overrides: texts) as? PathIntegralAnnealing)
        let resolved = fixed.schedule(box: box) {
            Issue.record("the fixed configuration asked for T_auto")
            return .nan
        }
        #expect(resolved == expected)
        // The start is T_auto/P when annealed, the end T_auto/1000.
        #expect(abs(expected.temperature.final - t * PathIntegralAnnealing.autoTemperatureRatio) <= 1e-15)
        if anneal { #expect(abs(expected.temperature.initial - max(t / Double(beads), expected.temperature.final)) <= 1e-15) }
    }
}
