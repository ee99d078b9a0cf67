import Foundation

/// One optimizer's rate with its 95% interval, for a bar chart.
public struct RateBar: Sendable {
    public var label: String
    public var rate: Double?
    public var lower: Double?
    public var upper: Double?
    /// "12/50": the counts behind the rate.
    public var counts: String
    public var style: SeriesStyle

    public init(label: String, rate: Double?, lower: Double?, upper: Double?, counts: String, style: SeriesStyle) {
        self.label = label
        self.rate = rate
        self.lower = lower
        self.upper = upper
        self.counts = counts
        self.style = style
    }
}

/// A step curve: the fraction of trials that escaped (or succeeded) by a given budget.
public struct RuntimeCurve: Sendable {
    public var label: String
    /// Budget spent at each trial's first hit (escaped or successful trials only).
    public var hits: [Double]
    /// Trials the fraction is taken over (trapped trials for escape, all for success).
    public var trials: Int
    public var style: SeriesStyle

    public init(label: String, hits: [Double], trials: Int, style: SeriesStyle) {
        self.label = label
        self.hits = hits
        self.trials = trials
        self.style = style
    }

    /// (budget, fraction) corners of the empirical distribution function.
    public var steps: [(Double, Double)] {
        guard trials > 0 else { return [] }
        let sorted = hits.sorted()
        return sorted.enumerated().map { ($0.element, Double($0.offset + 1) / Double(trials)) }
    }

    /// The half-width ε of the simultaneous Dvoretzky–Kiefer–Wolfowitz band at level 1 − α,
    /// with Massart's constant (Ann. Probab. 18, 1269, 1990): P(sup |F̂ − F| > ε) ≤ 2e^{−2nε²}, so
    /// ε = √(ln(2/α) / 2n). The band [F̂ − ε, F̂ + ε] holds the whole distribution function with
    /// probability at least 1 − α, whatever it is.
    public static func dkwHalfWidth(trials: Int, alpha: Double = 0.05) -> Double {
        guard trials > 0 else { return 1 }
        return (log(2 / alpha) / (2 * Double(trials))).squareRoot()
    }
}

/// One panel of a trajectory figure: an optimizer's traced trial on a 2-D landscape.
public struct TrajectoryPanel: Sendable {
    public var title: String
    public var style: SeriesStyle
    /// The recorded path, in order.
    public var path: [(Double, Double)]
    /// Draw the path as separate points (a sampler whose steps jump across the box).
    public var scattered: Bool
    /// Population snapshots, earliest first: each the points of the population then.
    public var snapshots: [[(Double, Double)]]

    public init(title: String, style: SeriesStyle, path: [(Double, Double)], scattered: Bool = false,
                snapshots: [[(Double, Double)]] = []) {
        self.title = title
        self.style = style
        self.path = path
        self.scattered = scattered
        self.snapshots = snapshots
    }
}

/// Values of a 2-D landscape on a grid over its box, for a background.
public struct HeatField: Sendable {
    /// `values[row][col]`, row 0 at the bottom (lowest x₂).
    public var values: [[Double]]
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>

    public init(values: [[Double]], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) {
        self.values = values
        self.xRange = xRange
        self.yRange = yRange
    }
}

public enum Charts {
    /// Horizontal bars of a rate per optimizer, 0 to 1, with the interval as a whisker and the
    /// rate and counts written at the end. Undefined rates show "—". Margins fit the text.
    public static func rateBars(title: String, bars: [RateBar], id: String = "bars") -> String {
        let labelWidth = bars.map { SVG.textWidth($0.label, size: 12) }.max() ?? 0
        let valueTexts = bars.map { bar in bar.rate == nil ? "— (no trials)" : "\(NumberFormat.rate(bar.rate))  (\(bar.counts))" }
        let valueWidth = valueTexts.map { SVG.textWidth($0, size: 11) }.max() ?? 0
        let rowHeight = 24.0, left = 14 + labelWidth, right = 12 + valueWidth, top = 34.0, bottom = 42.0, plotWidth = 240.0
        let caption = "rate (bar) and exact 95% Clopper–Pearson interval (whisker)"
        let width = max(left + plotWidth + right, SVG.textWidth(title, size: 14, bold: true) + left,
                        left + plotWidth / 2 + SVG.textWidth(caption, size: 11) / 2 + 4)
        let height = top + bottom + rowHeight * Double(max(bars.count, 1))
        var svg = SVG(width: width, height: height)
        let axis = Axis(covering: [], start: left, end: left + plotWidth, fixed: 0...1)
        svg.text(title, x: left, y: 20, size: 14, weight: "bold")
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let x = axis.position(tick)
            svg.line(x1: x, y1: top - 4, x2: x, y2: height - bottom + 4, stroke: "#ddd")
            svg.text(Axis.label(tick, kind: .linear), x: x, y: height - bottom + 18, anchor: .middle, size: 11)
        }
        svg.text(caption, x: left + plotWidth / 2, y: height - 6, anchor: .middle, size: 11)
        var hatched = Set<Int>()
        for (i, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(i)
            svg.text(bar.label, x: left - 8, y: y + rowHeight / 2 + 4, anchor: .end, size: 12)
            guard let rate = bar.rate else {
                svg.text(valueTexts[i], x: left + 4, y: y + rowHeight / 2 + 4, size: 11, fill: "#666")
                continue
            }
            let pattern = bar.style.slot / Palette.colors.count % Palette.dashes.count
            var fill = bar.style.color
            if pattern > 0 {
                let patternID = "\(id)-hatch-\(bar.style.slot)"
                if hatched.insert(bar.style.slot).inserted { svg.hatch(id: patternID, color: bar.style.color, kind: pattern) }
                fill = "url(#\(patternID))"
            }
            svg.rect(x: left, y: y + 5, width: axis.position(rate) - left, height: rowHeight - 10, fill: fill,
                     title: "\(bar.label): \(NumberFormat.rate(rate, low: bar.lower, high: bar.upper)) (\(bar.counts))")
            if let lo = bar.lower, let hi = bar.upper {
                let mid = y + rowHeight / 2
                svg.line(x1: axis.position(lo), y1: mid, x2: axis.position(hi), y2: mid, stroke: "#222", width: 1.5)
                svg.line(x1: axis.position(lo), y1: mid - 5, x2: axis.position(lo), y2: mid + 5, stroke: "#222", width: 1.5)
                svg.line(x1: axis.position(hi), y1: mid - 5, x2: axis.position(hi), y2: mid + 5, stroke: "#222", width: 1.5)
            }
            svg.text(valueTexts[i], x: left + plotWidth + 8, y: y + rowHeight / 2 + 4, size: 11)
        }
        return svg.render(label: title)
    }

    /// Runtime distributions in the style of COCO, one small panel per optimizer on shared axes:
    /// the fraction of trials that escaped (or succeeded) within a budget, budget on a log axis,
    /// with the simultaneous 95% DKW band (`RuntimeCurve.dkwHalfWidth`) shaded and the other
    /// optimizers' curves in grey behind.
    public static func runtimeDistribution(title: String, xLabel: String, curves: [RuntimeCurve], budget: Double,
                                           columns: Int = 4) -> String {
        let plotWidth = 190.0, plotHeight = 110.0, panelLeft = 40.0, panelTop = 36.0, panelBottom = 34.0, gap = 18.0
        let columns = max(1, min(columns, curves.count))
        let rows = (curves.count + columns - 1) / max(columns, 1)
        let panelWidth = panelLeft + plotWidth + gap, panelHeight = panelTop + plotHeight + panelBottom
        let width = max(Double(columns) * panelWidth + 10, SVG.textWidth(title, size: 14, bold: true) + 20)
        let height = 30 + Double(max(rows, 1)) * panelHeight + 20
        var svg = SVG(width: width, height: height)
        svg.text(title, x: 10, y: 20, size: 14, weight: "bold")
        let allHits = curves.flatMap(\.hits).filter { $0 > 0 }
        if curves.isEmpty {
            svg.text("no trials", x: width / 2, y: height / 2, anchor: .middle, size: 12, fill: "#666")
            return svg.render(label: title)
        }
        for (i, curve) in curves.enumerated() {
            let x0 = Double(i % columns) * panelWidth + panelLeft, y0 = 30 + Double(i / columns) * panelHeight + panelTop
            let x = Axis(kind: .log10, covering: allHits + [max(budget, 1)], start: x0, end: x0 + plotWidth)
            let y = Axis(covering: [], start: y0 + plotHeight, end: y0, fixed: 0...1)
            let heading = "\(curve.label) (\(curve.hits.count)/\(curve.trials))"
            svg.text(heading, x: x0, y: y0 - 8, size: 11, weight: "bold")
            svg.rect(x: x0, y: y0, width: plotWidth, height: plotHeight, fill: "none", stroke: "#999")
            for tick in x.ticks {
                let px = x.position(tick)
                svg.line(x1: px, y1: y0, x2: px, y2: y0 + plotHeight, stroke: "#eee")
                svg.text(Axis.label(tick, kind: .log10), x: px, y: y0 + plotHeight + 13, anchor: .middle, size: 9)
            }
            for tick in [0.0, 0.5, 1.0] {
                let py = y.position(tick)
                svg.line(x1: x0, y1: py, x2: x0 + plotWidth, y2: py, stroke: "#eee")
                svg.text(Axis.label(tick, kind: .linear), x: x0 - 4, y: py + 3, anchor: .end, size: 9)
            }
            let budgetX = x.position(budget)
            svg.line(x1: budgetX, y1: y0, x2: budgetX, y2: y0 + plotHeight, stroke: "#999", dash: "4 3")
            func stepPoints(_ c: RuntimeCurve, shift: Double = 0) -> [(Double, Double)] {
                func level(_ f: Double) -> Double { y.position(min(max(f + shift, 0), 1)) }
                var points = [(x.start, level(0))]
                var current = 0.0
                for (cost, fraction) in c.steps {
                    let px = x.position(max(cost, x.lower))
                    points.append((px, level(current)))
                    points.append((px, level(fraction)))
                    current = fraction
                }
                points.append((budgetX, level(current)))
                return points
            }
            for other in curves.indices where other != i {
                svg.polyline(stepPoints(curves[other]), stroke: "#c8c8c8", width: 1)
            }
            let epsilon = RuntimeCurve.dkwHalfWidth(trials: curve.trials)
            let upper = stepPoints(curve, shift: epsilon), lower = stepPoints(curve, shift: -epsilon)
            svg.polygon(upper + lower.reversed(), fill: curve.style.color, opacity: 0.2)
            svg.polyline(stepPoints(curve), stroke: curve.style.color, width: 2, dash: curve.style.dash,
                         title: "\(curve.label): \(curve.hits.count)/\(curve.trials); 95% DKW band ±\(NumberFormat.rate(epsilon))")
            if i / columns == rows - 1 || i + columns >= curves.count {
                svg.text(xLabel, x: x0 + plotWidth / 2, y: y0 + plotHeight + 27, anchor: .middle, size: 10, fill: "#444")
            }
        }
        return svg.render(label: title)
    }

    /// Small multiples of traced trials on a 2-D landscape: one panel per optimizer over the same
    /// heat map (colour ∝ log(1 + f − min f) on viridis, with its colour bar in values of f), the
    /// global minima marked ✕, each path from ○ to ●, population snapshots as dots (fainter =
    /// earlier). Without a field the panels are drawn on white and without a colour bar.
    public static func trajectories(title: String, field: HeatField?, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                                    minima: [(Double, Double)], panels: [TrajectoryPanel], symbol: String = "f",
                                    id: String = "map", columns: Int = 4) -> String {
        let spanX = xRange.upperBound - xRange.lowerBound, spanY = yRange.upperBound - yRange.lowerBound
        let side = 190.0
        let plotWidth = spanX >= spanY ? side : side * spanX / spanY
        let plotHeight = spanY >= spanX ? side : side * spanY / spanX
        let titleWidth = panels.map { SVG.textWidth($0.title, size: 11, bold: true) }.max() ?? 0
        let panelLeft = 40.0, panelTop = 30.0, panelBottom = 40.0, gap = 16.0
        let panelWidth = panelLeft + max(plotWidth, titleWidth) + gap, panelHeight = panelTop + plotHeight + panelBottom
        let columns = max(1, min(columns, panels.count))
        let rows = (panels.count + columns - 1) / columns
        // The colour bar and its tick labels (values of f) to the right of the grid.
        let barX = Double(columns) * panelWidth + 16
        var barTicks = [(Double, String)]()
        var pixels = [(UInt8, UInt8, UInt8)]()
        var lo = 0.0, scale = 1.0
        if let field {
            let finite = field.values.flatMap { $0 }.filter(\.isFinite)
            lo = finite.min() ?? 0
            scale = log1p(max((finite.max() ?? 1) - lo, 1e-300))
            for r in field.values.indices.reversed() {  // PNG rows run top to bottom
                for v in field.values[r] { pixels.append(v.isFinite ? Palette.viridis(log1p(v - lo) / scale) : (255, 255, 255)) }
            }
            barTicks = [0.0, 0.25, 0.5, 0.75, 1.0].map { t in (t, NumberFormat.real(lo + expm1(t * scale))) }
        }
        let barLabel = "\(symbol) (colour ∝ log(1 + \(symbol) − min \(symbol)))"
        let barWidth = field == nil ? 0 : 14 + 8 + (barTicks.map { SVG.textWidth($0.1, size: 10) }.max() ?? 0) + 24
        let legend = ["○ start   ● end of the path   ✕ global minimum",
                      "dots: population snapshots, fainter = earlier"]
        let legendWidth = legend.map { SVG.textWidth($0, size: 10) }.max() ?? 0
        let width = max(barX + barWidth, SVG.textWidth(title, size: 14, bold: true) + 20, legendWidth + 20)
        let gridHeight = Double(rows) * panelHeight
        let height = 30 + max(gridHeight, field == nil ? 0 : plotHeight + 80) + 36
        var svg = SVG(width: width, height: height)
        svg.text(title, x: 10, y: 20, size: 14, weight: "bold")
        let cols = field?.values.first?.count ?? 0, rowCount = field?.values.count ?? 0
        let imageID = "\(id)-field"
        if rowCount > 0 && cols > 0 {
            svg.defineImage(id: imageID, width: plotWidth, height: plotHeight,
                            dataURI: PNG.dataURI(width: cols, height: rowCount, pixels: pixels))
        }
        for (i, panel) in panels.enumerated() {
            let x0 = Double(i % columns) * panelWidth + panelLeft, y0 = 30 + Double(i / columns) * panelHeight + panelTop
            svg.text(panel.title, x: x0, y: y0 - 8, size: 11, weight: "bold")
            if rowCount > 0 && cols > 0 { svg.use(imageID, x: x0, y: y0) }
            let x = Axis(covering: [], start: x0, end: x0 + plotWidth, fixed: xRange)
            let y = Axis(covering: [], start: y0 + plotHeight, end: y0, fixed: yRange)
            svg.rect(x: x0, y: y0, width: plotWidth, height: plotHeight, fill: "none", stroke: "#333")
            let xTicks = Axis(covering: [xRange.lowerBound, xRange.upperBound], start: 0, end: 1).ticks.filter(xRange.contains)
            for tick in xTicks {
                svg.text(Axis.label(tick, kind: .linear), x: x.position(tick), y: y0 + plotHeight + 13, anchor: .middle, size: 9)
            }
            let yTicks = Axis(covering: [yRange.lowerBound, yRange.upperBound], start: 0, end: 1).ticks.filter(yRange.contains)
            for tick in yTicks {
                svg.text(Axis.label(tick, kind: .linear), x: x0 - 4, y: y.position(tick) + 3, anchor: .end, size: 9)
            }
            svg.text("x₁", x: x0 + plotWidth / 2, y: y0 + plotHeight + 27, anchor: .middle, size: 10, fill: "#444")
            svg.text("x₂", x: x0 - 28, y: y0 + plotHeight / 2 + 3, anchor: .middle, size: 10, fill: "#444")
            let color = panel.style.color
            for (k, snapshot) in panel.snapshots.enumerated() {
                let opacity = 0.3 + 0.7 * Double(k) / Double(max(panel.snapshots.count - 1, 1))
                for p in snapshot {
                    svg.circle(cx: x.position(p.0), cy: y.position(p.1), r: 2.5, fill: color, stroke: "white", opacity: opacity)
                }
            }
            let pts = panel.path.map { (x.position($0.0), y.position($0.1)) }
            if panel.scattered {
                for p in pts { svg.circle(cx: p.0, cy: p.1, r: 2.2, fill: color, stroke: "white") }
            } else {
                svg.polyline(pts, stroke: "white", width: 3.5)
                svg.polyline(pts, stroke: color, width: 2, dash: panel.style.dash, title: panel.title)
            }
            if let first = pts.first { svg.circle(cx: first.0, cy: first.1, r: 4, fill: "white", stroke: color) }
            if let last = pts.last { svg.circle(cx: last.0, cy: last.1, r: 4, fill: color, stroke: "white") }
            for m in minima where xRange.contains(m.0) && yRange.contains(m.1) {
                let mx = x.position(m.0), my = y.position(m.1)
                for (stroke, w) in [("white", 4.0), ("#C00000", 2.0)] {
                    svg.line(x1: mx - 5, y1: my - 5, x2: mx + 5, y2: my + 5, stroke: stroke, width: w)
                    svg.line(x1: mx - 5, y1: my + 5, x2: mx + 5, y2: my - 5, stroke: stroke, width: w)
                }
            }
        }
        if field != nil {
            let top = 30 + panelTop, barHeight = plotHeight
            for k in 0..<64 {
                let t = 1 - (Double(k) + 0.5) / 64
                let (r, g, b) = Palette.viridis(t)
                svg.rect(x: barX, y: top + barHeight * Double(k) / 64, width: 14, height: barHeight / 64 + 0.6,
                         fill: String(format: "#%02X%02X%02X", r, g, b))
            }
            svg.rect(x: barX, y: top, width: 14, height: barHeight, fill: "none", stroke: "#333")
            for (t, text) in barTicks {
                let py = top + barHeight * (1 - t)
                svg.line(x1: barX + 14, y1: py, x2: barX + 18, y2: py, stroke: "#333")
                svg.text(text, x: barX + 21, y: py + 3.5, size: 10)
            }
            svg.text(barLabel, x: barX + barWidth - 6, y: top + barHeight / 2, anchor: .middle, size: 10, rotate: -90, fill: "#444")
        }
        for (k, line) in legend.enumerated() {
            svg.text(line, x: 10, y: height - 22 + 13 * Double(k), size: 10, fill: "#444")
        }
        return svg.render(label: title)
    }
}
