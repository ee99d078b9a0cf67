import Foundation
import Landscapes

/// The instances an ensemble runs, as a spec's `instances:`, a suite entry's `instances:` and
/// `bench run --instances` give them: a count N (instances 1…N), a range `A-B` (A…B), or a list
/// of distinct instance numbers (`1,5,9`; in YAML also `[1, 5, 9]`).
public enum InstanceList {
    /// The most instances one ensemble may name (checked before any list is made).
    public static let limit = 10_000

    /// What every message says is expected.
    public static let expectedText = "a count N (instances 1…N), a range A-B, or a list of distinct instance numbers a,b,c, "
        + "at most \(limit) instances"

    /// `text` as an error message shows it: itself when it is at most 40 digits, commas, dashes
    /// and spaces (a list that was mistyped), else a note that it is not shown.
    public static func shown(_ text: String) -> String {
        let plain = !text.isEmpty && text.utf8.count <= 40 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 44 || $0 == 45 || $0 == 32 }
        return plain || PlainText.isPlain(text) ? text : "(not shown: not a list of instance numbers)"
    }

    /// The instances `text` names, or `nil` when it is none of the accepted forms.
    public static func parse(_ text: String) -> [Int]? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.contains(",") {
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard items.count <= limit else { return nil }
            var numbers = [Int]()
            for item in items {
                guard let n = wholeNumber(item) else { return nil }
                numbers.append(n)
            }
            return list(numbers)
        }
        if let dash = text.firstIndex(of: "-"), dash != text.startIndex {
            guard let low = wholeNumber(text[..<dash].trimmingCharacters(in: .whitespaces)),
                  let high = wholeNumber(text[text.index(after: dash)...].trimmingCharacters(in: .whitespaces)) else { return nil }
            return range(low, high)
        }
        guard let count = wholeNumber(text) else { return nil }
        return range(1, count)
    }

    /// `low…high`, or `nil` when empty or longer than `limit`.
    static func range(_ low: Int, _ high: Int) -> [Int]? {
        // Both are ≥ 0, so high − low cannot overflow.
        guard low <= high, high - low < limit else { return nil }
        return Array(low...high)
    }

    /// `numbers` when they are distinct, at least one and at most `limit`.
    static func list(_ numbers: [Int]) -> [Int]? {
        guard !numbers.isEmpty, numbers.count <= limit, Set(numbers).count == numbers.count else { return nil }
        return numbers
    }

    /// A whole number ≥ 0 written in decimal digits only (no sign, no exponent).
    static func wholeNumber(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(text)
    }
}

/// One statistic of an ensemble's instances, taken per instance from its trials.
public enum EnsembleStatistic: String, Sendable, CaseIterable {
    /// The instance's success rate: successes / trials.
    case success
    /// The instance's TTS99 of success: mean spend · max(1, ln 0.01 / ln(1 − p)) (`timeToSolution99`).
    case tts99 = "tts99"
    /// The instance's COCO aRT of success (`averageRuntime`).
    case averageRuntime = "aRT"
}

/// A quantile over an ensemble's instances of one per-instance statistic, for one optimizer, with
/// its 95% bootstrap interval: a row of `ensemble.csv`.
public struct EnsembleQuantile: Sendable, Equatable {
    public var ensemble: String
    public var family: String
    public var dimension: Int
    public var optimizer: String
    public var instances: Int
    /// Trials over all the instances.
    public var trials: Int
    public var statistic: EnsembleStatistic
    public var quantile: Double
    public var value: Double
    public var lower: Double
    public var upper: Double

    public static let columns = Columns<EnsembleQuantile>([
        .text("ensemble") { $0.ensemble },
        .text("family") { $0.family },
        .whole("dimension") { $0.dimension },
        .text("optimizer") { $0.optimizer },
        .whole("instances") { $0.instances },
        .whole("trials") { $0.trials },
        .text("statistic") { $0.statistic.rawValue },
        .number("quantile") { $0.quantile },
        .number("value") { $0.value },
        .number("lower") { $0.lower },
        .number("upper") { $0.upper },
    ])
}

/// The trials of one (ensemble, optimizer) pair, kept per instance as they stream past: per trial
/// its spend, its cost to success (the hitting cost when it succeeded, else all it spent) and
/// whether it succeeded; 16 bytes and a bit per trial. Only landscapes with f* known have a
/// success to count.
///
/// The statistics (`quantiles`) are, for each instance, its success rate, TTS99 and aRT, computed
/// as the summary row of that instance computes them; then their quantiles over the instances
/// (type 7, `quantile`) at `levels`. The intervals are a percentile bootstrap in two stages, as
/// an ensemble is sampled: each of `AverageRuntime.resamples` resamples draws the instances with
/// replacement, then each drawn instance's trials with replacement, and takes the quantiles of
/// the resampled instances' statistics; the 2.5% and 97.5% quantiles of those are the bounds. The
/// generator has a fixed seed (`AverageRuntime.seed`), so the intervals are deterministic and two
/// optimizers on the same ensemble draw the same instances and trial indices (a paired bootstrap).
public struct EnsembleAccumulator: Sendable {
    public let ensemble: String
    public let family: String
    public let dimension: Int
    public let optimizer: String
    /// A spend the optimizer declared (external samplers): no hitting times, so no aRT, as in the
    /// summary.
    public let budgetDeclared: Bool
    /// The instances in the order their first trial came, each with its trials.
    private(set) var instanceNumbers = [Int]()
    private var trials = [InstanceTrials]()

    /// The quantile levels reported: 10, 25, 50, 75 and 90%.
    public static let levels = [0.1, 0.25, 0.5, 0.75, 0.9]

    struct InstanceTrials: Sendable {
        var spent = [Double]()
        var cost = [Double]()
        var hit = BitColumn()
        var count: Int { spent.count }
    }

    public init(ensemble: String, first: TrialRecord) {
        self.ensemble = ensemble
        family = first.family
        dimension = first.dimension
        optimizer = first.optimizer
        budgetDeclared = first.budgetDeclared
    }

    public mutating func add(_ record: TrialRecord) {
        let k: Int
        if instanceNumbers.last == record.instance {
            k = instanceNumbers.count - 1
        } else if let known = instanceNumbers.firstIndex(of: record.instance) {
            k = known
        } else {
            k = instanceNumbers.count
            instanceNumbers.append(record.instance)
            trials.append(InstanceTrials())
        }
        let succeeded = record.success == true
        trials[k].spent.append(record.spent)
        trials[k].cost.append(succeeded ? record.evalsToSuccess ?? record.spent : record.spent)
        trials[k].hit.append(succeeded)
    }

    /// Success rate, TTS99 and aRT of trials `indices` of one instance.
    static func statistics(_ t: InstanceTrials, _ indices: some Sequence<Int>) -> (success: Double, tts99: Double, art: Double) {
        var n = 0, hits = 0, spent = 0.0, cost = 0.0
        for i in indices {
            n += 1
            spent += t.spent[i]
            cost += t.cost[i]
            if t.hit[i] { hits += 1 }
        }
        let p = Double(hits) / Double(n)
        let art = cost.isNaN ? Double.nan : hits > 0 ? cost / Double(hits) : .infinity
        return (p, timeToSolution99(meanCost: spent / Double(n), probability: p), art)
    }

    /// The rows of `ensemble.csv` for this pair: every statistic at every level, in that order
    /// (aRT left out for a declared spend).
    public func quantiles() -> [EnsembleQuantile] {
        let m = trials.count
        guard m > 0 else { return [] }
        let stats = EnsembleStatistic.allCases.filter { !(budgetDeclared && $0 == .averageRuntime) }
        func values(_ perInstance: [(success: Double, tts99: Double, art: Double)], _ s: EnsembleStatistic) -> [Double] {
            switch s {
            case .success: perInstance.map(\.success)
            case .tts99: perInstance.map(\.tts99)
            case .averageRuntime: perInstance.map(\.art)
            }
        }
        let point = trials.map { Self.statistics($0, 0..<$0.count) }
        // samples[s][l][b]: resample b's level-l quantile of statistic s.
        var samples = [[[Double]]](repeating: [[Double]](repeating: [], count: Self.levels.count), count: stats.count)
        var rng = Xoshiro256(seed: AverageRuntime.seed)
        func uniform(_ n: Int) -> Int { Int(rng.next().multipliedFullWidth(by: UInt64(n)).high) }
        var drawn = [(success: Double, tts99: Double, art: Double)]()
        drawn.reserveCapacity(m)
        var indices = [Int]()
        for _ in 0..<AverageRuntime.resamples {
            drawn.removeAll(keepingCapacity: true)
            for _ in 0..<m {
                let t = trials[uniform(m)]
                indices.removeAll(keepingCapacity: true)
                for _ in 0..<t.count { indices.append(uniform(t.count)) }
                drawn.append(Self.statistics(t, indices))
            }
            for (s, statistic) in stats.enumerated() {
                let resampled = values(drawn, statistic)
                let sorted = resampled.contains(where: \.isNaN) ? nil : resampled.sorted()
                for (l, level) in Self.levels.enumerated() { samples[s][l].append(sorted.map { quantile(sorted: $0, level) } ?? .nan) }
            }
        }
        let tail = (1 - AverageRuntime.confidence) / 2
        let total = trials.reduce(0) { $0 + $1.count }
        var rows = [EnsembleQuantile]()
        for (s, statistic) in stats.enumerated() {
            let observed = values(point, statistic)
            for (l, level) in Self.levels.enumerated() {
                rows.append(EnsembleQuantile(
                    ensemble: ensemble, family: family, dimension: dimension, optimizer: optimizer, instances: m, trials: total,
                    statistic: statistic, quantile: level, value: quantile(observed, level)!,
                    lower: quantile(samples[s][l], tail)!, upper: quantile(samples[s][l], 1 - tail)!))
            }
        }
        return rows
    }
}

/// The text table `bench run` prints below the summary for a run with ensembles: one line per
/// (ensemble, optimizer) with each statistic's median over instances and its 95% interval, and the
/// spread of success rates over instances (10% to 90% quantiles).
public enum EnsembleTable {
    public static func render(_ rows: [EnsembleQuantile]) -> String {
        guard !rows.isEmpty else { return "" }
        var pairs = [(ensemble: String, optimizer: String)]()
        for row in rows where !pairs.contains(where: { $0.ensemble == row.ensemble && $0.optimizer == row.optimizer }) {
            pairs.append((row.ensemble, row.optimizer))
        }
        func find(_ pair: (ensemble: String, optimizer: String), _ statistic: EnsembleStatistic, _ level: Double) -> EnsembleQuantile? {
            rows.first { $0.ensemble == pair.ensemble && $0.optimizer == pair.optimizer && $0.statistic == statistic && $0.quantile == level }
        }
        func cell(_ row: EnsembleQuantile?, _ text: (Double) -> String) -> String {
            guard let row else { return "—" }
            return "\(text(row.value)) [\(text(row.lower)), \(text(row.upper))]"
        }
        let body = pairs.map { pair -> [String] in
            let median = find(pair, .success, 0.5)!
            let spread = [find(pair, .success, 0.1), find(pair, .success, 0.9)].map { $0.map { SummaryTable.probability($0.value) } ?? "—" }
            return [pair.ensemble, String(median.dimension), pair.optimizer, String(median.instances),
                    cell(median, SummaryTable.probability), spread.joined(separator: " – "),
                    cell(find(pair, .tts99, 0.5), { SummaryTable.count($0) }),
                    cell(find(pair, .averageRuntime, 0.5), { SummaryTable.count($0) })]
        }
        let header = ["ensemble", "d", "optimizer", "instances", "success rate, median [95% CI]", "success rate, 10% – 90%",
                      "TTS99 success, median [95% CI]", "aRT success, median [95% CI]"]
        return "ensembles: quantiles over instances of each instance's statistic; 95% bootstrap intervals (instances, then trials, "
            + "resampled); each instance's own rows are in summary.csv\n"
            + SummaryTable.align([header] + body)
    }
}
