import Foundation
import GSL
import Landscapes

// The exact McNemar test and Holm's adjustment used here are in PairedTests.swift.

/// The thresholds of `bench check`.
public struct CheckSettings: Sendable {
    /// Family-wise error rate across every row and both outcomes (Holm).
    public var alpha: Double
    /// A significant change counts only when the rate moves by at least this (a fraction: 0.05 = 5 points).
    public var minimumDrop: Double

    public init(alpha: Double = 0.01, minimumDrop: Double = 0.05) {
        self.alpha = alpha
        self.minimumDrop = minimumDrop
    }
}

public enum Verdict: String, Sendable {
    case ok, improved
    case regressed = "REGRESSED"
    case missing, new
    /// Trials of this row failed in the current run (whatever the rates say).
    case failed = "FAILED"
}

/// The paired comparison of one outcome (escape or success) of one row.
public struct PairedOutcome: Sendable, Equatable {
    /// Trials compared: trapped in both runs for escape, all for success.
    public var paired: Int
    public var baselineRate: Double
    public var currentRate: Double
    /// Trials the baseline won (it escaped, the current run did not) and the current run won.
    public var baselineOnly: Int
    public var currentOnly: Int
    public var pWorse: Double
    public var pBetter: Double
    public var adjustedWorse = 1.0
    public var adjustedBetter = 1.0

    init?(_ pairs: [(Bool, Bool)]) {
        guard !pairs.isEmpty else { return nil }
        paired = pairs.count
        baselineRate = Double(pairs.filter(\.0).count) / Double(paired)
        currentRate = Double(pairs.filter(\.1).count) / Double(paired)
        baselineOnly = pairs.filter { $0.0 && !$0.1 }.count
        currentOnly = pairs.filter { !$0.0 && $0.1 }.count
        pWorse = mcNemarOneSided(against: baselineOnly, favouring: currentOnly)
        pBetter = mcNemarOneSided(against: currentOnly, favouring: baselineOnly)
    }

    /// The change in rate the discordant trials show (negative: worse).
    public var change: Double { Double(currentOnly - baselineOnly) / Double(paired) }
}

/// One row of the check's table.
public struct RowComparison: Sendable {
    public var key: String
    public var verdict: Verdict
    public var escape: PairedOutcome?
    public var success: PairedOutcome?
    /// The smallest drop (fraction) this row could flag at the family-wise level, or `nil` if none.
    public var smallestDetectableDrop: Double?
    public var note: String
}

public enum RegressionCheck {
    /// Compares `current` with `baseline` row by row and trial by trial. A current row with failed
    /// trials is `failed`, whether or not it is in the baseline and whatever its rates: a failure
    /// is a defect the rates cannot show (a failed trial counts as neither escaped nor successful).
    public static func compare(baseline: [BaselineRow], current: [BaselineRow], settings: CheckSettings = CheckSettings()) -> [RowComparison] {
        let currentByKey = Dictionary(current.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var comparisons = [RowComparison]()
        for base in baseline {
            guard let now = currentByKey[base.key] else {
                comparisons.append(RowComparison(key: base.key, verdict: .missing, note: "not in the current run"))
                continue
            }
            guard now.instanceKey == base.instanceKey, now.seed == base.seed, now.trials == base.trials else {
                comparisons.append(RowComparison(
                    key: base.key, verdict: .missing,
                    note: "instance, seed or trials changed, so trials no longer pair up: update the baseline deliberately"))
                continue
            }
            var notes = [String]()
            if now.budget != base.budget { notes.append("budget \(formatReal(base.budget)) → \(formatReal(now.budget))") }
            if now.optimizerParameters != base.optimizerParameters { notes.append("parameters changed") }
            // Failed trials follow the one rule (Summary.swift): no pair is dropped, and a failed
            // trial's outcome has escaped = false and success = false (a record's, and
            // `Baseline.read` refuses anything else), so it counts as neither. The row's verdict
            // becomes `failed` below whatever the test says.
            let pairs = zip(base.outcomes, now.outcomes)
            let escape = PairedOutcome(pairs.filter { $0.0.trapped && $0.1.trapped }.map { ($0.0.escaped, $0.1.escaped) })
            let success = base.successes == nil || now.successes == nil ? nil
                : PairedOutcome(pairs.map { ($0.0.success == true, $0.1.success == true) })
            comparisons.append(RowComparison(key: base.key, verdict: .ok, escape: escape, success: success, note: notes.joined(separator: "; ")))
        }
        let baselineKeys = Set(baseline.map(\.key))
        for row in current where !baselineKeys.contains(row.key) {
            comparisons.append(RowComparison(key: row.key, verdict: .new, note: "not in the baseline"))
        }

        // Holm across every (row, outcome) test, separately for "worse" and "better".
        var slots = [(Int, WritableKeyPath<RowComparison, PairedOutcome?>)]()
        for i in comparisons.indices {
            if comparisons[i].escape != nil { slots.append((i, \.escape)) }
            if comparisons[i].success != nil { slots.append((i, \.success)) }
        }
        let worse = holmAdjusted(slots.map { comparisons[$0.0][keyPath: $0.1]!.pWorse })
        let better = holmAdjusted(slots.map { comparisons[$0.0][keyPath: $0.1]!.pBetter })
        for (k, slot) in slots.enumerated() {
            comparisons[slot.0][keyPath: slot.1]!.adjustedWorse = worse[k]
            comparisons[slot.0][keyPath: slot.1]!.adjustedBetter = better[k]
        }
        // Discordant trials all one way give p = 2^−n; Holm's strictest threshold is α/m.
        let tests = max(slots.count, 1)
        let needed = Int((log2(Double(tests) / settings.alpha)).rounded(.up))
        for i in comparisons.indices where comparisons[i].verdict == .ok {
            let outcomes = [comparisons[i].escape, comparisons[i].success].compactMap { $0 }
            let regressed = outcomes.contains { $0.adjustedWorse <= settings.alpha && -$0.change >= settings.minimumDrop }
            let improved = outcomes.contains { $0.adjustedBetter <= settings.alpha && $0.change >= settings.minimumDrop }
            comparisons[i].verdict = regressed ? .regressed : improved ? .improved : .ok
            let paired = outcomes.map(\.paired).max() ?? 0
            comparisons[i].smallestDetectableDrop = paired >= needed ? max(Double(needed) / Double(paired), settings.minimumDrop) : nil
        }
        for i in comparisons.indices {
            guard let now = currentByKey[comparisons[i].key], now.failed > 0 else { continue }
            let trials = now.outcomes.filter(\.failed).map { String($0.trial) }
            comparisons[i].verdict = .failed
            comparisons[i].note = "\(now.failed) failed trial\(now.failed == 1 ? "" : "s") (\(trials.joined(separator: ", ")))"
                + (comparisons[i].note.isEmpty ? "" : "; " + comparisons[i].note)
        }
        return comparisons
    }

    /// Whether the comparison should fail CI: any failed trial, regression or missing row.
    public static func fails(_ comparisons: [RowComparison]) -> Bool {
        comparisons.contains { $0.verdict == .regressed || $0.verdict == .missing || $0.verdict == .failed }
    }

    /// One line per failed trial of a run: its row, trial, both seeds and the failure, whose text
    /// ends with the command-line settings that reproduce it.
    public static func failureLines(_ records: [TrialRecord]) -> [String] {
        var tally = RunTally()
        for record in records where record.failed { tally.add(record) }
        return failureLines(tally)
    }

    /// `failureLines` for the failed trials a tally kept, then, when it kept only the first
    /// `RunTally.listedFailures`, one line counting the rest.
    public static func failureLines(_ tally: RunTally) -> [String] {
        tally.failures.map {
            "FAILED \($0.landscape)/\($0.optimizer) trial \($0.trial) (start seed \($0.startSeed), optimizer seed \($0.optimizerSeed)): \($0.failure)"
        } + (tally.failedCount > tally.failures.count
             ? ["... and \(tally.failedCount - tally.failures.count) more failed trials, not listed"] : [])
    }

    public static let tableHeader = ["row", "escape base → now", "b/c", "adj. p", "success base → now", "b/c", "adj. p",
                                     "detectable drop", "verdict", "note"]

    /// The table `bench check` prints. b/c: trials only the baseline / only the current run
    /// escaped (succeeded); adj. p: Holm-adjusted exact McNemar p-value in the direction of change.
    public static func table(_ comparisons: [RowComparison]) -> String {
        func cells(_ o: PairedOutcome?) -> [String] {
            guard let o else { return ["—", "", ""] }
            return [String(format: "%.2f → %.2f", o.baselineRate, o.currentRate), "\(o.baselineOnly)/\(o.currentOnly)",
                    formatP(o.change > 0 ? o.adjustedBetter : o.adjustedWorse)]
        }
        let body = comparisons.map { c -> [String] in
            [c.key] + cells(c.escape) + cells(c.success)
                + [c.smallestDetectableDrop.map { String(format: "%.0f pts", $0 * 100) } ?? "—", c.verdict.rawValue, c.note]
        }
        return SummaryTable.align([tableHeader] + body, leftAligned: [0, 8, 9])
    }

    static func formatP(_ p: Double) -> String {
        p >= 0.001 ? String(format: "%.3f", p) : String(format: "%.1e", p)
    }
}
