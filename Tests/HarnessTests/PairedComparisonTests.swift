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
                                                    try OptimizerEntry.entries(for: spins, names: ["sa-spin", "piqa-spin", "pt-spin"])],
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
    /// optimizer against its landscape's reference (random-search; sa-spin on spins), piqa and
    /// piqa-spin also against their controls pt and pt-spin, and the chosen pair; the reverse of an existing pair is not repeated and
    /// no optimizer is compared with itself. Every count is recounted here from the trial
    /// records, every p from exact integer sums, every p_holm by Holm's procedure over the file.
    @Test func comparisonsCSVHoldsThePlannedPairsWithIndependentlyRecountedTests() throws {
        let (_, records, metadata) = try smallRun(chosen: [["sa", "pt"], ["pt", "piqa"], ["gd", "sa"], ["pt-spin", "sa-spin"]])
        let dir = NSTemporaryDirectory() + "tunnelbench-comparisons-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try RunOutput.write(dir, records: records, metadata: metadata)
        let text = try String(contentsOfFile: dir + "/comparisons.csv", encoding: .utf8)
        #expect(text.split(separator: "\n").first.map(String.init) == PairedComparisons.csvHeader.joined(separator: ","))
        let rows = rows(ofCSV: text)

        let expectedPairs: [(String, String, String, String)] = [
            ("dw", "sa", "random-search", "reference"), ("dw", "piqa", "random-search", "reference"),
            ("dw", "piqa", "pt", "control"), ("dw", "pt", "random-search", "reference"),
            ("dw", "gd", "random-search", "reference"), ("dw", "sa", "pt", "chosen"), ("dw", "gd", "sa", "chosen"),
            // On spins sa-spin is the reference, so the chosen pt-spin–sa-spin is the reference pair;
            // the continuous methods do not run there.
            ("ws", "piqa-spin", "sa-spin", "reference"), ("ws", "piqa-spin", "pt-spin", "control"),
            ("ws", "pt-spin", "sa-spin", "reference"),
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
            #expect([row["n"], row["both"], row["optimizer_only"], row["comparator_only"], row["neither"], row["failed_pairs"]]
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

    /// A failed trial is treated as the summary treats it: its pair stays in the test (every
    /// denominator), the failed side counts as neither escaped nor succeeded, and failed_pairs
    /// counts the pairs with a failure on either side. So the paired rates are the summary's.
    @Test func failedTrialsCountAsNotEscapedNotSucceededAndNoPairIsDropped() {
        // Trials 0–5 trapped, 6–7 not. a fails trial 1 and (untrapped) 6; b fails trial 2.
        var records = [TrialRecord]()
        for t in 0..<8 {
            records.append(record("a", trial: t, trapped: t < 6, escaped: t != 5, success: t % 2 == 0, failed: t == 1 || t == 6))
        }
        for t in 0..<8 {
            records.append(record("b", trial: t, trapped: t < 6, escaped: t == 0, success: t < 3, failed: t == 2))
        }
        let planned = PairedComparisons.plan([.init(landscape: "toy", reference: "b", optimizers: [("a", "a", ""), ("b", "b", "")])])
        let rows = PairedComparisons.evaluate(planned, records: records)
        #expect(rows.count == 2)
        // Escape, all six trapped trials 0–5: a escaped 0, 2, 3, 4 (1 failed, 5 did not); b
        // escaped 0 (2 failed). Pairs with a failure: 1 and 2.
        #expect(rows[0].outcome == .escape && rows[0].failedPairs == 2)
        #expect(rows[0].counts == PairedCounts(both: 1, firstOnly: 3, secondOnly: 0, neither: 2))
        // Success, all eight trials: a succeeded 0, 2, 4 (6 failed); b succeeded 0, 1 (2 failed).
        // Pairs with a failure: 1, 2 and 6.
        #expect(rows[1].outcome == .success && rows[1].failedPairs == 3)
        #expect(rows[1].counts == PairedCounts(both: 1, firstOnly: 2, secondOnly: 1, neither: 4))
        // The same rates as summary.csv's, whose rule this is.
        let summary = SummaryRow.summarize(records)
        #expect(rows[0].counts?.firstRate == summary[0].escape?.rate && rows[0].counts?.secondRate == summary[1].escape?.rate)
        #expect(rows[1].counts?.firstRate == summary[0].success?.rate && rows[1].counts?.secondRate == summary[1].success?.rate)
        let csv = PairedComparisons.csv(rows).split(separator: "\n").map(String.init)
        #expect(csv[1].hasPrefix("toy,a,b,reference,escape,ok,6,1,3,0,2,2,"))
    }

    /// `pt` is piqa's or sqa's control only with as many walkers (replicas = beads, replicas =
    /// slices, as each was run); otherwise the pair is still tested but labelled unequal-walkers
    /// with both counts, in the plan, the CSV and the table.
    @Test func ptIsTheControlOnlyAtEqualWalkers() throws {
        let well = try ResolvedLandscape(LandscapeSpec(name: "dw", family: "double-well"))
        let spins = try ResolvedLandscape(LandscapeSpec(name: "ws", family: "weak-strong"))
        func optimizers(_ landscape: ResolvedLandscape, _ names: [String], _ overrides: [String: [String: String]])
            throws -> [(name: String, label: String, parameters: String)] {
            try OptimizerEntry.entries(for: landscape, names: names, overrides: overrides)
                .map { (name: $0.name, label: $0.label, parameters: $0.parameters.canonicalText) }
        }
        func control(_ landscape: ResolvedLandscape, _ names: [String], _ overrides: [String: [String: String]]) throws -> PlannedComparison? {
            try PairedComparisons.plan([.init(landscape: landscape.spec.name, reference: landscape.reference,
                                              optimizers: optimizers(landscape, names, overrides))])
                .first { ($0.comparator == "pt" && $0.optimizer != "pt") || ($0.comparator == "pt-spin" && $0.optimizer != "pt-spin") }
        }
        // Defaults: 8 beads and 8 replicas; 16 slices and 16 replicas.
        #expect(try control(well, ["piqa", "pt"], [:])?.basis == .control)
        #expect(try control(spins, ["piqa-spin", "pt-spin"], [:])?.basis == .control)
        // Either side changed: not a control.
        let piqa16 = try control(well, ["piqa", "pt"], ["piqa": ["beads": "16"]])
        #expect(piqa16?.basis == .unequalWalkers && piqa16?.walkers == "8 replicas vs 16 beads" && piqa16?.status == .ok)
        let pt4 = try control(well, ["piqa", "pt"], ["pt": ["replicas": "4"]])
        #expect(pt4?.basis == .unequalWalkers && pt4?.walkers == "4 replicas vs 8 beads")
        let sqa8 = try control(spins, ["piqa-spin", "pt-spin"], ["piqa-spin": ["slices": "8"]])
        #expect(sqa8?.basis == .unequalWalkers && sqa8?.walkers == "16 replicas vs 8 slices")
        // Both changed alike: the control again.
        #expect(try control(well, ["piqa", "pt"], ["piqa": ["beads": "16"], "pt": ["replicas": "16"]])?.basis == .control)
        // pt not run: still the planned control, reported as not run.
        #expect(try control(well, ["piqa"], [:]).map { [$0.basis.rawValue, $0.status.rawValue] } == ["control", "comparator-not-run"])

        // The row is computed like any other and labelled in the CSV and the table.
        var records = [TrialRecord]()
        for t in 0..<4 {
            records.append(record("piqa", trial: t, escaped: t < 3))
            records.append(record("pt", trial: t, escaped: t < 1))
        }
        for i in records.indices { records[i].landscape = "dw" }
        let rows = PairedComparisons.evaluate([piqa16!], records: records)
        #expect(rows.map(\.counts) == [PairedCounts(both: 1, firstOnly: 2, secondOnly: 0, neither: 1),
                                        PairedCounts(both: 0, firstOnly: 0, secondOnly: 0, neither: 4)])
        #expect(rows.allSatisfy { $0.basis == .unequalWalkers && $0.p != nil && $0.pHolm != nil })
        #expect(PairedComparisons.csv(rows).split(separator: "\n")[1].hasPrefix("dw,piqa,pt,unequal-walkers,escape,ok,4,"))
        let table = PairedComparisons.table(rows)
        #expect(table.contains("pt (unequal walkers: 8 replicas vs 16 beads)"))
        #expect(!table.contains("(control)"))
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
                                                    optimizers: [("sa", "sa", ""), ("pt", "pt", "")])], chosen: [["sa", "pt"]])
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

    /// The reference is never compared with itself; on spins the default reference is sa-spin,
    /// and piqa-spin (like piqa on continuous landscapes) is also compared with its control pt-spin.
    @Test func defaultReferencesAndControls() throws {
        let spins = try ResolvedLandscape(LandscapeSpec(name: "ws", family: "weak-strong"))
        let well = try ResolvedLandscape(LandscapeSpec(name: "dw", family: "double-well"))
        #expect(spins.reference == "sa-spin" && well.reference == "random-search")
        let planned = PairedComparisons.plan([
            .init(landscape: "ws", reference: spins.reference,
                  optimizers: try OptimizerEntry.entries(for: spins, names: ["sa-spin", "piqa-spin", "pt-spin", "greedy-restarts"])
                      .map { ($0.name, $0.label, $0.parameters.canonicalText) }),
        ])
        #expect(planned.map { [$0.optimizer, $0.comparator, $0.basis.rawValue] }
                == [["piqa-spin", "sa-spin", "reference"], ["piqa-spin", "pt-spin", "control"], ["pt-spin", "sa-spin", "reference"],
                    ["greedy-restarts", "sa-spin", "reference"]])
    }

    /// A tuned (or otherwise labelled) piqa is paired with pt's row of the same suffix when it
    /// runs, so tuned meets tuned; without one it meets pt itself.
    @Test func aVariantMeetsTheControlsSameVariant() {
        let p8 = "beads=8", r8 = "replicas=8"
        let rows = [("pt", "pt", r8), ("piqa", "piqa", p8), ("pt", "pt-tuned", r8), ("piqa", "piqa-tuned", p8), ("piqa", "piqa-hot", p8)]
        let planned = PairedComparisons.plan([.init(landscape: "dw", reference: "random-search", optimizers: rows)])
            .filter { $0.basis != .reference }
        #expect(planned.map { [$0.optimizer, $0.comparator, $0.basis.rawValue] }
                == [["piqa", "pt", "control"], ["piqa-tuned", "pt-tuned", "control"], ["piqa-hot", "pt", "control"]])
    }

    @Test func specReferenceIsReadAndChecked() throws {
        let spec = try LandscapeSpec.parse(yaml: "family: double-well\nreference: pt\n", file: "s.yaml")
        #expect(spec.reference == "pt")
        #expect(try ResolvedLandscape(spec).reference == "pt")
        #expect(throws: HarnessError("s.yaml:2: field 'reference' is 'random-search', expected an optimizer of ising landscapes "
                                     + "(sa-spin, piqa-spin, pt-spin, greedy-restarts)")) {
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
                                                    try OptimizerEntry.entries(for: spins, names: ["sa-spin", "piqa-spin"])],
                           masterSeed: 1)
        #expect(try PairedComparisons.chosenPairs(["gd,sa", " piqa-spin , sa-spin"], plan: plan) == [["gd", "sa"], ["piqa-spin", "sa-spin"]])
        #expect(throws: HarnessError("--compare 'gd,piqa-spin': no landscape of this run runs both")) {
            try PairedComparisons.chosenPairs(["gd,piqa-spin"], plan: plan)
        }
        #expect(throws: HarnessError("--compare 'sa,adam': 'adam' is not selected in this run (selected: sa, gd, sa-spin, piqa-spin)")) {
            try PairedComparisons.chosenPairs(["sa,adam"], plan: plan)
        }
        #expect(throws: HarnessError.self) { try PairedComparisons.chosenPairs(["sa"], plan: plan) }
        #expect(throws: HarnessError.self) { try PairedComparisons.chosenPairs(["sa,sa"], plan: plan) }
    }
}

/// Files written before the discrete optimizers were renamed (sa, pt, sqa on spins) keep working.
@Suite struct FormerNameTests {
    /// A run.json with the former names: its comparisons are planned in those names, with the
    /// former reference (sa) and control (pt), so they match the run's own rows.
    @Test func olderRunFoldersArePlannedInTheirFormerNames() throws {
        let spins = try ResolvedLandscape(LandscapeSpec(name: "ws", family: "weak-strong"))
        let plan = RunPlan(landscapes: [spins], optimizersPerLandscape: [try OptimizerEntry.entries(for: spins, names: ["sa-spin", "piqa-spin", "pt-spin"])],
                           masterSeed: 1)
        var metadata = RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil)
        let former = ["sa-spin": "sa", "piqa-spin": "sqa", "pt-spin": "pt"]
        metadata.optimizers[0] = metadata.optimizers[0].map { record in
            var r = record
            r.name = former[r.name]!
            r.label = r.name
            return r
        }
        metadata.landscapes[0].reference = nil
        #expect(PairedComparisons.plan(metadata).map { [$0.optimizer, $0.comparator, $0.basis.rawValue] }
                == [["sqa", "sa", "reference"], ["sqa", "pt", "control"], ["pt", "sa", "reference"]])
    }

    /// A baseline row of an Ising landscape under a former name reads under the new one; a
    /// continuous row named sa stays sa.
    @Test func baselineRowsWithFormerNamesReadUnderTheNewOnes() {
        func row(_ landscape: String, _ family: String, _ optimizer: String) -> BaselineRow {
            BaselineRow(key: "\(landscape)/\(optimizer)", landscape: landscape, instanceKey: "\(family)[] d=16 i=1 start=local-min",
                        seed: 1, budget: 100, optimizer: optimizer, optimizerParameters: "", trials: 0, trapped: 0, escaped: 0,
                        successes: nil, outcomes: [])
        }
        let spin = Baseline.renamingFormerOptimizers(row("ws", "weak-strong", "sqa"))
        #expect(spin.optimizer == "piqa-spin" && spin.key == "ws/piqa-spin")
        #expect(Baseline.renamingFormerOptimizers(row("r", "rastrigin", "sa")) == row("r", "rastrigin", "sa"))
        #expect(Baseline.renamingFormerOptimizers(row("ws", "weak-strong", "sa-hot")) == row("ws", "weak-strong", "sa-hot"))
    }
}
