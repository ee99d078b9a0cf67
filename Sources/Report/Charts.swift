import Foundation

/// One optimizer's rate with its 95% interval, for a bar chart.
public struct RateBar: Sendable {
    public var label: String
    public var rate: Double?
    public var lower: Double?
    public var upper: Double?
    /// "12/50": the counts behind the rate.
    public var counts: String
    public var colorIndex: Int

    public init(label: String, rate: Double?, lower: Double?, upper: Double?, counts: String, colorIndex: Int) {
        self.label = label
        self.rate = rate
        self.lower = lower
        self.upper = upper
        self.counts = counts
        self.colorIndex = colorIndex
    }
}

/// A step curve: the fraction of trials that escaped (or succeeded) by a given budget.
public struct RuntimeCurve: Sendable {
    public var label: String
    /// Budget spent at each trial's first hit (escaped or successful trials only).
    public var hits: [Double]
    /// Trials the fraction is taken over (trapped trials for escape, all for success).
    public var trials: Int
    public var colorIndex: Int

    public init(label: String, hits: [Double], trials: Int, colorIndex: Int) {
        self.label = label
        self.hits = hits
        self.trials = trials
        self.colorIndex = colorIndex
    }

    /// (budget, fraction) corners of the empirical distribution function.
    public var steps: [(Double, Double)] {
        guard trials > 0 else { return [] }
        let sorted = hits.sorted()
        return sorted.enumerated().map { ($0.element, Double($0.offset + 1) / Double(trials)) }
    }
}

/// A polyline (or a cloud of points) drawn over a heat map.
public struct TracePath: Sendable {
    public var label: String
    public var points: [(Double, Double)]
    /// Draw as separate dots (polymer beads) instead of a connected line.
    public var dots: Bool
    /// Join the dots into a closed ring (a ring polymer's beads).
    public var ring: Bool
    /// 0…1: earlier snapshots are drawn fainter.
    public var opacity: Double
    public var colorIndex: Int

    public init(label: String, points: [(Double, Double)], dots: Bool, ring: Bool = false, opacity: Double = 1, colorIndex: Int) {
        self.label = label
        self.points = points
        self.dots = dots
        self.ring = ring
        self.opacity = opacity
        self.colorIndex = colorIndex
    }
}

public enum Charts {
    /// Horizontal bars of a rate per optimizer, 0 to 1, with the interval as a whisker and the
    /// counts written at the end. Undefined rates show "—".
    public static func rateBars(title: String, bars: [RateBar]) -> String {
        // The left margin fits the longest label (12 px text, about 0.6 em per character).
        let longest = Double(bars.map(\.label.count).max() ?? 0)
        let rowHeight = 26.0, left = max(110, 12 + 7.2 * longest), right = 100.0, top = 34.0, bottom = 40.0, plotWidth = 260.0
        let height = top + bottom + rowHeight * Double(max(bars.count, 1))
        var svg = SVG(width: left + plotWidth + right, height: height)
        let axis = Axis(covering: [], start: left, end: left + plotWidth, fixed: 0...1)
        svg.text(title, x: left, y: 20, size: 14, weight: "bold")
        for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let x = axis.position(tick)
            svg.line(x1: x, y1: top - 4, x2: x, y2: height - bottom + 4, stroke: "#ddd")
            svg.text(Axis.label(tick, kind: .linear), x: x, y: height - bottom + 18, anchor: .middle, size: 11)
        }
        svg.text("rate (bars) with 95% Clopper–Pearson interval (whiskers)", x: left + plotWidth / 2, y: height - 6,
                 anchor: .middle, size: 11)
        for (i, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(i)
            svg.text(bar.label, x: left - 8, y: y + rowHeight / 2 + 4, anchor: .end, size: 12)
            guard let rate = bar.rate else {
                svg.text("— (no trials)", x: left + 4, y: y + rowHeight / 2 + 4, size: 11, fill: "#666")
                continue
            }
            let color = Palette.color(bar.colorIndex)
            svg.rect(x: left, y: y + 5, width: axis.position(rate) - left, height: rowHeight - 10, fill: color,
                     title: "\(bar.label): \(String(format: "%.3f", rate)) (\(bar.counts))")
            if let lo = bar.lower, let hi = bar.upper {
                let mid = y + rowHeight / 2
                svg.line(x1: axis.position(lo), y1: mid, x2: axis.position(hi), y2: mid, stroke: "#222", width: 1.5)
                svg.line(x1: axis.position(lo), y1: mid - 5, x2: axis.position(lo), y2: mid + 5, stroke: "#222", width: 1.5)
                svg.line(x1: axis.position(hi), y1: mid - 5, x2: axis.position(hi), y2: mid + 5, stroke: "#222", width: 1.5)
            }
            svg.text(String(format: "%.2f", rate) + "  (\(bar.counts))", x: left + plotWidth + 8, y: y + rowHeight / 2 + 4, size: 11)
        }
        return svg.render(label: title)
    }

    /// Runtime distributions in the style of COCO: for each optimizer the fraction of trials that
    /// escaped (or succeeded) within a budget, budget on a log axis.
    public static func runtimeDistribution(title: String, xLabel: String, curves: [RuntimeCurve], budget: Double) -> String {
        // The legend fits its longest entry, "label (hits/trials)" in 11 px text.
        let longest = Double(curves.map { "\($0.label) (\($0.hits.count)/\($0.trials))".count }.max() ?? 0)
        let left = 56.0, right = max(170, 52 + 6.6 * longest), top = 34.0, bottom = 48.0, plotWidth = 300.0, plotHeight = 220.0
        var svg = SVG(width: left + plotWidth + right, height: top + plotHeight + bottom)
        let allHits = curves.flatMap(\.hits).filter { $0 > 0 }
        let x = Axis(kind: .log10, covering: allHits + [max(budget, 1)], start: left, end: left + plotWidth)
        let y = Axis(covering: [], start: top + plotHeight, end: top, fixed: 0...1)
        svg.text(title, x: left, y: 20, size: 14, weight: "bold")
        svg.rect(x: left, y: top, width: plotWidth, height: plotHeight, fill: "none", stroke: "#999")
        for tick in x.ticks {
            let px = x.position(tick)
            svg.line(x1: px, y1: top, x2: px, y2: top + plotHeight, stroke: "#eee")
            svg.text(Axis.label(tick, kind: .log10), x: px, y: top + plotHeight + 16, anchor: .middle, size: 11)
        }
        for tick in y.ticks {
            let py = y.position(tick)
            svg.line(x1: left, y1: py, x2: left + plotWidth, y2: py, stroke: "#eee")
            svg.text(Axis.label(tick, kind: .linear), x: left - 6, y: py + 4, anchor: .end, size: 11)
        }
        let budgetX = x.position(budget)
        svg.line(x1: budgetX, y1: top, x2: budgetX, y2: top + plotHeight, stroke: "#999", dash: "4 3")
        svg.text("budget", x: budgetX - 3, y: top + plotHeight - 6, anchor: .end, size: 10, fill: "#666")
        svg.text(xLabel, x: left + plotWidth / 2, y: top + plotHeight + 36, anchor: .middle, size: 11)
        svg.text("fraction of trials", x: 16, y: top + plotHeight / 2, anchor: .middle, size: 11, rotate: -90)
        for (i, curve) in curves.enumerated() {
            var points = [(x.start, y.position(0))]
            var level = 0.0
            for (cost, fraction) in curve.steps {
                let px = x.position(max(cost, x.lower))
                points.append((px, y.position(level)))
                points.append((px, y.position(fraction)))
                level = fraction
            }
            points.append((budgetX, y.position(level)))
            svg.polyline(points, stroke: Palette.color(curve.colorIndex), width: 2, dash: Palette.dash(curve.colorIndex),
                         title: "\(curve.label): \(curve.hits.count)/\(curve.trials)")
            let ly = top + 14 + 18 * Double(i)
            svg.line(x1: left + plotWidth + 12, y1: ly - 4, x2: left + plotWidth + 36, y2: ly - 4,
                     stroke: Palette.color(curve.colorIndex), width: 2, dash: Palette.dash(curve.colorIndex))
            svg.text("\(curve.label) (\(curve.hits.count)/\(curve.trials))", x: left + plotWidth + 40, y: ly, size: 11)
        }
        if curves.isEmpty {
            svg.text("no trials", x: left + plotWidth / 2, y: top + plotHeight / 2, anchor: .middle, size: 12, fill: "#666")
        }
        return svg.render(label: title)
    }

    /// A 2-D landscape as a heat map (colour ∝ log(1 + f − f_min), viridis), with trajectories.
    /// `values[row][col]` samples the box on a grid, row 0 at the bottom (lowest x₂).
    public static func heatMap(title: String, values: [[Double]], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                               paths: [TracePath]) -> String {
        // Keep the box's aspect ratio, longest side 340 px.
        let spanX = xRange.upperBound - xRange.lowerBound, spanY = yRange.upperBound - yRange.lowerBound
        let plotWidth = spanX >= spanY ? 340.0 : 340.0 * spanX / spanY
        let plotHeight = spanY >= spanX ? 340.0 : 340.0 * spanY / spanX
        let left = 56.0, right = 210.0, top = 34.0, bottom = 46.0
        let legendHeight = 18.0 * Double(paths.count + 3)
        var svg = SVG(width: left + plotWidth + right, height: top + max(plotHeight, legendHeight) + bottom)
        let rows = values.count, cols = values.first?.count ?? 0
        svg.text(title, x: left, y: 20, size: 14, weight: "bold")
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let scale = log1p(max(hi - lo, 1e-300))
        var pixels = [(UInt8, UInt8, UInt8)]()
        pixels.reserveCapacity(rows * cols)
        for r in (0..<rows).reversed() {  // PNG rows run top to bottom
            for c in 0..<cols {
                let v = values[r][c]
                pixels.append(v.isFinite ? Palette.viridis(log1p(v - lo) / scale) : (255, 255, 255))
            }
        }
        if rows > 0 && cols > 0 {
            svg.image(x: left, y: top, width: plotWidth, height: plotHeight,
                      dataURI: PNG.dataURI(width: cols, height: rows, pixels: pixels))
        }
        let x = Axis(covering: [], start: left, end: left + plotWidth, fixed: xRange)
        let y = Axis(covering: [], start: top + plotHeight, end: top, fixed: yRange)
        svg.rect(x: left, y: top, width: plotWidth, height: plotHeight, fill: "none", stroke: "#333")
        for tick in Axis(covering: [xRange.lowerBound, xRange.upperBound], start: 0, end: 1).ticks where xRange.contains(tick) {
            svg.text(Axis.label(tick, kind: .linear), x: x.position(tick), y: top + plotHeight + 16, anchor: .middle, size: 11)
        }
        for tick in Axis(covering: [yRange.lowerBound, yRange.upperBound], start: 0, end: 1).ticks where yRange.contains(tick) {
            svg.text(Axis.label(tick, kind: .linear), x: left - 6, y: y.position(tick) + 4, anchor: .end, size: 11)
        }
        svg.text("x₁", x: left + plotWidth / 2, y: top + plotHeight + 36, anchor: .middle, size: 12)
        svg.text("x₂", x: 18, y: top + plotHeight / 2, anchor: .middle, size: 12)
        for (i, path) in paths.enumerated() {
            let color = Palette.color(path.colorIndex)
            let pts = path.points.map { (x.position($0.0), y.position($0.1)) }
            if path.dots {
                if path.ring, let first = pts.first {
                    svg.polyline(pts + [first], stroke: color, width: 1, opacity: path.opacity)
                }
                for p in pts { svg.circle(cx: p.0, cy: p.1, r: 3, fill: color, stroke: "white", opacity: path.opacity) }
            } else {
                svg.polyline(pts, stroke: "white", width: 3.5)
                svg.polyline(pts, stroke: color, width: 2, dash: Palette.dash(path.colorIndex), title: path.label)
                if let first = pts.first { svg.circle(cx: first.0, cy: first.1, r: 4, fill: "white", stroke: color) }
                if let last = pts.last { svg.circle(cx: last.0, cy: last.1, r: 4, fill: color, stroke: "white") }
            }
            let ly = top + 14 + 18 * Double(i)
            if path.dots {
                svg.circle(cx: left + plotWidth + 24, cy: ly - 4, r: 3, fill: color, stroke: "white", opacity: path.opacity)
            } else {
                svg.line(x1: left + plotWidth + 12, y1: ly - 4, x2: left + plotWidth + 36, y2: ly - 4, stroke: color, width: 2,
                         dash: Palette.dash(path.colorIndex))
            }
            svg.text(path.label, x: left + plotWidth + 40, y: ly, size: 11)
        }
        let note = top + 14 + 18 * Double(paths.count) + 8
        svg.text("colour: log(1 + f − min f)", x: left + plotWidth + 12, y: note, size: 10, fill: "#555")
        svg.text("○ start  ● end of a path", x: left + plotWidth + 12, y: note + 14, size: 10, fill: "#555")
        return svg.render(label: title)
    }
}
