import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// Every CSV file a run and a baseline write takes its header and its rows from one column list
/// (`Columns`). These tests check the files against text recorded before the lists existed: the
/// golden headers below are the first lines of files the former writers wrote, and `Former` keeps
/// those writers' hand-listed fields verbatim.
@Suite struct ColumnsTests {
    /// The files, with the first line each had when written by the former writers (a run of
    /// `bench run`, and `bench check --update-baseline`).
    static let goldenHeaders: [(file: String, header: String)] = [
        ("trials.csv", "landscape,family,instance,dimension,landscape_parameters,optimizer,optimizer_parameters,trial,"
            + "start_seed,optimizer_seed,start,budget,trap_value,trapped,escaped,evals_to_escape,success,evals_to_success,"
            + "best_value,gap,evaluations,gradient_evaluations,spent,stop_reason,failure,minibatch_gradient_evaluations,"
            + "calibration_evaluations,training_accuracy,final_value,final_success,budget_accounting,diagnostics,wall_time_s"),
        ("summary.csv", "landscape,dimension,optimizer,optimizer_parameters,budget,trials,failed,trapped,escaped,escape_rate,"
            + "escape_ci_low,escape_ci_high,successes,success_rate,success_ci_low,success_ci_high,escape_evals_q1,"
            + "escape_evals_median,escape_evals_q3,tts99_escape,tts99_escape_low,tts99_escape_high,tts99_success,"
            + "tts99_success_low,tts99_success_high,aRT_escape,aRT_escape_low,aRT_escape_high,aRT_success,aRT_success_low,"
            + "aRT_success_high,median_gap,mean_spent,median_training_accuracy,final_successes,final_success_rate,"
            + "final_success_ci_low,final_success_ci_high,median_final_gap,budget_accounting,diagnostics,evaluations_per_second"),
        ("traces.csv", "landscape,optimizer,trial,snapshot,spent,value,point"),
        ("comparisons.csv", "landscape,optimizer,comparator,basis,outcome,status,n,both,optimizer_only,comparator_only,neither,"
            + "failed_pairs,optimizer_rate,comparator_rate,difference,p,p_holm"),
        ("baseline.csv", "row,landscape,instance,seed,budget,optimizer,optimizer_parameters,trials,trapped,escaped,successes,failed,digest"),
        ("baseline-trials.csv", "row,trial,trapped,escaped,success,failed"),
        ("tunnel-map.csv", "height,width,optimizer,phase,trapped,escaped,escape_rate,escape_ci_low,escape_ci_high,seconds_per_trial"),
        ("tunnel-comparison.csv", "height,width,best_classical,candidate_rate,classical_rate,difference,classical_only,"
            + "candidate_only,p,p_holm,significant"),
    ]

    /// The files `written()` writes: a run folder's and a baseline's.
    static let writtenFiles = ["trials.csv", "summary.csv", "traces.csv", "comparisons.csv", "baseline.csv", "baseline-trials.csv"]

    /// The column names each file's list gives, by file name.
    static func names(_ file: String) -> [String] {
        switch file {
        case "trials.csv": TrialRecord.columns.names
        case "summary.csv": SummaryRow.columns.names
        case "traces.csv": TraceTable.columns.names
        case "comparisons.csv": PairedComparisons.csvHeader
        case "baseline.csv": Baseline.summaryColumns.names
        case "baseline-trials.csv": Baseline.trialsColumns.names
        case "tunnel-map.csv": TunnelMap.cellsHeader
        case "tunnel-comparison.csv": TunnelMap.comparisonHeader
        default: fatalError("no file \(file)")
        }
    }

    /// Two landscapes: a continuous one with f* known and traced trials, and an Ising one with f*
    /// unknown (empty success fields).
    static func plan() throws -> RunPlan {
        let camel = try ResolvedLandscape(LandscapeSpec(name: "camel", family: "six-hump-camel"),
                                          overrides: SpecOverrides(trials: 6, budget: 200))
        var skSpec = LandscapeSpec(name: "sk", family: "sk")
        skSpec.parameters = ["size": "10"]
        let sk = try ResolvedLandscape(skSpec, overrides: SpecOverrides(trials: 5, budget: 500))
        var plan = RunPlan(landscapes: [camel, sk],
                           optimizersPerLandscape: [try OptimizerEntry.entries(for: camel, names: ["random-search", "gd"]),
                                                    try OptimizerEntry.entries(for: sk, names: ["greedy-restarts"])],
                           masterSeed: 4, threads: 1)
        plan.traceTrials = 2
        return plan
    }

    /// A run folder and a baseline written by the harness from `plan()`, the records besides.
    static func written() throws -> (folder: String, records: [TrialRecord], baseline: [BaselineRow]) {
        let plan = try plan()
        let dir = temporaryFolder()
        let writer = try RunWriter(directory: dir, plan: plan)
        var records = [TrialRecord]()
        try BenchmarkRun.execute(plan) { record in
            records.append(record)
            try writer.add(record)
        }
        try writer.finish(metadata: RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil))
        let baseline = Baseline.rows(from: records, plan: plan)
        try Baseline.write(baseline, to: dir + "/baseline.csv")
        return (dir, records, baseline)
    }

    @Test(arguments: goldenHeaders.map(\.file))
    func columnListNamesAreTheGoldenHeaderOfTheFormerWriters(file: String) throws {
        let golden = try #require(Self.goldenHeaders.first { $0.file == file }).header
        #expect(Self.names(file).joined(separator: ",") == golden)
    }

    @Test func everyWrittenFileHasTheGoldenHeaderAndEveryRowItsFieldCount() throws {
        let (dir, _, _) = try Self.written()
        for (file, golden) in Self.goldenHeaders where Self.writtenFiles.contains(file) {
            let data = try #require(FileManager.default.contents(atPath: dir + "/" + file), "\(file) was written")
            // The records as they are, without the reader's own field-count check.
            let records = try CSV.records(data, path: file)
            #expect(records.count > 1, "\(file) has rows")
            #expect(String(decoding: data, as: UTF8.self).prefix { $0 != "\n" } == golden)
            #expect(records.first?.fields == Self.names(file))
            for record in records.dropFirst() {
                #expect(record.fields.count == Self.names(file).count, "\(file):\(record.line)")
            }
        }
    }

    /// The rows are the former writers' fields, on records that take every branch: a failure
    /// whose text needs quoting, nil and infinite numbers, a training accuracy, a trace.
    @Test func rowsAreTheFieldsTheFormerWritersListed() throws {
        var (_, records, baseline) = try Self.written()
        records[0].failure = "value NaN at x = (1, \"2\")\nsecond line"
        records[0].gap = nil
        records[0].evalsToEscape = .infinity
        records[1].trainingAccuracy = 0.75
        records[1].bestValue = -.infinity
        #expect(records.contains { $0.success == nil } && records.contains { $0.trace != nil })
        for record in records {
            #expect(TrialRecord.columns.line(record) == CSV.line(Former.trialFields(record)))
            #expect(record.csvFields == Former.trialFields(record))
        }
        let summary = SummaryRow.summarize(records)
        #expect(summary.contains { $0.success == nil } && summary.contains { $0.success != nil })
        for row in summary { #expect(SummaryRow.columns.line(row) == CSV.line(Former.summaryFields(row))) }
        let traced = records.filter { $0.trace != nil }
        #expect(TraceTable.document(traced) == CSV.document(header: Former.traceHeader, rows: traced.flatMap(Former.traceRows)))
        #expect(baseline.contains { $0.successes == nil } && baseline.contains { $0.successes != nil })
        for row in baseline {
            #expect(Baseline.summaryColumns.line(row) == CSV.line(Former.baselineFields(row) + [row.digest]))
            #expect(row.digest == Former.digest(row))
            for outcome in row.outcomes {
                #expect(Baseline.trialsColumns.line(BaselineTrial(key: row.key, outcome: outcome))
                        == CSV.line(Former.baselineTrialFields(row.key, outcome)))
            }
        }
    }

    @Test func aColumnListWritesWhatCSVLineAndDocumentWrite() {
        let one = Columns<String>([.text("only") { $0 }])
        for text in ["", "a", "a,b", "say \"hi\"", "two\nlines", "cr\r"] {
            #expect(one.line(text) == CSV.line([text]))
        }
        let two = Columns<(Int, Double?)>([.whole("n") { $0.0 }, .number("x") { $0.1 }])
        let rows: [(Int, Double?)] = [(1, 0.1), (-2, nil), (3, .infinity), (4, -.infinity), (5, .nan)]
        #expect(two.document(rows) == CSV.document(header: ["n", "x"], rows: rows.map { [String($0.0), CSV.number($0.1)] }))
        #expect(two.document([]) == CSV.document(header: ["n", "x"], rows: []))
        #expect(two.index("x") == 1 && two.names(of: .whole) == ["n"])
    }

    @Test func summaryTextColumnsAreTheFiveColumnsThatHoldText() {
        #expect(Set(SummaryRow.textColumns) == ["landscape", "optimizer", "optimizer_parameters", "budget_accounting", "diagnostics"])
    }
}

/// The writers as they were before the column lists, verbatim.
private enum Former {
    static func trialFields(_ r: TrialRecord) -> [String] {
        [r.landscape, r.family, String(r.instance), String(r.dimension), r.landscapeParameters, r.optimizer,
         r.optimizerParameters, String(r.trial), String(r.startSeed), String(r.optimizerSeed), r.start.rawValue,
         CSV.number(r.budget), CSV.number(r.trapValue), CSV.flag(r.trapped), CSV.flag(r.escaped),
         CSV.number(r.evalsToEscape), CSV.flag(r.success), CSV.number(r.evalsToSuccess), CSV.number(r.bestValue),
         CSV.number(r.gap), String(r.evaluations), String(r.gradientEvaluations), CSV.number(r.spent), r.stopReason,
         r.failure, String(r.minibatchGradientEvaluations), String(r.calibrationEvaluations), CSV.number(r.trainingAccuracy),
         // Added with the external samplers: the final state and how the spend was accounted.
         CSV.number(r.finalValue), CSV.flag(r.finalSuccess), r.budgetDeclared ? "declared" : "counted",
         // Added with the optimizers' diagnostics (pt's swap acceptance).
         Diagnostic.text(r.diagnostics),
         CSV.number(r.wallTime)]
    }

    static func summaryFields(_ s: SummaryRow) -> [String] {
        [s.landscape, String(s.dimension), s.optimizer, s.optimizerParameters, CSV.number(s.budget), String(s.trials),
         String(s.failed), String(s.trapped), String(s.escaped), CSV.number(s.escape?.rate),
         CSV.number(s.escape?.lower), CSV.number(s.escape?.upper), s.success.map { String($0.successes) } ?? "",
         CSV.number(s.success?.rate), CSV.number(s.success?.lower), CSV.number(s.success?.upper),
         CSV.number(s.escapeEvalsQ1), CSV.number(s.escapeEvalsMedian), CSV.number(s.escapeEvalsQ3),
         CSV.number(s.tts99Escape?.value), CSV.number(s.tts99Escape?.lower), CSV.number(s.tts99Escape?.upper),
         CSV.number(s.tts99Success?.value), CSV.number(s.tts99Success?.lower), CSV.number(s.tts99Success?.upper),
         CSV.number(s.averageRuntimeEscape?.value), CSV.number(s.averageRuntimeEscape?.lower),
         CSV.number(s.averageRuntimeEscape?.upper), CSV.number(s.averageRuntimeSuccess?.value),
         CSV.number(s.averageRuntimeSuccess?.lower), CSV.number(s.averageRuntimeSuccess?.upper),
         CSV.number(s.medianGap), CSV.number(s.meanSpent),
         CSV.number(s.medianTrainingAccuracy),
         // Added with the external samplers.
         s.finalSuccess.map { String($0.successes) } ?? "", CSV.number(s.finalSuccess?.rate), CSV.number(s.finalSuccess?.lower),
         CSV.number(s.finalSuccess?.upper), CSV.number(s.medianFinalGap), s.budgetDeclared ? "declared" : "counted",
         // Added with the optimizers' diagnostics.
         Diagnostic.text(s.diagnostics),
         CSV.number(s.evaluationsPerSecond)]
    }

    static let traceHeader = ["landscape", "optimizer", "trial", "snapshot", "spent", "value", "point"]

    static func traceRows(_ record: TrialRecord) -> [[String]] {
        (record.trace ?? []).map { sample in
            [record.landscape, record.optimizer, String(record.trial), String(sample.snapshot),
             CSV.number(sample.spent), CSV.number(sample.value), sample.point.map { "\($0)" }.joined(separator: ";")]
        }
    }

    static func baselineFields(_ b: BaselineRow) -> [String] {
        [b.key, b.landscape, b.instanceKey, String(b.seed), CSV.number(b.budget), b.optimizer, b.optimizerParameters,
         String(b.trials), String(b.trapped), String(b.escaped), b.successes.map(String.init) ?? "", String(b.failed)]
    }

    static func baselineTrialFields(_ key: String, _ o: TrialOutcome) -> [String] {
        [key, String(o.trial), CSV.flag(o.trapped), CSV.flag(o.escaped), CSV.flag(o.success), CSV.flag(o.failed)]
    }

    static func digest(_ b: BaselineRow) -> String {
        let parts = ["baseline-row"] + baselineFields(b)
            + b.outcomes.sorted { $0.trial < $1.trial }.map { CSV.line(baselineTrialFields(b.key, $0)) }
        let hex = String(Seed.derive(0, parts), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
