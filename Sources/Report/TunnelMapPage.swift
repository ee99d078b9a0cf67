import Foundation
import Harness
import Landscapes
import Optimizers

/// Draws the tunneling map: one panel of escape rates per method (selection run), and the
/// difference candidate − best classical (comparison run) with its significance. Everything it
/// shows comes from the files of the map's folder (`TunnelMapFolder`).
public enum TunnelMapPage {
    /// The page's file in the map's folder.
    public static let file = "tunnel-map.html"
    static let cell = 56.0

    /// Escape rate per (H, w) for one method, viridis 0…1, the rate written in each cell.
    static func ratePanel(_ svg: inout SVG, x0: Double, y0: Double, title: String, plan: TunnelMapPlan,
                          row: (Double, Double) -> TunnelCellRow?) {
        svg.text(title, x: x0, y: y0 - 8, size: 13, weight: "bold")
        for (r, h) in plan.heights.reversed().enumerated() {
            for (c, w) in plan.widths.enumerated() {
                let x = x0 + Double(c) * cell, y = y0 + Double(r) * cell
                guard let found = row(h, w), let value = found.escapeRate else {
                    svg.rect(x: x, y: y, width: cell - 2, height: cell - 2, fill: "#eee")
                    continue
                }
                let (red, green, blue) = Palette.viridis(value)
                let interval = NumberFormat.rate(found.escapeLow) + "–" + NumberFormat.rate(found.escapeHigh)
                svg.rect(x: x, y: y, width: cell - 2, height: cell - 2, fill: String(format: "#%02X%02X%02X", red, green, blue),
                         title: "H = \(formatReal(h)), w = \(formatReal(w)): \(found.escaped)/\(found.trapped) escaped, "
                            + "\(NumberFormat.rate(value)), 95% interval \(interval)")
                let ink = value > 0.6 ? "#222" : "#fff"
                svg.text(NumberFormat.rate(value), x: x + cell / 2 - 1, y: y + cell / 2 - 1, anchor: .middle, size: 12, fill: ink)
                svg.text(interval, x: x + cell / 2 - 1, y: y + cell / 2 + 12, anchor: .middle, size: 8, fill: ink)
            }
        }
        axes(&svg, x0: x0, y0: y0, plan: plan)
    }

    /// A dashed line across a panel at height H, interpolated in log H between the rows (rows run
    /// from the largest H at the top); nothing when H lies outside the grid or the heights are not
    /// increasing.
    static func crossoverLine(_ svg: inout SVG, x0: Double, y0: Double, plan: TunnelMapPlan, height: Double) {
        let heights = plan.heights
        guard heights.count >= 2, zip(heights, heights.dropFirst()).allSatisfy({ $0 < $1 }),
              let upper = heights.firstIndex(where: { $0 >= height }), height >= heights[0] else { return }
        // Row centre of heights[i] is y0 + (n − 1 − i)·cell + cell/2.
        let n = Double(heights.count)
        let index: Double
        if upper == 0 { index = 0 } else {
            let lo = heights[upper - 1], hi = heights[upper]
            index = Double(upper - 1) + log(height / lo) / log(hi / lo)
        }
        let y = y0 + (n - 1 - index) * cell + cell / 2 - 1
        svg.line(x1: x0 - 4, y1: y, x2: x0 + Double(plan.widths.count) * cell + 2, y2: y, stroke: "#d00", width: 2, dash: "6,3")
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
        let crossover = Crossover(folder)
        let methods = plan.classical + [plan.candidate]
        let panelWidth = Double(plan.widths.count) * cell + 80 + (crossover == nil ? 0 : 90)
        let panelHeight = Double(plan.heights.count) * cell + 80
        let columns = min(methods.count + 1, 3)
        let rows = ((methods.count + 1) + columns - 1) / columns
        let title = "Escape rate from the shallow well of a \(plan.dimension)-D double well (selection run, \(plan.trials) trials each)"
        // Wide enough for the title and the footer's lines, measured conservatively.
        let lines = footer(plan, folder: folder, crossover: crossover)
        let width = max(Double(columns) * panelWidth + 40, SVG.textWidth(title, size: 14, bold: true) + 40,
                        (lines.map { SVG.textWidth($0, size: 11) }.max() ?? 0) + 40)
        var svg = SVG(width: width, height: Double(rows) * panelHeight + 120 + 14 * Double(lines.count))
        svg.text(title, x: 20, y: 22, size: 14, weight: "bold")
        for (i, method) in methods.enumerated() {
            let x0 = 70 + Double(i % columns) * panelWidth, y0 = 60 + Double(i / columns) * panelHeight
            ratePanel(&svg, x0: x0, y0: y0, title: method, plan: plan) { h, w in
                folder.selectionRow(height: h, width: w, method: method)
            }
            if let crossover { crossoverLine(&svg, x0: x0, y0: y0, plan: plan, height: crossover.height) }
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
                let ink = abs(cmp.difference) > 0.5 ? "#fff" : "#222"
                svg.text(signed(cmp.difference) + (cmp.significant ? "*" : ""), x: x + cell / 2 - 1, y: y + cell / 2 - 8,
                         anchor: .middle, size: 11, weight: cmp.significant ? "bold" : nil, fill: ink)
                svg.text("p " + NumberFormat.real(cmp.adjustedP), x: x + cell / 2 - 1, y: y + cell / 2 + 4, anchor: .middle, size: 8, fill: ink)
                svg.text(abbreviated(cmp.bestClassical), x: x + cell / 2 - 1, y: y + cell / 2 + 15, anchor: .middle, size: 8,
                         fill: abs(cmp.difference) > 0.5 ? "#fff" : "#444")
            }
        }
        axes(&svg, x0: x0, y0: y0, plan: plan)
        if let crossover {
            crossoverLine(&svg, x0: x0, y0: y0, plan: plan, height: crossover.height)
            // The dimensionless quantities of each row, beside it: they depend on H alone here.
            let right = x0 + Double(plan.widths.count) * cell + 10
            // Beside w: how many barrier widths the polymer's starting spread spans.
            let spreadRow = y0 + Double(plan.heights.count) * cell + 44
            svg.text("r₀/w", x: x0 - 6, y: spreadRow, anchor: .end, size: 10, weight: "bold")
            for (c, w) in plan.widths.enumerated() {
                svg.text(NumberFormat.real(crossover.spread / w), x: x0 + Double(c) * cell + cell / 2 - 1, y: spreadRow,
                         anchor: .middle, size: 10, fill: "#444")
            }
            let below = y0 + Double(plan.heights.count) * cell + 14
            svg.text("H/T₀", x: right, y: below, size: 10, weight: "bold")
            svg.text("S_WKB", x: right + 44, y: below, size: 10, weight: "bold")
            for (r, h) in plan.heights.reversed().enumerated() {
                let e = crossover.exponents(height: h, width: plan.widths[0])
                let y = y0 + Double(r) * cell + cell / 2 + 3
                svg.text(NumberFormat.real(e.boltzmann), x: right, y: y, size: 10, fill: "#444")
                svg.text(NumberFormat.real(e.wkb), x: right + 44, y: y, size: 10, fill: "#444")
            }
        }
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
        for (k, line) in lines.enumerated() {
            svg.text(line, x: 20, y: footY + 14 * Double(k), size: 11, fill: "#444")
        }
        return svg.render(label: "Tunneling map: \(plan.candidate) against the best classical method per cell")
    }

    /// The figure's legend lines.
    static func footer(_ plan: TunnelMapPlan, folder: TunnelMapFolder, crossover: Crossover?) -> [String] {
        var lines = [
            "Colours: rates on viridis (dark 0, yellow 1), each with its exact 95% interval; differences blue (classical ahead) to orange (\(plan.candidate) ahead).",
            "* = significant, exact McNemar test; p = Holm-adjusted p (significant when ≤ \(formatReal(plan.alpha))); small text: the best classical method of the cell.",
            "Box [−\(formatReal(plan.bound)), \(formatReal(plan.bound))]^\(plan.dimension) in every cell, unshifted instance; \(formatReal(plan.budget)) evaluations per trial.",
        ]
        switch plan.calibration {
        case .fixed:
            lines.append("Calibration fixed: the automatic settings of every method measured once on the reference cell H = \(formatReal(plan.referenceHeight)), "
                + "w = \(formatReal(plan.referenceWidth)) and held in every cell, so a taller barrier is taller for every method.")
        case .rescaled:
            lines.append("Calibration rescaled: every trial derives its temperatures (and Γ) from its own cell, so all cells of one width are one problem rescaled.")
        }
        if let crossover {
            lines.append("Red dashed line: H_c = \(NumberFormat.real(crossover.height)), where the crossover temperature √(2Γ|f''_b|)/(2π) equals the "
                + "starting T₀ = \(NumberFormat.real(crossover.temperature)) of \(crossover.method), at the Γ whose free \(crossover.beads)-bead polymer spreads w. In the rows above it")
            lines.append("(T₀ < T_c) tunnelling through the barrier dominates escape, below it (T₀ > T_c) activation over it (quadratic kinetic term). H/T₀: Boltzmann exponent; "
                + "S_WKB: tunnelling exponent from the shallow well at that Γ (both depend on H alone there);")
            lines.append("r₀/w: the starting spread of the polymer (its rms distance from the centroid at T₀ and Γ0) in barrier widths.")
        } else if plan.calibration == .fixed {
            lines.append("No crossover line: \(plan.candidate) is not a ring polymer with the quadratic kinetic term and a calibrated starting temperature.")
        }
        return lines
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

    /// How the methods' automatic settings were set, for the page's opening paragraph.
    static func calibrationText(_ folder: TunnelMapFolder) -> String {
        let plan = folder.metadata.plan
        switch plan.calibration {
        case .fixed:
            return "<b>their automatic settings (temperatures, Γ) measured once</b>, on the reference cell H = \(formatReal(plan.referenceHeight)), "
                + "w = \(formatReal(plan.referenceWidth)) (the median over \(plan.trials) trial starts of each method's own rule), "
                + "<b>and held fixed in every cell</b> (table below): a taller barrier is taller for every method."
        case .rescaled:
            return "<b>rescaled</b>: every trial derives its temperatures (and Γ) from its own cell, as a plain run does. The automatic "
                + "temperature is proportional to H, so every cell of one width is then the same problem rescaled and the H axis measures nothing."
        }
    }

    /// The parameters each method ran with in every cell.
    static func calibrationTable(_ folder: TunnelMapFolder) -> String {
        let rows = folder.metadata.calibrations.map { c in
            "<tr><td>\(SVG.escape(c.optimizer))</td><td>\(c.automaticTemperature.map { NumberFormat.real($0) } ?? "—")</td>"
                + "<td><code>\(SVG.escape(c.parameterText.isEmpty ? "(defaults; nothing automatic)" : c.parameterText))</code></td></tr>"
        }
        guard !rows.isEmpty else { return "" }
        return """
            <h2>Parameters held in every cell</h2>
            <table><tr><th>method</th><th>T_auto on the reference cell (median)</th><th>parameters</th></tr>
            \(rows.joined(separator: "\n"))
            </table>
            """
    }

    /// The page with its figure.
    public static func html(_ folder: TunnelMapFolder) -> String { html(folder, figure: figure(folder)) }

    /// The page: what the map is, its outcome, the figure, and each method's time per trial.
    public static func html(_ folder: TunnelMapFolder, figure: String) -> String {
        let plan = folder.metadata.plan, bound = formatReal(folder.metadata.plan.bound)
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
            is reaching a strictly lower basin. Every cell is the unshifted instance, so two cells differ only in H and w.
            All methods run with their documented defaults, with equal budgets of \(formatReal(plan.budget)) evaluations per
            trial, and \(calibrationText(folder)) The best classical method of each cell (among
            \(plan.classical.joined(separator: ", "))) is chosen on one set of seeds (highest escape rate, then highest success rate,
            then lowest median evaluations to escape, then the order listed; never by time); \(plan.candidate) is then compared with it on
            fresh, paired trials by the exact McNemar test, Holm-corrected across the \(folder.comparisons.count) cells at
            α = \(formatReal(plan.alpha)).</p>
            <p class="note"><b>Result:</b> \(plan.candidate) escapes significantly more often than the best classical method in
            \(better) of \(folder.comparisons.count) cells and significantly less often in \(worse).</p>
            \(figure)
            \(calibrationTable(folder))
            <h2>Wall-clock cost beside the equal evaluation budget</h2>
            <table><tr><th>method</th><th>mean time per trial (selection run)</th></tr>
            \(costRows.joined(separator: "\n"))
            </table>
            </body></html>

            """
    }
}

/// The thermal–quantum crossover of a fixed-calibration map (`BarrierRegime`): the candidate's
/// calibrated starting temperature T₀ and bead count P, Γ_w = the Γ at which its free ring
/// polymer at T₀ has rms spread w, and the height H_c at which the crossover temperature
/// √(2Γ_w|f''_b|)/(2π) equals T₀. With that Γ, T_c/T₀, H/T₀ and the WKB exponent depend on H alone
/// (Γ_w ∝ w² cancels the barrier's 1/w² curvature and its width w), so H_c is one line across
/// every panel. Read from tunnel-map.json's calibration; `nil` for a rescaled map or a candidate
/// that is not a path-integral method with the quadratic kinetic term.
struct Crossover {
    let method: String
    let temperature: Double
    let beads: Int
    let asymmetry: Double
    let height: Double
    /// r₀: the free polymer's rms spread about its centroid at the start (T₀, Γ0).
    let spread: Double

    init?(_ folder: TunnelMapFolder) {
        let plan = folder.metadata.plan
        guard plan.calibration == .fixed,
              let calibration = folder.metadata.calibrations.first(where: { $0.optimizer == plan.candidate }),
              let piqa = (try? OptimizerCatalog.make(plan.candidate, overrides: calibration.parameters)) as? PathIntegralAnnealing,
              piqa.kinetic == .quadratic,
              let t0 = piqa.annealTemperature ? piqa.initialTemperature : piqa.temperature, t0 > 0
        else { return nil }
        method = plan.candidate
        temperature = t0
        beads = piqa.beads
        let p = Double(piqa.beads)
        spread = ((piqa.initialGamma ?? .nan) * (p * p - 1) / (6 * p * p * t0)).squareRoot()
        asymmetry = plan.asymmetry
        // T_c grows as √H: bisect log H over [1e-12, 1e12] for T_c(H) = T₀.
        var lo = -12.0 * log(10), hi = 12.0 * log(10)
        let w = 1.0
        let gamma = BarrierRegime.gamma(spread: w, beads: piqa.beads, temperature: t0)
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            let tc = BarrierRegime(height: exp(mid), width: w, asymmetry: plan.asymmetry).crossoverTemperature(gamma: gamma)
            if tc < t0 { lo = mid } else { hi = mid }
        }
        height = exp(0.5 * (lo + hi))
    }

    /// H/T₀ and the WKB exponent at Γ_w for the cell (H, w).
    func exponents(height h: Double, width w: Double) -> (boltzmann: Double, wkb: Double) {
        let gamma = BarrierRegime.gamma(spread: w, beads: beads, temperature: temperature)
        return (h / temperature, BarrierRegime(height: h, width: w, asymmetry: asymmetry).wkbExponent(gamma: gamma))
    }
}
