import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

@Suite struct PairedComparisonTests {
    /// A two-landscape run: double-well d = 2 from uniform starts (about a quarter of the starts
    /// lie in the global basin, so escape is tested on fewer trials than success) and the 16-spin
    /// weak–strong cluster pair.
    func smallRun(chosen: [[String]]) throws -> (RunPlan, [TrialRecord], RunMetadata) {
        let well = try ResolvedLandscape(LandscapeSpec(name: "dw", family: "double-well"),
                                         overrides: SpecOverrides(dimension: 2, trials: 24, budget: 300, start: .uniform))
        let spins = try ResolvedLandscape(LandscapeSpec(name: "ws", family: "weak-strong"),
                                          overrides: SpecOverrides(trials: 16, budget: 800))
        let plan = RunPlan(landscapes: [well, spins],
                           optimizersPerLandscape: [try OptimizerEntry.entries(for: well, names: ["sa", "random-search", "piqa", "pt", "gd"]),
                                                    try OptimizerEntry.entries(for: spins, names: ["sa", "sqa", "pt"])],
                           masterSeed: 5, threads: 2)
        let records = try BenchmarkRun.execute(plan)
        let metadata = RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil, comparisons: chosen)
        return (plan, records, metadata)
    }

    func rows(ofCSV text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    /// comparisons.csv is written with the run and holds exactly the pairs fixed in advance: each
    /// optimizer against its landscape's reference (random-search; sa on spins), piqa and sqa
    /// also against pt, and the chosen pair; the reverse of an existing pair is not repeated and
    /// no optimizer is compared with itself. Every count is recounted here from the trial
    /// records, every p from exact integer sums, every p_holm by Holm's procedure over the file.
    @Test func comparisonsCSVHoldsThePlannedPairsWithIndependentlyRecountedTests() throws {
        let (_, records, metadata) = try smallRun(chosen: [["sa", "pt"], ["pt", "piqa"], ["gd", "sa"]])
        let dir = NSTemporaryDirectory() + "tunnelbench-comparisons-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try RunOutput.write(dir, records: records, summary: SummaryRow.summarize(records), metadata: metadata)
        let text = try String(contentsOfFile: dir + "/comparisons.csv", encoding: .utf8)
        #expect(text.split(separator: "\n").first.map(String.init) == PairedComparisons.csvHeader.joined(separator: ","))
        let rows = rows(ofCSV: text)

        let expectedPairs: [(String, String, String, String)] = [
            ("dw", "sa", "random-search", "reference"), ("dw", "piqa", "random-search", "reference"),
            ("dw", "piqa", "pt", "control"), ("dw", "pt", "random-search", "reference"),
            ("dw", "gd", "random-search", "reference"), ("dw", "sa", "pt", "chosen"), ("dw", "gd", "sa", "chosen"),
            // On spins sa is the reference, so the chosen sa–pt is the reference pair pt–sa; gd and
            // piqa do not run there.
            ("ws", "sqa", "sa", "reference"), ("ws", "sqa", "pt", "control"), ("ws", "pt", "sa", "reference"),
        ]
        let expected = expectedPairs.flatMap { pair in ["escape", "success"].map { [pair.0, pair.1, pair.2, pair.3, $0] } }
        #expect(rows.map { [$0["landscape"]!, $0["optimizer"]!, $0["comparator"]!, $0["basis"]!, $0["outcome"]!] } == expected)

        for row in rows {
            #expect(row["status"] == "ok")
            let mine = records.filter { $0.landscape == row["landscape"] && $0.optimizer == row["optimizer"] }
            let theirs = records.filter { $0.landscape == row["landscape"] && $0.optimizer == row["comparator"] }
            #expect(mine.count == theirs.count && !mine.isEmpty)
            var both = 0, first = 0, second = 0, neither = 0, n = 0
            for (a, b) in zip(mine.sorted { $0.trial < $1.trial }, theirs.sorted { $0.trial < $1.trial }) {
                #expect(a.trial == b.trial)
                // Starts are paired, so a trial is trapped for one optimizer iff for the other.
                #expect(a.trapped == b.trapped)
                if row["outcome"] == "escape" && !a.trapped { continue }
                let x = row["outcome"] == "escape" ? a.escaped : a.success == true
                let y = row["outcome"] == "escape" ? b.escaped : b.success == true
                n += 1
                switch (x, y) {
                case (true, true): both += 1
                case (true, false): first += 1
                case (false, true): second += 1
                case (false, false): neither += 1
                }
            }
            let key = row.map { "\($0)=\($1)" }.sorted().joined(separator: " ")
            #expect([row["n"], row["both"], row["optimizer_only"], row["comparator_only"], row["neither"], row["excluded_failed"]]
                    == [n, both, first, second, neither, 0].map(String.init), "\(key)")
            #expect(Double(row["p"]!) == PairedReference.mcNemarTwoSided(first, second), "\(key)")
            #expect(Double(row["difference"]!) == Double(first - second) / Double(n), "\(key)")
        }
        let dwTrapped = records.filter { $0.landscape == "dw" && $0.optimizer == "sa" && $0.trapped }.count
        #expect(dwTrapped < 24 && dwTrapped > 0, "the uniform starts should leave some trials untrapped")
        #expect(rows.first { $0["landscape"] == "dw" && $0["outcome"] == "escape" }?["n"] == String(dwTrapped))
        // Holm across every test of the run: both landscapes, every pair, both outcomes.
        let p = rows.map { Double($0["p"]!)! }
        #expect(rows.map { Double($0["p_holm"]!)! } == PairedReference.bruteForceHolm(p))
    }

    /// The table states the test and the family and prints one row per test.
    @Test func tableStatesTheTestAndTheHolmFamily() throws {
        let (_, records, metadata) = try smallRun(chosen: [])
        let comparisons = PairedComparisons.evaluate(records: records, metadata: metadata)
        let table = PairedComparisons.table(comparisons)
        #expect(table.hasPrefix("paired comparisons: exact two-sided McNemar test on the discordant trials, Holm-adjusted across the "
            + "\(comparisons.count) tests of this run;\n"))
        #expect(table.contains("the same trials: starts are paired"))
        #expect(table.split(separator: "\n").count == 2 + 1 + comparisons.count)
    }

    func record(_ optimizer: String, trial: Int, trapped: Bool = true, escaped: Bool = false, success: Bool = false,
                failed: Bool = false) -> TrialRecord {
        TrialRecord(landscape: "toy", family: "toy", instance: 0, dimension: 1, landscapeParameters: "", optimizer: optimizer,
                    optimizerParameters: "", trial: trial, startSeed: 0, optimizerSeed: 0, start: .localMin, budget: 1,
                    trapValue: 0, trapped: trapped, escaped: escaped && trapped && !failed, evalsToEscape: nil,
                    success: success && !failed, evalsToSuccess: nil, bestValue: 0, gap: 0, evaluations: 0,
                    gradientEvaluations: 0, spent: 0, stopReason: failed ? "failed" : "budget",
                    failure: failed ? "broken" : "", wallTime: 0)
    }

    /// A pair with a failed trial on either side is left out of the test and counted in
    /// excluded_failed (escape: among the trapped trials only).
    @Test func failedTrialsAreLeftOutAndCounted() {
        // Trials 0–5 trapped, 6–7 not. a fails trial 1 and (untrapped) 6; b fails trial 2.
        var records = [TrialRecord]()
        for t in 0..<8 {
            records.append(record("a", trial: t, trapped: t < 6, escaped: t != 5, success: t % 2 == 0, failed: t == 1 || t == 6))
        }
        for t in 0..<8 {
            records.append(record("b", trial: t, trapped: t < 6, escaped: t == 0, success: t < 3, failed: t == 2))
        }
        let planned = PairedComparisons.plan([.init(landscape: "toy", reference: "b", optimizers: [("a", "a"), ("b", "b")])])
        let rows = PairedComparisons.evaluate(planned, records: records)
        #expect(rows.count == 2)
        // Escape, trials 0, 3, 4, 5 (1 and 2 failed): a escaped 0, 3, 4; b escaped 0.
        #expect(rows[0].outcome == .escape && rows[0].excludedFailed == 2)
        #expect(rows[0].counts == PairedCounts(both: 1, firstOnly: 2, secondOnly: 0, neither: 1))
        // Success, trials 0, 3, 4, 5, 7 (1, 2, 6 failed): a succeeded 0, 4; b succeeded 0.
        #expect(rows[1].outcome == .success && rows[1].excludedFailed == 3)
        #expect(rows[1].counts == PairedCounts(both: 1, firstOnly: 1, secondOnly: 0, neither: 3))
    }

    /// A reference that was not run is reported (status, and a line in the table), not dropped
    /// and not tested; it stays out of the Holm family.
    @Test func referenceNotRunIsReportedNotDropped() {
        var records = [TrialRecord]()
        for t in 0..<6 {
            records.append(record("sa", trial: t, escaped: t < 5))
            records.append(record("pt", trial: t, escaped: t < 1))
        }
        let planned = PairedComparisons.plan([.init(landscape: "toy", reference: "random-search",
                                                    optimizers: [("sa", "sa"), ("pt", "pt")])], chosen: [["sa", "pt"]])
        let rows = PairedComparisons.evaluate(planned, records: records)
        #expect(rows.map(\.status) == [.comparatorNotRun, .comparatorNotRun, .comparatorNotRun, .comparatorNotRun, .ok, .ok])
        #expect(rows.filter { $0.status != .ok }.allSatisfy { $0.counts == nil && $0.p == nil && $0.pHolm == nil })
        // The family is the two tests that were made: sa vs pt escape (b = 4, c = 0: p = 2/16) and success (p = 1).
        #expect(rows[4].p == 0.125 && rows[4].pHolm == 0.25)
        let csv = PairedComparisons.csv(rows).split(separator: "\n").map(String.init)
        #expect(csv[1] == "toy,sa,random-search,reference,escape,comparator-not-run,,,,,,,,,,,")
        let table = PairedComparisons.table(rows)
        #expect(table.contains("not compared on toy: reference random-search was not run, so sa, pt have no paired test against it\n"))
        #expect(table.contains("Holm-adjusted across the 2 tests of this run"))
    }

    /// The reference is never compared with itself; on spins the default reference is sa, and
    /// sqa (like piqa on continuous landscapes) is also compared with pt.
    @Test func defaultReferencesAndControls() throws {
        let spins = try ResolvedLandscape(LandscapeSpec(name: "ws", family: "weak-strong"))
        let well = try ResolvedLandscape(LandscapeSpec(name: "dw", family: "double-well"))
        #expect(spins.reference == "sa" && well.reference == "random-search")
        let planned = PairedComparisons.plan([
            .init(landscape: "ws", reference: spins.reference,
                  optimizers: ["sa", "sqa", "pt", "greedy-restarts"].map { ($0, $0) }),
        ])
        #expect(planned.map { [$0.optimizer, $0.comparator, $0.basis.rawValue] }
                == [["sqa", "sa", "reference"], ["sqa", "pt", "control"], ["pt", "sa", "reference"], ["greedy-restarts", "sa", "reference"]])
    }

    @Test func specReferenceIsReadAndChecked() throws {
        let spec = try LandscapeSpec.parse(yaml: "family: double-well\nreference: pt\n", file: "s.yaml")
        #expect(spec.reference == "pt")
        #expect(try ResolvedLandscape(spec).reference == "pt")
        #expect(throws: HarnessError("s.yaml:2: field 'reference' is 'random-search', expected an optimizer of ising landscapes "
                                     + "(\(SpinOptimizerCatalog.names.joined(separator: ", ")))")) {
            try LandscapeSpec.parse(yaml: "family: sk\nreference: random-search\n", file: "s.yaml")
        }
        #expect(throws: HarnessError.self) { try LandscapeSpec.parse(yaml: "family: rastrigin\nreference: best\n", file: "s.yaml") }
    }

    /// `--compare` names two different optimizers that this run runs together somewhere.
    @Test func chosenPairsAreChecked() throws {
        let well = try ResolvedLandscape(LandscapeSpec(name: "dw", family: "double-well"))
        let spins = try ResolvedLandscape(LandscapeSpec(name: "ws", family: "weak-strong"))
        let plan = RunPlan(landscapes: [well, spins],
                           optimizersPerLandscape: [try OptimizerEntry.entries(for: well, names: ["sa", "gd"]),
                                                    try OptimizerEntry.entries(for: spins, names: ["sa", "sqa"])],
                           masterSeed: 1)
        #expect(try PairedComparisons.chosenPairs(["gd,sa", " sqa , sa"], plan: plan) == [["gd", "sa"], ["sqa", "sa"]])
        #expect(throws: HarnessError("--compare 'gd,sqa': no landscape of this run runs both")) {
            try PairedComparisons.chosenPairs(["gd,sqa"], plan: plan)
        }
        #expect(throws: HarnessError("--compare 'sa,adam': 'adam' is not selected in this run (selected: sa, gd, sqa)")) {
            try PairedComparisons.chosenPairs(["sa,adam"], plan: plan)
        }
        #expect(throws: HarnessError.self) { try PairedComparisons.chosenPairs(["sa"], plan: plan) }
        #expect(throws: HarnessError.self) { try PairedComparisons.chosenPairs(["sa,sa"], plan: plan) }
    }
}
