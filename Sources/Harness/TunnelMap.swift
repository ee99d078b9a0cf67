import Foundation
import GSL
import Landscapes

/// The tunneling map: a grid of `double-well` landscapes (barrier height H × barrier width w) on
/// which a candidate (by default `piqa`) is compared with the best classical method of each cell.
///
/// The comparison is honest in three ways. Every method gets the same budget in evaluations. The
/// best classical method of a cell is chosen on one set of seeds (the selection run) and the
/// candidate is compared with it on fresh seeds (the comparison run), so the winner's luck in the
/// selection does not carry over. The comparison is paired (same starts) and tested with the exact
/// two-sided McNemar test, Holm-corrected across cells.
///
/// The choice depends on trial outcomes alone, never on timing, so the same seed picks the same
/// method on any machine (`TunnelMap.bestClassical`): the highest escape rate, then the highest
/// success rate, then the lowest median evaluations to escape, then the first in `classical`.
public struct TunnelMapPlan: Codable, Sendable, Equatable {
    public var heights: [Double]
    public var widths: [Double]
    public var dimension: Int
    public var asymmetry: Double
    public var trials: Int
    public var budget: Double
    public var candidate: String
    public var classical: [String]
    public var seed: UInt64
    public var threads: Int
    public var alpha: Double
    /// How the methods' automatic settings are set: measured once on the reference cell and held
    /// fixed (the default), or derived by every trial from its own cell (`rescaled`).
    public var calibration: TunnelCalibration
    /// The reference cell (H, w) the fixed calibration is measured on; it need not be on the grid.
    public var referenceHeight: Double
    public var referenceWidth: Double
    /// Every cell's box is [−bound, bound]^d, whatever the grid: a smaller map is a subset of a
    /// larger one. 4 holds both wells (at ±w, with B ≥ 1.25w) for every w up to 3.2.
    public var bound: Double
    /// Each method's own parameters (its `--params` file), used in every cell; the fixed
    /// calibration fills in only what they leave automatic.
    public var parameters: [String: [String: String]]

    /// The default box half-width.
    public static let defaultBound = 4.0

    public init(heights: [Double] = [0.5, 1, 2, 4, 8], widths: [Double] = [0.25, 0.5, 1, 2], dimension: Int = 5,
                asymmetry: Double = 0.1, trials: Int = 100, budget: Double? = nil, candidate: String = "piqa",
                classical: [String] = ["sa", "pt", "adam"], seed: UInt64 = 1, threads: Int = 2, alpha: Double = 0.05,
                calibration: TunnelCalibration = .fixed, referenceHeight: Double = 1, referenceWidth: Double = 1,
                bound: Double = TunnelMapPlan.defaultBound, parameters: [String: [String: String]] = [:]) {
        self.heights = heights
        self.widths = widths
        self.dimension = dimension
        self.asymmetry = asymmetry
        self.trials = trials
        self.budget = budget ?? 2000 * Double(dimension)
        self.candidate = candidate
        self.classical = classical
        self.seed = seed
        self.threads = threads
        self.alpha = alpha
        self.calibration = calibration
        self.referenceHeight = referenceHeight
        self.referenceWidth = referenceWidth
        self.bound = bound
        self.parameters = parameters
    }

    /// The widest barrier the box holds: the double well needs B ≥ 1.25w.
    public var widestWidth: Double { bound / 1.25 }

    /// Why `file`'s parameters may not run on this map: `nil`, or (for a file `bench tune` wrote)
    /// that it was tuned on the instance the map evaluates on. Every cell is instance 0 of the
    /// double well in the same dimension, so one cell answers for all.
    public func tuningOverlap(_ file: MethodParameterFile) throws -> String? {
        guard let height = heights.first, let width = widths.first, let tuning = file.tuning,
              file.tuningOverlap(with: try landscape(height: height, width: width)) != nil else { return nil }
        return "its parameters were tuned on instance 0 of \(tuning.family) (d = \(tuning.dimension)), "
            + "the instance every cell of the map evaluates on; tune on others (bench tune --instances)"
    }

    func landscape(height: Double, width: Double) throws -> ResolvedLandscape {
        var spec = LandscapeSpec(name: "double-well H=\(formatReal(height)) w=\(formatReal(width))", family: "double-well")
        spec.parameters = ["height": formatReal(height), "width": formatReal(width), "asymmetry": formatReal(asymmetry),
                           "bound": formatReal(bound)]
        spec.dimension = dimension
        // The textbook, unshifted instance: a shifted one draws its shift from the instance seed,
        // which hashes H and w, so two cells would differ in more than H and w. Every cell's deep
        // well is at (−w, …, −w), the shallow one at (w, …, w), in the same box.
        spec.instance = 0
        spec.budget = budget
        spec.trials = trials
        // Success means the global basin: a tenth of the gap αH between adjacent minima.
        spec.success = asymmetry * height / 10
        return try ResolvedLandscape(spec)
    }
}

/// One method's result in one cell and phase.
public struct TunnelCellResult: Sendable {
    public var height: Double
    public var width: Double
    public var optimizer: String
    /// "selection" or "comparison".
    public var phase: String
    public var escape: Proportion?
    public var trapped: Int
    public var escaped: Int
    /// Success rate over all trials; `nil` when f* is unknown.
    public var success: Proportion? = nil
    /// Median budget spent until escape, among the escaped trials; `nil` with no escape.
    public var escapeEvalsMedian: Double? = nil
    /// Mean wall-clock seconds per trial: the cost beside the equal evaluation budget. Reported
    /// only: no choice depends on it.
    public var secondsPerTrial: Double
}

/// One row of tunnel-map.csv (`TunnelMap.cellColumns`): a method's counts, escape rate and cost in
/// one cell and phase, as the folder records them.
public struct TunnelCellRow: Sendable, Equatable {
    public var height: Double
    public var width: Double
    public var optimizer: String
    /// "selection" or "comparison".
    public var phase: String
    public var trapped: Int
    public var escaped: Int
    /// escaped / trapped, and its exact 95% interval; `nil` when no trial was trapped.
    public var escapeRate: Double?
    public var escapeLow: Double?
    public var escapeHigh: Double?
    /// Mean wall-clock seconds per trial.
    public var secondsPerTrial: Double

    public init(height: Double, width: Double, optimizer: String, phase: String, trapped: Int, escaped: Int,
                escapeRate: Double?, escapeLow: Double?, escapeHigh: Double?, secondsPerTrial: Double) {
        self.height = height
        self.width = width
        self.optimizer = optimizer
        self.phase = phase
        self.trapped = trapped
        self.escaped = escaped
        self.escapeRate = escapeRate
        self.escapeLow = escapeLow
        self.escapeHigh = escapeHigh
        self.secondsPerTrial = secondsPerTrial
    }
}

extension TunnelCellResult {
    /// What tunnel-map.csv records of this result.
    public var row: TunnelCellRow {
        TunnelCellRow(height: height, width: width, optimizer: optimizer, phase: phase, trapped: trapped, escaped: escaped,
                      escapeRate: escape?.rate, escapeLow: escape?.lower, escapeHigh: escape?.upper, secondsPerTrial: secondsPerTrial)
    }
}

/// The candidate against the cell's best classical method, on the comparison run: one row of
/// tunnel-comparison.csv (`TunnelMap.comparisonColumns`).
public struct TunnelComparison: Sendable, Equatable {
    public var height: Double
    public var width: Double
    public var bestClassical: String
    public var candidateRate: Double
    public var classicalRate: Double
    /// Paired trials where only the classical method escaped (b) or only the candidate did (c).
    public var classicalOnly: Int
    public var candidateOnly: Int
    public var p: Double
    public var adjustedP: Double
    public var significant: Bool

    public init(height: Double, width: Double, bestClassical: String, candidateRate: Double, classicalRate: Double,
                classicalOnly: Int, candidateOnly: Int, p: Double, adjustedP: Double = 1, significant: Bool = false) {
        self.height = height
        self.width = width
        self.bestClassical = bestClassical
        self.candidateRate = candidateRate
        self.classicalRate = classicalRate
        self.classicalOnly = classicalOnly
        self.candidateOnly = candidateOnly
        self.p = p
        self.adjustedP = adjustedP
        self.significant = significant
    }

    /// candidate − best classical.
    public var difference: Double { candidateRate - classicalRate }
}

public struct TunnelMapResult: Sendable {
    public var plan: TunnelMapPlan
    public var cells: [TunnelCellResult]
    public var comparisons: [TunnelComparison]
    /// What each method ran with in every cell (empty in rescaled mode with no `--params`).
    public var calibrations: [MethodCalibration] = []
}

/// What tunnel-map.json records: the plan, which the CSV files do not hold (the grid in its order,
/// the well and its box, the trials and budget, the methods in their order, the seed and the
/// significance level), and how the map was made. With tunnel-map.csv and tunnel-comparison.csv it
/// is all that the page is drawn from.
public struct TunnelMapMetadata: Codable, Sendable, Equatable {
    public var tool = "TunnelBench"
    public var version = TunnelBenchVersion.current
    public var gitCommit: String?
    public var arguments: [String]
    public var startedAt: String
    /// The plan, the box (`plan.bound`) included.
    public var plan: TunnelMapPlan
    /// What each method ran with in every cell: in fixed mode its median automatic temperature on
    /// the reference cell and the parameters that held its settings there.
    public var calibrations: [MethodCalibration]

    public init(plan: TunnelMapPlan, calibrations: [MethodCalibration] = [], arguments: [String], startedAt: Date, gitCommit: String?) {
        self.gitCommit = gitCommit
        self.arguments = arguments
        self.startedAt = ISO8601DateFormatter().string(from: startedAt)
        self.plan = plan
        self.calibrations = calibrations
    }

    public func json() throws -> String { try RecordedJSON.text(self) }
}

public enum TunnelMap {
    /// Every method as the map runs it, classical ones first, then the candidate: its
    /// `--params` parameters and, in fixed mode, its automatic settings measured on the reference
    /// cell (`TunnelCalibrator`, from the first `trials` starts of the calibration seed) and held.
    public static func entries(_ plan: TunnelMapPlan) throws -> (entries: [OptimizerEntry], calibrations: [MethodCalibration]) {
        let names = plan.classical + [plan.candidate]
        let own = try names.map { try OptimizerEntry(name: $0, overrides: plan.parameters[$0] ?? [:]) }
        guard plan.calibration == .fixed else {
            let calibrations = names.compactMap { name in
                plan.parameters[name].map { MethodCalibration(optimizer: name, automaticTemperature: nil, parameters: $0) }
            }
            return (own, calibrations)
        }
        let reference = try plan.landscape(height: plan.referenceHeight, width: plan.referenceWidth)
        let calibrations = try TunnelCalibrator.calibrate(own, own: plan.parameters, on: reference, count: plan.trials,
                                                          masterSeed: Seed.derive(plan.seed, "tunnel-map", "calibration"))
        return (try calibrations.map { try OptimizerEntry(name: $0.optimizer, overrides: $0.parameters) }, calibrations)
    }

    public static func run(_ plan: TunnelMapPlan, progress: ((String) -> Void)? = nil) throws -> TunnelMapResult {
        for width in plan.widths + [plan.referenceWidth] where width > plan.widestWidth {
            throw HarnessError("width \(formatReal(width)) does not fit the box [−\(formatReal(plan.bound)), \(formatReal(plan.bound))]: "
                + "a double well needs bound ≥ 1.25 × width (use --bound \(formatReal(1.25 * width)) or more)")
        }
        let (entries, calibrations) = try self.entries(plan)
        let candidate = entries.last!
        let classical = Array(entries.dropLast())
        var cells = [TunnelCellResult]()
        var comparisons = [TunnelComparison]()
        let selectionSeed = Seed.derive(plan.seed, "tunnel-map", "selection")
        let comparisonSeed = Seed.derive(plan.seed, "tunnel-map", "comparison")
        for height in plan.heights {
            for width in plan.widths {
                progress?("H = \(formatReal(height)), w = \(formatReal(width))")
                let landscape = try plan.landscape(height: height, width: width)
                // Selection: every classical method (and the candidate, for the picture) on seeds S1.
                let selection = try tally(RunPlan(landscapes: [landscape], optimizers: classical + [candidate],
                                                  masterSeed: selectionSeed, threads: plan.threads))
                let selected = summarize(selection, height: height, width: width, phase: "selection")
                cells += selected
                let best = bestClassical(selected.filter { $0.optimizer != plan.candidate }, order: plan.classical)!
                // Comparison: the candidate and the chosen method on fresh seeds S2, paired by trial.
                let chosen = classical.first { $0.label == best.optimizer }!
                let fresh = try tally(RunPlan(landscapes: [landscape], optimizers: [chosen, candidate],
                                              masterSeed: comparisonSeed, threads: plan.threads))
                cells += summarize(fresh, height: height, width: width, phase: "comparison")
                let name = landscape.spec.name
                let mine = fresh.outcomes.column(landscape: name, optimizer: candidate.label)
                let theirs = fresh.outcomes.column(landscape: name, optimizer: chosen.label)
                // Failed trials follow the summary's rule (Summary.swift): a failed trial stays in
                // its pair, trapped like its start, and never escapes (its record has
                // escaped = false), so it counts against its method; no pair is dropped.
                let pairs = zip(theirs, mine).filter { $0.0.contains(.trapped) && $0.1.contains(.trapped) }
                let b = pairs.filter { $0.0.contains(.escaped) && !$0.1.contains(.escaped) }.count
                let c = pairs.filter { !$0.0.contains(.escaped) && $0.1.contains(.escaped) }.count
                let n = Double(max(pairs.count, 1))
                comparisons.append(TunnelComparison(
                    height: height, width: width, bestClassical: chosen.label,
                    candidateRate: Double(pairs.filter { $0.1.contains(.escaped) }.count) / n,
                    classicalRate: Double(pairs.filter { $0.0.contains(.escaped) }.count) / n,
                    classicalOnly: b, candidateOnly: c, p: PairedTests.mcNemarTwoSided(b, c)))
            }
        }
        let adjusted = PairedTests.holmAdjusted(comparisons.map(\.p))
        for i in comparisons.indices {
            comparisons[i].adjustedP = adjusted[i]
            comparisons[i].significant = adjusted[i] <= plan.alpha
        }
        return TunnelMapResult(plan: plan, cells: cells, comparisons: comparisons, calibrations: calibrations)
    }

    /// The best of one cell's classical methods on the selection run, by a rule that depends on
    /// trial outcomes alone (never on timing), so a tie is broken the same way on every machine:
    /// 1. the higher escape rate (a method with no trapped trial ranks last);
    /// 2. then the higher success rate (none when f* is unknown ranks last);
    /// 3. then the lower median evaluations to escape (a method that never escaped ranks last);
    /// 4. then the earlier in `order` (the `--classical` list; methods not in it after those that are).
    /// Rates compare exactly: within a cell every method has the same trapped trials and the same
    /// trials (paired starts), so equal rates are equal counts. `nil` when `candidates` is empty.
    public static func bestClassical(_ candidates: [TunnelCellResult], order: [String]) -> TunnelCellResult? {
        func position(_ name: String) -> Int { order.firstIndex(of: name) ?? order.count }
        func ranksAbove(_ a: TunnelCellResult, _ b: TunnelCellResult) -> Bool {
            let escape = (a.escape?.rate ?? -1, b.escape?.rate ?? -1)
            if escape.0 != escape.1 { return escape.0 > escape.1 }
            let success = (a.success?.rate ?? -1, b.success?.rate ?? -1)
            if success.0 != success.1 { return success.0 > success.1 }
            let evals = (a.escapeEvalsMedian ?? .infinity, b.escapeEvalsMedian ?? .infinity)
            if evals.0 != evals.1 { return evals.0 < evals.1 }
            return position(a.optimizer) < position(b.optimizer)
        }
        return candidates.reduce(nil) { best, next in best.map { ranksAbove(next, $0) ? next : $0 } ?? next }
    }

    /// Runs `plan`, keeping its tally (no record).
    static func tally(_ plan: RunPlan) throws -> RunTally {
        var tally = RunTally(plan: plan)
        try BenchmarkRun.execute(plan) { tally.add($0) }
        return tally
    }

    static func summarize(_ tally: RunTally, height: Double, width: Double, phase: String) -> [TunnelCellResult] {
        tally.rows.map { accumulator in
            let row = accumulator.row
            return TunnelCellResult(height: height, width: width, optimizer: row.optimizer, phase: phase, escape: row.escape,
                                    trapped: row.trapped, escaped: row.escaped, success: row.success,
                                    escapeEvalsMedian: row.escapeEvalsMedian,
                                    secondsPerTrial: accumulator.wallTime / Double(max(accumulator.trials, 1)))
        }
    }

    /// The files of a tunnel map's folder: the CSV files, then tunnel-map.json.
    public static let cellsFile = "tunnel-map.csv", comparisonFile = "tunnel-comparison.csv", metadataFile = "tunnel-map.json"

    /// The contents of `cellsFile`, `comparisonFile` and `metadataFile` for `result`, in the order
    /// they are written. `metadata` is `result.plan`'s (`TunnelMapMetadata(plan:…)`).
    public static func files(_ result: TunnelMapResult, metadata: TunnelMapMetadata) throws -> [(name: String, contents: String)] {
        [(cellsFile, cellsCSV(result)), (comparisonFile, comparisonCSV(result)), (metadataFile, try metadata.json())]
    }

    /// The columns of tunnel-map.csv, one row per cell, phase and optimizer.
    public static let cellColumns = Columns<TunnelCellRow>([
        .number("height") { $0.height },
        .number("width") { $0.width },
        .text("optimizer") { $0.optimizer },
        .text("phase") { $0.phase },
        .whole("trapped") { $0.trapped },
        .whole("escaped") { $0.escaped },
        .number("escape_rate") { $0.escapeRate },
        .number("escape_ci_low") { $0.escapeLow },
        .number("escape_ci_high") { $0.escapeHigh },
        .number("seconds_per_trial") { $0.secondsPerTrial },
    ])

    /// The columns of tunnel-comparison.csv, one row per cell.
    public static let comparisonColumns = Columns<TunnelComparison>([
        .number("height") { $0.height },
        .number("width") { $0.width },
        .text("best_classical") { $0.bestClassical },
        .number("candidate_rate") { $0.candidateRate },
        .number("classical_rate") { $0.classicalRate },
        .number("difference") { $0.difference },
        .whole("classical_only") { $0.classicalOnly },
        .whole("candidate_only") { $0.candidateOnly },
        .number("p") { $0.p },
        .number("p_holm") { $0.adjustedP },
        .flag("significant") { $0.significant },
    ])

    public static var cellsHeader: [String] { cellColumns.names }
    public static var comparisonHeader: [String] { comparisonColumns.names }

    public static func cellsCSV(_ result: TunnelMapResult) -> String {
        cellColumns.document(result.cells.lazy.map(\.row))
    }

    public static func comparisonCSV(_ result: TunnelMapResult) -> String {
        comparisonColumns.document(result.comparisons)
    }
}
