import Foundation
import Testing
@testable import Harness
@testable import Report

/// No text runs past a figure's edge: every `<text>` of a chart, at the conservative width
/// `SVG.textWidth` gives it (wider than Arial's and DejaVu Sans' glyphs), lies inside the SVG's
/// width and height, with long labels, counts and titles.
@Suite struct TextFitTests {
    /// The (x, y, anchor, size, text) of every unrotated text element, and the picture's size.
    static func texts(_ svg: String) throws -> (width: Double, height: Double, items: [(Double, Double, String, Double, String, Bool)]) {
        let size = try #require(svg.firstMatch(of: try Regex(#"viewBox="0 0 ([0-9.]+) ([0-9.]+)""#)))
        let width = try #require(Double(size.output[1].substring ?? "")), height = try #require(Double(size.output[2].substring ?? ""))
        let pattern = try Regex(#"<text x="([-0-9.]+)" y="([-0-9.]+)" font-size="([0-9.]+)" text-anchor="(\w+)"[^>]*?( transform="[^"]*")?>([^<]*)</text>"#)
        let items = svg.matches(of: pattern).compactMap { m -> (Double, Double, String, Double, String, Bool)? in
            guard m.output[5].substring == nil else { return nil }  // rotated labels are checked by eye
            let text = String(m.output[6].substring ?? "").replacingOccurrences(of: "&amp;", with: "&")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            return (Double(m.output[1].substring ?? "") ?? .nan, Double(m.output[2].substring ?? "") ?? .nan,
                    String(m.output[4].substring ?? ""), Double(m.output[3].substring ?? "") ?? .nan, text,
                    svg[m.range].contains("font-weight=\"bold\""))
        }
        return (width, height, items)
    }

    static func expectInside(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (width, height, items) = try texts(svg)
        #expect(!items.isEmpty, sourceLocation: sourceLocation)
        for (x, y, anchor, size, text, bold) in items {
            let w = SVG.textWidth(text, size: size, bold: bold)
            let (left, right) = anchor == "end" ? (x - w, x) : anchor == "middle" ? (x - w / 2, x + w / 2) : (x, x + w)
            #expect(left >= -0.5 && right <= width + 0.5 && y - size >= -0.5 && y <= height + 0.5,
                    "'\(text)' spans \(left)…\(right) at y = \(y) in a \(width) × \(height) picture", sourceLocation: sourceLocation)
        }
    }

    static let long = "nelder-mead-restarts-with-a-long-suite-label"

    @Test func rateBarTextFitsWithLongLabelsAndCounts() throws {
        let bars = [RateBar(label: Self.long, rate: 0.5, lower: 0.3, upper: 0.7, counts: "50000/100000", style: SeriesStyle(slot: 0)),
                    RateBar(label: "gd", rate: nil, lower: nil, upper: nil, counts: "0/0", style: SeriesStyle(slot: 1))]
        try Self.expectInside(Charts.rateBars(title: "Escape rate of every optimizer on a landscape with a long name", bars: bars))
    }

    @Test func runtimePanelTextFits() throws {
        let curves = [RuntimeCurve(label: Self.long, hits: [3, 30, 3e6], trials: 100_000, style: SeriesStyle(slot: 0)),
                      RuntimeCurve(label: "gd", hits: [], trials: 4, style: SeriesStyle(slot: 1))]
        try Self.expectInside(Charts.runtimeDistribution(title: "Escapes by budget spent (trapped trials)", xLabel: "evaluations",
                                                         curves: curves, budget: 5e6))
    }

    @Test func trajectoryPanelTextFits() throws {
        let field = HeatField(values: [[-123456.7, 1], [2, 3e9]], xRange: -600...600, yRange: -0.5...0.5)
        let panels = [TrajectoryPanel(title: "\(Self.long), trial 0 (first points)", style: SeriesStyle(slot: 3), path: [(0, 0)])]
        try Self.expectInside(Charts.trajectories(title: "Landscape and traced trials", field: field, xRange: -600...600,
                                                  yRange: -0.5...0.5, minima: [], panels: panels))
    }

    @Test func tunnelMapTextFits() throws {
        let folder = try TunnelMapFixture.read(TunnelMapPlan(heights: [1], widths: [1], dimension: 1, trials: 4, budget: 100,
                                                             candidate: "sa", classical: ["gd"], seed: 1, threads: 2))
        try Self.expectInside(TunnelMapPage.figure(folder))
    }

    /// Every figure of a real report page (a spin landscape and a 2-D one with traces).
    @Test func everyFigureOfAReportPageFits() throws {
        let dir = try ReportFixture.folder(landscapes: ["weak-strong", "six-hump-camel"], optimizers: ["sa-spin", "greedy-restarts", "gd", "sa", "random-search"])
        let html = try ReportPage.html(runs: [RunFolder(path: dir)])
        let figures = html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>" }
        // Both have a known optimum: escape and success bars and panels each, camel (d = 2) its
        // trajectories, and the spin landscape its final-state bars.
        #expect(figures.count == 4 + 4 + 1 + 1)
        for figure in figures { try Self.expectInside(figure) }
    }
}
