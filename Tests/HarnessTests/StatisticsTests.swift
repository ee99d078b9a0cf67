import Optimizers
import Foundation
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

    /// For k = 0 the exact upper bound has the closed form 1 − (α/2)^(1/n), and for k = n the lower
    /// bound is (α/2)^(1/n): algebra rather than a table. pow and log are good to ~1 ulp, so the
    /// closed form is good to ~1e-15 relative; 1e-12 leaves room for the root's own 4 ulp.
    @Test(arguments: [1, 3, 20, 100, 1000, 100_000])
    func zeroAndAllSuccessBoundsMatchClosedForm(n: Int) throws {
        let none = try #require(Proportion(successes: 0, trials: n))
        let smallUpper = -expm1(log(0.025) / Double(n))  // 1 − 0.025^(1/n) without cancellation
        #expect(abs(none.upper - smallUpper) <= 1e-12 * smallUpper)
        let all = try #require(Proportion(successes: n, trials: n))
        let largeLower = pow(0.025, 1 / Double(n))
        #expect(abs(all.lower - largeLower) <= 1e-12 * largeLower)
    }

    @Test(arguments: [(3, 17), (1, 2), (49, 50), (250, 1000)])
    func intervalContainsTheRateAndLiesInUnitInterval(k: Int, n: Int) throws {
        let p = try #require(Proportion(successes: k, trials: n))
        let rate = try #require(p.rate)
        #expect(0 <= p.lower && p.lower < rate && rate < p.upper && p.upper <= 1)
    }

    /// The counts at which GSL's Beta quantile (`gsl_cdf_beta_Pinv`) fails to converge and returns
    /// NaN. Exact values from scipy (Boost's ibeta_inv), confirmed to 50 digits with mpmath by
    /// scripts/clopper-pearson-table. Error budget of the code: the root finder stops within 4 ulp;
    /// GSL's incomplete beta carries a prefactor exp(a ln x + b ln(1 − x) − ln B(a, b)) whose
    /// exponent has terms of size ~n, each rounded to ε, so it is good to ~nε relative, and the
    /// root (where d ln I/d ln p ≥ ~1) to the same. 4nε = 4.4e-13 at n = 500 bounds both.
    @Test func countsWhereTheBetaQuantileFailsHaveTheirExactBounds() throws {
        let tolerance = 4 * 500 * Double.ulpOfOne
        let low = try #require(Proportion(successes: 16, trials: 500))
        #expect(abs(low.upper - 0.05144676829164562) <= tolerance * 0.05144676829164562)
        let high = try #require(Proportion(successes: 484, trials: 500))
        #expect(abs(high.lower - 0.9485532317083544) <= tolerance * 0.9485532317083544)
        // The mirror images: lower(16/500) = 1 − upper(484/500).
        #expect(abs(low.lower - (1 - high.upper)) <= tolerance * low.lower)
    }

    /// Every row of Tests/HarnessTests/Tables/clopper-pearson-95.csv (every k for n = 1…30, 260,
    /// 400, 500, 1000, 2000; a documented subset of k for five n up to 10^5), computed outside the
    /// code by scripts/clopper-pearson-table. The table is good to < 1e-13 (the script checks a
    /// sample against 50-digit values); 1e-10 relative is the required agreement, and the code's
    /// own error, ~4nε (see above), is below it for every n ≤ 10^5 (8.9e-11 at n = 10^5).
    @Test(arguments: ClopperPearsonTable.trialCounts)
    func boundsMatchTheTableComputedOutsideTheCode(n: Int) throws {
        let rows = try #require(ClopperPearsonTable.rows[n])
        for row in rows {
            let p = try #require(Proportion(successes: row.k, trials: n))
            #expect(p.lower.isFinite && p.upper.isFinite)
            // Relative to the bound's distance from the nearer end, min(p, 1 − p), so that a bound
            // near 1 is checked in its small complement and not only to 1e-10 of itself.
            #expect(abs(p.lower - row.lower) <= 1e-10 * min(row.lower, 1 - row.lower), "lower(\(row.k)/\(n)) = \(p.lower), table \(row.lower)")
            #expect(abs(p.upper - row.upper) <= 1e-10 * min(row.upper, 1 - row.upper), "upper(\(row.k)/\(n)) = \(p.upper), table \(row.upper)")
            let rate = Double(row.k) / Double(n)
            #expect(0 <= p.lower && p.lower <= rate && rate <= p.upper && p.upper <= 1)
        }
    }

    @Test func tableHasEveryCountForTheSmallTrialCounts() {
        for n in Array(1...30) + [260, 400, 500, 1000, 2000] {
            #expect(ClopperPearsonTable.rows[n]?.map(\.k) == Array(0...n), "n = \(n)")
        }
        #expect(ClopperPearsonTable.trialCounts.filter { $0 > 2000 }.count == 5)
    }

    /// The fallback for a continued fraction that does not converge: the binomial tail summed in
    /// log space agrees with closed forms. P(X ≥ 1) = 1 − (1 − p)^n, P(X ≥ n) = p^n, and
    /// P(X ≥ 2) for n = 2 is p². lgamma's error on ln n! (~1e-16 × 5900 at n = 1000) dominates: 1e-12.
    @Test func binomialTailByTermsMatchesClosedForms() {
        for (n, p) in [(10, 0.3), (1000, 0.001), (1000, 0.995)] {
            let atLeastOne = ClopperPearson.binomialTailAtLeast(1, n, logP: log(p), logQ: log1p(-p))
            let exactOne = -expm1(Double(n) * log1p(-p))
            #expect(abs(atLeastOne - exactOne) <= 1e-12 * exactOne)
            let all = ClopperPearson.binomialTailAtLeast(n, n, logP: log(p), logQ: log1p(-p))
            let exactAll = pow(p, Double(n))
            #expect(abs(all - exactAll) <= 1e-12 * exactAll)
        }
        #expect(ClopperPearson.binomialTailAtLeast(0, 5, logP: log(0.5), logQ: log(0.5)) == 1)
        #expect(ClopperPearson.binomialTailAtLeast(6, 5, logP: log(0.5), logQ: log(0.5)) == 0)
    }

    /// The root finder on functions with known roots, including one whose root is 1e-300 and one
    /// that jumps (a sign change with no zero): it ends inside the bracket within its 4 ulp.
    @Test func brentRootFindsKnownRoots() {
        let sqrt2 = ClopperPearson.brentRoot(from: 0, to: 2) { $0 * $0 - 2 }
        #expect(abs(sqrt2 - 2.0.squareRoot()) <= 4 * 2.0.squareRoot().ulp)
        let tiny = ClopperPearson.brentRoot(from: 0, to: 1) { $0 - 1e-300 }
        #expect(abs(tiny - 1e-300) <= 4 * (1e-300).ulp)
        let jump = ClopperPearson.brentRoot(from: 0, to: 1) { $0 < 0.3 ? -1 : 1 }
        #expect(abs(jump - 0.3) <= 4 * 0.3.ulp)
    }
}

/// The committed table, read once.
enum ClopperPearsonTable {
    struct Row { var k: Int; var lower: Double; var upper: Double }

    static let rows: [Int: [Row]] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Tables/clopper-pearson-95.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var rows = [Int: [Row]]()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("n,") {
            let f = line.split(separator: ",")
            guard f.count == 4, let n = Int(f[0]), let k = Int(f[1]), let lo = Double(f[2]), let hi = Double(f[3]) else {
                continue
            }
            rows[n, default: []].append(Row(k: k, lower: lo, upper: hi))
        }
        return rows
    }()

    static let trialCounts: [Int] = rows.keys.sorted()
}

@Suite struct TimeToSolutionTests {
    @Test func zeroProbabilityNeverSolves() {
        #expect(timeToSolution99(meanCost: 100, probability: 0) == .infinity)
    }

    @Test func certainSuccessCostsOneRun() {
        #expect(timeToSolution99(meanCost: 100, probability: 1) == 100)
    }

    /// For 0.99 < p < 1 a single run already succeeds with probability ≥ 0.99, so TTS99 is one run.
    @Test(arguments: [0.991, 0.995, 0.999999])
    func probabilityAbove0_99CostsOneRun(p: Double) {
        #expect(timeToSolution99(meanCost: 250, probability: p) == 250)
    }

    /// p = 0.5: R runs succeed at least once with probability 1 − 2^−R, which is 0.99 at
    /// R = log2(100) = 6.643856189774724 (by hand: 2 log2 10, log2 10 = 3.321928094887362).
    @Test func halfProbabilityNeedsLog2Of100Runs() {
        #expect(abs(timeToSolution99(meanCost: 1, probability: 0.5) - 6.643856189774724) < 1e-12)
        #expect(abs(timeToSolution99(meanCost: 10, probability: 0.5) - 66.43856189774724) < 1e-11)
    }

    /// The defining fact, checked without the formula: with R = TTS99/t̄ runs the chance of at least
    /// one success, 1 − (1 − p)^R, is 0.99 (R > 1), and a cost 1e-9 smaller falls short of 0.99
    /// (minimality). The chance is computed as −expm1(R·log1p(−p)), good to ~1e-16 relative, so
    /// 1e-12 is room for rounding; 1e-9 fewer runs lowers the chance by ~1e-9·|ln 0.01|·0.01 ≈ 5e-11,
    /// far more than that rounding.
    @Test(arguments: [0.5, 0.1, 0.01, 1e-4, 1e-7, 0.3, 0.95])
    func costReachesA99PercentChanceOfOneSuccessAndNoLess(p: Double) {
        let meanCost = 1234.5
        let runs = timeToSolution99(meanCost: meanCost, probability: p) / meanCost
        func chance(_ r: Double) -> Double { -expm1(r * log1p(-p)) }
        #expect(runs > 1)
        #expect(abs(chance(runs) - 0.99) <= 1e-12)
        #expect(chance(runs * (1 - 1e-9)) < 0.99)
    }

    /// TTS decreases in p, so the rate's upper bound gives TTS's lower bound: the cost at which the
    /// upper rate reaches a 99% chance, checked by the defining fact rather than the formula.
    @Test func intervalComesFromTheRateBoundsInReverse() throws {
        let p = try #require(Proportion(successes: 3, trials: 10))
        let tts = try #require(TimeToSolution(meanCost: 100, proportion: p))
        #expect(abs(-expm1(tts.lower / 100 * log1p(-p.upper)) - 0.99) <= 1e-12)
        #expect(abs(-expm1(tts.upper / 100 * log1p(-p.lower)) - 0.99) <= 1e-12)
        #expect(tts.lower < tts.value && tts.value < tts.upper)
    }

    /// max(1, NaN) is 1 in Swift: a NaN probability must not become one run's cost.
    @Test func nanProbabilityGivesNaNNotOneRun() {
        #expect(timeToSolution99(meanCost: 100, probability: .nan).isNaN)
        #expect(timeToSolution99(meanCost: .nan, probability: 0.5).isNaN)
    }

    /// A rate bound that is NaN makes the TTS bound it implies NaN, never a number below the point
    /// estimate.
    @Test func nanRateBoundGivesNaNTimeToSolutionBound() throws {
        var p = try #require(Proportion(successes: 3, trials: 10))
        p.lower = .nan
        let tts = try #require(TimeToSolution(meanCost: 100, proportion: p))
        #expect(tts.upper.isNaN)
        #expect(tts.value.isFinite && tts.lower.isFinite)
    }
}

@Suite struct AverageRuntimeTests {
    /// COCO's aRT by hand: four trials of budget 100. Two succeed, at 10 and at 30 evaluations
    /// (each then runs on to 100); one fails after 100, one stops (converged) after 60.
    /// aRT = (10 + 30 + 100 + 60) / 2 = 100. The total-spend formula would give
    /// (100 + 100 + 100 + 60) / 2 = 180.
    @Test func averageRuntimeCountsSuccessfulTrialsOnlyUntilTheirFirstSuccess() {
        let records = [
            summaryRecord(trial: 0, spent: 100, escapeAt: 10, successAt: 10),
            summaryRecord(trial: 1, spent: 100, escapeAt: 30, successAt: 30),
            summaryRecord(trial: 2, spent: 100, escapeAt: nil, successAt: nil),
            summaryRecord(trial: 3, spent: 60, escapeAt: nil, successAt: nil),
        ]
        let row = SummaryRow(records: records)
        #expect(row.averageRuntimeSuccess?.value == 100)
        #expect(row.averageRuntimeEscape?.value == 100)
        #expect(row.averageRuntimeSuccess?.value != 360.0 / 2)
    }

    /// A row's diagnostics are element-wise means over the trials that did not fail, each element
    /// over the trials that reported a finite value: (1, NaN) and (0.5, 0.25) give (0.75, 0.25); a
    /// failed trial's (0, 0) is left out; trials.csv and summary.csv write them as `name=v1 v2`.
    @Test func diagnosticsAreMeansOverTheTrialsThatDidNotFail() {
        var records = (0..<3).map { summaryRecord(trial: $0, spent: 100, escapeAt: nil, successAt: nil) }
        records[0].diagnostics = [Diagnostic(name: "swap-acceptance", values: [1, .nan])]
        records[1].diagnostics = [Diagnostic(name: "swap-acceptance", values: [0.5, 0.25])]
        records[2].diagnostics = [Diagnostic(name: "swap-acceptance", values: [0, 0])]
        records[2].failure = "non-finite value"
        let row = SummaryRow(records: records)
        #expect(row.diagnostics == [Diagnostic(name: "swap-acceptance", values: [0.75, 0.25])])
        #expect(Diagnostic.text(row.diagnostics) == "swap-acceptance=0.75 0.25")
        #expect(records[1].csvFields[TrialRecord.csvHeader.firstIndex(of: "diagnostics")!] == "swap-acceptance=0.5 0.25")
        #expect(row.csvFields[SummaryRow.csvHeader.firstIndex(of: "diagnostics")!] == "swap-acceptance=0.75 0.25")
        let note = SummaryTable.diagnostics([row])
        #expect(note.hasSuffix("\nl          o          swap-acceptance  0.750 0.250\n"), "\(note)")
        #expect(SummaryTable.diagnostics([SummaryRow(records: [summaryRecord(trial: 0, spent: 1, escapeAt: nil, successAt: nil)])]).isEmpty)
    }

    /// Escape and success differ: escape over the trapped trials with evals to escape, success over
    /// all trials with evals to success. Trials (spent, escape at, success at): (200, 20, 150),
    /// (200, 50, –), (200, –, –), and an untrapped one (200, –, 40) that counts for success only.
    /// aRT escape = (20 + 50 + 200) / 2 = 135; aRT success = (150 + 200 + 200 + 40) / 2 = 295.
    @Test func escapeAndSuccessRuntimesUseTheirOwnHittingTimesAndTrials() {
        let records = [
            summaryRecord(trial: 0, spent: 200, escapeAt: 20, successAt: 150),
            summaryRecord(trial: 1, spent: 200, escapeAt: 50, successAt: nil),
            summaryRecord(trial: 2, spent: 200, escapeAt: nil, successAt: nil),
            summaryRecord(trial: 3, spent: 200, escapeAt: nil, successAt: 40, trapped: false),
        ]
        let row = SummaryRow(records: records)
        #expect(row.averageRuntimeEscape?.value == 135)
        #expect(row.averageRuntimeSuccess?.value == 295)
    }

    @Test func noSuccessGivesInfiniteRuntimeAndInterval() throws {
        let aRT = try #require(AverageRuntime(cost: [10, 20, 30], succeeded: [false, false, false]))
        #expect(aRT.value == .infinity && aRT.lower == .infinity && aRT.upper == .infinity)
        #expect(AverageRuntime(cost: [], succeeded: []) == nil)
    }

    /// Every trial succeeding at the same cost: every resample has that aRT.
    @Test func identicalTrialsGiveADegenerateInterval() throws {
        let aRT = try #require(AverageRuntime(cost: Array(repeating: 42, count: 30), succeeded: Array(repeating: true, count: 30)))
        #expect(aRT.value == 42 && aRT.lower == 42 && aRT.upper == 42)
    }

    /// One success in 20 trials: a resample misses it with probability (19/20)^20 = 0.358 > 2.5%,
    /// so the 97.5% quantile of the resampled aRTs is ∞ by the stated rule.
    @Test func resamplesWithoutSuccessMakeTheUpperBoundInfinite() throws {
        let aRT = try #require(AverageRuntime(cost: [5] + Array(repeating: 100, count: 19),
                                              succeeded: [true] + Array(repeating: false, count: 19)))
        #expect(aRT.value == 1905)
        #expect(aRT.upper == .infinity)
        #expect(aRT.lower.isFinite && aRT.lower <= aRT.value)
    }

    @Test func bootstrapIsDeterministic() throws {
        let cost: [Double] = [12, 80, 100, 33, 100, 7, 100, 64]
        let succeeded = cost.map { $0 < 100 }
        #expect(AverageRuntime(cost: cost, succeeded: succeeded) == AverageRuntime(cost: cost, succeeded: succeeded))
    }

    /// The percentile bootstrap against the exact bootstrap distribution, by enumerating all 4⁴ = 256
    /// equally likely resamples of four trials. The Monte Carlo quantile at level a from B = 2000
    /// resamples sits where the empirical CDF crosses a; the empirical CDF at any point has standard
    /// deviation ≤ √(a(1 − a)/B) = 0.0035 at a = 0.025, so the exact CDF at the bound lies within
    /// 4σ = 0.014 of the level (a fixed seed: deterministic, and ~6e-5 a priori to miss).
    @Test func bootstrapBoundsAgreeWithTheEnumeratedBootstrapDistribution() throws {
        let cost: [Double] = [10, 25, 100, 100], succeeded = [true, true, false, false]
        let aRT = try #require(AverageRuntime(cost: cost, succeeded: succeeded))
        var exact = [Double]()
        for a in 0..<4 { for b in 0..<4 { for c in 0..<4 { for d in 0..<4 {
            let pick = [a, b, c, d]
            let wins = pick.filter { succeeded[$0] }.count
            exact.append(wins > 0 ? pick.reduce(0) { $0 + cost[$1] } / Double(wins) : .infinity)
        }}}}
        func below(_ x: Double) -> Double { Double(exact.filter { $0 < x }.count) / 256 }
        func atMost(_ x: Double) -> Double { Double(exact.filter { $0 <= x }.count) / 256 }
        let sigma = (0.025 * 0.975 / Double(AverageRuntime.resamples)).squareRoot()
        for (bound, level) in [(aRT.lower, 0.025), (aRT.upper, 0.975)] {
            #expect(below(bound) <= level + 4 * sigma, "bound \(bound)")
            #expect(atMost(bound) >= level - 4 * sigma, "bound \(bound)")
        }
        #expect(aRT.value == 235.0 / 2)
    }
}

@Suite struct FailedTrialTests {
    /// One failed trial among three: it counts in `failed` and against the escape rate, its spend
    /// counts in the cost statistics, and its values (a huge gap, a NaN best value) in none of the
    /// value statistics. Medians of the two completed trials: gap (1 + 3)/2 = 2, best value 2.
    @Test func failedTrialsCountInCostsButNotInValues() {
        var failed = summaryRecord(trial: 2, spent: 40, escapeAt: nil, successAt: nil, best: .nan)
        failed.failure = "landscape returned NaN"
        failed.gap = 1e9
        let records = [
            summaryRecord(trial: 0, spent: 100, escapeAt: 10, successAt: nil, best: 1),
            summaryRecord(trial: 1, spent: 100, escapeAt: nil, successAt: nil, best: 3),
            failed,
        ]
        let row = SummaryRow(records: records)
        #expect(row.failed == 1 && row.trials == 3 && row.trapped == 3 && row.escaped == 1)
        #expect(row.medianGap == 2)
        #expect(row.medianBestValue == 2)
        #expect(row.meanSpent == 80)
        // aRT escape = (10 + 100 + 40) / 1: the failed trial's 40 was spent.
        #expect(row.averageRuntimeEscape?.value == 150)
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

    /// A NaN has no rank: sorting with it puts the other values in an arbitrary order, so any
    /// finite answer would be wrong ([NaN, 3, 1, 2] sorts to [NaN, 1, 2, 3], whose interpolated
    /// median would be 1.5).
    @Test func nanSampleHasNaNQuantile() throws {
        #expect(try #require(quantile([.nan, 3, 1, 2], 0.5)).isNaN)
        #expect(try #require(quantile([.nan, 1, 2], 0.5)).isNaN)
        #expect(try #require(quantile([3, .nan, 1, 2], 0.5)).isNaN)
    }

    /// Infinite values rank above every finite one; an order statistic hit exactly is returned
    /// (no 0 · ∞), interpolating towards ∞ gives ∞.
    @Test func infiniteValuesRankAboveFiniteOnes() {
        #expect(quantile([1, 2, .infinity], 0.5) == 2)
        #expect(quantile([1, .infinity], 0.5) == .infinity)
        #expect(quantile([.infinity, .infinity], 0.3) == .infinity)
    }
}

@Suite struct SummaryTableTests {
    /// 0 of 2000: the upper bound 1 − 0.025^(1/2000) = 0.00184 must not print as 0.00.
    @Test func smallUpperBoundIsNotPrintedAsZero() throws {
        let p = try #require(Proportion(successes: 0, trials: 2000))
        #expect(SummaryTable.rate(p) == "0.0000 [0.0000, 0.0018]")
    }

    /// 2000 of 2000: the lower bound 0.99816 must not print as 1.00.
    @Test func largeLowerBoundIsNotPrintedAsOne() throws {
        let p = try #require(Proportion(successes: 2000, trials: 2000))
        #expect(SummaryTable.rate(p) == "1.0000 [0.9982, 1.0000]")
    }

    /// 1970 of 2000 has the interval [0.9786, 0.9897] (Clopper–Pearson, the committed table's
    /// n = 2000 row): at two decimals rate and both bounds would all print as 0.98 or 0.99 and
    /// hide the interval; one precision for the cell, the smallest that tells them apart.
    @Test func aNarrowIntervalIsPrintedWithTheDigitsThatShowIt() throws {
        let p = try #require(Proportion(successes: 1970, trials: 2000))
        #expect(SummaryTable.rate(p) == "0.985 [0.979, 0.990]")
        let q = try #require(Proportion(successes: 42, trials: 100))
        #expect(SummaryTable.rate(q) == "0.42 [0.32, 0.52]")
    }

    @Test func probabilitiesShowTwoSignificantDigitsOfTheirDistanceFromZeroOrOne() {
        #expect(SummaryTable.probability(0) == "0.00")
        #expect(SummaryTable.probability(1) == "1.00")
        #expect(SummaryTable.probability(0.42) == "0.42")
        #expect(SummaryTable.probability(0.005) == "0.01")
        #expect(SummaryTable.probability(0.0049) == "0.0049")
        #expect(SummaryTable.probability(0.001) == "0.0010")
        #expect(SummaryTable.probability(0.99963) == "0.99963")
        #expect(SummaryTable.probability(0.0000123) == "0.000012")
        #expect(SummaryTable.probability(.nan) == "nan")
    }

    /// A NaN cost (a NaN rate bound's TTS99) prints as "nan": it has no whole number to round to.
    @Test func nanCostPrintsAsNaN() {
        #expect(SummaryTable.count(.nan) == "nan")
        #expect(SummaryTable.count(.infinity) == "∞")
        #expect(SummaryTable.count(22273.4) == "22273")
    }

    /// No value other than exactly 0 or 1 prints as 0.00… or 1.00…, over values spread on a log
    /// scale towards both ends.
    @Test func onlyExactZeroAndOnePrintAsZeroAndOne() {
        for e in stride(from: -1.0, through: -16, by: -0.25) {
            let x = pow(10, e)
            for v in [x, 1 - x] where v > 0 && v < 1 {
                let text = SummaryTable.probability(v)
                let rounded = Double(text) ?? .nan
                #expect(rounded != 0 && rounded != 1, "\(v) printed as \(text)")
            }
        }
    }
}

/// A continuous-landscape trial record with only what the summary reads.
func summaryRecord(trial: Int, spent: Double, escapeAt: Double?, successAt: Double?, trapped: Bool = true,
            best: Double = 1) -> TrialRecord {
    TrialRecord(
        landscape: "l", family: "f", instance: 1, dimension: 2, landscapeParameters: "", optimizer: "o",
        optimizerParameters: "", trial: trial, startSeed: 0, optimizerSeed: 0, start: .localMin, budget: 200,
        trapValue: 5, trapped: trapped, escaped: trapped && escapeAt != nil, evalsToEscape: trapped ? escapeAt : nil,
        success: successAt != nil, evalsToSuccess: successAt, bestValue: best, gap: best, evaluations: Int(spent),
        gradientEvaluations: 0, spent: spent, stopReason: "budget", failure: "", wallTime: 0)
}

@Suite struct TableLayoutTests {
    /// Columns are padded to the widest cell and each line loses its end padding, whatever the
    /// width: a 200,000-character name (a free-text spec name may be that long) keeps its text,
    /// the next column starts two spaces after the widest cell, and no line ends in a space.
    @Test func paddingIsTrimmedAndColumnsAlignForAVeryWideCell() {
        let wide = String(repeating: "x", count: 200_000)
        let table = [["landscape", "rate", "note"], [wide, "0.5", ""], ["short", "0.25", "a"]]
        let lines = SummaryTable.align(table, leftAligned: [0, 2]).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        for line in lines.dropLast() { #expect(line.last != " ") }
        #expect(lines[1] == Substring(wide + "  " + " 0.5"))
        #expect(lines[2] == Substring("short" + String(repeating: " ", count: 200_000 - 5) + "  " + "0.25" + "  " + "a"))
    }
}
