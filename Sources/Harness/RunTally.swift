/// What a run keeps of its trials as they stream past (`BenchmarkRun.execute(_:progress:window:deliver:)`):
/// one `SummaryAccumulator` per summary row, the outcome of every trial (`TrialOutcomeTable`) for
/// the paired comparisons, the baseline and the tunneling map, and the first failed trials for
/// the lines that list them. It never holds a trial record.
///
/// Memory per trial and optimizer: at most 40 bytes and 2 bits in the row's accumulator (48 on
/// classifier landscapes; see `SummaryAccumulator`) and 1 byte of outcome, and 16 bytes and a bit
/// more on a member of an ensemble with f* known (`EnsembleAccumulator`); per failed trial, up to
/// `listedFailures` of them, its identification and failure text.
public struct RunTally: Sendable {
    /// How many failed trials are kept to be listed; the rest are counted (every one is in
    /// trials.csv, with its seeds and failure).
    public static let listedFailures = 1000

    public private(set) var rows = [SummaryAccumulator]()
    public private(set) var outcomes = TrialOutcomeTable()
    /// Trials added.
    public private(set) var trials = 0
    /// The first `listedFailures` failed trials, in the order they came.
    public private(set) var failures = [FailedTrial]()
    /// Every failed trial, listed or not.
    public private(set) var failedCount = 0
    /// The number of trials of each row to come, in plan order, when the plan is known.
    private let expectedTrials: [Int]
    /// Per (ensemble, optimizer) pair, in the order their first trial came: the trials of its
    /// instances (landscapes with f* known only: the statistics are of success).
    public private(set) var ensembles = [EnsembleAccumulator]()
    /// The ensemble each member landscape belongs to, by landscape name (from the plan).
    private let ensembleOf: [String: String]
    private var ensembleIndex = [String: Int]()

    /// An empty tally; with `plan`, room is reserved for each row's trials as it starts.
    public init(plan: RunPlan? = nil) {
        expectedTrials = plan.map { plan in
            zip(plan.landscapes, plan.optimizers).flatMap { landscape, entries in entries.map { _ in landscape.trials } }
        } ?? []
        var ensembleOf = [String: String]()
        for landscape in plan?.landscapes ?? [] {
            if let ensemble = landscape.ensemble { ensembleOf[landscape.spec.name] = ensemble }
        }
        self.ensembleOf = ensembleOf
    }

    /// Folds in the next record: a new summary row starts whenever the landscape or optimizer
    /// changes (records come grouped by landscape, then optimizer, then trial).
    public mutating func add(_ record: TrialRecord) {
        if rows.last?.holds(record) != true {
            let expected = rows.count < expectedTrials.count ? expectedTrials[rows.count] : 0
            rows.append(SummaryAccumulator(record, expectedTrials: expected))
            if expected > 0 { outcomes.reserve(landscape: record.landscape, optimizer: record.optimizer, trials: expected) }
        }
        rows[rows.count - 1].add(record)
        outcomes.add(record)
        if let ensemble = ensembleOf[record.landscape], record.success != nil {
            let key = ensemble + "\u{0}" + record.optimizer
            if let k = ensembleIndex[key] {
                ensembles[k].add(record)
            } else {
                ensembleIndex[key] = ensembles.count
                var accumulator = EnsembleAccumulator(ensemble: ensemble, first: record)
                accumulator.add(record)
                ensembles.append(accumulator)
            }
        }
        trials += 1
        if record.failed {
            failedCount += 1
            if failures.count < Self.listedFailures { failures.append(FailedTrial(record)) }
        }
    }

    /// The summary rows, in the order the records came.
    public var summary: [SummaryRow] { rows.map(\.row) }

    /// The rows of `ensemble.csv`: each (ensemble, optimizer) pair's quantiles over instances.
    public var ensembleQuantiles: [EnsembleQuantile] { ensembles.flatMap { $0.quantiles() } }
}

/// A failed trial as the lines that list failures name it.
public struct FailedTrial: Sendable, Equatable {
    public var landscape: String
    public var optimizer: String
    public var trial: Int
    public var startSeed: UInt64
    public var optimizerSeed: UInt64
    /// Why it failed, ending with the settings that reproduce it.
    public var failure: String

    public init(_ record: TrialRecord) {
        landscape = record.landscape
        optimizer = record.optimizer
        trial = record.trial
        startSeed = record.startSeed
        optimizerSeed = record.optimizerSeed
        failure = record.failure
    }
}
