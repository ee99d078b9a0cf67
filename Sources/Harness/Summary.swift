/// One row of `summary.csv`: a (landscape, optimizer) pair over all its trials.
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
    /// COCO's aRT: total budget spent by all trials / successes.
    public var averageRuntime: Double?
    public var medianGap: Double?
    public var meanSpent: Double
    /// Median best value (the training loss, on classifier landscapes).
    public var medianBestValue: Double?
    /// Median training accuracy of the incumbents (classifier landscapes; `nil` otherwise).
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
        averageRuntime = hasOptimum ? Harness.averageRuntime(totalCost: totalSpent, successes: successes, trials: trials) : nil
        medianGap = quantile(records.compactMap(\.gap), 0.5)
        medianBestValue = quantile(records.filter { !$0.failed }.map(\.bestValue), 0.5)
        medianTrainingAccuracy = quantile(records.compactMap(\.trainingAccuracy), 0.5)
        let wall = records.reduce(0) { $0 + $1.wallTime }
        evaluationsPerSecond = wall > 0 ? totalSpent / wall : 0
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
