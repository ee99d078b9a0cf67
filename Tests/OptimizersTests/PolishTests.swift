import Landscapes
import Testing
@testable import Optimizers

/// The annealers' optional end polish (`PolishSettings`): the annealing runs exactly as it would
/// at the budget less the reserve, then L-BFGS-B from the best point takes the rest.
@Suite struct PolishTests {
    static let annealers = ["sa", "pt", "pt-adaptive", "piqa", "gsl-siman"]

    /// A bowl off-centre in a box whose walls the walk meets: d = 4.
    static let box = Box(lower: [-5, -2, 0, -10], upper: [5, 3, 1, 10])
    static let bowl = Bowl(domain: box, centre: [1.25, -1.5, 0.9, 7.5])
    static let start = [-4.0, 2.5, 0.1, -9.0]

    /// With the reserve r·B held back, the value calls of a polished trial at budget B are, point
    /// for point, the calls of an unpolished trial of the same seed at budget (1 − r)·B: the
    /// annealing's schedule (its cooling, pt-adaptive's phases, gsl-siman's staircase) is spread
    /// over the allowance, not the budget. After them come only the polish's gradient calls.
    @Test(arguments: annealers)
    func theAnnealingIsTheRunAtTheSmallerBudget(_ name: String) throws {
        let budget = 4000.0, reserve = 0.05
        let polished = Recording(base: Self.bowl)
        var objective = plainObjective(polished, budget: budget)
        _ = run(try makeContinuousOptimizer(name, overrides: ["polish": "true", "polish-reserve": "0.05"]),
                &objective, from: Self.start, seed: 7)
        #expect(objective.failure == nil)

        let plain = Recording(base: Self.bowl)
        var smaller = plainObjective(plain, budget: (1 - reserve) * budget)
        _ = run(try makeContinuousOptimizer(name), &smaller, from: Self.start, seed: 7)
        #expect(smaller.gradientEvaluations == 0)
        let annealing = plain.log.points.count
        #expect(annealing > 0)
        #expect(Array(polished.log.points.prefix(annealing)) == plain.log.points, "\(name): the annealing phase differs")
        // Everything after the annealing is the polish's: gradient calls only.
        #expect(polished.log.points.count - annealing == objective.gradientEvaluations)
        #expect(objective.evaluations + objective.calibrationEvaluations == smaller.evaluations + smaller.calibrationEvaluations)
    }

    /// The polish ends at the bowl's centre to L-BFGS-B's tolerance (gtol 1e-5 on the projected
    /// gradient 2(x − c): |x − c| ≤ 5e-6 per coordinate, f ≤ 4·(5e-6)² = 1e-10), which no cold
    /// random walk reaches at this budget; it reports the incumbent before and after and what it
    /// spent; the trial spends at most the budget plus the one call that crosses it.
    @Test(arguments: annealers)
    func thePolishFinishesTheBasin(_ name: String) throws {
        let budget = 4000.0
        var objective = plainObjective(Self.bowl, budget: budget)
        let (reason, _) = run(try makeContinuousOptimizer(name, overrides: ["polish": "true"]), &objective, from: Self.start, seed: 3)
        #expect(objective.failure == nil)
        #expect(objective.bestValue <= 1e-10, "\(name): best \(objective.bestValue)")
        #expect(objective.spent <= objective.spendingLimit)
        let report = try #require(objective.diagnostics.first { $0.name == "polish" })
        #expect(report.values.count == 3)
        #expect(report.values[0] > report.values[1], "the polish lowered the incumbent: \(report.values)")
        #expect(report.values[1] == objective.bestValue)
        #expect(report.values[2] == Double(objective.gradientEvaluations) * objective.gradCost)
        // Converged inside the reserve: the rest of it is not spent.
        #expect(reason == .converged && objective.spent < budget)

        var unpolished = plainObjective(Self.bowl, budget: budget)
        _ = run(try makeContinuousOptimizer(name), &unpolished, from: Self.start, seed: 3)
        #expect(unpolished.bestValue > 1e-10, "\(name) alone already reaches \(unpolished.bestValue): the test cannot see the polish")
        #expect(!unpolished.diagnostics.contains { $0.name == "polish" })
    }

    /// Budget edges: the least budget the method accepts (the harness refuses less), where its
    /// calibration probes can take the whole allowance so that the polish starts from the start;
    /// one more with a reserve of 90%; and a reserve smaller than one gradient's cost (3 here,
    /// against a reserve of 0.001 · 1000 = 1). None fails the trial or spends past the budget
    /// plus one call, and each ends with an incumbent.
    @Test(arguments: annealers)
    func budgetEdges(_ name: String) throws {
        let optimizer = try makeContinuousOptimizer(name, overrides: ["polish": "true"])
        let least = Swift.max(1, optimizer.minimumBudget(gradCost: 1)?.evaluations ?? 1)
        for (budget, reserve, gradCost) in [(least, "0.05", 1.0), (least + 1, "0.9", 1), (1000, "0.001", 3)] {
            var objective = plainObjective(Self.bowl, budget: budget, gradCost: gradCost)
            _ = run(try makeContinuousOptimizer(name, overrides: ["polish": "true", "polish-reserve": reserve]),
                    &objective, from: Self.start, seed: 1)
            #expect(objective.failure == nil, "\(name) at budget \(budget)")
            #expect(objective.spent <= objective.spendingLimit, "\(name) at budget \(budget): spent \(objective.spent)")
            #expect(objective.bestValue.isFinite, "\(name) at budget \(budget), reserve \(reserve)")
        }
    }

    /// The reserve's range is checked like any parameter's, and an allowance never exceeds the
    /// budget or falls below 0.
    @Test func theReserveIsBounded() throws {
        for bad in ["0", "0.95", "-1", "nan"] {
            #expect(throws: (any Error).self) { _ = try makeContinuousOptimizer("sa", overrides: ["polish-reserve": bad]) }
        }
        var objective = plainObjective(Self.bowl, budget: 100)
        objective.holdBack(250)
        #expect(objective.allowance == 0 && objective.isExhausted)
        objective.holdBack(-3)
        #expect(objective.allowance == 100 && !objective.isExhausted)
        objective.holdBack(40)
        #expect(objective.allowance == 60 && objective.remaining == 60)
        objective.releaseReserve()
        #expect(objective.allowance == 100 && objective.remaining == 100)
    }
}
