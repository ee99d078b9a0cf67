import Testing
@testable import Harness

/// Reference values of the exact 95% Clopper–Pearson interval (tabulated, e.g. in Clopper & Pearson
/// 1934's charts and every binomial-interval table): printed to 4 decimals, so 5e-5 is the
/// rounding of the table itself.
@Suite struct ClopperPearsonTests {
    @Test func zeroOfTenHasUpperBound0_3085AndLowerBoundZero() throws {
        let p = try #require(Proportion(successes: 0, trials: 10))
        #expect(p.lower == 0)
        #expect(abs(p.upper - 0.3085) < 5e-5)
    }

    @Test func fiveOfTenIsSymmetricAround0_5() throws {
        let p = try #require(Proportion(successes: 5, trials: 10))
        #expect(abs(p.lower - 0.1871) < 5e-5)
        #expect(abs(p.upper - 0.8129) < 5e-5)
    }

    @Test func tenOfTenHasLowerBound0_6915AndUpperBoundOne() throws {
        let p = try #require(Proportion(successes: 10, trials: 10))
        #expect(abs(p.lower - 0.6915) < 5e-5)
        #expect(p.upper == 1)
    }

    @Test func emptySampleHasNoInterval() {
        #expect(Proportion(successes: 0, trials: 0) == nil)
    }

    /// For k = 0 the exact upper bound has the closed form 1 − (α/2)^(1/n), which checks the
    /// quantile path against algebra rather than a table.
    @Test(arguments: [1, 3, 20, 100, 1000])
    func zeroSuccessUpperBoundMatchesClosedForm(n: Int) throws {
        let p = try #require(Proportion(successes: 0, trials: n))
        let exact = 1 - pow(0.025, 1 / Double(n))
        #expect(abs(p.upper - exact) < 1e-10)
    }

    @Test(arguments: [(3, 17), (1, 2), (49, 50), (250, 1000)])
    func intervalContainsTheRateAndLiesInUnitInterval(k: Int, n: Int) throws {
        let p = try #require(Proportion(successes: k, trials: n))
        let rate = try #require(p.rate)
        #expect(0 <= p.lower && p.lower < rate && rate < p.upper && p.upper <= 1)
    }
}

@Suite struct TimeToSolutionTests {
    @Test func zeroProbabilityNeverSolves() {
        #expect(timeToSolution99(meanCost: 100, probability: 0) == .infinity)
    }

    @Test func certainSuccessCostsOneRun() {
        #expect(timeToSolution99(meanCost: 100, probability: 1) == 100)
    }

    /// For 0.99 < p < 1 a single run already succeeds with probability ≥ 0.99: ln 0.01 / ln(1 − p) < 1,
    /// so the max(1, ·) clamps TTS99 to one run.
    @Test(arguments: [0.991, 0.995, 0.999999])
    func probabilityAbove0_99CostsOneRun(p: Double) {
        #expect(timeToSolution99(meanCost: 250, probability: p) == 250)
    }

    /// p = 0.5: ln 0.01 / ln 0.5 = 6.6439 runs.
    @Test func halfProbabilityNeedsAboutSixPointSixFourRuns() {
        #expect(abs(timeToSolution99(meanCost: 10, probability: 0.5) - 10 * log(0.01) / log(0.5)) < 1e-12)
        #expect(abs(timeToSolution99(meanCost: 1, probability: 0.5) - 6.643856189774724) < 1e-12)
    }

    @Test func intervalComesFromTheRateBoundsInReverse() throws {
        let p = try #require(Proportion(successes: 3, trials: 10))
        let tts = try #require(TimeToSolution(meanCost: 100, proportion: p))
        #expect(tts.lower == timeToSolution99(meanCost: 100, probability: p.upper))
        #expect(tts.upper == timeToSolution99(meanCost: 100, probability: p.lower))
        #expect(tts.lower < tts.value && tts.value < tts.upper)
    }

    @Test func averageRuntimeDividesTotalCostBySuccesses() {
        #expect(averageRuntime(totalCost: 1000, successes: 4, trials: 10) == 250)
        #expect(averageRuntime(totalCost: 1000, successes: 0, trials: 10) == .infinity)
        #expect(averageRuntime(totalCost: 0, successes: 0, trials: 0) == nil)
    }
}

@Suite struct QuantileTests {
    @Test func quantilesInterpolateBetweenOrderStatistics() {
        let v = [4.0, 1, 3, 2]
        #expect(quantile(v, 0.5) == 2.5)
        #expect(quantile(v, 0) == 1)
        #expect(quantile(v, 1) == 4)
        #expect(quantile(v, 0.25) == 1.75)
        #expect(quantile([], 0.5) == nil)
        #expect(quantile([7], 0.9) == 7)
    }
}

import Foundation
