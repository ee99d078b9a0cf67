import Foundation
import Testing
@testable import Harness

/// GSL computes binomial tails through the regularized incomplete Beta function, accurate to a
/// few units in the last place: the tolerances are relative, 1e-14 (about 45 ulps).
@Suite struct ExactTestTests {
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-14 * abs(b) }

    /// Ten discordant trials all won by the baseline: P(B ≥ 10 | n = 10, ½) = 2^−10.
    @Test func tenDiscordantAllAgainstGivesTwoToMinusTen() {
        #expect(close(mcNemarOneSided(against: 10, favouring: 0), pow(2, -10)))
    }

    /// 5 against, 5 for: P(B ≥ 5 | n = 10, ½) = (252/2 + 210 + 120 + 45 + 10 + 1)/1024 = 638/1024.
    @Test func balancedDiscordanceIsNotSignificant() {
        #expect(close(mcNemarOneSided(against: 5, favouring: 5), 638.0 / 1024))
    }

    /// 7 against, 1 for: P(B ≥ 7 | n = 8, ½) = (8 + 1)/256.
    @Test func sevenOfEightAgainst() {
        #expect(close(mcNemarOneSided(against: 7, favouring: 1), 9.0 / 256))
    }

    @Test func noDiscordantTrialsGivesPOne() {
        #expect(mcNemarOneSided(against: 0, favouring: 0) == 1)
        #expect(mcNemarOneSided(against: 0, favouring: 6) == 1)
    }

    /// Holm on p = (0.01, 0.04, 0.03, 0.005), m = 4: sorted 0.005·4 = 0.02, 0.01·3 = 0.03,
    /// 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to the running maximum 0.06.
    @Test func holmAdjustmentMatchesWorkedExample() {
        let adjusted = holmAdjusted([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (a, e) in zip(adjusted, expected) { #expect(abs(a - e) < 1e-15) }
    }

    @Test func holmNeverExceedsOne() {
        #expect(holmAdjusted([0.5, 0.6, 0.9]) == [1, 1, 1])
    }
}

@Suite struct RegressionCheckTests {
    /// A small suite: sa on the 5-D double well, 50 trials (about half escape at this budget).
    func suite(budget: Double = 3000, optimizers: String = "[sa, random-search]") throws -> Suite {
        try Suite.parse(yaml: """
            name: tiny
            seed: 7
            trials: 50
            optimizers: \(optimizers)
            landscapes:
              - name: dw
                family: double-well
                dimension: 5
                budget: \(budget)
            """, file: "tiny.yaml")
    }

    func rows(_ suite: Suite) throws -> [BaselineRow] {
        let plan = suite.plan(threads: 2)
        return Baseline.rows(from: try BenchmarkRun.execute(plan), plan: plan)
    }

    @Test func unchangedRunPassesAgainstItsOwnBaseline() throws {
        let baseline = try rows(suite())
        let comparisons = RegressionCheck.compare(baseline: baseline, current: try rows(suite()))
        #expect(comparisons.allSatisfy { $0.verdict == .ok })
        #expect(!RegressionCheck.fails(comparisons))
        #expect(comparisons.allSatisfy { $0.escape?.baselineOnly == 0 && $0.escape?.currentOnly == 0 })
    }

    @Test func plantedRegressionIsFlaggedAndNamed() throws {
        let baseline = try rows(suite())
        let starved = try rows(suite(budget: 150))
        let comparisons = RegressionCheck.compare(baseline: baseline, current: starved)
        let sa = try #require(comparisons.first { $0.key == "dw/sa" })
        #expect(sa.verdict == .regressed)
        #expect(sa.note.contains("budget 3000 → 150"))
        #expect(RegressionCheck.fails(comparisons))
        #expect(RegressionCheck.table(comparisons).contains("dw/sa"))
    }

    @Test func rowMissingFromTheCurrentRunFails() throws {
        let baseline = try rows(suite())
        let comparisons = RegressionCheck.compare(baseline: baseline, current: try rows(suite(optimizers: "[sa]")))
        #expect(comparisons.first { $0.key == "dw/random-search" }?.verdict == .missing)
        #expect(RegressionCheck.fails(comparisons))
    }

    @Test func newRowDoesNotFail() throws {
        let baseline = try rows(suite(optimizers: "[sa]"))
        let comparisons = RegressionCheck.compare(baseline: baseline, current: try rows(suite()))
        #expect(comparisons.first { $0.key == "dw/random-search" }?.verdict == .new)
        #expect(!RegressionCheck.fails(comparisons))
    }

    @Test func baselineRoundTripsThroughItsFiles() throws {
        let baseline = try rows(suite())
        let path = NSTemporaryDirectory() + "tunnelbench-baseline-\(UUID().uuidString)/ci.csv"
        try Baseline.write(baseline, to: path)
        #expect(try Baseline.read(path) == baseline)
    }

    @Test func malformedBaselineIsRejectedWithItsLineNumber() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-baseline-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/ci.csv"
        try Baseline.write(try rows(suite()), to: path)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: ",50,", with: ",fifty,")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: HarnessError("\(path):3: column 'trials' is 'fifty', expected a whole number ≥ 0")) {
            try Baseline.read(path)
        }
        lines[2] = "dw/sa,too,few"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: HarnessError("\(path):3: 3 fields, expected 11")) { try Baseline.read(path) }
    }

    @Test func suiteErrorsNameFileAndLine() {
        #expect(throws: HarnessError("s.yaml:3: field 'landscapes' must list at least one landscape")) {
            try Suite.parse(yaml: "seed: 1\noptimizers: [sa]\nlandscapes: []\n", file: "s.yaml")
        }
        #expect(throws: (any Error).self) {
            try Suite.parse(yaml: "optimizers: [saa]\nlandscapes: [rastrigin]\n", file: "s.yaml")
        }
    }
}

@Suite struct MixedSuiteTests {
    /// A suite's `sa` is the Metropolis walker on a continuous landscape and single-flip sweeps on
    /// spins; an optimizer of only one kind is rejected on the other with the valid names.
    @Test func suiteBuildsEachLandscapesOptimizersForItsKind() throws {
        let suite = try Suite.parse(yaml: """
            seed: 1
            trials: 3
            optimizers: [sa, pt]
            landscapes:
              - {name: dw, family: double-well, dimension: 2, budget: 200}
              - {name: ws, family: weak-strong, budget: 200}
            """, file: "mixed.yaml")
        #expect(suite.optimizers[0].allSatisfy { $0.kind == .continuous })
        #expect(suite.optimizers[1].allSatisfy { $0.kind == .ising })
        let records = try BenchmarkRun.execute(suite.plan(threads: 2))
        #expect(records.count == 2 * 2 * 3)
        let error = try #require(throws: HarnessError.self) {
            try Suite.parse(yaml: "optimizers: [adam]\nlandscapes:\n  - {name: ws, family: weak-strong}\n", file: "m.yaml")
        }
        #expect(error.description.hasPrefix("m.yaml:1: optimizer 'adam' does not apply to ising landscape 'ws' (valid: "))
    }
}
