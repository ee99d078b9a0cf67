import Foundation
import Landscapes
import Testing
@testable import Harness

/// Ensembles: the instance lists a spec, a suite and `--instances` accept; one landscape per
/// instance, each the same problem as that instance run alone; the quantiles over instances with
/// their two-stage bootstrap intervals, checked against closed forms; and the paired tests pooled
/// over the instances.
@Suite struct EnsembleTests {
    @Test func instanceListsParseTheDocumentedForms() {
        #expect(InstanceList.parse("5") == [1, 2, 3, 4, 5])
        #expect(InstanceList.parse("3-7") == [3, 4, 5, 6, 7])
        #expect(InstanceList.parse(" 0 - 2 ") == [0, 1, 2])
        #expect(InstanceList.parse("9,1,5") == [9, 1, 5])
        #expect(InstanceList.parse("0-9999")?.count == InstanceList.limit)
        #expect(InstanceList.parse("\(InstanceList.limit)")?.count == InstanceList.limit)
        // Empty, repeated, reversed, signed, exponent, past the limit (checked before any list is
        // made: the last would be 10¹⁸ numbers), and not numbers at all.
        for bad in ["", "0", "1,1", "7-3", "-3", "+5", "1e3", "1.5", "1,,2", "1-", "x", "1-10001", "10001",
                    "1-999999999999999999", "99999999999999999999", "1,2-3"] {
            #expect(InstanceList.parse(bad)?.count == nil, "\(bad)")
        }
    }

    @Test func aSpecNamesItsInstancesAsACountARangeOrAList() throws {
        func instances(_ field: String) throws -> [Int]? {
            try LandscapeSpec.parse(yaml: "family: sphere\ninstances: \(field)\n", file: "e.yaml").instances
        }
        #expect(try instances("3") == [1, 2, 3])
        #expect(try instances("2-4") == [2, 3, 4])
        #expect(try instances("[8, 4]") == [8, 4])
        #expect(try LandscapeSpec.parse(yaml: "family: sphere\n", file: "e.yaml").instances == nil)
        for bad in ["0", "[1, x]", "[1, 1]", "[]", "{a: 1}", "1-20000"] {
            let error = try #require(throws: HarnessError.self) { try instances(bad) }
            #expect(error.description.hasPrefix("e.yaml:2: field 'instances' is "), "\(error)")
            #expect(error.description.hasSuffix("expected \(InstanceList.expectedText)"), "\(error)")
        }
        #expect(throws: HarnessError("e.yaml:3: give 'instance' (one) or 'instances' (an ensemble), not both")) {
            try LandscapeSpec.parse(yaml: "family: sphere\ninstance: 2\ninstances: 3\n", file: "e.yaml")
        }
    }

    /// Each member is the problem its instance poses alone (the same instance key, so the same
    /// starts and streams), named `NAME i=K`; `--instance` picks one instance of an ensemble spec
    /// and `--instances` replaces the spec's; an ensemble's trials are held to the run limit.
    @Test func membersAreTheirInstancesRunAlone() throws {
        var spec = LandscapeSpec(name: "ring", family: "rastrigin")
        spec.instances = [3, 8]
        spec.dimension = 2
        let members = try ResolvedLandscape.members(spec)
        #expect(members.map(\.spec.name) == ["ring i=3", "ring i=8"])
        #expect(members.map(\.instance) == [3, 8] && members.allSatisfy { $0.ensemble == "ring" })
        for member in members {
            var alone = spec
            alone.instances = nil
            alone.instance = member.instance
            #expect(member.instanceKey == (try ResolvedLandscape(alone)).instanceKey)
        }
        let one = try ResolvedLandscape.members(spec, overrides: SpecOverrides(instance: 5))
        #expect(one.map(\.instance) == [5] && one[0].ensemble == nil && one[0].spec.name == "ring")
        #expect(try ResolvedLandscape.members(spec, overrides: SpecOverrides(instances: [1, 2, 4])).map(\.instance) == [1, 2, 4])
        #expect(throws: HarnessError("landscape ring (built-in): 10000 instances × 101 trials is above the limit of 1000000 trials per ensemble")) {
            try ResolvedLandscape.members(spec, overrides: SpecOverrides(trials: 101, instances: Array(1...10_000)))
        }
    }

    /// Synthetic trials of one optimizer: instance k has `successes[k]` of `trials` succeeding,
    /// each trial spending `spent` and succeeding after `hit`.
    func accumulator(successes: [Int], trials: Int, spent: Double = 100, hit: Double = 40) -> EnsembleAccumulator {
        var record = TrialRecord(
            landscape: "e", family: "sphere", instance: 0, dimension: 2, landscapeParameters: "", optimizer: "m",
            optimizerParameters: "", trial: 0, startSeed: 0, optimizerSeed: 0, start: .uniform, budget: spent, trapValue: 0,
            trapped: false, escaped: false, evalsToEscape: nil, success: false, evalsToSuccess: nil, bestValue: 0, gap: 0,
            evaluations: 0, gradientEvaluations: 0, spent: spent, stopReason: "budget", failure: "", wallTime: 0)
        var accumulator = EnsembleAccumulator(ensemble: "e", first: record)
        for (k, count) in successes.enumerated() {
            for t in 0..<trials {
                record.instance = k + 1
                record.trial = t
                record.success = t < count
                record.evalsToSuccess = t < count ? hit : nil
                accumulator.add(record)
            }
        }
        return accumulator
    }

    /// ln C(n, j).
    func logChoose(_ n: Int, _ j: Int) -> Double {
        let top: Double = lgamma(Double(n + 1))
        let a: Double = lgamma(Double(j + 1))
        let b: Double = lgamma(Double(n - j + 1))
        return top - a - b
    }

    /// The binomial probability of j successes in n at rate q.
    func binomial(_ n: Int, _ j: Int, _ q: Double) -> Double {
        let successes: Double = Double(j) * log(q)
        let failures: Double = Double(n - j) * log1p(-q)
        return exp(logChoose(n, j) + successes + failures)
    }

    /// The type-7 quantile written out here (R's and NumPy's default), for the point values.
    func type7(_ values: [Double], _ q: Double) -> Double {
        let x = values.sorted()
        let h = Double(x.count - 1) * q
        let lo = Int(h), hi = min(lo + 1, x.count - 1)
        return x[hi] == .infinity ? (h == Double(lo) ? x[lo] : .infinity) : x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }

    /// The point values are the quantiles of each instance's success rate, TTS99 and aRT, each
    /// from its closed form: p = k/n, TTS99 = t̄·max(1, ln 0.01/ln(1 − p)), aRT = (k·hit + (n − k)·spent)/k.
    @Test func pointValuesAreQuantilesOfThePerInstanceStatistics() throws {
        let successes = [0, 3, 10, 5, 1, 8, 10]
        let n = 10
        let rows = accumulator(successes: successes, trials: n).quantiles()
        #expect(rows.count == 3 * EnsembleAccumulator.levels.count)
        let p = successes.map { Double($0) / Double(n) }
        let tts = p.map { $0 == 0 ? Double.infinity : 100 * max(1, log(0.01) / log(1 - $0)) }
        let art = successes.map { k in k == 0 ? Double.infinity : (Double(k) * 40 + Double(n - k) * 100) / Double(k) }
        for row in rows {
            let values = row.statistic == .success ? p : row.statistic == .tts99 ? tts : art
            let expected = type7(values, row.quantile)
            #expect(expected == .infinity ? row.value == .infinity : abs(row.value - expected) <= 1e-12 * expected,
                    "\(row.statistic) q\(row.quantile): \(row.value) vs \(expected)")
            #expect(row.lower <= row.value && row.value <= row.upper, "\(row)")
            #expect(row.instances == successes.count && row.trials == successes.count * n)
        }
    }

    /// One trial per instance: resampling trials changes nothing, and the median of m = 21 0/1
    /// values resampled is 1 exactly when at least 11 of the draws are successes, a binomial
    /// event of known probability. With 5 of 21 instances succeeding that probability is 0.0036
    /// (about 7 of the 2,000 resamples), so both bounds are 0; with 9 of 21 it is 0.26 and the
    /// interval is [0, 1].
    @Test func theInstanceStageOfTheBootstrapMatchesTheBinomialLaw() {
        func probabilityMedianIsOne(_ k: Int, _ m: Int) -> Double {
            let q = Double(k) / Double(m)
            return (11...m).reduce(0.0) { $0 + binomial(m, $1, q) }
        }
        for (k, expected) in [(5, (0.0, 0.0)), (9, (0.0, 1.0)), (16, (1.0, 1.0))] {
            let chance = probabilityMedianIsOne(k, 21)
            // The bound is decided far from its 2.5% or 97.5% edge, so sampling error cannot move it.
            #expect(chance < 0.01 || (chance > 0.1 && chance < 0.9) || chance > 0.99, "\(chance)")
            let median = accumulator(successes: (0..<21).map { $0 < k ? 1 : 0 }, trials: 1).quantiles()
                .first { $0.statistic == .success && $0.quantile == 0.5 }!
            #expect(median.lower == expected.0 && median.upper == expected.1, "k = \(k): \(median)")
        }
    }

    /// One instance: the instance stage changes nothing, and a resampled success rate of n = 100
    /// trials with 30 successes is Binomial(100, 0.3)/100; the interval's ends are its 2.5% and
    /// 97.5% quantiles, from the binomial law, to within one step of 1/n either way (2,000
    /// resamples estimate a 2.5% quantile to about ±7 of them).
    @Test func theTrialStageOfTheBootstrapMatchesTheBinomialLaw() {
        let n = 100, k = 30
        var cdf = [Double](), total = 0.0
        for j in 0...n {
            total += binomial(n, j, 0.3)
            cdf.append(total)
        }
        let low = Double(cdf.firstIndex { $0 >= 0.025 }!) / Double(n)
        let high = Double(cdf.firstIndex { $0 >= 0.975 }!) / Double(n)
        let median = accumulator(successes: [k], trials: n).quantiles().first { $0.statistic == .success && $0.quantile == 0.5 }!
        #expect(median.value == 0.3)
        #expect(abs(median.lower - low) <= 0.0100001 && abs(median.upper - high) <= 0.0100001, "\(median) vs [\(low), \(high)]")
    }

    /// A whole run on an ensemble: summary rows per instance, ensemble.csv from them, and one
    /// paired test per pair over the ensemble whose counts are the per-instance counts summed
    /// (recounted here from the records, pairing trials within each instance) and whose p is the
    /// exact McNemar p of those counts, summed here from the binomial law.
    @Test func aRunOnAnEnsembleWritesItsQuantilesAndPoolsItsPairedTests() throws {
        var spec = LandscapeSpec(name: "dw", family: "double-well")
        spec.instances = [1, 2, 3, 4]
        let landscapes = try ResolvedLandscape.members(spec, overrides: SpecOverrides(dimension: 2, trials: 12, budget: 300, start: .uniform))
        let entries = try OptimizerEntry.entries(for: landscapes[0], names: ["sa", "random-search"])
        let plan = RunPlan(landscapes: landscapes, optimizers: entries, masterSeed: 3, threads: 2)
        let records = try BenchmarkRun.execute(plan)
        let dir = NSTemporaryDirectory() + "tunnelbench-ensemble-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let metadata = RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil)
        let results = try RunOutput.write(dir, records: records, metadata: metadata, plan: plan)
        #expect(results.summary.map(\.landscape) == ["dw i=1", "dw i=1", "dw i=2", "dw i=2", "dw i=3", "dw i=3", "dw i=4", "dw i=4"])
        #expect(metadata.landscapes.allSatisfy { $0.ensemble == "dw" })

        let csv = try String(contentsOfFile: dir + "/ensemble.csv", encoding: .utf8)
        #expect(csv == EnsembleQuantile.columns.document(results.ensembles))
        #expect(results.ensembles.count == 2 * 3 * EnsembleAccumulator.levels.count)
        for optimizer in ["sa", "random-search"] {
            let rates = results.summary.filter { $0.optimizer == optimizer }.map { $0.success!.rate! }
            let median = results.ensembles.first { $0.optimizer == optimizer && $0.statistic == .success && $0.quantile == 0.5 }!
            #expect(median.value == type7(rates, 0.5) && median.instances == 4 && median.trials == 48)
        }

        #expect(results.comparisons.map(\.landscape) == ["dw", "dw"])
        for row in results.comparisons {
            var first = 0, second = 0, pairs = 0
            for instance in 1...4 {
                let name = "dw i=\(instance)"
                for trial in 0..<12 {
                    let a = records.first { $0.landscape == name && $0.optimizer == "sa" && $0.trial == trial }!
                    let b = records.first { $0.landscape == name && $0.optimizer == "random-search" && $0.trial == trial }!
                    if row.outcome == .escape && !(a.trapped && b.trapped) { continue }
                    let won = row.outcome == .escape ? (a.escaped, b.escaped) : (a.success == true, b.success == true)
                    pairs += 1
                    if won.0 && !won.1 { first += 1 }
                    if won.1 && !won.0 { second += 1 }
                }
            }
            let counts = try #require(row.counts)
            #expect(counts.pairs == pairs && counts.firstOnly == first && counts.secondOnly == second, "\(row)")
            let discordant = first + second
            let tail = discordant == 0 ? 1 : (0...min(first, second)).reduce(0.0) { $0 + binomial(discordant, $1, 0.5) }
            #expect(abs(row.p! - min(1, 2 * tail)) <= 1e-12, "\(row.p!) vs \(min(1, 2 * tail))")
        }
    }

    /// The gate sees an ensemble as one row per optimizer pooling its instances' trials (instance
    /// k's trial t at k·trials + t), which a baseline file writes and reads back; an edit to one
    /// instance unpairs the row; and a loss spread thinly over the instances, 3 of 12 successes in
    /// each of 4 (one-sided p = 1/8 each, never significant alone), is a regression pooled
    /// (p = 2⁻¹², 25 points).
    @Test func theGatePoolsAnEnsemblesInstances() throws {
        func plan(_ instances: [Int]) throws -> RunPlan {
            var spec = LandscapeSpec(name: "dw", family: "double-well")
            spec.instances = instances
            let landscapes = try ResolvedLandscape.members(spec, overrides: SpecOverrides(dimension: 2, trials: 12, budget: 2000, start: .uniform))
            return RunPlan(landscapes: landscapes, optimizers: try OptimizerEntry.entries(for: landscapes[0], names: ["sa", "random-search"]),
                           masterSeed: 3, threads: 2)
        }
        let run = try plan([1, 2, 3, 4])
        let records = try BenchmarkRun.execute(run)
        let rows = Baseline.rows(from: records, plan: run)
        #expect(rows.map(\.key) == ["dw/sa", "dw/random-search"])
        for row in rows {
            #expect(row.trials == 48 && row.landscape == "dw" && row.instanceKey.hasPrefix("ensemble of 4 instances"))
            for (k, instance) in [1, 2, 3, 4].enumerated() {
                for t in 0..<12 {
                    let record = records.first { $0.landscape == "dw i=\(instance)" && $0.optimizer == row.optimizer && $0.trial == t }!
                    let outcome = row.outcomes[k * 12 + t]
                    #expect(outcome.trial == k * 12 + t && outcome.trapped == record.trapped && outcome.escaped == record.escaped
                            && outcome.success == record.success)
                }
            }
        }
        let path = NSTemporaryDirectory() + "tunnelbench-ensemble-baseline-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: Baseline.trialsPath(for: path)) }
        try Baseline.write(rows, to: path)
        #expect(try Baseline.read(path) == rows)
        #expect(RegressionCheck.compare(baseline: rows, current: rows).allSatisfy { $0.verdict == .ok })

        let moved = Baseline.rows(from: try BenchmarkRun.execute(try plan([1, 2, 3, 5])), plan: try plan([1, 2, 3, 5]))
        #expect(RegressionCheck.compare(baseline: rows, current: moved).allSatisfy { $0.verdict == .missing })

        // Three successes lost in every instance.
        var worse = rows
        for k in 0..<4 {
            let block = (k * 12)..<(k * 12 + 12)
            let won = block.filter { worse[0].outcomes[$0].success == true }
            try #require(won.count >= 3, "instance \(k + 1) of sa succeeds in \(won.count) of 12")
            for t in won.prefix(3) { worse[0].outcomes[t].success = false }
        }
        worse[0].successes! -= 12
        let pooled = RegressionCheck.compare(baseline: rows, current: worse)
        #expect(pooled.map(\.verdict) == [.regressed, .ok])
        #expect(pooled[0].success?.baselineOnly == 12 && pooled[0].success?.currentOnly == 0)
        // The same loss seen one instance at a time: never significant.
        func split(_ row: BaselineRow) -> [BaselineRow] {
            (0..<4).map { k in
                var part = row
                part.key = "\(row.key) i=\(k + 1)"
                part.trials = 12
                part.outcomes = (0..<12).map { var o = row.outcomes[k * 12 + $0]; o.trial = $0; return o }
                return part
            }
        }
        let alone = RegressionCheck.compare(baseline: rows.flatMap(split), current: worse.flatMap(split))
        #expect(alone.allSatisfy { $0.verdict == .ok }, "\(alone.map(\.verdict))")
    }

    /// An ensemble whose instances do not all have f* known (an external landscape may declare it
    /// for some) pools escape only, and its baseline file reads back.
    @Test func aPooledRowWithoutFStarOnSomeInstanceHasNoSuccess() throws {
        func row(_ success: Bool?) -> BaselineRow {
            let outcomes = (0..<3).map { t in TrialOutcome(trial: t, trapped: true, escaped: t > 0, success: success == nil ? nil : t == 2, failed: false) }
            return BaselineRow(key: "e/m", landscape: "e", instanceKey: "k", seed: 1, budget: 10, optimizer: "m", optimizerParameters: "",
                               trials: 3, trapped: 3, escaped: 2, successes: success.map { _ in 1 }, outcomes: outcomes)
        }
        var pooled = row(true)
        pooled.pool(row(nil))
        #expect(pooled.successes == nil && pooled.outcomes.allSatisfy { $0.success == nil })
        #expect(pooled.trials == 6 && pooled.escaped == 4 && pooled.outcomes.map(\.trial) == Array(0..<6))
        pooled.memberKeys = []
        let path = NSTemporaryDirectory() + "tunnelbench-pooled-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: Baseline.trialsPath(for: path)) }
        try Baseline.write([pooled], to: path)
        #expect(try Baseline.read(path) == [pooled])
    }
}
