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

    /// Aggregates the records of one (landscape, optimizer) pair.
    public init(records: [TrialRecord]) {
        precondition(!records.isEmpty, "a summary row needs at least one trial")
        let first = records[0]
        landscape = first.landscape
        dimension = first.dimension
        optimizer = first.optimizer
        optimizerParameters = first.optimizerParameters
        budget = first.budget
        trials = records.count
        failed = records.filter(\.failed).count
        let trappedRecords = records.filter(\.trapped)
        trapped = trappedRecords.count
        escaped = trappedRecords.filter(\.escaped).count
        escape = Proportion(successes: escaped, trials: trapped)
        let hasOptimum = first.success != nil
        let successes = records.filter { $0.success == true }.count
        success = hasOptimum ? Proportion(successes: successes, trials: trials) : nil
        let escapeCosts = trappedRecords.compactMap(\.evalsToEscape)
        escapeEvalsMedian = quantile(escapeCosts, 0.5)
        escapeEvalsQ1 = quantile(escapeCosts, 0.25)
        escapeEvalsQ3 = quantile(escapeCosts, 0.75)
        let totalSpent = records.reduce(0) { $0 + $1.spent }
        meanSpent = totalSpent / Double(trials)
        let trappedMean = trapped > 0 ? trappedRecords.reduce(0) { $0 + $1.spent } / Double(trapped) : 0
        tts99Escape = TimeToSolution(meanCost: trappedMean, proportion: escape)
        tts99Success = TimeToSolution(meanCost: meanSpent, proportion: success)
        // aRT: a trial's cost is its hitting cost when it got there, else all it spent.
        averageRuntimeEscape = AverageRuntime(
            cost: trappedRecords.map { $0.escaped ? $0.evalsToEscape ?? $0.spent : $0.spent },
            succeeded: trappedRecords.map(\.escaped))
        averageRuntimeSuccess = hasOptimum
            ? AverageRuntime(cost: records.map { $0.success == true ? $0.evalsToSuccess ?? $0.spent : $0.spent },
                             succeeded: records.map { $0.success == true })
            : nil
        let completed = records.filter { !$0.failed }
        medianGap = quantile(completed.compactMap(\.gap), 0.5)
        medianBestValue = quantile(completed.map(\.bestValue), 0.5)
        medianTrainingAccuracy = quantile(completed.compactMap(\.trainingAccuracy), 0.5)
        let wall = records.reduce(0) { $0 + $1.wallTime }
        evaluationsPerSecond = wall.isNaN ? .nan : wall > 0 ? totalSpent / wall : 0
    }

    /// Summaries in the order the records come (grouped by landscape, then optimizer).
    public static func summarize(_ records: [TrialRecord]) -> [SummaryRow] {
        var rows = [SummaryRow]()
        var group = [TrialRecord]()
        for record in records {
            if let last = group.last, last.landscape != record.landscape || last.optimizer != record.optimizer
                || last.optimizerParameters != record.optimizerParameters || last.dimension != record.dimension {
                rows.append(SummaryRow(records: group))
                group.removeAll()
            }
            group.append(record)
        }
        if !group.isEmpty { rows.append(SummaryRow(records: group)) }
        return rows
    }
}
