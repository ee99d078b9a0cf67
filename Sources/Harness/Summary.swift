import Optimizers
/// One row of `summary.csv`: a (landscape, optimizer) pair over all its trials.
///
/// Failed trials (a landscape returned NaN or ±∞, an optimizer left the box, the incumbent did not
/// recompute: `TrialRecord.failure` is set) are treated one way everywhere:
/// - they are counted in `failed` and in every denominator (`trials`, `trapped`) but never escape
///   or succeed, so they count against the rates;
/// - they are left out of every value statistic (median gap, median best value, median training
///   accuracy), whose values they cannot be trusted to carry;
/// - their spend counts in every cost statistic (TTS99's mean cost, aRT, `meanSpent`), because it
///   was spent: in aRT as unsuccessful trials.
public struct SummaryRow: Sendable, Equatable {
    public var landscape: String
    public var dimension: Int
    public var optimizer: String
    public var optimizerParameters: String
    public var budget: Double
    public var trials: Int
    public var failed: Int
    public var trapped: Int
    public var escaped: Int
    /// Escape rate over the trapped trials, with its 95% Clopper–Pearson interval.
    public var escape: Proportion?
    /// `nil` when f* is unknown.
    public var success: Proportion?
    /// Median and quartiles of the budget spent until escape, among the escaped trials.
    public var escapeEvalsMedian: Double?
    public var escapeEvalsQ1: Double?
    public var escapeEvalsQ3: Double?
    public var tts99Escape: TimeToSolution?
    public var tts99Success: TimeToSolution?
    /// COCO's aRT for escape, over the trapped trials: (Σ budget spent until escape over the escaped
    /// + Σ all spent over the rest) / escaped, with its bootstrap interval; `nil` with no trapped trial.
    public var averageRuntimeEscape: AverageRuntime?
    /// COCO's aRT for success, over all trials, likewise; `nil` when f* is unknown.
    public var averageRuntimeSuccess: AverageRuntime?
    /// Median of best − f* over the trials that did not fail; `nil` when f* is unknown.
    public var medianGap: Double?
    /// Mean budget spent per trial, failed trials included.
    public var meanSpent: Double
    /// Median best value over the trials that did not fail (the training loss, on classifier landscapes).
    public var medianBestValue: Double?
    /// Median training accuracy of the incumbents of the trials that did not fail (classifier
    /// landscapes; `nil` otherwise).
    public var medianTrainingAccuracy: Double?
    /// Timing column: budget units per second of trial wall time.
    public var evaluationsPerSecond: Double
    /// Success judged on the final state instead of the incumbent (Ising landscapes with E*
    /// known): the statistic samplers that return only final states are compared on.
    public var finalSuccess: Proportion? = nil
    /// Median of final energy − E* over the trials that did not fail (Ising, E* known).
    public var medianFinalGap: Double? = nil
    /// Whether the spend is what the optimizer declared (external samplers): then no aRT.
    public var budgetDeclared = false
    /// The optimizer's reported figures (`TrialRecord.diagnostics`), each value the mean over the
    /// row's trials that did not fail and reported a finite one (NaN where none did).
    public var diagnostics: [Diagnostic] = []
}

extension SummaryRow {
    /// Aggregates the records of one (landscape, optimizer) pair: `SummaryAccumulator` fed with
    /// them.
    public init(records: [TrialRecord]) {
        precondition(!records.isEmpty, "a summary row needs at least one trial")
        var accumulator = SummaryAccumulator(records[0])
        for record in records { accumulator.add(record) }
        self = accumulator.row
    }

    /// Summaries in the order the records come (grouped by landscape, then optimizer): the rows
    /// of a `RunTally` fed with them.
    public static func summarize(_ records: [TrialRecord]) -> [SummaryRow] {
        var tally = RunTally()
        for record in records { tally.add(record) }
        return tally.summary
    }
}

/// One summary row's trials folded in as they finish, keeping only what the row's statistics
/// need (so a run never holds its trial records):
/// - counts and running sums (trials, failed, trapped, escaped, successes, budget spent in all and
///   over the trapped trials, wall time), summed in trial order, as a sum over the list would be;
/// - for the quartiles of evaluations to escape: the evaluations of each trapped trial that escaped
///   (8 bytes per escaped trial);
/// - for aRT and its bootstrap, which resamples trials: each trapped trial's escape cost and each
///   trial's success cost (f* known), 8 bytes each, with one bit per trial saying whether it got
///   there;
/// - for the medians of the trials that did not fail: best value, gap (f* known) and training
///   accuracy (classifiers), 8 bytes each.
///
/// At most 40 bytes and 2 bits per trial (48 on classifier landscapes); the row it gives is the
/// one `SummaryRow` computed from the whole list of records, to the bit.
public struct SummaryAccumulator: Sendable {
    let landscape: String
    let dimension: Int
    let optimizer: String
    let optimizerParameters: String
    let budget: Double
    /// Whether f* is known: the row's first trial has a success flag.
    let hasOptimum: Bool

    public private(set) var trials = 0
    var failed = 0
    var trapped = 0
    var escaped = 0
    var successes = 0
    var totalSpent = 0.0
    var trappedSpent = 0.0
    /// Seconds of trial wall time (a timing figure).
    public private(set) var wallTime = 0.0
    var escapeEvaluations = [Double]()
    var escapeCost = [Double]()
    var escapeHit = BitColumn()
    var successCost = [Double]()
    var successHit = BitColumn()
    var gaps = [Double]()
    var bestValues = [Double]()
    var accuracies = [Double]()
    /// Final-state statistics, kept when the row's trials report a final state (Ising).
    var hasFinal: Bool
    var finalSuccesses = 0
    var finalGaps = [Double]()
    let budgetDeclared: Bool
    /// Per reported diagnostic name: the sums and counts of its finite values, element-wise.
    var diagnosticNames = [String]()
    var diagnosticSums = [[Double]]()
    var diagnosticCounts = [[Int]]()

    /// An empty row for the trials of `first`'s landscape and optimizer; `expectedTrials`
    /// reserves room for that many.
    public init(_ first: TrialRecord, expectedTrials: Int = 0) {
        landscape = first.landscape
        dimension = first.dimension
        optimizer = first.optimizer
        optimizerParameters = first.optimizerParameters
        budget = first.budget
        hasOptimum = first.success != nil
        hasFinal = first.finalSuccess != nil
        budgetDeclared = first.budgetDeclared
        // Room the row's trials may not all use: a large reservation that stays untouched is
        // never made resident.
        if expectedTrials > 0 {
            escapeCost.reserveCapacity(expectedTrials)
            escapeEvaluations.reserveCapacity(expectedTrials)
            bestValues.reserveCapacity(expectedTrials)
            if hasOptimum {
                successCost.reserveCapacity(expectedTrials)
                gaps.reserveCapacity(expectedTrials)
            }
        }
    }

    /// Whether `record` belongs to this row (the same landscape, dimension and optimizer).
    public func holds(_ record: TrialRecord) -> Bool {
        record.landscape == landscape && record.optimizer == optimizer && record.optimizerParameters == optimizerParameters
            && record.dimension == dimension
    }

    /// Folds in the row's next trial.
    public mutating func add(_ record: TrialRecord) {
        trials += 1
        if record.failed { failed += 1 }
        totalSpent += record.spent
        wallTime += record.wallTime
        if record.trapped {
            trapped += 1
            trappedSpent += record.spent
            if record.escaped { escaped += 1 }
            if let evals = record.evalsToEscape { escapeEvaluations.append(evals) }
            // aRT: a trial's cost is its hitting cost when it got there, else all it spent.
            escapeCost.append(record.escaped ? record.evalsToEscape ?? record.spent : record.spent)
            escapeHit.append(record.escaped)
        }
        let succeeded = record.success == true
        if succeeded { successes += 1 }
        if hasOptimum {
            successCost.append(succeeded ? record.evalsToSuccess ?? record.spent : record.spent)
            successHit.append(succeeded)
        }
        if record.finalSuccess == true { finalSuccesses += 1 }
        if !record.failed, let gap = record.gap, let final = record.finalValue {
            finalGaps.append(gap + (final - record.bestValue))
        }
        if !record.failed {
            for diagnostic in record.diagnostics { addDiagnostic(diagnostic) }
            if let gap = record.gap { gaps.append(gap) }
            bestValues.append(record.bestValue)
            if let accuracy = record.trainingAccuracy { accuracies.append(accuracy) }
        }
    }

    mutating func addDiagnostic(_ diagnostic: Diagnostic) {
        let k: Int
        if let known = diagnosticNames.firstIndex(of: diagnostic.name) { k = known } else {
            k = diagnosticNames.count
            diagnosticNames.append(diagnostic.name)
            diagnosticSums.append([])
            diagnosticCounts.append([])
        }
        if diagnosticSums[k].count < diagnostic.values.count {
            let extra = diagnostic.values.count - diagnosticSums[k].count
            diagnosticSums[k] += [Double](repeating: 0, count: extra)
            diagnosticCounts[k] += [Int](repeating: 0, count: extra)
        }
        for (i, value) in diagnostic.values.enumerated() where value.isFinite {
            diagnosticSums[k][i] += value
            diagnosticCounts[k][i] += 1
        }
    }

    var diagnosticMeans: [Diagnostic] {
        diagnosticNames.indices.map { k in
            Diagnostic(name: diagnosticNames[k],
                       values: zip(diagnosticSums[k], diagnosticCounts[k]).map { $1 > 0 ? $0 / Double($1) : .nan })
        }
    }

    /// The row's statistics.
    public var row: SummaryRow {
        precondition(trials > 0, "a summary row needs at least one trial")
        let escape = Proportion(successes: escaped, trials: trapped)
        let success = hasOptimum ? Proportion(successes: successes, trials: trials) : nil
        let meanSpent = totalSpent / Double(trials)
        let trappedMean = trapped > 0 ? trappedSpent / Double(trapped) : 0
        // A declared spend has no hitting times, so no aRT (which would fall back to the budget).
        let declared = budgetDeclared
        return SummaryRow(
            landscape: landscape, dimension: dimension, optimizer: optimizer, optimizerParameters: optimizerParameters,
            budget: budget, trials: trials, failed: failed, trapped: trapped, escaped: escaped, escape: escape,
            success: success, escapeEvalsMedian: quantile(escapeEvaluations, 0.5),
            escapeEvalsQ1: quantile(escapeEvaluations, 0.25), escapeEvalsQ3: quantile(escapeEvaluations, 0.75),
            tts99Escape: TimeToSolution(meanCost: trappedMean, proportion: escape),
            tts99Success: TimeToSolution(meanCost: meanSpent, proportion: success),
            averageRuntimeEscape: declared ? nil : AverageRuntime(cost: escapeCost, succeeded: escapeHit.bools),
            averageRuntimeSuccess: hasOptimum && !declared ? AverageRuntime(cost: successCost, succeeded: successHit.bools) : nil,
            medianGap: quantile(gaps, 0.5), meanSpent: meanSpent, medianBestValue: quantile(bestValues, 0.5),
            medianTrainingAccuracy: quantile(accuracies, 0.5),
            evaluationsPerSecond: wallTime.isNaN ? .nan : wallTime > 0 ? totalSpent / wallTime : 0,
            finalSuccess: hasFinal ? Proportion(successes: finalSuccesses, trials: trials) : nil,
            medianFinalGap: quantile(finalGaps, 0.5), budgetDeclared: declared, diagnostics: diagnosticMeans)
    }
}

/// A growable column of bits, 64 to a word.
struct BitColumn: Sendable {
    private var words = [UInt64]()
    private(set) var count = 0

    mutating func append(_ bit: Bool) {
        if count % 64 == 0 { words.append(0) }
        if bit { words[count / 64] |= 1 << UInt64(count % 64) }
        count += 1
    }

    subscript(i: Int) -> Bool { words[i / 64] >> UInt64(i % 64) & 1 == 1 }

    /// The bits as an array (for APIs that take one; 1 byte per bit while it lives).
    var bools: [Bool] { (0..<count).map { self[$0] } }
}

extension SummaryRow {
    /// The columns that hold text; every other column holds a number, or nothing.
    public static let textColumns = columns.names(of: .text)

    /// The columns of summary.csv (and of `bench run --format csv`), one row per landscape and
    /// optimizer.
    public static let columns = Columns<SummaryRow>([
        .text("landscape") { $0.landscape },
        .whole("dimension") { $0.dimension },
        .text("optimizer") { $0.optimizer },
        .text("optimizer_parameters") { $0.optimizerParameters },
        .number("budget") { $0.budget },
        .whole("trials") { $0.trials },
        .whole("failed") { $0.failed },
        .whole("trapped") { $0.trapped },
        .whole("escaped") { $0.escaped },
        .number("escape_rate") { $0.escape?.rate },
        .number("escape_ci_low") { $0.escape?.lower },
        .number("escape_ci_high") { $0.escape?.upper },
        .whole("successes") { $0.success?.successes },
        .number("success_rate") { $0.success?.rate },
        .number("success_ci_low") { $0.success?.lower },
        .number("success_ci_high") { $0.success?.upper },
        .number("escape_evals_q1") { $0.escapeEvalsQ1 },
        .number("escape_evals_median") { $0.escapeEvalsMedian },
        .number("escape_evals_q3") { $0.escapeEvalsQ3 },
        .number("tts99_escape") { $0.tts99Escape?.value },
        .number("tts99_escape_low") { $0.tts99Escape?.lower },
        .number("tts99_escape_high") { $0.tts99Escape?.upper },
        .number("tts99_success") { $0.tts99Success?.value },
        .number("tts99_success_low") { $0.tts99Success?.lower },
        .number("tts99_success_high") { $0.tts99Success?.upper },
        .number("aRT_escape") { $0.averageRuntimeEscape?.value },
        .number("aRT_escape_low") { $0.averageRuntimeEscape?.lower },
        .number("aRT_escape_high") { $0.averageRuntimeEscape?.upper },
        .number("aRT_success") { $0.averageRuntimeSuccess?.value },
        .number("aRT_success_low") { $0.averageRuntimeSuccess?.lower },
        .number("aRT_success_high") { $0.averageRuntimeSuccess?.upper },
        .number("median_gap") { $0.medianGap },
        .number("mean_spent") { $0.meanSpent },
        .number("median_training_accuracy") { $0.medianTrainingAccuracy },
        .whole("final_successes") { $0.finalSuccess?.successes },
        .number("final_success_rate") { $0.finalSuccess?.rate },
        .number("final_success_ci_low") { $0.finalSuccess?.lower },
        .number("final_success_ci_high") { $0.finalSuccess?.upper },
        .number("median_final_gap") { $0.medianFinalGap },
        .text("budget_accounting") { $0.budgetDeclared ? "declared" : "counted" },
        .text("diagnostics") { Diagnostic.text($0.diagnostics) },
        .number("evaluations_per_second") { $0.evaluationsPerSecond },
    ])

    /// The header of summary.csv: `columns.names`.
    public static var csvHeader: [String] { columns.names }

    /// This row's fields of summary.csv: `columns.fields(self)`.
    public var csvFields: [String] { Self.columns.fields(self) }
}
