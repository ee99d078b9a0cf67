import Foundation
import Optimizers

/// The aligned text table `bench run` prints: one row per (landscape, optimizer).
public enum SummaryTable {
    public static let header = ["landscape", "d", "optimizer", "trapped", "escape rate [95% CI]",
                                "success rate [95% CI]", "evals to escape (median)", "TTS99 escape",
                                "aRT escape", "aRT success", "median gap", "failed"]

    public static func render(_ rows: [SummaryRow]) -> String {
        // Classifier landscapes add the median training loss and accuracy; other tables are unchanged.
        let training = rows.contains { $0.medianTrainingAccuracy != nil }
        // Ising landscapes with E* known add the final state's columns; external samplers, the accounting.
        let final = rows.contains { $0.finalSuccess != nil }
        let declared = rows.contains { $0.budgetDeclared }
        let body = rows.map { row in
            [row.landscape, String(row.dimension), row.optimizer, String(row.trapped),
             rate(row.escape), rate(row.success), count(row.escapeEvalsMedian), count(row.tts99Escape?.value),
             count(row.averageRuntimeEscape?.value), count(row.averageRuntimeSuccess?.value), gap(row.medianGap),
             String(row.failed)]
                + (training ? [gap(row.medianBestValue), accuracy(row.medianTrainingAccuracy)] : [])
                + (final ? [rate(row.finalSuccess), gap(row.medianFinalGap)] : [])
                + (declared ? [row.budgetDeclared ? "declared" : "counted"] : [])
        }
        return align([header + (training ? ["median training loss", "median training accuracy"] : [])
                      + (final ? ["final at optimum [95% CI]", "median final gap"] : []) + (declared ? ["budget accounting"] : [])] + body)
    }

    /// The rows' reported diagnostics (pt's swap acceptance per neighbour pair), one line per row
    /// and name after a heading; empty when no row reported any.
    public static func diagnostics(_ rows: [SummaryRow]) -> String {
        let lines = rows.flatMap { row in
            row.diagnostics.map { d in
                [row.landscape, row.optimizer, d.name, d.values.map { $0.isFinite ? String(format: "%.3f", $0) : "—" }.joined(separator: " ")]
            }
        }
        guard !lines.isEmpty else { return "" }
        return "diagnostics, the mean over each row's trials that did not fail (swap-acceptance: per neighbour pair of the ladder; temperatures: the ladder; both hottest first)\n"
            + align([["landscape", "optimizer", "diagnostic", "values"]] + lines, leftAligned: [0, 1, 2, 3])
    }

    static func accuracy(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.3f", value)
    }

    /// "0.42 [0.32, 0.52]"; "—" when undefined. Each number as `probability` prints it, so a small
    /// bound shows: "0.00 [0.00, 0.0018]".
    static func rate(_ p: Proportion?) -> String {
        guard let p, let r = p.rate else { return "—" }
        let values = [r, p.lower, p.upper]
        guard values.allSatisfy(\.isFinite) else { return "\(probability(r)) [\(probability(p.lower)), \(probability(p.upper))]" }
        // One precision for the whole cell: enough that no value other than 0 or 1 prints as 0 or 1,
        // and, up to four decimals, that values that differ print differently (at n = 2000,
        // 0.99 [0.99, 0.99] becomes 0.990 [0.985, 0.994]).
        var places = values.map(decimals).max()!
        func text(_ x: Double) -> String { String(format: "%.\(places)f", x) }
        while places < 4 && Set(values).count > Set(values.map(text)).count { places += 1 }
        return "\(text(r)) [\(text(p.lower)), \(text(p.upper))]"
    }

    /// A number in [0, 1] to two decimals, with more where two would round a value other than 0 or
    /// 1 to "0.00" or "1.00": then two significant digits of x (near 0) or of 1 − x (near 1), as
    /// in 0.0018 and 0.99963. Exactly 0 and 1 print as "0.00" and "1.00"; NaN as "nan".
    static func probability(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : String(x) }
        return String(format: "%.\(decimals(x))f", x)
    }

    /// The decimals `probability` prints `x` with: 2, or two significant digits of min(x, 1 − x)
    /// when that is below 0.005 and not 0.
    static func decimals(_ x: Double) -> Int {
        let distance = min(x, 1 - x)
        guard distance > 0, distance < 0.005 else { return 2 }
        // The first significant digit of the distance is at decimal place −floor(log10 d); one more.
        return max(2, Int((-log10(distance)).rounded(.up)) + 1)
    }

    /// A cost rounded to a whole number (three significant digits from 10⁶); "∞"; "nan" for NaN,
    /// which has no whole number.
    static func count(_ value: Double?) -> String {
        guard let value else { return "—" }
        if value.isNaN { return "nan" }
        if value == .infinity { return "∞" }
        if value >= 1e6 { return String(format: "%.3g", value) }
        return String(Int(value.rounded()))
    }

    static func gap(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.3g", value)
    }

    /// Left-aligns text columns and right-aligns the rest, two spaces apart.
    static func align(_ table: [[String]], leftAligned: Set<Int> = [0, 2]) -> String {
        let widths = table[0].indices.map { c in table.map { $0[c].count }.max() ?? 0 }
        return table.map { row in
            row.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - row[c].count)
                return leftAligned.contains(c) ? row[c] + pad : pad + row[c]
            }.joined(separator: "  ").droppingTrailingSpaces
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The text without the spaces padding its end, in one backward scan (a regular expression
    /// such as `\s+$` retries from every space of a long run, quadratic in a wide column).
    var droppingTrailingSpaces: String {
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: " ") { end = utf8.index(before: end) }
        return String(self[..<end])
    }
}
