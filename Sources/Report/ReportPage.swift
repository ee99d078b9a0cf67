import Foundation
import Harness

/// Builds `report.html`: one self-contained page (inline SVG and CSS, no scripts, nothing
/// fetched) per set of run folders. Everything on it comes from the folders' files; the one
/// exception is the background of a 2-D landscape's trajectory figure, which the run does not
/// write and which is drawn by evaluating the landscape run.json names (the figure is drawn on
/// white when this build cannot make it).
public enum ReportPage {
    public static func html(runs: [RunFolder]) throws -> String {
        // One style per label for the whole page: the same optimizer looks the same in every section.
        let styles = Palette.styles(for: runs.flatMap { $0.metadata.optimizers.flatMap { $0.map(\.label) } })
        var sections = [String]()
        for run in runs {
            for landscape in run.metadata.landscapes {
                sections.append(landscapeSection(run: run, landscape: landscape, index: sections.count, styles: styles))
            }
        }
        let ensembles = runs.map(ensembleSection).filter { !$0.isEmpty }
        sections.insert(contentsOf: ensembles, at: 0)
        let meta = runs.map(metadataBlock).joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>TunnelBench report</title>
            <style>
            body { font-family: sans-serif; margin: 2rem auto; max-width: 1240px; color: #222; line-height: 1.45; padding: 0 1rem; }
            h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; overflow-wrap: anywhere; }
            h3 { font-size: 1.05rem; overflow-wrap: anywhere; }
            .charts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
            figure { margin: 0.8rem 0; } figcaption { color: #555; font-size: 0.85rem; max-width: 62rem; }
            svg { max-width: 100%; height: auto; }
            table { border-collapse: collapse; font-size: 0.8rem; margin: 0.8rem 0; font-variant-numeric: tabular-nums; }
            th, td { border: 1px solid #ccc; padding: 0.2rem 0.4rem; text-align: right; }
            th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; white-space: nowrap; }
            td .ci { display: block; white-space: nowrap; color: #555; }
            td.name, th.name { text-align: left; white-space: nowrap; }
            .note { color: #555; font-size: 0.9rem; max-width: 62rem; overflow-wrap: anywhere; }
            code { background: #f3f3f3; padding: 0 0.2rem; }
            </style></head><body>
            <h1>TunnelBench report</h1>
            <p class="note">How often each optimizer escapes a local minimum (its <em>trap</em>) to a strictly lower
            basin, how often it reaches the global minimum (<em>success</em>), and at what cost in evaluations. Rates carry
            exact 95% Clopper–Pearson intervals, written <i>rate</i> [<i>low</i>, <i>high</i>]; rates have three decimals,
            other measured numbers three significant digits, counts are exact. Every optimizer ran from the same starts with
            the same budget and its documented default parameters unless the run's flags say otherwise (listed below), and
            keeps one colour and line style on the whole page.</p>
            \(sections.joined(separator: "\n"))
            <h2>Runs</h2>
            \(meta)
            </body></html>

            """
    }

    static func escape(_ s: String) -> String { SVG.escape(s) }

    static func landscapeSection(run: RunFolder, landscape: RunMetadata.LandscapeEntry, index: Int,
                                 styles: [String: SeriesStyle]) -> String {
        let rows = run.summary.filter { $0["landscape"] == landscape.name }
        let trials = run.trials.filter { $0["landscape"] == landscape.name }
        let optimizers = rows.compactMap { $0["optimizer"] }
        let words = run.words(for: landscape)
        func style(_ optimizer: String) -> SeriesStyle { styles[optimizer] ?? SeriesStyle(slot: 0) }
        func number(_ row: [String: String], _ key: String) -> Double? { row[key].flatMap { Double($0) } }

        let escapeBars = rows.map { row in
            RateBar(label: row["optimizer"] ?? "?", rate: number(row, "escape_rate"), lower: number(row, "escape_ci_low"),
                    upper: number(row, "escape_ci_high"), counts: "\(row["escaped"] ?? "?")/\(row["trapped"] ?? "?")",
                    style: style(row["optimizer"] ?? ""))
        }
        let successBars = rows.map { row in
            RateBar(label: row["optimizer"] ?? "?", rate: number(row, "success_rate"), lower: number(row, "success_ci_low"),
                    upper: number(row, "success_ci_high"), counts: "\(row["successes"] ?? "?")/\(row["trials"] ?? "?")",
                    style: style(row["optimizer"] ?? ""))
        }
        let hasOptimum = landscape.optimum != nil
        var bars = [Charts.rateBars(title: "Escape rate", bars: escapeBars, id: "s\(index)-escape")]
        if hasOptimum { bars.append(Charts.rateBars(title: "Success rate", bars: successBars, id: "s\(index)-success")) }

        // A declared spend (external samplers that return final states) has no hitting times to draw.
        let declared = rows.filter { $0["budget_accounting"] == "declared" }.compactMap { $0["optimizer"] }
        if hasOptimum && rows.contains(where: { number($0, "final_success_rate") != nil }) {
            let finalBars = rows.map { row in
                RateBar(label: row["optimizer"] ?? "?", rate: number(row, "final_success_rate"),
                        lower: number(row, "final_success_ci_low"), upper: number(row, "final_success_ci_high"),
                        counts: "\(row["final_successes"] ?? "?")/\(row["trials"] ?? "?")", style: style(row["optimizer"] ?? ""))
            }
            bars.append(Charts.rateBars(title: "Final state at the optimum", bars: finalBars, id: "s\(index)-final"))
        }
        func curves(_ column: String, over include: ([String: String]) -> Bool) -> [RuntimeCurve] {
            optimizers.filter { !declared.contains($0) }.map { name in
                let own = trials.filter { $0["optimizer"] == name && include($0) }
                return RuntimeCurve(label: name, hits: own.compactMap { $0[column].flatMap { Double($0) } },
                                    trials: own.count, style: style(name))
            }
        }
        let bandCaption = "Each panel: the fraction of trials that had %@ by the budget spent (log axis; dashed line: the budget), "
            + "with the simultaneous 95% Dvoretzky–Kiefer–Wolfowitz band (Massart's constant): the shaded band holds the whole "
            + "distribution function with probability at least 0.95, half-width √(ln(2/0.05)/2n) for n trials (n in brackets). "
            + "Grey: the other optimizers' curves."
            + (declared.isEmpty ? "" : " Not drawn: \(declared.joined(separator: ", ")), whose spend is declared by the program "
                + "(final states only, so no hitting times).")
        var figures = [figure(Charts.runtimeDistribution(
            title: "Escapes by budget spent (trapped trials)", xLabel: "evaluations",
            curves: curves("evals_to_escape") { $0["trapped"] == "true" }, budget: landscape.budget),
            caption: String(format: bandCaption, "escaped their trap"))]
        if hasOptimum {
            figures.append(figure(Charts.runtimeDistribution(
                title: "Successes by budget spent (all trials)", xLabel: "evaluations",
                curves: curves("evals_to_success") { _ in true }, budget: landscape.budget),
                caption: String(format: bandCaption, "come within ε of \(words.optimum)")))
        }
        if landscape.dimension == 2 && run.kind(of: landscape) == .continuous {
            figures.append(trajectoryFigure(run: run, landscape: landscape, optimizers: optimizers, style: style,
                                            words: words, id: "s\(index)"))
        }
        let f = landscape.optimum.map { "\(words.optimum) = \(NumberFormat.real($0)) (\(landscape.optimumStatus))" }
            ?? "\(words.optimum) unknown"
        return """
            <h2>\(escape(landscape.name))</h2>
            <p class="note">Family <code>\(escape(landscape.family))</code>\(landscape.parameters.isEmpty ? "" : " (\(escape(landscape.parameters)))"),
            \(run.kind(of: landscape) == .ising ? "N = \(landscape.dimension) spins" : "d = \(landscape.dimension)"),
            instance \(landscape.instance), \(escape(f)); \(landscape.trials) trials per optimizer from
            <code>\(escape(landscape.start))</code> starts, budget \(NumberFormat.count(landscape.budget)) evaluations; escape: a value
            below \(words.symbol)(m₀) − δ with δ = \(NumberFormat.setting(landscape.escapeAbsolute)) + \(NumberFormat.setting(landscape.escapeRelative))·|\(words.symbol)(m₀)|
            for the trap m₀\(hasOptimum ? "; success: within ε = \(NumberFormat.setting(landscape.success)) of \(words.optimum)" : "; no success rate without a known optimum").</p>
            <div class="charts">
            \(bars.joined(separator: "\n"))
            </div>
            \(figures.joined(separator: "\n"))
            \(summaryTable(rows, words: words, hasOptimum: hasOptimum))
            """
    }

    static func figure(_ svg: String, caption: String) -> String {
        "<figure>\n\(svg)\n<figcaption>\(escape(caption))</figcaption>\n</figure>"
    }

    /// The traced trials of a 2-D landscape, one panel per optimizer (its lowest traced trial),
    /// from traces.csv; snapshot times from its `spent` column.
    static func trajectoryFigure(run: RunFolder, landscape: RunMetadata.LandscapeEntry, optimizers: [String],
                                 style: (String) -> SeriesStyle, words: ValueWords, id: String) -> String {
        let background = LandscapeBackground(landscape, run: run)
        let traced = run.traces.filter { $0["landscape"] == landscape.name }
        let byOptimizer = Dictionary(grouping: traced) { $0["optimizer"] ?? "" }
        func point(_ row: [String: String]) -> (Double, Double)? {
            let c = (row["point"] ?? "").split(separator: ";").compactMap { Double($0) }
            return c.count == 2 ? (c[0], c[1]) : nil
        }
        // The box: the landscape's when it can be made here, else the extent of every traced point.
        let allPoints = traced.compactMap(point)
        let xs = allPoints.map(\.0), ys = allPoints.map(\.1)
        let xRange = background?.field.xRange ?? ((xs.min() ?? 0)...(max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9)))
        let yRange = background?.field.yRange ?? ((ys.min() ?? 0)...(max(ys.max() ?? 1, (ys.min() ?? 0) + 1e-9)))
        let diagonal = hypot(xRange.upperBound - xRange.lowerBound, yRange.upperBound - yRange.lowerBound)
        var panels = [TrajectoryPanel]()
        var fractions = Set<Int>()
        for optimizer in optimizers {
            guard let rows = byOptimizer[optimizer] else { continue }
            let trial = rows.compactMap { $0["trial"].flatMap { Int($0) } }.min() ?? 0
            let own = rows.filter { $0["trial"] == String(trial) }
            let path = own.filter { $0["snapshot"] == "-1" }.compactMap(point)
            // A sampler that jumps across the box (random search) has no trajectory to draw: its
            // first points are shown as dots instead of a tangle of lines.
            let jumps = zip(path, path.dropFirst()).map { hypot($0.1.0 - $0.0.0, $0.1.1 - $0.0.1) }.sorted()
            let scattered = !jumps.isEmpty && jumps[jumps.count / 2] > 0.2 * diagonal
            let snapshotIndices = Set(own.compactMap { $0["snapshot"].flatMap { Int($0) } }.filter { $0 >= 0 }).sorted()
            let snapshots = snapshotIndices.map { k in own.filter { $0["snapshot"] == String(k) }.compactMap(point) }
            for k in snapshotIndices {
                if let spent = own.first(where: { $0["snapshot"] == String(k) })?["spent"].flatMap(Double.init) {
                    fractions.insert(Int((100 * spent / landscape.budget).rounded()))
                }
            }
            panels.append(TrajectoryPanel(title: "\(optimizer), trial \(trial)" + (scattered ? " (first points)" : ""),
                                          style: style(optimizer), path: scattered ? Array(path.prefix(60)) : path,
                                          scattered: scattered, snapshots: snapshots))
        }
        if panels.isEmpty {
            return "<p class=\"note\">No traced trials: run with <code>--trace N</code> to draw the first N trials' paths.</p>"
        }
        let svg = Charts.trajectories(title: "Landscape and traced trials", field: background?.field, xRange: xRange,
                                      yRange: yRange, minima: background?.minima ?? [], panels: panels,
                                      symbol: words.symbol, id: id)
        let snapshotText = fractions.isEmpty ? "" : " Dots: the population at "
            + fractions.sorted().map { "\($0)%" }.joined(separator: ", ") + " of the budget (fainter = earlier)."
        let caption = "One panel per optimizer: the path its lowest traced trial records, from its start (○) to its last "
            + "point (●)." + snapshotText + " ✕: the landscape's known global minima."
            + (background == nil ? " No background: this build cannot evaluate the landscape."
                : " Background: \(words.symbol) on a 160 × 160 grid, colour bar in values of \(words.symbol).")
        return figure(svg, caption: caption)
    }

    /// The summary rows as a table in the page's number format, with the intervals beside their
    /// estimates and the gap named for the landscape's kind. Columns that hold nothing on this
    /// landscape (success on a landscape without a known optimum, training accuracy off a
    /// network) are left out.
    static func summaryTable(_ rows: [[String: String]], words: ValueWords, hasOptimum: Bool) -> String {
        func number(_ row: [String: String], _ key: String) -> Double? {
            guard let text = row[key], !text.isEmpty else { return nil }
            return Double(text)
        }
        typealias Column = (title: String, cell: ([String: String]) -> String)
        func count(_ key: String) -> ([String: String]) -> String { { NumberFormat.count(number($0, key)) } }
        func rate(_ key: String) -> ([String: String]) -> String {
            { estimateCell(NumberFormat.rate(number($0, "\(key)_rate"), low: number($0, "\(key)_ci_low"), high: number($0, "\(key)_ci_high"))) }
        }
        func real(_ key: String) -> ([String: String]) -> String {
            { row in realCell(number(row, key), low: number(row, key + "_low"), high: number(row, key + "_high")) }
        }
        var columns: [Column] = [
            ("optimizer", { escape($0["optimizer"] ?? "?") }), ("trials", count("trials")), ("failed", count("failed")),
            ("trapped", count("trapped")), ("escaped", count("escaped")), ("escape rate [95% CI]", rate("escape")),
        ]
        if hasOptimum { columns += [("successes", count("successes")), ("success rate [95% CI]", rate("success"))] }
        columns += [
            ("evaluations to escape: median (q1–q3)", { row in
                let median = NumberFormat.real(number(row, "escape_evals_median"))
                guard let q1 = number(row, "escape_evals_q1"), let q3 = number(row, "escape_evals_q3") else { return median }
                return "\(median) <span class=\"ci\">(\(NumberFormat.real(q1))–\(NumberFormat.real(q3)))</span>"
            }),
            ("TTS99 escape [95% CI]", real("tts99_escape")), ("aRT escape [95% CI]", real("aRT_escape")),
        ]
        if hasOptimum {
            columns += [("aRT success [95% CI]", real("aRT_success")), (words.gapColumn, { NumberFormat.real(number($0, "median_gap")) })]
        }
        if rows.contains(where: { number($0, "final_success_rate") != nil }) {
            columns += [("final state at the optimum [95% CI]", rate("final_success")),
                        ("median final " + words.gapColumn.replacingOccurrences(of: "median ", with: ""), {
                            NumberFormat.real(number($0, "median_final_gap")) })]
        }
        if rows.contains(where: { $0["budget_accounting"] == "declared" }) {
            columns.append(("budget", { $0["budget_accounting"] == "declared" ? "declared" : "counted" }))
        }
        if rows.contains(where: { number($0, "median_training_accuracy") != nil }) {
            columns.append(("median training accuracy", { NumberFormat.rate(number($0, "median_training_accuracy")) }))
        }
        columns.append(("evaluations per second", { NumberFormat.real(number($0, "evaluations_per_second")) }))
        let head = columns.map { "<th>\(escape($0.title))</th>" }.joined()
        let body = rows.map { row in "<tr>" + columns.map { "<td>\($0.cell(row))</td>" }.joined() + "</tr>" }
        return """
            <div style="overflow-x: auto"><table><thead><tr>\(head)</tr></thead><tbody>
            \(body.joined(separator: "\n"))
            </tbody></table></div>
            <p class="note">TTS99: evaluations to reach 99% probability of an escape over independent restarts; aRT: the
            average evaluations spent per escape (or success), COCO's expected running time. Intervals: for TTS99, from the
            rate's Clopper–Pearson interval; for aRT, the 2.5% and 97.5% quantiles of 2000 bootstrap resamples of the
            trials. ∞: never within the budget; —: undefined.</p>
            """
    }

    /// A run's ensembles: per ensemble and optimizer, the median over instances of each
    /// instance's success rate, TTS99 and aRT with their intervals, and the 10–90% spread of
    /// success rates (ensemble.csv). Empty without ensemble.csv.
    static func ensembleSection(_ run: RunFolder) -> String {
        guard !run.ensembles.isEmpty else { return "" }
        func row(_ pair: [String: String], _ statistic: String, _ quantile: String) -> [String: String]? {
            run.ensembles.first { $0["ensemble"] == pair["ensemble"] && $0["optimizer"] == pair["optimizer"]
                && $0["statistic"] == statistic && Double($0["quantile"]!) == Double(quantile) }
        }
        func cell(_ r: [String: String]?, rate: Bool) -> String {
            guard let r, let v = Double(r["value"]!) else { return "—" }
            let (lo, hi) = (Double(r["lower"]!), Double(r["upper"]!))
            return rate ? estimateCell(NumberFormat.rate(v, low: lo, high: hi)) : realCell(v, low: lo, high: hi)
        }
        var pairs = [[String: String]]()
        for r in run.ensembles where !pairs.contains(where: { $0["ensemble"] == r["ensemble"] && $0["optimizer"] == r["optimizer"] }) {
            pairs.append(r)
        }
        let body = pairs.map { pair -> String in
            let spread = [row(pair, "success", "0.1"), row(pair, "success", "0.9")]
                .map { $0.flatMap { Double($0["value"]!) }.map { NumberFormat.rate($0) } ?? "—" }.joined(separator: " – ")
            let cells = [escape(pair["ensemble"]!), escape(pair["dimension"]!), escape(pair["optimizer"]!), escape(pair["instances"]!),
                         escape(pair["trials"]!), cell(row(pair, "success", "0.5"), rate: true), spread,
                         cell(row(pair, "tts99", "0.5"), rate: false), cell(row(pair, "aRT", "0.5"), rate: false)]
            return "<tr>" + cells.enumerated().map { $0.offset == 2 ? "<td class=\"name\">\($0.element)</td>" : "<td>\($0.element)</td>" }.joined() + "</tr>"
        }
        let head = ["ensemble", "d or N", "optimizer", "instances", "trials", "success rate: median over instances [95% CI]",
                    "success rate: 10% – 90% of instances", "TTS99 success: median [95% CI]", "aRT success: median [95% CI]"]
        return """
            <h2>Ensembles</h2>
            <div style="overflow-x: auto"><table><thead><tr>\(head.enumerated().map { $0.offset == 2 ? "<th class=\"name\">\(escape($0.element))</th>" : "<th>\(escape($0.element))</th>" }.joined())</tr></thead><tbody>
            \(body.joined(separator: "\n"))
            </tbody></table></div>
            <p class="note">Each instance's success rate, TTS99 and aRT, as its own section below gives them; here their median
            over the ensemble's instances and the spread of success rates. Intervals: 2.5% and 97.5% quantiles of 2000
            bootstrap resamples drawing the instances, then each drawn instance's trials, with replacement (conservative:
            the trials' variation counts twice). ∞: no instance at the median succeeded within the budget.</p>
            """
    }

    /// An estimate with its interval on a second line of the cell, so that a table fits the page.
    static func estimateCell(_ text: String) -> String {
        guard let bracket = text.firstIndex(of: "[") else { return escape(text) }
        return escape(String(text[..<bracket]).trimmingCharacters(in: .whitespaces))
            + " <span class=\"ci\">\(escape(String(text[bracket...])))</span>"
    }

    /// A number with its interval as `estimateCell` shows it; ∞ with the interval [∞, ∞] says
    /// nothing more than ∞.
    static func realCell(_ v: Double?, low: Double?, high: Double?) -> String {
        if let v, v.isInfinite, low == v, high == v { return NumberFormat.real(v) }
        return estimateCell(NumberFormat.real(v, low: low, high: high))
    }

    static func metadataBlock(_ run: RunFolder) -> String {
        let m = run.metadata
        let optimizers = m.optimizers.enumerated().map { l, list in
            "<li><b>\(escape(m.landscapes[l].name))</b>: " + list.map { o in
                "<code>\(escape(o.label))</code>" + (o.parameters.isEmpty ? "" : " (\(escape(o.parameters)))")
            }.joined(separator: ", ") + "</li>"
        }
        return """
            <h3>\(escape(run.path))</h3>
            <p class="note">\(escape(m.tool)) \(escape(m.version))\(m.gitCommit.map { ", commit <code>\(escape($0))</code>" } ?? ""),
            started \(escape(m.startedAt)), master seed \(m.masterSeed), \(m.threads) threads\(m.gradCost.map { ", gradient cost \(NumberFormat.setting($0))" } ?? "").
            Arguments: <code>\(escape(m.arguments.joined(separator: " ")))</code></p>
            <ul class="note">\(optimizers.joined(separator: "\n"))</ul>
            """
    }
}
