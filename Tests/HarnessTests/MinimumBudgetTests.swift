import Foundation
import Testing
@testable import Harness
import Landscapes
import Optimizers

/// A budget too small for a method to make a single call of its own is refused before the run:
/// otherwise the trial ends with no incumbent (best value ∞) or with the start alone, and is
/// reported as if the method had been tried.
@Suite struct MinimumBudgetTests {
    static func plan(_ optimizer: String, family: String = "rastrigin", dimension: Int? = 5, budget: Double,
                     parameters: [String: String] = [:]) throws -> RunPlan {
        let landscape = try ResolvedLandscape(LandscapeSpec(name: family, family: family),
                                              overrides: SpecOverrides(dimension: dimension, trials: 2, budget: budget, start: .uniform))
        let entries = try OptimizerEntry.entries(for: landscape, names: [optimizer], overrides: [optimizer: parameters])
        return RunPlan(landscapes: [landscape], optimizers: entries, masterSeed: 7, threads: 1)
    }

    /// The least budget the plan check accepts for `optimizer`, found by bisection on whole
    /// evaluations between 1 and 10^4 (the check is monotone in the budget).
    static func leastAccepted(_ optimizer: String, parameters: [String: String] = [:]) throws -> Double {
        var low = 1.0, high = 10_000.0
        #expect((try? plan(optimizer, budget: high, parameters: parameters).checkBudgets()) != nil)
        if (try? plan(optimizer, budget: low, parameters: parameters).checkBudgets()) != nil { return low }
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if (try? plan(optimizer, budget: middle, parameters: parameters).checkBudgets()) != nil { high = middle } else { low = middle }
        }
        return high
    }

    /// Every continuous optimizer, at the least budget the check accepts, makes a call of its
    /// own: its trials end with a finite incumbent. (At budget 2, sgd and gsl-siman spent the
    /// whole budget on temperature probes and reported a best value of ∞.)
    @Test(arguments: OptimizerCatalog.names(for: .continuous))
    func atTheLeastAcceptedBudgetEveryMethodHasAnIncumbent(optimizer: String) throws {
        let budget = try Self.leastAccepted(optimizer)
        let records = try BenchmarkRun.execute(Self.plan(optimizer, budget: budget))
        for record in records {
            #expect(record.bestValue.isFinite, "\(optimizer) at budget \(budget): best value \(record.bestValue)")
            #expect(record.evaluations + record.gradientEvaluations >= 1, "\(optimizer) at budget \(budget) made no call")
        }
    }

    /// The automatic temperature's cost is the documented one: f(start) plus `temperature-samples`
    /// probes, then the method's first call (one gradient, ∂f costing rastrigin's gradCost; two
    /// evaluations for gsl_siman). With the temperature given, the probes are not needed.
    @Test func automaticTemperatureMethodsNeedTheirProbesPlusOneStep() throws {
        let gradCost = try Self.plan("sgd", budget: 100).landscapes[0].continuous.gradCost
        #expect(try Self.leastAccepted("sgd") == (1 + 100 + gradCost).rounded(.up))
        #expect(try Self.leastAccepted("sgd", parameters: ["temperature-samples": "10"]) == (1 + 10 + gradCost).rounded(.up))
        #expect(try Self.leastAccepted("gsl-siman") == 1 + 100 + 2)
        #expect(try Self.leastAccepted("gsl-siman", parameters: ["initial-temperature": "5"]) == 2)
        #expect(try Self.leastAccepted("sgd", parameters: ["initial-temperature": "5"]) == gradCost.rounded(.up))
    }

    /// The refusal is one line that names the landscape, the method, the least budget and why.
    @Test func refusalNamesTheMethodTheLeastBudgetAndWhy() throws {
        do {
            try Self.plan("gsl-siman", budget: 102).checkBudgets()
            Issue.record("budget 102 was accepted")
        } catch let error as HarnessError {
            #expect(error.description == "landscape rastrigin: budget 102 is below 103, the least with which gsl-siman makes a call "
                + "of its own (the automatic initial temperature spends f(start) and 100 probes, then gsl_siman's two evaluations); "
                + "give a budget of at least 103")
        }
    }

    /// greedy-restarts pays N attempts for a restart's energy; below N it makes none and reports
    /// the start, which the harness evaluated: an incumbent exists, so the budget is accepted and
    /// nothing is spent.
    @Test func greedyRestartsBelowOneRestartReportsTheStart() throws {
        let n = try Self.plan("greedy-restarts", family: "weak-strong", dimension: nil, budget: 100).landscapes[0].dimension
        let plan = try Self.plan("greedy-restarts", family: "weak-strong", dimension: nil, budget: Double(n - 1))
        try plan.checkBudgets()
        for record in try BenchmarkRun.execute(plan) {
            #expect(record.spent == 0)
            #expect(record.bestValue.isFinite)
        }
    }
}

/// Methods whose memory grows faster than d are refused a dimension past their documented
/// limits before anything is allocated, on the boundary itself. Through a plan (the built-in
/// families stop at d = 1000): cma-es's population λ·d ≤ 10^7 (10,000 at d = 1000 accepted, 10,001
/// refused), differential-evolution's popsize·d members × d ≤ 5·10^7 (popsize 50 at d = 1000
/// accepted, 51 refused). The covariance limit d ≤ 2000, which external landscapes (d ≤ 10^6) can
/// pass, on the optimizer itself.
@Suite struct SizeLimitTests {
    @Test(arguments: [
        ("cma-es", ["population": "10000"], true), ("cma-es", ["population": "10001"], false),
        ("differential-evolution", ["popsize": "50"], true), ("differential-evolution", ["popsize": "51"], false),
        ("dual-annealing", [:], true),
    ])
    func populationsPastAMethodsMemoryLimitAreRefusedBeforeTheRun(optimizer: String, parameters: [String: String],
                                                                  accepted: Bool) throws {
        let plan = try MinimumBudgetTests.plan(optimizer, family: "sphere", dimension: 1000, budget: 100, parameters: parameters)
        if accepted {
            try plan.checkBudgets()
        } else {
            let error = try #require(throws: HarnessError.self) { try plan.checkBudgets() }
            #expect("\(error)".contains("landscape sphere: \(optimizer) ") && "\(error)".contains("limit"), "\(error)")
        }
    }

    @Test func cmaesRefusesDimensionsPastItsCovarianceLimit() throws {
        let cmaes = try OptimizerCatalog.make("cma-es", overrides: [:])
        #expect(cmaes.sizeLimit(dimension: 2000) == nil)
        let reason = try #require(cmaes.sizeLimit(dimension: 2001))
        #expect(reason.contains("d = 2001") && reason.contains("2000"))
    }
}
