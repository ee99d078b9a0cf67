import Foundation
import Harness
import Landscapes

/// A tunnel map's output folder read back: tunnel-map.json (the plan), tunnel-map.csv (one row per
/// cell, phase and method) and tunnel-comparison.csv (one row per cell). The CSV files are read
/// with the columns that wrote them (`TunnelMap.cellColumns`, `comparisonColumns`), so their
/// header and fields cannot drift apart from the writer's; the page (`TunnelMapPage`) is drawn from
/// this value alone.
///
/// The reader refuses what `bench tunnel-map` could not have written, with one line naming the file
/// (and line) and what was expected: a missing file; a tunnel-map.json that does not decode,
/// repeats a key or holds a setting out of range (an empty, repeated or non-positive grid, a
/// dimension or trial count below 1, a budget that is not a finite number > 0, an α outside (0, 1),
/// a classical list that is empty, repeats a method or holds the candidate); a CSV file
/// `CSV.read` refuses or without one of its columns; a field that is not of its column's kind or
/// range (a count below 0, more escapes than trapped trials, a rate or p-value outside [0, 1], a
/// difference other than candidate_rate − classical_rate, a significance flag that disagrees with
/// p_holm ≤ α); a row of a cell or method the plan does not have; and rows missing or repeated
/// (a selection row for every method of every cell, comparison rows for the cell's best
/// classical method and the candidate, one comparison per cell).
public struct TunnelMapFolder: Sendable {
    public var path: String
    public var metadata: TunnelMapMetadata
    public var cells: [TunnelCellRow]
    public var comparisons: [TunnelComparison]

    /// Whether `path` holds a tunnel map rather than a run: its marker file tunnel-map.csv (the
    /// one `bench tunnel-map --overwrite` looks for), and no run.json.
    public static func isTunnelMap(_ path: String) -> Bool {
        func exists(_ name: String) -> Bool {
            FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(name))
        }
        return exists(TunnelMap.cellsFile) && !exists("run.json")
    }

    public init(path: String) throws {
        self.path = path
        func file(_ name: String) throws -> (path: String, data: Data) {
            let file = (path as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw HarnessError("\(file): missing (a tunnel-map folder holds \(TunnelMap.cellsFile), "
                    + "\(TunnelMap.comparisonFile) and \(TunnelMap.metadataFile), as bench tunnel-map writes them)")
            }
            return (file, data)
        }
        let json = try file(TunnelMap.metadataFile)
        metadata = try JSONKeys.decode(TunnelMapMetadata.self, from: json.data, path: json.path,
                                       expected: "the \(TunnelMap.metadataFile) bench tunnel-map writes")
        try Self.check(metadata, path: json.path)
        let cellsFile = try file(TunnelMap.cellsFile), comparisonFile = try file(TunnelMap.comparisonFile)
        comparisons = try Self.comparisons(TunnelMap.comparisonColumns.read(comparisonFile.data, path: comparisonFile.path),
                                           metadata, path: comparisonFile.path)
        cells = try Self.cells(TunnelMap.cellColumns.read(cellsFile.data, path: cellsFile.path), metadata,
                               comparisons: comparisons, path: cellsFile.path)
    }

    /// The selection run's escape rate of `method` in the cell (H, w); `nil` when no trial was trapped.
    public func selectionRate(height: Double, width: Double, method: String) -> Double? {
        cells.first { $0.height == height && $0.width == width && $0.optimizer == method && $0.phase == "selection" }?.escapeRate
    }

    /// The selection run's row of `method` in the cell (H, w).
    public func selectionRow(height: Double, width: Double, method: String) -> TunnelCellRow? {
        cells.first { $0.height == height && $0.width == width && $0.optimizer == method && $0.phase == "selection" }
    }

    /// The comparison of the cell (H, w).
    public func comparison(height: Double, width: Double) -> TunnelComparison? {
        comparisons.first { $0.height == height && $0.width == width }
    }

    /// tunnel-map.json's settings within the ranges `bench tunnel-map` accepts.
    static func check(_ metadata: TunnelMapMetadata, path: String) throws {
        func field(_ name: String, _ ok: Bool, _ expected: String) throws {
            if !ok { throw HarnessError("\(path): '\(name)' is not \(expected)") }
        }
        let p = metadata.plan
        for (name, grid) in [("plan.heights", p.heights), ("plan.widths", p.widths)] {
            try field(name, !grid.isEmpty && grid.allSatisfy { $0.isFinite && $0 > 0 } && Set(grid).count == grid.count,
                      "a list of distinct finite numbers > 0")
        }
        try field("plan.dimension", p.dimension >= 1, "a whole number ≥ 1")
        try field("plan.trials", p.trials >= 1, "a whole number ≥ 1")
        try field("plan.threads", p.threads >= 1, "a whole number ≥ 1")
        try field("plan.budget", p.budget.isFinite && p.budget > 0, "a finite number > 0")
        try field("bound", metadata.plan.bound.isFinite && metadata.plan.bound > 0, "a finite number > 0")
        try field("plan.asymmetry", p.asymmetry.isFinite && p.asymmetry >= 0, "a finite number ≥ 0")
        try field("plan.alpha", p.alpha > 0 && p.alpha < 1, "a number in (0, 1)")
        try field("plan.candidate", !p.candidate.isEmpty, "a method's name")
        try field("plan.classical", !p.classical.isEmpty && Set(p.classical).count == p.classical.count && !p.classical.contains(p.candidate),
                  "a list of distinct methods other than the candidate")
    }

    /// The cell a row names, checked to be one of the plan's.
    static func cell<Row>(_ record: Columns<Row>.Record, _ m: TunnelMapMetadata) throws -> (height: Double, width: Double) {
        let height = try record.number("height"), width = try record.number("width")
        guard m.plan.heights.contains(height) else { throw record.refused("height", expected: "one of the heights of \(TunnelMap.metadataFile)") }
        guard m.plan.widths.contains(width) else { throw record.refused("width", expected: "one of the widths of \(TunnelMap.metadataFile)") }
        return (height, width)
    }

    /// A number in [0, 1], or (when `optional`) empty.
    static func rate<Row>(_ record: Columns<Row>.Record, _ name: String, optional: Bool = false) throws -> Double? {
        let value = optional ? record.optionalNumber(name) : try record.number(name)
        if let value, !(value >= 0 && value <= 1) {
            throw record.refused(name, expected: "a number in [0, 1]\(optional ? " or empty" : "")")
        }
        return value
    }

    static func count<Row>(_ record: Columns<Row>.Record, _ name: String) throws -> Int {
        let value = try record.whole(name)
        guard value >= 0 else { throw record.refused(name, expected: "a whole number ≥ 0") }
        return value
    }

    static func comparisons(_ records: [Columns<TunnelComparison>.Record], _ m: TunnelMapMetadata,
                            path: String) throws -> [TunnelComparison] {
        var seen = [[Double]: Int]()
        let rows = try records.map { record -> TunnelComparison in
            let (height, width) = try cell(record, m)
            if let first = seen.updateValue(record.line, forKey: [height, width]) {
                throw HarnessError("\(path):\(record.line): the cell of this row appears again (first on line \(first); expected one row per cell)")
            }
            let best = record.text("best_classical")
            guard m.plan.classical.contains(best) else {
                throw record.refused("best_classical", expected: "one of the classical methods of \(TunnelMap.metadataFile)")
            }
            let row = TunnelComparison(
                height: height, width: width, bestClassical: best,
                candidateRate: try rate(record, "candidate_rate")!, classicalRate: try rate(record, "classical_rate")!,
                classicalOnly: try count(record, "classical_only"), candidateOnly: try count(record, "candidate_only"),
                p: try rate(record, "p")!, adjustedP: try rate(record, "p_holm")!, significant: try record.flag("significant"))
            guard try record.number("difference") == row.difference else {
                throw record.refused("difference", expected: "candidate_rate − classical_rate")
            }
            guard row.significant == (row.adjustedP <= m.plan.alpha) else {
                throw record.refused("significant", expected: "true exactly when p_holm ≤ alpha of \(TunnelMap.metadataFile)")
            }
            return row
        }
        if let missing = m.plan.heights.lazy.flatMap({ h in m.plan.widths.lazy.map { [h, $0] } }).first(where: { seen[$0] == nil }) {
            throw HarnessError("\(path): no row for H = \(formatReal(missing[0])), w = \(formatReal(missing[1])) (expected one row per cell)")
        }
        return rows
    }

    static func cells(_ records: [Columns<TunnelCellRow>.Record], _ m: TunnelMapMetadata, comparisons: [TunnelComparison],
                      path: String) throws -> [TunnelCellRow] {
        // The rows a tunnel map writes: every method on the selection run, and the cell's best
        // classical method and the candidate on the comparison run.
        var expected = Set<[String]>()
        for c in comparisons {
            let cell = [CSV.number(c.height), CSV.number(c.width)]
            for method in m.plan.classical + [m.plan.candidate] { expected.insert(cell + [method, "selection"]) }
            for method in [c.bestClassical, m.plan.candidate] { expected.insert(cell + [method, "comparison"]) }
        }
        var seen = [[String]: Int]()
        let rows = try records.map { record -> TunnelCellRow in
            let (height, width) = try cell(record, m)
            let optimizer = record.text("optimizer"), phase = record.text("phase")
            guard phase == "selection" || phase == "comparison" else { throw record.refused("phase", expected: "selection or comparison") }
            let key = [CSV.number(height), CSV.number(width), optimizer, phase]
            guard expected.contains(key) else {
                throw record.refused("optimizer", expected: phase == "selection"
                    ? "the candidate or a classical method of \(TunnelMap.metadataFile)"
                    : "the candidate or the cell's best classical method in \(TunnelMap.comparisonFile)")
            }
            if let first = seen.updateValue(record.line, forKey: key) {
                throw HarnessError("\(path):\(record.line): the cell, method and phase of this row appear again (first on line \(first))")
            }
            let trapped = try count(record, "trapped"), escaped = try count(record, "escaped")
            guard escaped <= trapped else { throw record.refused("escaped", expected: "at most the trapped trials") }
            let row = TunnelCellRow(
                height: height, width: width, optimizer: optimizer, phase: phase, trapped: trapped, escaped: escaped,
                escapeRate: try rate(record, "escape_rate", optional: true), escapeLow: try rate(record, "escape_ci_low", optional: true),
                escapeHigh: try rate(record, "escape_ci_high", optional: true), secondsPerTrial: try record.number("seconds_per_trial"))
            guard (row.escapeRate == nil) == (trapped == 0) else {
                throw record.refused("escape_rate", expected: trapped == 0 ? "empty (no trial was trapped)" : "a rate (trials were trapped)")
            }
            guard row.secondsPerTrial.isFinite && row.secondsPerTrial >= 0 else {
                throw record.refused("seconds_per_trial", expected: "a finite number ≥ 0")
            }
            return row
        }
        if let missing = expected.subtracting(seen.keys).min(by: { $0.lexicographicallyPrecedes($1) }) {
            throw HarnessError("\(path): no \(missing[3]) row for \(missing[2]) at H = \(formatReal(Double(missing[0])!)), "
                + "w = \(formatReal(Double(missing[1])!)) "
                + "(expected a selection row for every method of every cell, and comparison rows for the cell's best classical method and the candidate)")
        }
        return rows
    }
}
