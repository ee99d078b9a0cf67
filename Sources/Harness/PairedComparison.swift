import Foundation
import Landscapes
import Optimizers

// Paired comparisons between the optimizers of one run (comparisons.csv and the table `bench run`
// prints after the summary).
//
// Every trial is paired: trial i starts from the same point for every optimizer on a landscape
// (docs/DESIGN.md, invariant 2), so two optimizers can be compared trial by trial with the exact
// McNemar test (`PairedTests`). Which pairs are tested is decided from the run's plan alone,
// before any trial runs: each optimizer against the landscape's `reference`, `piqa` and `sqa`
// also against `pt` (their equal-walker classical control when the walker counts agree, labelled
// `unequal-walkers` when they do not), and the pairs the user names with `--compare`. No comparator is ever chosen from the results it is then tested on (tunnel-map,
// which does pick a best classical method, picks it on separate seeds).

extension LandscapeKind {
    /// The reference when a spec names none. Continuous landscapes: `random-search`, the floor
    /// every method must beat (docs/DESIGN.md, invariant 4). Ising landscapes have no random
    /// search; their reference is `sa-spin`, single-flip simulated annealing, the classical method that
    /// simulated quantum annealing is measured against (Santoro et al., Science 295, 2427 (2002);
    /// Denchev et al., PRX 6, 031015 (2016)).
    public var defaultReference: String {
        switch self {
        case .continuous: return "random-search"
        case .ising: return "sa-spin"
        }
    }
}

extension ResolvedLandscape {
    /// The comparator fixed for this landscape: the spec's `reference`, else the kind's default.
    public var reference: String { spec.reference ?? kind.defaultReference }
}

/// Counts of one binary outcome over paired trials: "first" is the optimizer under test, "second"
/// its comparator.
public struct PairedCounts: Sendable, Equatable {
    public var both = 0
    public var firstOnly = 0
    public var secondOnly = 0
    public var neither = 0

    public init(both: Int = 0, firstOnly: Int = 0, secondOnly: Int = 0, neither: Int = 0) {
        self.both = both
        self.firstOnly = firstOnly
        self.secondOnly = secondOnly
        self.neither = neither
    }

    public init(_ pairs: [(Bool, Bool)]) {
        for (a, b) in pairs { add(a, b) }
    }

    /// Counts one more pair: whether the first and the second got there.
    public mutating func add(_ a: Bool, _ b: Bool) {
        switch (a, b) {
        case (true, true): both += 1
        case (true, false): firstOnly += 1
        case (false, true): secondOnly += 1
        case (false, false): neither += 1
        }
    }

    public var pairs: Int { both + firstOnly + secondOnly + neither }
    public var firstRate: Double? { pairs > 0 ? Double(both + firstOnly) / Double(pairs) : nil }
    public var secondRate: Double? { pairs > 0 ? Double(both + secondOnly) / Double(pairs) : nil }
    /// First rate − second rate over the same pairs: (firstOnly − secondOnly) / pairs.
    public var difference: Double? { pairs > 0 ? Double(firstOnly - secondOnly) / Double(pairs) : nil }
    /// Exact two-sided McNemar p-value on the discordant pairs.
    public var p: Double { PairedTests.mcNemarTwoSided(firstOnly, secondOnly) }
}

/// The outcome of every trial of a run, by landscape, optimizer (label) and trial number: what the
/// paired comparisons, the baseline's rows and the tunneling map read. One byte per trial, so a
/// run keeps its outcomes without keeping its records.
public struct TrialOutcomeTable: Sendable {
    /// One trial's outcome.
    public struct Bits: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A trial with this number was added.
        public static let present = Bits(rawValue: 1 << 0)
        public static let trapped = Bits(rawValue: 1 << 1)
        public static let escaped = Bits(rawValue: 1 << 2)
        /// success = true.
        public static let succeeded = Bits(rawValue: 1 << 3)
        /// success ≠ nil: f* is known.
        public static let optimumKnown = Bits(rawValue: 1 << 4)
        public static let failed = Bits(rawValue: 1 << 5)

        public init(_ record: TrialRecord) {
            var bits: Bits = .present
            if record.trapped { bits.insert(.trapped) }
            if record.escaped { bits.insert(.escaped) }
            if record.success == true { bits.insert(.succeeded) }
            if record.success != nil { bits.insert(.optimumKnown) }
            if record.failed { bits.insert(.failed) }
            self = bits
        }

        /// The outcome as the baseline records it.
        public func outcome(trial: Int) -> TrialOutcome {
            TrialOutcome(trial: trial, trapped: contains(.trapped), escaped: contains(.escaped),
                         success: contains(.optimumKnown) ? contains(.succeeded) : nil, failed: contains(.failed))
        }
    }

    private var columns = [String: [Bits]]()

    public init() {}

    /// Records `record`'s outcome (a later record with the same landscape, optimizer and trial
    /// replaces it).
    public mutating func add(_ record: TrialRecord) {
        precondition(record.trial >= 0, "trial numbers start at 0")
        let key = PairedComparisons.key(record.landscape, record.optimizer)
        columns[key, default: []].set(Bits(record), at: record.trial)
    }

    /// Room for `trials` trials of one landscape and optimizer.
    public mutating func reserve(landscape: String, optimizer: String, trials: Int) {
        columns[PairedComparisons.key(landscape, optimizer), default: []].reserveCapacity(trials)
    }

    /// The outcomes of one landscape and optimizer, indexed by trial number (`present` unset for a
    /// number no record had); empty when none ran.
    public func column(landscape: String, optimizer: String) -> [Bits] {
        columns[PairedComparisons.key(landscape, optimizer)] ?? []
    }
}

private extension Array where Element == TrialOutcomeTable.Bits {
    /// Sets element `index`, first growing the array with empty outcomes up to it.
    mutating func set(_ value: Element, at index: Int) {
        if index == count {
            append(value)
        } else {
            if index > count { append(contentsOf: repeatElement([], count: index - count + 1)) }
            self[index] = value
        }
    }
}

/// One test of comparisons.csv: an optimizer against a comparator on one landscape and outcome.
public struct PairedComparison: Sendable, Equatable {
    /// Why this comparator: the landscape's `reference`; `control`, `pt` against a path-integral
    /// method (`piqa`, `sqa`) with as many walkers (replicas = beads or slices); `unequalWalkers`,
    /// `pt` against one whose walker count differs, tested but not a control; or `chosen` with
    /// `--compare`.
    public enum Basis: String, Sendable {
        case reference, control, chosen
        case unequalWalkers = "unequal-walkers"
    }

    public enum Outcome: String, Sendable {
        case escape, success
    }

    public enum Status: String, Sendable {
        /// Tested: counts, p and p_holm are filled in.
        case ok
        /// The landscape's reference (or `pt`, the control of piqa and sqa) was not run, so
        /// there is nothing to pair with: reported rather than dropped.
        case comparatorNotRun = "comparator-not-run"
    }

    public var landscape: String
    public var optimizer: String
    public var comparator: String
    public var basis: Basis
    public var outcome: Outcome
    public var status: Status
    /// Escape: pairs trapped on both sides (the same trials, since starts are paired). Success:
    /// every pair. A failed trial is treated as everywhere else (Summary.swift): its pair stays in,
    /// and it counts as neither escaped nor successful.
    public var counts: PairedCounts?
    /// Pairs among `counts` with a failed trial on either side (kept in the test, never dropped).
    public var failedPairs = 0
    /// For `pt` against `piqa`/`sqa`: the walker counts, comparator first ("8 replicas vs 16
    /// beads"); `nil` for other pairs and when `pt` was not run.
    public var walkers: String?
    public var p: Double?
    /// Holm-adjusted across every `ok` test of the run (all landscapes, pairs and both outcomes).
    public var pHolm: Double?
}

/// A pair fixed before the run: on `landscape`, `optimizer` against `comparator`.
public struct PlannedComparison: Sendable, Equatable {
    /// The landscape, or the ensemble whose members' trials are pooled.
    public var landscape: String
    public var optimizer: String
    public var comparator: String
    public var basis: PairedComparison.Basis
    public var status: PairedComparison.Status
    /// As in `PairedComparison.walkers`.
    public var walkers: String? = nil
    /// The landscapes whose trials the test pairs: `[landscape]`, or an ensemble's members.
    public var members: [String] = []
}

public enum PairedComparisons {
    /// The parameter that counts the walkers of optimizer `name` (`Optimizer.walkerParameter`).
    public static func walkerParameter(of name: String) -> String? {
        (try? OptimizerCatalog.definition(named: name))?.walkerParameter
    }

    /// The classical control of optimizer `name` (`Optimizer.classicalControl`): `pt` for
    /// `piqa`, `pt-spin` for `piqa-spin`.
    public static func control(of name: String) -> String? {
        (try? OptimizerCatalog.definition(named: name))?.classicalControl
    }

    /// The walker count of optimizer `name` from its canonical parameter text (`a=1;b=2`, as
    /// `trials.csv` and `run.json` record it); `nil` for a method without walkers or a text that
    /// does not carry the count.
    public static func walkers(name: String, parameters: String) -> Int? {
        guard let parameter = walkerParameter(of: name) else { return nil }
        for item in parameters.split(separator: ";") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 && parts[0] == parameter { return Int(parts[1]) }
        }
        return nil
    }

    /// One landscape of a run as the comparison plan sees it: its name, its reference and its
    /// optimizers as (registry name, label, canonical parameter text) in run order. An ensemble is
    /// one entry named after it, whose `members` are its instances' landscapes: each test pools
    /// their trials.
    public struct LandscapeOptimizers: Sendable {
        public var landscape: String
        public var reference: String
        public var optimizers: [(name: String, label: String, parameters: String)]
        /// The landscapes whose trials are paired (`[landscape]` unless set).
        public var members: [String] = []
        /// Former name → current name, for a run written before optimizers were renamed: names
        /// here are read through it, and controls are named in the former names.
        public var formerNames: [String: String]

        public init(landscape: String, reference: String, optimizers: [(name: String, label: String, parameters: String)],
                    formerNames: [String: String] = [:], members: [String]? = nil) {
            self.landscape = landscape
            self.members = members ?? [landscape]
            self.reference = reference
            self.optimizers = optimizers
            self.formerNames = formerNames
        }

        func current(_ name: String) -> String { formerNames[name] ?? name }

        /// The control of `name` as this landscape's runs name it.
        func control(of name: String) -> String? {
            guard let control = PairedComparisons.control(of: current(name)) else { return nil }
            return formerNames.first { $0.value == control }?.key ?? control
        }
    }

    /// The pairs to test, decided from the plan alone. Per landscape, for each optimizer in run
    /// order: against the reference (except the reference itself), and for a method with a
    /// classical control (`piqa`, `piqa-spin`) against that control (`pt`, `pt-spin`; a labelled
    /// variant such as `piqa-tuned` against the control's same variant, `pt-tuned`, when it runs); then each chosen pair, on the landscapes that run both (`chosenPairs` refuses a
    /// pair that no landscape runs). A pair already listed (in either order) is not repeated.
    /// Comparators are matched by label (a suite's labelled variant is its own optimizer).
    ///
    /// The control is compared as such only at an equal number of walkers (its replicas = the
    /// method's beads or slices, read from the parameters each was run with). When the
    /// counts differ (or cannot be read) the pair is still tested, with basis `unequalWalkers`
    /// and both counts in `walkers`, so it is never mistaken for the equal-walker control.
    public static func plan(_ landscapes: [LandscapeOptimizers], chosen: [[String]] = []) -> [PlannedComparison] {
        var planned = [PlannedComparison]()
        for entry in landscapes {
            let labels = entry.optimizers.map(\.label)
            var seen = Set<[String]>()
            func add(_ optimizer: String, _ comparator: String, _ basis: PairedComparison.Basis, walkers: String? = nil) {
                guard optimizer != comparator, seen.insert([optimizer, comparator].sorted()).inserted else { return }
                let status: PairedComparison.Status = labels.contains(comparator) ? .ok : .comparatorNotRun
                planned.append(PlannedComparison(landscape: entry.landscape, optimizer: optimizer, comparator: comparator,
                                                 basis: basis, status: status, walkers: walkers, members: entry.members))
            }
            for optimizer in entry.optimizers {
                add(optimizer.label, entry.reference, .reference)
                guard let name = entry.control(of: optimizer.name) else { continue }
                // A variant (`piqa-tuned`, a suite's `piqa-hot`) is paired with the control's
                // variant of the same suffix when that runs (`pt-tuned`, `pt-hot`), else the control.
                let suffix = optimizer.label.hasPrefix(optimizer.name) ? optimizer.label.dropFirst(optimizer.name.count) : ""
                let control = !suffix.isEmpty && labels.contains(name + suffix) ? name + suffix : name
                guard let pt = entry.optimizers.first(where: { $0.label == control }) else {
                    add(optimizer.label, control, .control)
                    continue
                }
                let mine = walkers(name: entry.current(optimizer.name), parameters: optimizer.parameters)
                let theirs = walkers(name: entry.current(pt.name), parameters: pt.parameters)
                let text = "\(theirs.map(String.init) ?? "?") \(walkerParameter(of: entry.current(pt.name)) ?? "walkers") vs "
                    + "\(mine.map(String.init) ?? "?") \(walkerParameter(of: entry.current(optimizer.name)) ?? "walkers")"
                add(optimizer.label, control, mine != nil && mine == theirs ? .control : .unequalWalkers, walkers: text)
            }
            for pair in chosen where pair.count == 2 && pair.allSatisfy(labels.contains) { add(pair[0], pair[1], .chosen) }
        }
        return planned
    }

    /// The plan recorded in a run's metadata: each landscape's reference and the chosen pairs,
    /// both fixed by the run's plan before any trial ran (`run.json` keeps them). The instances of
    /// an ensemble are one entry that pools their trials: one test per pair over the ensemble,
    /// which pairs trials within each instance (the exact McNemar test on the pooled discordant
    /// pairs is the exact conditional test stratified by pair, so by instance too).
    public static func plan(_ metadata: RunMetadata) -> [PlannedComparison] {
        var landscapes = [LandscapeOptimizers]()
        for (landscape, optimizers) in zip(metadata.landscapes, metadata.optimizers) {
            if let ensemble = landscape.ensemble, let k = landscapes.firstIndex(where: { $0.landscape == ensemble }) {
                landscapes[k].members.append(landscape.name)
                continue
            }
            var entry = single(landscape, optimizers)
            if let ensemble = landscape.ensemble {
                entry.landscape = ensemble
                entry.members = [landscape.name]
            }
            landscapes.append(entry)
        }
        return plan(landscapes, chosen: metadata.comparisons ?? [])
    }

    /// One landscape of a run's metadata as the plan sees it.
    static func single(_ landscape: RunMetadata.LandscapeEntry, _ optimizers: [RunMetadata.OptimizerRecord]) -> LandscapeOptimizers {
        let kind = LandscapeKind(family: landscape.family) ?? .continuous
        // A run written before a rename names its optimizers by their former names: its plan
        // is made in those names (reference, controls), so it matches the run's own rows.
        let former = OptimizerCatalog.formerNames[kind] ?? [:]
        let olderRun = optimizers.contains { former[$0.name] != nil }
        let reference = landscape.reference
            ?? (olderRun ? former.first { $0.value == kind.defaultReference }?.key : nil) ?? kind.defaultReference
        return LandscapeOptimizers(landscape: landscape.name, reference: reference,
                                   optimizers: optimizers.map { (name: $0.name, label: $0.label, parameters: $0.parameters) },
                                   formerNames: olderRun ? former : [:])
    }

    /// Checks `--compare` values (each "a,b": two different optimizers, each run on at least one
    /// landscape of `plan`, and both on at least one) and returns them as pairs.
    public static func chosenPairs(_ values: [String], plan: RunPlan) throws -> [[String]] {
        let selected = plan.optimizers.flatMap { $0.map(\.label) }
        let valid = selected.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return try values.map { value in
            let names = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard names.count == 2, !names[0].isEmpty, !names[1].isEmpty else {
                throw HarnessError("--compare '\(value)': expected two optimizers as a,b (selected: \(valid.joined(separator: ", ")))")
            }
            guard names[0] != names[1] else {
                throw HarnessError("--compare '\(value)': an optimizer cannot be compared with itself")
            }
            for name in names where !valid.contains(name) {
                let known = OptimizerEntry.allNames.contains(name) ? "is not selected in this run" : "is not an optimizer"
                throw HarnessError("--compare '\(value)': '\(name)' \(known) (selected: \(valid.joined(separator: ", ")))")
            }
            guard plan.optimizers.contains(where: { list in names.allSatisfy { n in list.contains { $0.label == n } } }) else {
                throw HarnessError("--compare '\(value)': no landscape of this run runs both")
            }
            return names
        }
    }

    /// Runs the planned tests on `records` (a whole run: every landscape, optimizer and trial)
    /// and Holm-adjusts the p-values across every test that could be made: `evaluate(_:outcomes:)`
    /// on the records' outcomes.
    public static func evaluate(_ planned: [PlannedComparison], records: [TrialRecord]) -> [PairedComparison] {
        var outcomes = TrialOutcomeTable()
        for record in records { outcomes.add(record) }
        return evaluate(planned, outcomes: outcomes)
    }

    /// Runs the planned tests on the outcomes of a whole run and Holm-adjusts the p-values across
    /// every test that could be made. Trials pair by their trial number.
    public static func evaluate(_ planned: [PlannedComparison], outcomes: TrialOutcomeTable) -> [PairedComparison] {
        var rows = [PairedComparison]()
        for pair in planned {
            let members = pair.members.isEmpty ? [pair.landscape] : pair.members
            let columns = members.map { landscape in
                (mine: outcomes.column(landscape: landscape, optimizer: pair.optimizer),
                 theirs: outcomes.column(landscape: landscape, optimizer: pair.comparator))
            }
            // Success is an outcome only where f* is known (records then carry success ≠ nil).
            let hasOptimum = columns.lazy.compactMap { c in c.mine.first { $0.contains(.present) } ?? c.theirs.first { $0.contains(.present) } }
                .first?.contains(.optimumKnown) ?? false
            let outcomeKinds: [PairedComparison.Outcome] = hasOptimum ? [.escape, .success] : [.escape]
            for outcome in outcomeKinds {
                var row = PairedComparison(landscape: pair.landscape, optimizer: pair.optimizer, comparator: pair.comparator,
                                           basis: pair.basis, outcome: outcome, status: pair.status, walkers: pair.walkers)
                if pair.status == .ok {
                    var counts = PairedCounts()
                    for (mine, theirs) in columns {
                        for trial in mine.indices where trial < theirs.count {
                            let a = mine[trial], b = theirs[trial]
                            guard a.contains(.present) && b.contains(.present) else { continue }
                            if outcome == .escape && !(a.contains(.trapped) && b.contains(.trapped)) { continue }
                            // The one rule for failed trials (Summary.swift): the pair stays in the test
                            // and the failed side neither escapes nor succeeds; the pair is counted so
                            // a reader sees how many there were.
                            if a.contains(.failed) || b.contains(.failed) { row.failedPairs += 1 }
                            func won(_ r: TrialOutcomeTable.Bits) -> Bool {
                                !r.contains(.failed) && r.contains(outcome == .escape ? .escaped : .succeeded)
                            }
                            counts.add(won(a), won(b))
                        }
                    }
                    row.counts = counts
                    row.p = counts.p
                }
                rows.append(row)
            }
        }
        let tested = rows.indices.filter { rows[$0].p != nil }
        let adjusted = PairedTests.holmAdjusted(tested.map { rows[$0].p! })
        for (k, index) in tested.enumerated() { rows[index].pHolm = adjusted[k] }
        return rows
    }

    /// The comparisons of a finished run.
    public static func evaluate(records: [TrialRecord], metadata: RunMetadata) -> [PairedComparison] {
        evaluate(plan(metadata), records: records)
    }

    /// The comparisons of a finished run, from its outcomes.
    public static func evaluate(outcomes: TrialOutcomeTable, metadata: RunMetadata) -> [PairedComparison] {
        evaluate(plan(metadata), outcomes: outcomes)
    }

    static func key(_ landscape: String, _ optimizer: String) -> String { landscape + "\u{1F}" + optimizer }

    // MARK: - comparisons.csv and the table

    /// The columns of comparisons.csv, one row per comparison.
    public static let columns = Columns<PairedComparison>([
        .text("landscape") { $0.landscape },
        .text("optimizer") { $0.optimizer },
        .text("comparator") { $0.comparator },
        .text("basis") { $0.basis.rawValue },
        .text("outcome") { $0.outcome.rawValue },
        .text("status") { $0.status.rawValue },
        .whole("n") { $0.counts?.pairs },
        .whole("both") { $0.counts?.both },
        .whole("optimizer_only") { $0.counts?.firstOnly },
        .whole("comparator_only") { $0.counts?.secondOnly },
        .whole("neither") { $0.counts?.neither },
        .whole("failed_pairs") { $0.status == .ok ? $0.failedPairs : nil },
        .number("optimizer_rate") { $0.counts?.firstRate },
        .number("comparator_rate") { $0.counts?.secondRate },
        .number("difference") { $0.counts?.difference },
        .number("p") { $0.p },
        .number("p_holm") { $0.pHolm },
    ])

    public static var csvHeader: [String] { columns.names }

    public static func csv(_ rows: [PairedComparison]) -> String {
        columns.document(rows)
    }

    public static let tableHeader = ["landscape", "optimizer", "comparator", "outcome", "n", "both", "optimizer only",
                                     "comparator only", "neither", "failed pairs", "difference", "p", "p (Holm)"]

    /// The table `bench run` prints after the summary: a line that states the test and the Holm
    /// family, one row per test, then one line per comparator that was not run (naming the
    /// optimizers left untested). Empty when the run has no pair to compare.
    public static func table(_ rows: [PairedComparison]) -> String {
        guard !rows.isEmpty else { return "" }
        let tested = rows.filter { $0.status == .ok }
        var text = ""
        if !tested.isEmpty {
            text += "paired comparisons: exact two-sided McNemar test on the discordant trials, Holm-adjusted across the "
                + "\(tested.count) test\(tested.count == 1 ? "" : "s") of this run;\n"
                + "escape over the trials trapped for both (the same trials: starts are paired); "
                + "difference = optimizer rate − comparator rate; a failed trial neither escapes nor succeeds\n"
            let body = tested.map { r -> [String] in
                let c = r.counts ?? PairedCounts()
                let basis = r.basis == .unequalWalkers ? "unequal walkers: \(r.walkers ?? "?")" : r.basis.rawValue
                return [r.landscape, r.optimizer, "\(r.comparator) (\(basis))", r.outcome.rawValue,
                        String(c.pairs), String(c.both), String(c.firstOnly), String(c.secondOnly), String(c.neither),
                        String(r.failedPairs), c.difference.map { String(format: "%+.3f", $0) } ?? "—",
                        formatP(r.p ?? 1), formatP(r.pHolm ?? 1)]
            }
            text += SummaryTable.align([tableHeader] + body, leftAligned: [0, 1, 2, 3])
        }
        // Not-run pairs, grouped by landscape and the missing optimizer, in order of appearance.
        var groups = [(landscape: String, missing: String, basis: PairedComparison.Basis, untested: [String])]()
        for r in rows where r.status != .ok && r.outcome == .escape {
            if let g = groups.firstIndex(where: { $0.landscape == r.landscape && $0.missing == r.comparator && $0.basis == r.basis }) {
                groups[g].untested.append(r.optimizer)
            } else {
                groups.append((r.landscape, r.comparator, r.basis, [r.optimizer]))
            }
        }
        for g in groups {
            text += "not compared on \(g.landscape): \(g.basis.rawValue) \(g.missing) was not run, so "
                + "\(g.untested.joined(separator: ", ")) \(g.untested.count == 1 ? "has" : "have") no paired test against it\n"
        }
        return text
    }

    static func formatP(_ p: Double) -> String {
        p >= 0.001 ? String(format: "%.3f", p) : String(format: "%.1e", p)
    }
}
