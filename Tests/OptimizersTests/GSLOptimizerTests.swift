import Foundation
import GSL
import Landscapes
import Testing
@testable import Optimizers

/// Schedules of every shape: many levels, one level, iters_fixed_T = 1, a ratio far from a power
/// of μ, and schedules sized to small and large budgets.
let simanSchedules: [SimanSchedule] = [
    SimanSchedule(iterationsPerTemperature: 7, stepSize: 0.05, initialTemperature: 10, cooling: 1.1, minimumTemperature: 0.01),
    SimanSchedule(iterationsPerTemperature: 3, stepSize: 0.05, initialTemperature: 1, cooling: 1.05, minimumTemperature: 0.001),
    SimanSchedule(iterationsPerTemperature: 11, stepSize: 0.05, initialTemperature: 5, cooling: 1.5, minimumTemperature: 4.9),
    SimanSchedule(iterationsPerTemperature: 1, stepSize: 0.05, initialTemperature: 2, cooling: 1.3, minimumTemperature: 0.02),
    SimanSchedule.sized(budget: 2, iterationsPerTemperature: 100, stepSize: 0.05, initialTemperature: 1, minimumTemperature: 1e-3),
    SimanSchedule.sized(budget: 250, iterationsPerTemperature: 100, stepSize: 0.05, initialTemperature: 1, minimumTemperature: 1e-3),
    SimanSchedule.sized(budget: 2899, iterationsPerTemperature: 100, stepSize: 0.05, initialTemperature: 3, minimumTemperature: 3e-3),
    SimanSchedule.sized(budget: 19_899, iterationsPerTemperature: 100, stepSize: 0.05, initialTemperature: 40, minimumTemperature: 0.04),
]

@Test(arguments: simanSchedules.indices)
func simanEvaluationCountMatchesFormula(_ index: Int) {
    let schedule = simanSchedules[index]
    let landscape = Rastrigin(dimension: 3)
    let problem = ObjectiveSiman(plainObjective(landscape, budget: .infinity))
    _ = GSL.simulatedAnnealing(problem, from: [0.995, -1.99, 2.98], schedule: schedule, random: GSLRandom(seed: 7))
    // 1 + iters_fixed_T·(⌊ln(t_initial/t_min)/ln μ⌋ + 1), counted in the energy callback and by the Objective.
    let levels = Int((log(schedule.initialTemperature / schedule.minimumTemperature) / log(schedule.cooling)).rounded(.down)) + 1
    #expect(problem.energyCalls == 1 + schedule.iterationsPerTemperature * levels)
    #expect(problem.energyCalls == schedule.evaluations)
    #expect(problem.objective.evaluations == schedule.evaluations)
    #expect(problem.objective.failure == nil)
}

@Test(arguments: [2, 3, 99, 101, 102, 2899, 20_000])
func sizedSimanScheduleFitsTheBudgetAndWastesLessThanOneLevel(_ budget: Int) {
    let schedule = SimanSchedule.sized(budget: budget, iterationsPerTemperature: 100, stepSize: 0.1,
                                       initialTemperature: 7, minimumTemperature: 0.007)
    #expect(schedule.evaluations <= budget)
    #expect(budget - schedule.evaluations < schedule.iterationsPerTemperature)
}

@Test func gslSimanSpendsTheAutoTemperatureSamplesPlusItsSchedule() throws {
    let optimizer = try makeContinuousOptimizer("gsl-siman")
    var objective = plainObjective(Rastrigin(dimension: 3), budget: 3000)
    let (reason, _) = run(optimizer, &objective, from: [0.995, -1.99, 2.98], seed: 3)
    // f(start) and 100 proposals for the auto temperature (calibration probes), then GSL's
    // 1 + 100·L evaluations with L = ⌊2898/100⌋.
    #expect(objective.calibrationEvaluations == 101)
    #expect(objective.evaluations == 1 + 100 * 28)
    #expect(objective.spent == 101 + 1 + 100 * 28)
    #expect(reason == .converged)
}

@Test func gslSimanIsSeededFromTheTrialStream() throws {
    let optimizer = try makeContinuousOptimizer("gsl-siman")
    var first = plainObjective(Rastrigin(dimension: 3), budget: 2000)
    var second = plainObjective(Rastrigin(dimension: 3), budget: 2000)
    _ = run(optimizer, &first, from: [0.995, -1.99, 2.98], seed: 1)
    _ = run(optimizer, &second, from: [0.995, -1.99, 2.98], seed: 2)
    #expect(first.bestPoint != second.bestPoint)
}

/// The global minimum of `DoubleWell1D` (tilt 0.25): V' = 4x(x² − 1) + 0.25 = 0 near x = −1,
/// solved by Newton's method to rounding.
func doubleWellGlobalMinimum() -> Double {
    let well = DoubleWell1D()
    var x = -1.0
    for _ in 0..<50 { x -= (4 * x * (x * x - 1) + 0.25) / (12 * x * x - 4) }
    return well.value(at: [x])
}

@Test(arguments: ["bfgs-restarts", "nelder-mead-restarts", "basin-hopping"])
func localSearchWithRestartsOrHopsLeavesTheShallowWell(_ name: String) throws {
    // Start at the bottom of the shallow well of the tilted double well (x ≈ 0.97, V ≈ 0.24):
    // one local run stays there, so reaching the deep well at x ≈ −1.03 (V ≈ −0.26) needs a
    // restart or a hop. The value is then that minimum's to within the local tolerances:
    // ‖∇f‖ ≤ 1e-5 with curvature ≈ 8 gives |Δf| ≤ ‖∇f‖²/(2·8) < 1e-10; the simplex's size 4e-8 gives
    // |Δf| ≲ 8·(4e-8)²/2 ≈ 6e-15; 1e-8 covers both.
    // basin-hopping's default perturbation (±0.05 of the width 4, i.e. ±0.2) cannot reach the
    // barrier at x = 0 from x ≈ 0.97 until its adaptation has grown it; ±1.2 (step 0.3) can.
    let optimizer = try makeContinuousOptimizer(name, overrides: name == "basin-hopping" ? ["step": "0.3"] : [:])
    var objective = plainObjective(DoubleWell1D(), budget: 3000, gradCost: 1.4)
    let (reason, _) = run(optimizer, &objective, from: [0.9698], seed: 9)
    #expect(reason == .budget)
    #expect(abs(objective.bestValue - doubleWellGlobalMinimum()) < 1e-8, "best \(objective.bestValue) at \(objective.bestPoint)")
}

@Test func projectedObjectiveEvaluatesAtTheProjectionWithTheGradientOfTheComposition() {
    let problem = ProjectedObjective(plainObjective(Slope2D(), budget: 10))
    var g = [0.0, 0.0]
    let x: [Double] = [-3, 0.25]  // x0 below the box's lower face −1
    let f = x.withUnsafeBufferPointer { xs in
        g.withUnsafeMutableBufferPointer { problem.valueAndGradient(xs, gradient: $0) }
    }
    #expect(f == -1 + 0.5)  // f(Π(x)) = f(−1, 0.25)
    #expect(g == [0, 2])     // f∘Π is flat along x0 out there
    #expect(problem.objective.gradientEvaluations == 1)
    #expect(problem.objective.failure == nil)
}
