import Landscapes
import Testing
@testable import Optimizers

// The budget is the harness's (docs/DESIGN.md, invariant 1): the call that crosses it is credited,
// calls after it are not, and calibration probes are charged but never credited.

/// f = 1 at `peak` and 0 everywhere else in [−1, 1]^d: every point but the peak lies below any
/// escape threshold between 0 and 1, so a probe drawn around the peak is certain to land in a
/// "lower basin" (a Gaussian proposal hits the peak itself with probability 0).
struct Spike: ContinuousLandscape {
    var peak: [Double]
    var dimension: Int { peak.count }
    var domain: Box { Box(cube: -1, 1, dimension: peak.count) }
    var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [[Double](repeating: 0.9, count: peak.count)]) }
    var gradCost: Double { 1 }

    func value(at x: [Double]) -> Double { x == peak ? 1 : 0 }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        for i in gradient.indices { gradient[i] = 0 }
        return value(at: x)
    }
}

/// An objective on `landscape` whose trap value is `trap`: escape below trap − 0.5, success at or
/// below `success`.
func thresholdObjective<L: ContinuousLandscape>(_ landscape: L, budget: Double, gradCost: Double? = nil,
                                                 trap: Double, success: Double?) -> Objective<L> {
    Objective(landscape: landscape, budget: budget, gradCost: gradCost, escapeThreshold: trap - 0.5, successThreshold: success)
}

@Test func valueCallAfterExhaustionCreditsNothing() {
    // Quadratic1D(a = 2): f(x) = x². Trap value 4 (x = 2), escape below 3.5, success at f ≤ 0.01.
    var objective = thresholdObjective(Quadratic1D(curvature: 2), budget: 3, trap: 4, success: 0.01)
    for _ in 0..<3 { _ = objective.value(at: [2]) }
    #expect(objective.isExhausted)
    // Spent = budget: the next call is made after exhaustion. It lands on the global minimum.
    #expect(objective.value(at: [0]) == 0)  // still answered
    #expect(objective.spent == 4)            // still charged (the harness then fails the trial)
    #expect(objective.bestValue == 4)
    #expect(objective.bestPoint == [2])
    #expect(objective.spentAtEscape == nil)
    #expect(objective.spentAtSuccess == nil)
}

@Test func gradientCallAfterExhaustionCreditsNothing() {
    var objective = thresholdObjective(Quadratic1D(curvature: 2), budget: 2, gradCost: 2.5, trap: 4, success: 0.01)
    var g = [0.0]
    _ = objective.valueAndGradient(at: [2], gradient: &g)  // spent 2.5 ≥ 2: exhausted
    #expect(objective.isExhausted)
    _ = objective.valueAndGradient(at: [0], gradient: &g)
    #expect(objective.spent == 5)
    #expect(objective.bestValue == 4)
    #expect(objective.spentAtEscape == nil && objective.spentAtSuccess == nil)
}

@Test func callThatCrossesTheBudgetIsCredited() {
    // Spent 1 < budget 2 when the gradient call (cost 2.5) is made: answered and credited at 3.5,
    // 1.5 above the budget, within the limit budget + max(1, gradCost) = 4.5.
    var objective = thresholdObjective(Quadratic1D(curvature: 2), budget: 2, gradCost: 2.5, trap: 4, success: 0.01)
    var g = [0.0]
    _ = objective.value(at: [2])
    _ = objective.valueAndGradient(at: [0], gradient: &g)
    #expect(objective.bestValue == 0)
    #expect(objective.spentAtEscape == 3.5)
    #expect(objective.spentAtSuccess == 3.5)
    #expect(objective.spent <= objective.spendingLimit)
    #expect(objective.spendingLimit == 4.5)
}

@Test func calibrationValueIsChargedCountedApartAndNeverCredited() {
    var objective = thresholdObjective(Quadratic1D(curvature: 2), budget: 10, trap: 4, success: 0.01)
    _ = objective.value(at: [2])
    #expect(objective.calibrationValue(at: [0]) == 0)
    #expect(objective.spent == 2)
    #expect(objective.evaluations == 1)
    #expect(objective.calibrationEvaluations == 1)
    #expect(objective.bestValue == 4 && objective.bestPoint == [2])
    #expect(objective.spentAtEscape == nil && objective.spentAtSuccess == nil)
}

/// The optimizers with an automatic starting temperature (the probes of `InitialTemperature`)
/// and how many evaluations each makes before its first move: f(start) for sa, pt and piqa (their
/// walkers' start value, a real evaluation), none for sgd and gsl-siman (whose f(start) serves only
/// the rule and is a probe itself).
let autoTemperatureOptimizers: [(name: String, creditedStart: Bool)] = [
    ("sa", true), ("pt", true), ("piqa", true), ("sgd", false), ("gsl-siman", false),
]

@Test(arguments: autoTemperatureOptimizers.map(\.name))
func automaticTemperatureProbeInLowerBasinIsNotAnEscape(_ name: String) throws {
    let creditedStart = autoTemperatureOptimizers.first { $0.name == name }!.creditedStart
    // The start is the spike (value 1); every probe lands at value 0, below the escape threshold
    // 0.5 and at the success threshold 0. A budget of 101 is exactly f(start) + 100 probes, so the
    // run ends when the rule does: had any probe been credited, this trial would have escaped.
    let start = [0.25, -0.5]
    let optimizer = try makeContinuousOptimizer(name)
    var objective = thresholdObjective(Spike(peak: start), budget: 101, trap: 1, success: 0)
    _ = run(optimizer, &objective, from: start, seed: 3)
    #expect(objective.spent == 101)
    #expect(objective.calibrationEvaluations == (creditedStart ? 100 : 101))
    #expect(objective.evaluations + objective.gradientEvaluations == (creditedStart ? 1 : 0))
    #expect(objective.spentAtEscape == nil)
    #expect(objective.spentAtSuccess == nil)
    #expect(objective.bestValue == (creditedStart ? 1 : .infinity))
    #expect(objective.failure == nil)
}

@Test(arguments: autoTemperatureOptimizers.map(\.name))
func spentIncludesTheCalibrationProbes(_ name: String) throws {
    // With budget to spare the run goes on after the rule; spent counts every probe and every
    // evaluation the run made: evaluations + gradCost·gradients + probes (no minibatches here).
    let optimizer = try makeContinuousOptimizer(name)
    var objective = plainObjective(DoubleWell1D(), budget: 1000, gradCost: 2)
    _ = run(optimizer, &objective, from: [0.97], seed: 5)
    #expect(objective.calibrationEvaluations >= 100)
    #expect(objective.spent == Double(objective.evaluations) + 2 * Double(objective.gradientEvaluations)
            + Double(objective.calibrationEvaluations))
    #expect(objective.spent <= objective.spendingLimit)
}

/// Budgets at the edges: 1, values around the 100 probes, a fraction, and budgets that are not a
/// multiple of any population size (16 walkers, 8 beads) or gradient cost.
let budgetEdges: [Double] = [1, 2, 3, 99, 100, 101, 102, 103, 117, 257.5, 1001]

@Test(arguments: OptimizerCatalog.names(for: .continuous))
func everyContinuousOptimizerOvershootsByAtMostOneCall(_ name: String) throws {
    let optimizer = try makeContinuousOptimizer(name)
    for budget in budgetEdges {
        for gradCost in [0.5, 1, 2.5] {
            var objective = plainObjective(Rastrigin(dimension: 2), budget: budget, gradCost: gradCost)
            _ = run(optimizer, &objective, from: [0.995, -1.99], seed: 7)
            #expect(objective.spent <= budget + max(1, gradCost),
                    "\(name) spent \(objective.spent) of \(budget) (gradCost \(gradCost))")
            #expect(objective.failure == nil)
        }
    }
}
