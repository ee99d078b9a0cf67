import Foundation
import Harness
import Landscapes
import Optimizers

/// Builds `report.html`: one self-contained page (inline SVG and CSS, no scripts, nothing
/// fetched) per set of run folders.
public enum ReportPage {
    public static func html(runs: [RunFolder]) throws -> String {
        var sections = [String]()
        for run in runs {
            for landscape in run.metadata.landscapes {
                sections.append(try landscapeSection(run: run, landscape: landscape))
            }
        }
        let meta = runs.map(metadataBlock).joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>TunnelBench report</title>
            <style>
            body { font-family: sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; line-height: 1.45; padding: 0 1rem; }
            h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
            h3 { font-size: 1.05rem; }
            .charts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
            table { border-collapse: collapse; font-size: 0.85rem; margin: 0.8rem 0; }
            th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; }
            th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
            .note { color: #555; font-size: 0.9rem; max-width: 60rem; }
            code { background: #f3f3f3; padding: 0 0.2rem; }
            </style></head><body>
            <h1>TunnelBench report</h1>
            <p class="note">How often each optimizer escapes a local minimum (its <em>trap</em>) to a strictly lower
            basin, how often it reaches the global minimum (<em>success</em>), and at what cost in evaluations. Rates carry
            exact 95% Clopper–Pearson intervals. Every optimizer ran from the same starts with the same budget and its
            documented default parameters unless the run's flags say otherwise (listed below).</p>
            \(sections.joined(separator: "\n"))
            <h2>Runs</h2>
            \(meta)
            </body></html>

            """
    }

    static func escape(_ s: String) -> String { SVG.escape(s) }

    static func landscapeSection(run: RunFolder, landscape: RunMetadata.LandscapeEntry) throws -> String {
        let rows = run.summary.filter { $0["landscape"] == landscape.name }
        let trials = run.trials.filter { $0["landscape"] == landscape.name }
        let optimizers = rows.compactMap { $0["optimizer"] }
        func color(_ optimizer: String) -> Int { optimizers.firstIndex(of: optimizer) ?? 0 }
        func number(_ row: [String: String], _ key: String) -> Double? { row[key].flatMap { Double($0) } }

        let escapeBars = rows.map { row in
            RateBar(label: row["optimizer"] ?? "?", rate: number(row, "escape_rate"), lower: number(row, "escape_ci_low"),
                    upper: number(row, "escape_ci_high"), counts: "\(row["escaped"] ?? "?")/\(row["trapped"] ?? "?")",
                    colorIndex: color(row["optimizer"] ?? ""))
        }
        let successBars = rows.map { row in
            RateBar(label: row["optimizer"] ?? "?", rate: number(row, "success_rate"), lower: number(row, "success_ci_low"),
                    upper: number(row, "success_ci_high"), counts: "\(row["successes"] ?? "?")/\(row["trials"] ?? "?")",
                    colorIndex: color(row["optimizer"] ?? ""))
        }
        let hasOptimum = landscape.optimum != nil
        var charts = [Charts.rateBars(title: "Escape rate", bars: escapeBars)]
        if hasOptimum { charts.append(Charts.rateBars(title: "Success rate", bars: successBars)) }

        func curves(_ column: String, over include: ([String: String]) -> Bool) -> [RuntimeCurve] {
            optimizers.map { name in
                let own = trials.filter { $0["optimizer"] == name && include($0) }
                return RuntimeCurve(label: name, hits: own.compactMap { $0[column].flatMap { Double($0) } },
                                    trials: own.count, colorIndex: color(name))
            }
        }
        charts.append(Charts.runtimeDistribution(
            title: "Escapes by budget spent", xLabel: "evaluations (log scale)",
            curves: curves("evals_to_escape") { $0["trapped"] == "true" }, budget: landscape.budget))
        if hasOptimum {
            charts.append(Charts.runtimeDistribution(
                title: "Successes by budget spent", xLabel: "evaluations (log scale)",
                curves: curves("evals_to_success") { _ in true }, budget: landscape.budget))
        }
        if landscape.dimension == 2 {
            charts.append(try heatMap(run: run, landscape: landscape, color: color))
        }
        let f = landscape.optimum.map { "f* = \(formatReal($0)) (\(landscape.optimumStatus))" } ?? "f* unknown"
        return """
            <h2>\(escape(landscape.name))</h2>
            <p class="note">Family <code>\(escape(landscape.family))</code>\(landscape.parameters.isEmpty ? "" : " (\(escape(landscape.parameters)))"),
            d = \(landscape.dimension), instance \(landscape.instance), \(escape(f)); \(landscape.trials) trials per optimizer from
            <code>\(escape(landscape.start))</code> starts, budget \(formatReal(landscape.budget)) evaluations; escape margin δ =
            \(formatReal(landscape.escapeAbsolute)) + \(formatReal(landscape.escapeRelative))·|f(m0)|, success within
            ε = \(formatReal(landscape.success)) of f*.</p>
            <div class="charts">
            \(charts.joined(separator: "\n"))
            </div>
            \(summaryTable(rows))
            """
    }

    static func heatMap(run: RunFolder, landscape: RunMetadata.LandscapeEntry, color: (String) -> Int) throws -> String {
        var spec = LandscapeSpec(name: landscape.name, family: landscape.family)
        for pair in landscape.parameters.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { spec.parameters[parts[0]] = parts[1] }
        }
        spec.dimension = landscape.dimension
        spec.instance = landscape.instance
        let resolved = try ResolvedLandscape(spec)
        let box = resolved.landscape.domain
        let n = 160
        let values: [[Double]] = (0..<n).map { r in
            (0..<n).map { c in
                let x = [box.lower[0] + (box.upper[0] - box.lower[0]) * (Double(c) + 0.5) / Double(n),
                         box.lower[1] + (box.upper[1] - box.lower[1]) * (Double(r) + 0.5) / Double(n)]
                return resolved.landscape.value(at: x)
            }
        }
        // One traced trial per optimizer (the lowest trial index): its path, and its population
        // snapshots when it has them.
        var paths = [TracePath]()
        let traced = run.traces.filter { $0["landscape"] == landscape.name }
        let byOptimizer = Dictionary(grouping: traced) { $0["optimizer"] ?? "" }
        for optimizer in byOptimizer.keys.sorted(by: { color($0) < color($1) }) {
            let rows = byOptimizer[optimizer]!
            let trial = rows.compactMap { $0["trial"].flatMap { Int($0) } }.min() ?? 0
            let own = rows.filter { $0["trial"] == String(trial) }
            func point(_ row: [String: String]) -> (Double, Double)? {
                let c = (row["point"] ?? "").split(separator: ";").compactMap { Double($0) }
                return c.count == 2 ? (c[0], c[1]) : nil
            }
            let path = own.filter { $0["snapshot"] == "-1" }.compactMap(point)
            if !path.isEmpty {
                // A sampler that jumps across the box (random search) has no trajectory to draw:
                // show its first points as dots instead of a tangle of lines.
                let jumps = zip(path, path.dropFirst()).map { hypot($0.1.0 - $0.0.0, $0.1.1 - $0.0.1) }.sorted()
                let diagonal = hypot(box.upper[0] - box.lower[0], box.upper[1] - box.lower[1])
                let scattered = !jumps.isEmpty && jumps[jumps.count / 2] > 0.2 * diagonal
                let what = optimizer == "piqa" ? " (polymer centroid)" : scattered ? " (points)" : ""
                paths.append(TracePath(label: "\(optimizer), trial \(trial)" + what,
                                       points: scattered ? Array(path.prefix(60)) : path, dots: scattered,
                                       colorIndex: color(optimizer)))
            }
            let snapshots = Set(own.compactMap { $0["snapshot"].flatMap { Int($0) } }.filter { $0 >= 0 }).sorted()
            for k in snapshots {
                let pts = own.filter { $0["snapshot"] == String(k) }.compactMap(point)
                let fraction = TraceRecorder.snapshotFractions[min(k, TraceRecorder.snapshotFractions.count - 1)]
                let opacity = 0.3 + 0.7 * Double(k) / Double(max(snapshots.count - 1, 1))
                paths.append(TracePath(label: "\(optimizer) population at \(Int(fraction * 100))% of budget", points: pts,
                                       dots: true, ring: optimizer == "piqa", opacity: opacity, colorIndex: color(optimizer)))
            }
        }
        let title = paths.isEmpty ? "Landscape (run with --trace N to draw trajectories)" : "Landscape and traced trials"
        return Charts.heatMap(title: title, values: values, xRange: box.lower[0]...box.upper[0],
                              yRange: box.lower[1]...box.upper[1], paths: paths)
    }

    static func summaryTable(_ rows: [[String: String]]) -> String {
        let columns: [(String, String)] = [
            ("optimizer", "optimizer"), ("trials", "trials"), ("trapped", "trapped"), ("escaped", "escaped"),
            ("escape_rate", "escape rate"), ("escape_ci_low", "CI low"), ("escape_ci_high", "CI high"),
            ("successes", "successes"), ("success_rate", "success rate"), ("escape_evals_median", "median evals to escape"),
            ("tts99_escape", "TTS99 escape"), ("aRT_escape", "aRT escape"), ("aRT_success", "aRT success"), ("median_gap", "median gap"), ("failed", "failed"),
            ("evaluations_per_second", "evals/s")]
        func cell(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "—" }
            if text == "inf" { return "∞" }
            guard let v = Double(text) else { return escape(text) }
            if v == v.rounded() && abs(v) < 1e7 { return String(Int(v)) }
            return String(format: abs(v) >= 1e4 || abs(v) < 1e-2 ? "%.3g" : "%.3f", v)
        }
        let head = columns.map { "<th>\(escape($0.1))</th>" }.joined()
        let body = rows.map { row in "<tr>" + columns.map { "<td>\(cell(row[$0.0]))</td>" }.joined() + "</tr>" }
        return "<table><thead><tr>\(head)</tr></thead><tbody>\n\(body.joined(separator: "\n"))\n</tbody></table>"
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
            started \(escape(m.startedAt)), master seed \(m.masterSeed), \(m.threads) threads\(m.gradCost.map { ", gradient cost \(formatReal($0))" } ?? "").
            Arguments: <code>\(escape(m.arguments.joined(separator: " ")))</code></p>
            <ul class="note">\(optimizers.joined(separator: "\n"))</ul>
            """
    }
}
