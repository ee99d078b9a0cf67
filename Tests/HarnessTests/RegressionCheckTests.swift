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
        #expect(throws: HarnessError("\(path):3: 3 fields, expected 13")) { try Baseline.read(path) }
    }

    /// Writes `rows`, applies `edit` to the lines of one file, and returns the reader's error.
    func readError(_ rows: [BaselineRow], trialsFile: Bool = false, _ edit: (inout [String]) -> Void) throws -> String {
        let dir = NSTemporaryDirectory() + "tunnelbench-baseline-\(UUID().uuidString)"
        let path = dir + "/ci.csv"
        try Baseline.write(rows, to: path)
        let target = trialsFile ? Baseline.trialsPath(for: path) : path
        var lines = try String(contentsOfFile: target, encoding: .utf8).split(separator: "\n").map(String.init)
        edit(&lines)
        try (lines.joined(separator: "\n") + "\n").write(toFile: target, atomically: true, encoding: .utf8)
        let error = try #require(throws: HarnessError.self) { try Baseline.read(path) }
        return error.description.replacingOccurrences(of: dir + "/", with: "")
    }

    /// Each defect is rejected with its own reason, file and line. Trial lines of row dw/sa are
    /// lines 2…51 of the trials file (trial t on line t + 2); dw/random-search follows.
    @Test func eachBaselineDefectIsRejectedWithItsReason() throws {
        let rows = try rows(suite())
        #expect(try readError(rows) { $0.removeLast(2) } == "ci.csv: no rows after the header (a baseline lists at least one landscape × optimizer)")
        #expect(try readError(rows) { $0[1] += "\r" } == "ci.csv:2: line ends with CR LF (Windows line endings); expected LF only")
        #expect(try readError(rows) { $0[0] = $0[0].replacingOccurrences(of: ",failed,digest", with: "") }
                == "ci.csv:1: written by an older bench (header without 'failed', 'digest'); regenerate the baseline with --update-baseline")
        #expect(try readError(rows) { $0.append($0[1]) } == "ci.csv:4: row 'dw/sa' appears again (first on line 2)")
        #expect(try readError(rows) { $0[1] = $0[1].replacingOccurrences(of: ",3000.0,", with: ",nan,") }
                == "ci.csv:2: column 'budget' is 'nan', expected a finite number > 0")
        // The trials file: an orphan row, a repeated and an out-of-range index, a missing trial.
        #expect(try readError(rows, trialsFile: true) { $0.append("dw/gd,0,true,false,false,false") }
                == "ci-trials.csv:102: row 'dw/gd' is not in ci.csv")
        #expect(try readError(rows, trialsFile: true) { $0[5] = $0[4] }
                == "ci-trials.csv:6: trial 3 of row 'dw/sa' appears again (first on line 5)")
        #expect(try readError(rows, trialsFile: true) { $0[5] = $0[5].replacingOccurrences(of: "dw/sa,4,", with: "dw/sa,50,") }
                == "ci-trials.csv:6: trial 50 of row 'dw/sa' is out of range (the row has 50 trials: 0…49)")
        #expect(try readError(rows, trialsFile: true) { $0.remove(at: 5) } == "ci.csv:2: row 'dw/sa' has 49 of its 50 trials in ci-trials.csv (trial 4 is missing)")
        // An outcome flipped in the trials file only: the summary's count disagrees.
        let t = try #require(rows[0].outcomes.firstIndex { $0.trapped && !$0.escaped && $0.success == false })
        #expect(try readError(rows, trialsFile: true) { $0[t + 1] = "dw/sa,\(t),true,false,true,false" }
                == "ci.csv:2: row 'dw/sa' says successes = \(rows[0].successes!), but its trials in ci-trials.csv have \(rows[0].successes! + 1)")
        // Impossible outcomes and recorded failures.
        let untrapped = "dw/sa,\(t),false,true,false,false"
        #expect(try readError(rows, trialsFile: true) { $0[t + 1] = untrapped }
                == "ci-trials.csv:\(t + 2): escaped is true but trapped is false (escape is only from a trap)")
        #expect(try readError(rows, trialsFile: true) { $0[t + 1] = "dw/sa,\(t),true,false,,false" }
                == "ci-trials.csv:\(t + 2): column 'success' is empty, but row 'dw/sa' counts successes in ci.csv")
        var failedRows = rows
        failedRows[0].outcomes[t].failed = true
        failedRows[0].failed = 1
        #expect(throws: (any Error).self) { try Baseline.write(failedRows, to: NSTemporaryDirectory() + "tunnelbench-\(UUID().uuidString).csv") }
        // A value changed consistently in both places (here the seed, which the counts cannot
        // see) is caught by the row's digest.
        #expect(try readError(rows) { $0[1] = $0[1].replacingOccurrences(of: ",7,3000.0,", with: ",8,3000.0,") }
                .hasPrefix("ci.csv:2: row 'dw/sa' does not match its digest "))
    }

    /// A trial that fails in the current run fails the gate, in a baseline row or a new one,
    /// even when the rates alone would pass.
    @Test func failedTrialFailsTheGateWithItsTrial() throws {
        let baseline = try rows(suite())
        var current = baseline
        // Trial 0 failed: counted as neither escaped nor successful, as the trial runner records it.
        let outcome = current[0].outcomes[0]
        current[0].outcomes[0] = TrialOutcome(trial: 0, trapped: outcome.trapped, escaped: false, success: false, failed: true)
        current[0].failed = 1
        current[0].escaped -= outcome.escaped ? 1 : 0
        current[0].successes! -= outcome.success == true ? 1 : 0
        let comparisons = RegressionCheck.compare(baseline: baseline, current: current)
        let row = try #require(comparisons.first { $0.key == current[0].key })
        #expect(row.verdict == .failed)
        #expect(row.note.hasPrefix("1 failed trial (0)"))
        #expect(RegressionCheck.fails(comparisons))
        #expect(comparisons.filter { $0.key != current[0].key }.allSatisfy { $0.verdict == .ok })
        // The same row with no baseline: new, but failed all the same.
        let alone = RegressionCheck.compare(baseline: Array(baseline.dropFirst()), current: current)
        #expect(alone.first { $0.key == current[0].key }?.verdict == .failed)
        #expect(RegressionCheck.fails(alone))
        #expect(throws: (any Error).self) { try Baseline.write(current, to: NSTemporaryDirectory() + "tunnelbench-\(UUID().uuidString).csv") }
    }

    /// The failure listing names the row, the trial, both seeds and the failure text (which the
    /// trial runner ends with the settings that reproduce it).
    @Test func failureLineNamesRowTrialAndSeeds() throws {
        let plan = try suite().plan(threads: 1)
        var record = try #require(try BenchmarkRun.execute(plan).first)
        #expect(RegressionCheck.failureLines([record]).isEmpty)
        record.failure = "landscape returned nan at x = [0.0] (reproduce: --seed 7, landscape dw, optimizer sa, trial 0)"
        #expect(RegressionCheck.failureLines([record]) == [
            "FAILED dw/sa trial 0 (start seed \(record.startSeed), optimizer seed \(record.optimizerSeed)): " + record.failure])
    }

    /// `checkWritable` refuses, before any run, a path whose folder is a file or that is a folder,
    /// and creates a missing folder.
    @Test func unwritableBaselinePathIsRefusedUpFront() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-baseline-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        #expect(throws: HarnessError("--baseline \(dir)/file/sub/b.csv: \(dir)/file is a file, not a folder")) {
            try Baseline.checkWritable(dir + "/file/sub/b.csv")
        }
        #expect(throws: HarnessError("--baseline \(dir): \(dir) is a folder, expected a CSV file")) { try Baseline.checkWritable(dir) }
        try Baseline.checkWritable(dir + "/new/b.csv")
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir + "/new", isDirectory: &isFolder) && isFolder.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/new").isEmpty)
        #expect(Baseline.parentFolder("b.csv") == "." && Baseline.parentFolder("/b.csv") == "/" && Baseline.parentFolder("a/b/") == "a")
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
            optimizers: [sa, pt, sa-spin, pt-spin]
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
        #expect(error.description == "m.yaml:3: none of the suite's optimizers applies to ising landscape 'ws' "
                + "(valid: sa-spin, piqa-spin, pt-spin, greedy-restarts); give the entry its own 'optimizers'")
        // A landscape's own list must hold optimizers of its kind; a former name gets the new one.
        let own = try #require(throws: HarnessError.self) {
            try Suite.parse(yaml: "landscapes:\n  - {name: ws, family: weak-strong, optimizers: [sqa]}\n", file: "o.yaml")
        }
        #expect(own.description.hasPrefix("o.yaml:2: unknown optimizer 'sqa' (valid: gd, "))
        #expect(own.description.hasSuffix(", greedy-restarts); 'sqa' on ising landscapes is now 'piqa-spin'"))
        let wrongKind = try #require(throws: HarnessError.self) {
            try Suite.parse(yaml: "landscapes:\n  - {name: ws, family: weak-strong, optimizers: [sa]}\n", file: "o.yaml")
        }
        #expect(wrongKind.description == "o.yaml:2: optimizer 'sa' does not apply to ising landscape 'ws' "
                + "(valid: sa-spin, piqa-spin, pt-spin, greedy-restarts); 'sa' on ising landscapes is now 'sa-spin'")
        // A default-list name no landscape takes is a slip, named with its line.
        let unused = try #require(throws: HarnessError.self) {
            try Suite.parse(yaml: "optimizers: [sa, sa-spin]\nlandscapes:\n  - {name: dw, family: double-well}\n", file: "u.yaml")
        }
        #expect(unused.description == "u.yaml:1: optimizer 'sa-spin' applies to none of the suite's landscapes (continuous)")
    }
}

/// The instance key names everything that decides a trial's trap, start and outcome, so two specs
/// share streams exactly when they pose the same trials.
@Suite struct InstanceKeyTests {
    func resolved(_ yaml: String) throws -> ResolvedLandscape {
        try ResolvedLandscape(LandscapeSpec.parse(yaml: "family: double-well\ndimension: 3\n" + yaml, file: "k.yaml"))
    }

    /// Both streams of trial 0 under master seed 1, for comparing two keys.
    func streams(_ r: ResolvedLandscape) -> [UInt64] {
        [TrialSeeds.start(master: 1, instanceKey: r.instanceKey, trial: 0),
         TrialSeeds.optimizer(master: 1, instanceKey: r.instanceKey, optimizer: "sa", trial: 0)]
    }

    /// The default double-well's key, spelled out from its documented parts: no non-default
    /// parameters, d = 3, instance 1, start local-min, and the tolerances δ = 1e-6 + 1e-9·|f(m0)|
    /// (`Tolerances`' defaults) and ε = 0.01 (double-well's success tolerance in `bench list`).
    @Test func keyListsStartAndTolerancesInFixedOrder() throws {
        #expect(try resolved("").instanceKey
                == "double-well[] d=3 i=1 start=local-min escape-absolute=1e-06 escape-relative=1e-09 success=0.01")
        #expect(try resolved("start: basin\njitter: 0.02\n").instanceKey
                == "double-well[] d=3 i=1 start=basin jitter=0.02 escape-absolute=1e-06 escape-relative=1e-09 success=0.01")
    }

    @Test(arguments: ["start: uniform\n", "start: basin\n", "tolerances: {escape-absolute: 1e-5}\n",
                      "tolerances: {escape-relative: 1e-6}\n", "tolerances: {success: 0.02}\n"])
    func specsDifferingOnlyInStartOrToleranceGetDifferentStreams(edit: String) throws {
        let plain = try resolved("")
        let edited = try resolved(edit)
        #expect(edited.instanceKey != plain.instanceKey)
        let (a, b) = (streams(plain), streams(edited))
        #expect(a[0] != b[0] && a[1] != b[1])
    }

    @Test func basinJitterIsPartOfTheKey() throws {
        let a = try resolved("start: basin\njitter: 0.01\n")
        let b = try resolved("start: basin\njitter: 0.02\n")
        #expect(a.instanceKey != b.instanceKey)
        #expect(streams(a)[0] != streams(b)[0])
    }

    /// Identical problems share the key: the same spec twice; a tolerance written out at its
    /// default value; a jitter under a protocol that never reads it (local-min).
    @Test func specsPosingTheSameTrialsShareTheKey() throws {
        let plain = try resolved("")
        #expect(try resolved("").instanceKey == plain.instanceKey)
        #expect(try resolved("tolerances: {success: 0.01, escape-absolute: 1e-6}\n").instanceKey == plain.instanceKey)
        #expect(try resolved("jitter: 0.05\n").instanceKey == plain.instanceKey)
    }

    /// Two `ising-file` specs that differ only in their file: different keys. (Their numeric
    /// parameters are all defaults, so before the text parameters were named, both keys read
    /// `ising-file[] d=4 i=1 …`.)
    @Test func isingFileInstancesWithDifferentFilesGetDifferentKeys() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-key-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "1 2 1\n2 3 1\n3 4 1\n".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try "1 2 1\n2 3 -1\n3 4 1\n".write(toFile: dir + "/b.txt", atomically: true, encoding: .utf8)
        func key(_ file: String) throws -> String {
            try ResolvedLandscape(LandscapeSpec.parse(yaml: "family: ising-file\nparameters: {file: \(file)}\n",
                                                      file: dir + "/spec.yaml")).instanceKey
        }
        #expect(try key("a.txt") == "ising-file[] file=a.txt d=4 i=1 start=local-min escape-absolute=1e-06 escape-relative=1e-09 success=1e-06")
        #expect(try key("a.txt") != key("b.txt"))
    }

    /// A suite edit of the start protocol: the trials no longer pair, so the gate reports the row
    /// instead of comparing unrelated trials.
    @Test func gateSeesAStartProtocolEdit() throws {
        func rows(_ start: String) throws -> [BaselineRow] {
            let suite = try Suite.parse(yaml: """
                seed: 5
                trials: 10
                optimizers: [sa]
                landscapes:
                  - {name: dw, family: double-well, dimension: 3, budget: 500, start: \(start)}
                """, file: "s.yaml")
            let plan = suite.plan(threads: 2)
            return Baseline.rows(from: try BenchmarkRun.execute(plan), plan: plan)
        }
        let comparisons = RegressionCheck.compare(baseline: try rows("local-min"), current: try rows("basin"))
        #expect(comparisons.map(\.verdict) == [.missing])
        #expect(RegressionCheck.fails(comparisons))
    }
}
