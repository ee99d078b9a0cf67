import Foundation
import Harness
import Landscapes

/// Draws the tunneling map: one panel of escape rates per method (selection run), and the
/// difference candidate − best classical (comparison run) with its significance. Everything it
/// shows comes from the files of the map's folder (`TunnelMapFolder`).
public enum TunnelMapPage {
    /// The page's file in the map's folder.
    public static let file = "tunnel-map.html"
    static let cell = 56.0

    /// Escape rate per (H, w) for one method, viridis 0…1, the rate written in each cell.
    static func ratePanel(_ svg: inout SVG, x0: Double, y0: Double, title: String, plan: TunnelMapPlan,
                          rate: (Double, Double) -> Double?) {
        svg.text(title, x: x0, y: y0 - 8, size: 13, weight: "bold")
        for (r, h) in plan.heights.reversed().enumerated() {
            for (c, w) in plan.widths.enumerated() {
                let x = x0 + Double(c) * cell, y = y0 + Double(r) * cell
                guard let value = rate(h, w) else {
                    svg.rect(x: x, y: y, width: cell - 2, height: cell - 2, fill: "#eee")
                    continue
                }
                let (red, green, blue) = Palette.viridis(value)
                svg.rect(x: x, y: y, width: cell - 2, height: cell - 2, fill: String(format: "#%02X%02X%02X", red, green, blue),
                         title: "H = \(formatReal(h)), w = \(formatReal(w)): \(NumberFormat.rate(value))")
                svg.text(NumberFormat.rate(value), x: x + cell / 2 - 1, y: y + cell / 2 + 4, anchor: .middle, size: 11,
                         fill: value > 0.6 ? "#222" : "#fff")
            }
        }
        axes(&svg, x0: x0, y0: y0, plan: plan)
    }

    static func axes(_ svg: inout SVG, x0: Double, y0: Double, plan: TunnelMapPlan) {
        let rows = Double(plan.heights.count)
        for (c, w) in plan.widths.enumerated() {
            svg.text(formatReal(w), x: x0 + Double(c) * cell + cell / 2 - 1, y: y0 + rows * cell + 14, anchor: .middle, size: 11)
        }
        svg.text("barrier width w", x: x0 + Double(plan.widths.count) * cell / 2, y: y0 + rows * cell + 30, anchor: .middle, size: 11)
        for (r, h) in plan.heights.reversed().enumerated() {
            svg.text(formatReal(h), x: x0 - 6, y: y0 + Double(r) * cell + cell / 2 + 4, anchor: .end, size: 11)
        }
        svg.text("barrier height H", x: x0 - 34, y: y0 + rows * cell / 2, anchor: .middle, size: 11, rotate: -90)
    }

    /// The figure: rate panels for every method, then the difference panel.
    public static func figure(_ folder: TunnelMapFolder) -> String {
        let plan = folder.metadata.plan
        let methods = plan.classical + [plan.candidate]
        let panelWidth = Double(plan.widths.count) * cell + 80
        let panelHeight = Double(plan.heights.count) * cell + 80
        let columns = min(methods.count + 1, 3)
        let rows = ((methods.count + 1) + columns - 1) / columns
        let title = "Escape rate from the shallow well of a \(plan.dimension)-D double well (selection run, \(plan.trials) trials each)"
        // Wide enough for the title and the footer's lines, measured conservatively.
        let width = max(Double(columns) * panelWidth + 40, SVG.textWidth(title, size: 14, bold: true) + 40,
                        (footer(plan).map { SVG.textWidth($0, size: 11) }.max() ?? 0) + 40)
        var svg = SVG(width: width, height: Double(rows) * panelHeight + 150)
        svg.text(title, x: 20, y: 22, size: 14, weight: "bold")
        for (i, method) in methods.enumerated() {
            let x0 = 70 + Double(i % columns) * panelWidth, y0 = 60 + Double(i / columns) * panelHeight
            ratePanel(&svg, x0: x0, y0: y0, title: method, plan: plan) { h, w in
                folder.selectionRate(height: h, width: w, method: method)
            }
        }
        let k = methods.count
        let x0 = 70 + Double(k % columns) * panelWidth, y0 = 60 + Double(k / columns) * panelHeight
        svg.text("\(plan.candidate) − best classical (fresh trials)", x: x0, y: y0 - 8, size: 13, weight: "bold")
        for (r, h) in plan.heights.reversed().enumerated() {
            for (c, w) in plan.widths.enumerated() {
                guard let cmp = folder.comparison(height: h, width: w) else { continue }
                let x = x0 + Double(c) * cell, y = y0 + Double(r) * cell
                svg.rect(x: x, y: y, width: cell - 2, height: cell - 2, fill: diverging(cmp.difference),
                         title: "H = \(formatReal(h)), w = \(formatReal(w)): \(plan.candidate) \(NumberFormat.rate(cmp.candidateRate))"
                            + " vs \(cmp.bestClassical) \(NumberFormat.rate(cmp.classicalRate)); b/c = \(cmp.classicalOnly)/\(cmp.candidateOnly); "
                            + "Holm-adjusted p = \(NumberFormat.real(cmp.adjustedP))")
                svg.text(signed(cmp.difference) + (cmp.significant ? "*" : ""), x: x + cell / 2 - 1, y: y + cell / 2,
                         anchor: .middle, size: 11, weight: cmp.significant ? "bold" : nil, fill: abs(cmp.difference) > 0.5 ? "#fff" : "#222")
                svg.text(abbreviated(cmp.bestClassical), x: x + cell / 2 - 1, y: y + cell / 2 + 14, anchor: .middle, size: 9,
                         fill: abs(cmp.difference) > 0.5 ? "#fff" : "#444")
            }
        }
        axes(&svg, x0: x0, y0: y0, plan: plan)
        // Colour bars: rates 0…1 on viridis, differences −1…+1 on the diverging map.
        let barY = Double(rows) * panelHeight + 62, barWidth = 200.0
        for (x0, label, ticks, colour) in [
            (20.0, "escape rate", [(0.0, "0"), (0.5, "0.5"), (1.0, "1")], { (t: Double) -> String in
                let (r, g, b) = Palette.viridis(t)
                return String(format: "#%02X%02X%02X", r, g, b)
            }),
            (20.0 + barWidth + 60, "\(plan.candidate) − best classical", [(0.0, "−1"), (0.5, "0"), (1.0, "+1")],
             { (t: Double) -> String in diverging(2 * t - 1) }),
        ] {
            svg.text(label, x: x0, y: barY - 4, size: 11, fill: "#444")
            for k in 0..<50 {
                svg.rect(x: x0 + barWidth * Double(k) / 50, y: barY, width: barWidth / 50 + 0.6, height: 10,
                         fill: colour((Double(k) + 0.5) / 50))
            }
            svg.rect(x: x0, y: barY, width: barWidth, height: 10, fill: "none", stroke: "#333")
            for (t, text) in ticks {
                svg.text(text, x: x0 + barWidth * t, y: barY + 22, anchor: .middle, size: 10)
            }
        }
        let footY = barY + 44
        for (k, line) in footer(plan).enumerated() {
            svg.text(line, x: 20, y: footY + 14 * Double(k), size: 11, fill: "#444")
        }
        return svg.render(label: "Tunneling map: \(plan.candidate) against the best classical method per cell")
    }

    /// The figure's legend lines.
    static func footer(_ plan: TunnelMapPlan) -> [String] {
        ["Colours: rates on viridis (dark 0, yellow 1); differences blue (classical ahead) to orange (\(plan.candidate) ahead).",
         "* = significant, exact McNemar test, Holm-adjusted p ≤ \(formatReal(plan.alpha)); small text: the best classical method of the cell."]
    }

    /// A difference of rates with its sign: +0.100, −0.100, 0.000.
    static func signed(_ v: Double) -> String {
        v > 0 ? "+" + NumberFormat.rate(v) : v < 0 ? "−" + NumberFormat.rate(-v) : NumberFormat.rate(0)
    }

    /// Names longer than 9 characters shortened to fit a cell ("random-s…"); the tooltip has the full name.
    static func abbreviated(_ name: String) -> String {
        name.count <= 9 ? name : String(name.prefix(8)) + "…"
    }

    /// Blue (−1) through white (0) to orange (+1): the Okabe–Ito blue and vermillion, which stay
    /// distinct for colour-blind readers.
    static func diverging(_ v: Double) -> String {
        let t = min(max(v, -1), 1)
        let (r, g, b): (Double, Double, Double) = t < 0 ? (0, 114, 178) : (213, 94, 0)
        let a = abs(t)
        func mix(_ c: Double) -> Int { Int((255 + (c - 255) * a).rounded()) }
        return String(format: "#%02X%02X%02X", mix(r), mix(g), mix(b))
    }

    /// The page with its figure.
    public static func html(_ folder: TunnelMapFolder) -> String { html(folder, figure: figure(folder)) }

    /// The page: what the map is, its outcome, the figure, and each method's time per trial.
    public static func html(_ folder: TunnelMapFolder, figure: String) -> String {
        let plan = folder.metadata.plan, bound = formatReal(folder.metadata.bound)
        let costRows = (plan.classical + [plan.candidate]).map { method -> String in
            let own = folder.cells.filter { $0.optimizer == method && $0.phase == "selection" }
            let mean = own.reduce(0) { $0 + $1.secondsPerTrial } / Double(max(own.count, 1))
            return "<tr><td>\(SVG.escape(method))</td><td>\(NumberFormat.real(mean * 1000)) ms</td></tr>"
        }
        let significant = folder.comparisons.filter(\.significant)
        let better = significant.filter { $0.difference > 0 }.count, worse = significant.filter { $0.difference < 0 }.count
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>TunnelBench tunneling map</title>
            <style>body { font-family: sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; padding: 0 1rem; line-height: 1.45; }
            table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2rem 0.6rem; }
            .note { color: #444; max-width: 60rem; }</style></head><body>
            <h1>Does tunneling help? The tunneling map</h1>
            <p class="note">Each cell is a \(plan.dimension)-D <code>double-well</code> landscape with barrier height H (seen from the deep
            well) and barrier width w (half the distance between the wells), asymmetry \(formatReal(plan.asymmetry)), all in one box
            [−\(bound), \(bound)]<sup>\(plan.dimension)</sup>. Trials start in a non-global minimum; an escape
            is reaching a strictly lower basin. <b>All methods run with their documented defaults</b>, with equal budgets of
            \(formatReal(plan.budget)) evaluations per trial. The best classical method of each cell (among
            \(plan.classical.joined(separator: ", "))) is chosen on one set of seeds (highest escape rate, then highest success rate,
            then lowest median evaluations to escape, then the order listed; never by time); \(plan.candidate) is then compared with it on
            fresh, paired trials by the exact McNemar test, Holm-corrected across the \(folder.comparisons.count) cells at
            α = \(formatReal(plan.alpha)).</p>
            <p class="note"><b>Result:</b> \(plan.candidate) escapes significantly more often than the best classical method in
            \(better) of \(folder.comparisons.count) cells and significantly less often in \(worse).</p>
            \(figure)
            <h2>Wall-clock cost beside the equal evaluation budget</h2>
            <table><tr><th>method</th><th>mean time per trial (selection run)</th></tr>
            \(costRows.joined(separator: "\n"))
            </table>
            </body></html>

            """
    }
}
