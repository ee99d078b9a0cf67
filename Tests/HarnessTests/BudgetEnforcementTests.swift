import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

// The harness owns the budget (docs/DESIGN.md, invariant 1): at trial end it checks what the
// optimizer spent and fails the trial, with the reason, when it spent too much.

/// Evaluates the start until `extra` budget units past the budget are spent (each call 1).
struct Overspender: ContinuousOptimizer {
    static let name = "overspender"
    static let summary = "test double: keeps evaluating past the budget"
    static let parameterSpecs: [ParameterSpec] = []
    var extra: Double = 0
    init(parameters: ParameterValues) throws {}
    init(extra: Double) { self.extra = extra }
    func minimize<L: ContinuousLandscape>(_ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256) -> StopReason {
        while objective.spent < objective.budget + extra { _ = objective.value(at: start) }
        return .budget
    }
}

/// Makes one value-and-gradient call, of cost gradCost, then stops.
struct OneGradientCall: ContinuousOptimizer {
    static let name = "one-gradient"
    static let summary = "test double: one gradient call"
    static let parameterSpecs: [ParameterSpec] = []
    init(parameters: ParameterValues) throws {}
    init() {}
    func minimize<L: ContinuousLandscape>(_ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256) -> StopReason {
        var g = [Double](repeating: 0, count: start.count)
        _ = objective.valueAndGradient(at: start, gradient: &g)
        return .budget
    }
}

/// Charges `attempts` flip attempts and stops.
struct SpinCharger: SpinOptimizer {
    static let name = "charger"
    static let summary = "test double: charges a fixed number of attempts"
    static let parameterSpecs: [ParameterSpec] = []
    var attempts = 0
    init(parameters: ParameterValues) throws {}
    init(attempts: Int) { self.attempts = attempts }
    func minimize(_ objective: inout SpinObjective, from start: [Int8], using rng: inout Xoshiro256) -> StopReason {
        objective.charge(attempts)
        return .budget
    }
}

func continuousSettings(budget: Double, gradCost: Double?) -> TrialRunner.TrialSettings {
    TrialRunner.TrialSettings(budget: budget, tolerances: Tolerances(success: 1e-6), successThreshold: 1e-6,
                              start: .localMin, gradCost: gradCost)
}

/// Rastrigin d = 2 from its local minimum near (1, 1): f ≈ 1.99.
func rastriginStart() -> (Rastrigin, TrialStart) {
    let f = Rastrigin(dimension: 2)
    let m0 = ReferenceQuench().run(f, from: [1, 1]).point
    return (f, TrialStart(trapPoint: m0, trapValue: f.value(at: m0), point: m0, trapped: true, quenches: 1))
}

@Test func continuousTrialThatOverspendsFailsWithTheReason() {
    let (f, start) = rastriginStart()
    // gradCost 2.5: the limit is 100 + 2.5. Spending 103 breaks it.
    let record = TrialRunner.run(f, Overspender(extra: 3), settings: continuousSettings(budget: 100, gradCost: 2.5),
                                 start: start, seed: 1)
    #expect(record.failed)
    #expect(record.stopReason == StopReason.failed.rawValue)
    #expect(record.failure.contains("budget overspent"), "\(record.failure)")
    #expect(record.failure.contains("spent 103.0 of budget 100.0"), "\(record.failure)")
}

@Test func continuousTrialMayCrossTheBudgetByOneCall() {
    let (f, start) = rastriginStart()
    // Budget 1, gradCost 2.5: one gradient call spends 2.5, inside the limit 1 + 2.5.
    let record = TrialRunner.run(f, OneGradientCall(), settings: continuousSettings(budget: 1, gradCost: 2.5),
                                 start: start, seed: 1)
    #expect(!record.failed, "\(record.failure)")
    #expect(record.spent == 2.5)
    // With gradCost below 1 a value call (cost 1) is the largest call: limit budget + 1.
    let values = TrialRunner.run(f, Overspender(extra: 1), settings: continuousSettings(budget: 4, gradCost: 0.5),
                                 start: start, seed: 1)
    #expect(!values.failed, "\(values.failure)")
    #expect(values.spent == 5)
}

@Test func discreteTrialThatOverspendsByOneAttemptFails() throws {
    let model = try IsingModel.sherringtonKirkpatrick(size: 8, gaussian: false, seed: 3)
    let spins = model.quench([Int8](repeating: 1, count: 8)).state
    let start = TrialStart(trapPoint: spins.map(Double.init), trapValue: model.energy(spins), point: spins.map(Double.init),
                           trapped: true, quenches: 1)
    let settings = TrialRunner.TrialSettings(budget: 40, tolerances: Tolerances(success: 1e-6), successThreshold: nil,
                                             start: .localMin, gradCost: nil)
    let over = TrialRunner.runIsing(model, SpinCharger(attempts: 41), settings: settings, start: start, seed: 1)
    #expect(over.failed)
    #expect(over.failure.contains("budget overspent: spent 41 flip attempts of budget 40"), "\(over.failure)")
    let exact = TrialRunner.runIsing(model, SpinCharger(attempts: 40), settings: settings, start: start, seed: 1)
    #expect(!exact.failed, "\(exact.failure)")
}

@Test(arguments: [1, 15, 16, 17, 31, 33, 255, 257, 511, 512, 513, 1023, 1025, 3001])
func discreteTrialsSpendExactlyTheirBudget(_ budget: Int) throws {
    // weak-strong's default instance: N = 16 spins. piqa-spin's P = 16 slices with global moves: a spin
    // costs 2P = 32 attempts, a sweep 2PN = 512; pt-spin's 16 replicas: a round costs 256; sa-spin's sweep 16.
    // The budgets straddle each of these.
    let spec = LandscapeSpec(name: "weak-strong", family: "weak-strong")
    let landscape = try ResolvedLandscape(spec, overrides: SpecOverrides(trials: 2, budget: Double(budget)))
    let entries = try OptimizerEntry.entries(for: landscape, names: ["piqa-spin", "sa-spin", "pt-spin"])
    let records = try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizersPerLandscape: [entries], masterSeed: 5, threads: 1))
    for record in records {
        #expect(!record.failed, "\(record.optimizer) at budget \(budget): \(record.failure)")
        #expect(record.spent == Double(budget), "\(record.optimizer) at budget \(budget) spent \(record.spent)")
    }
}

@Test func calibrationProbesHaveTheirOwnColumn() throws {
    let landscape = try ResolvedLandscape(LandscapeSpec(name: "rastrigin", family: "rastrigin"),
                                          overrides: SpecOverrides(trials: 1, budget: 600))
    let entries = try OptimizerEntry.entries(for: landscape, names: ["sa", "gd"])
    let records = try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizersPerLandscape: [entries], masterSeed: 5, threads: 1))
    let column = try #require(TrialRecord.csvHeader.firstIndex(of: "calibration_evaluations"))
    for record in records {
        #expect(record.csvFields.count == TrialRecord.csvHeader.count)
        // sa's automatic T0 spends its default 100 probes; gd calibrates nothing.
        let expected = record.optimizer == "sa" ? 100 : 0
        #expect(record.calibrationEvaluations == expected)
        #expect(record.csvFields[column] == String(expected))
        #expect(record.spent >= Double(record.evaluations + record.calibrationEvaluations))
    }
}
