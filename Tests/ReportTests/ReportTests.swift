import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Landscapes
@testable import Harness
@testable import Report

/// Parses `text` as XML and returns the element names it found, or the parser's error.
final class XMLCheck: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var attributes: [[String: String]] = []

    static func parse(_ text: String) -> (ok: Bool, elements: [String], attributes: [[String: String]]) {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = check
        let ok = parser.parse()
        return (ok, check.elements, check.attributes)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(name)
        self.attributes.append(attributes)
    }
}

@Suite struct SVGTests {
    @Test func svgWithAwkwardTextIsWellFormedXML() {
        var svg = SVG(width: 100, height: 50)
        svg.text("a < b & \"c\" > 'd'", x: 1, y: 2)
        svg.rect(x: 0, y: 0, width: 10, height: -5, fill: "#fff", title: "<tooltip & more>")
        svg.polyline([(0, 0), (1, 1)], stroke: "red")
        svg.circle(cx: 1, cy: 1, r: .nan, fill: "blue")
        let result = XMLCheck.parse(svg.render(label: "label with <markup>"))
        #expect(result.ok)
        #expect(result.elements == ["svg", "text", "rect", "title", "polyline", "circle"])
        #expect(result.attributes[2]["height"] == "0")  // negative sizes are clamped
    }

    @Test func everyChartIsWellFormedXML() {
        let bars = [RateBar(label: "sa", rate: 0.5, lower: 0.3, upper: 0.7, counts: "5/10", style: SeriesStyle(slot: 0)),
                    RateBar(label: "gd", rate: nil, lower: nil, upper: nil, counts: "0/0", style: SeriesStyle(slot: 1)),
                    RateBar(label: "x", rate: 0.2, lower: 0.1, upper: 0.4, counts: "2/10", style: SeriesStyle(slot: 11))]
        let barChart = XMLCheck.parse(Charts.rateBars(title: "Escape & rate", bars: bars))
        #expect(barChart.ok)
        #expect(barChart.elements.contains("pattern"))  // the dashed slot's bar is hatched
        let curves = [RuntimeCurve(label: "sa", hits: [3, 30, 300], trials: 4, style: SeriesStyle(slot: 0)),
                      RuntimeCurve(label: "gd", hits: [], trials: 4, style: SeriesStyle(slot: 1))]
        let runtime = XMLCheck.parse(Charts.runtimeDistribution(title: "t", xLabel: "x", curves: curves, budget: 1000))
        #expect(runtime.ok)
        #expect(runtime.elements.filter { $0 == "polygon" }.count == 2)  // one confidence band per curve
        let field = HeatField(values: [[0, 1], [2, .nan]], xRange: -1...1, yRange: 0...2)
        let map = Charts.trajectories(title: "m", field: field, xRange: -1...1, yRange: 0...2, minima: [(0, 1)],
                                      panels: [TrajectoryPanel(title: "a", style: SeriesStyle(slot: 0), path: [(0, 0.5), (0.5, 1)]),
                                               TrajectoryPanel(title: "b", style: SeriesStyle(slot: 1), path: [(0, 0.5)],
                                                               snapshots: [[(0.1, 0.2), (0.3, 0.4)]])])
        let parsed = XMLCheck.parse(map)
        #expect(parsed.ok)
        #expect(parsed.elements.filter { $0 == "image" }.count == 1)  // one copy of the field …
        #expect(parsed.elements.filter { $0 == "use" }.count == 2)    // … placed in each panel
    }

    /// The bar chart's labels are right-aligned at the plot's left edge: the margin must hold the
    /// longest one (12 px text, at most 0.6 em per character in the sans-serif fonts a browser
    /// picks), so that "nelder-mead-restarts" is not cut at the picture's edge.
    @Test func barLabelsFitInsideTheChart() throws {
        let label = "nelder-mead-restarts-long-variant"
        let svg = Charts.rateBars(title: "t", bars: [RateBar(label: label, rate: 0.5, lower: 0.3, upper: 0.7, counts: "5/10",
                                                             style: SeriesStyle(slot: 0))])
        let parsed = XMLCheck.parse(svg)
        let labelX = try #require(parsed.attributes.first { $0["text-anchor"] == "end" }?["x"].flatMap(Double.init))
        #expect(labelX >= 0.6 * 12 * Double(label.count), "label ends at x = \(labelX)")
    }

    @Test func runtimeCurveStepsAreTheEmpiricalDistribution() {
        let curve = RuntimeCurve(label: "x", hits: [30, 10, 20], trials: 4, style: SeriesStyle(slot: 0))
        #expect(curve.steps.map(\.0) == [10, 20, 30])
        #expect(curve.steps.map(\.1) == [0.25, 0.5, 0.75])
        #expect(RuntimeCurve(label: "x", hits: [], trials: 0, style: SeriesStyle(slot: 0)).steps.isEmpty)
    }
}

@Suite struct AxisTests {
    @Test func linearTicksAreNiceAndCoverTheData() {
        let axis = Axis(covering: [0.13, 0.87], start: 0, end: 100)
        #expect(axis.lower <= 0.13 && axis.upper >= 0.87)
        #expect(axis.lower == 0 && axis.upper == 1)
        let expected = [0, 0.2, 0.4, 0.6, 0.8, 1.0]
        #expect(axis.ticks.count == expected.count)
        for (t, e) in zip(axis.ticks, expected) { #expect(abs(t - e) < 1e-12) }
        for t in axis.ticks { #expect(t >= axis.lower - 1e-12 && t <= axis.upper + 1e-12) }
    }

    @Test func onePointGetsARangeAroundIt() {
        let axis = Axis(covering: [5], start: 0, end: 100)
        #expect(axis.lower < 5 && axis.upper > 5)
        #expect(axis.position(5) > 0 && axis.position(5) < 100)
    }

    @Test func allZerosGetAUnitRange() {
        let axis = Axis(covering: [0, 0, 0], start: 0, end: 10)
        #expect(axis.lower < 0 && axis.upper > 0)
        #expect(axis.ticks.count >= 2)
        #expect(axis.ticks.allSatisfy { $0.isFinite })
    }

    @Test func emptyInputGetsTheUnitInterval() {
        let axis = Axis(covering: [], start: 0, end: 10)
        #expect(axis.lower == 0 && axis.upper == 1)
    }

    @Test func logAxisIgnoresZerosAndSnapsToDecades() {
        let axis = Axis(kind: .log10, covering: [0, 0, 3, 4500], start: 0, end: 300)
        #expect(axis.lower == 1 && axis.upper == 10_000)
        #expect(axis.ticks == [1, 10, 100, 1000, 10_000])
        #expect(axis.position(0) == 0)  // a zero sits at the axis start, not at −∞
        #expect(abs(axis.position(100) - 150) < 1e-9)
        #expect(Axis.label(1000, kind: .log10) == "1000")
        #expect(Axis.label(10_000, kind: .log10) == "10⁴")
        #expect(Axis.label(1e6, kind: .log10) == "10⁶")
    }

    @Test func logAxisOfOnlyZerosStillHasOneDecade() {
        let axis = Axis(kind: .log10, covering: [0, 0], start: 0, end: 1)
        #expect(axis.lower == 1 && axis.upper == 10)
    }

    @Test func valuesOutsideTheAxisAreClamped() {
        let axis = Axis(covering: [], start: 10, end: 110, fixed: 0...1)
        #expect(axis.position(-3) == 10)
        #expect(axis.position(7) == 110)
        #expect(axis.position(.nan) == 10)
    }

    @Test(arguments: [(0.03, 0.05), (0.7, 1.0), (1.2, 2.0), (3.1, 5.0), (7.0, 10.0), (130.0, 200.0)])
    func niceStepIsOneTwoOrFiveTimesAPowerOfTen(raw: Double, expected: Double) {
        #expect(abs(Axis.niceStep(raw) - expected) < 1e-12 * expected)
    }
}

@Suite struct PNGTests {
    /// Reference check values of the two checksums PNG uses.
    @Test func checksumsMatchTheirReferenceValues() {
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func encodedImageHasSignatureChunksAndStoredBlocks() {
        let pixels = Array(repeating: (UInt8(1), UInt8(2), UInt8(3)), count: 300 * 300)
        let data = [UInt8](PNG.encode(width: 300, height: 300, pixels: pixels))
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(data[12..<16]) == Array("IHDR".utf8))
        #expect(Array(data.suffix(8).prefix(4)) == Array("IEND".utf8))
        // 300 rows × (1 + 900) bytes = 270,300 raw bytes need 5 stored blocks of ≤ 65,535.
        let raw = 300 * 901
        #expect(data.count == 8 + 25 + (12 + 2 + raw + 5 * 5 + 4) + 12)
    }
}

@Suite struct ReportPageTests {
    @Test func reportOfASmallRunHasOneChartSetPerLandscapeAndEveryOptimizer() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-report-\(UUID().uuidString)"
        let landscapes = try ["six-hump-camel", "double-well"].map {
            try ResolvedLandscape(LandscapeSpec(name: $0, family: $0), overrides: SpecOverrides(trials: 4, budget: 300))
        }
        let optimizers = try ["gd", "sa"].map { try OptimizerEntry(name: $0) }
        var plan = RunPlan(landscapes: landscapes, optimizers: optimizers, masterSeed: 1, threads: 2)
        plan.traceTrials = 1
        let records = try BenchmarkRun.execute(plan)
        try RunOutput.prepare(dir)
        try RunOutput.write(dir, records: records,
                            metadata: RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil), plan: plan)
        let html = try ReportPage.html(runs: [RunFolder(path: dir)])
        #expect(html.contains("colour bar"))
        #expect(html.components(separatedBy: "<h2>six-hump-camel</h2>").count == 2)
        #expect(html.components(separatedBy: "<h2>double-well</h2>").count == 2)
        // Two landscapes × (escape bars, success bars, two runtime plots) + one trajectory figure (d = 2).
        #expect(html.components(separatedBy: "<svg ").count - 1 == 2 * 4 + 1)
        #expect(html.contains("aria-label=\"Landscape and traced trials\""))
        for name in ["gd (", "sa ("] { #expect(html.contains(name)) }
        #expect(html.contains("sa, trial 0"))
        #expect(!html.contains("<script"))
        // Nothing is fetched: the only URLs are the SVG namespace declarations.
        let urls = html.components(separatedBy: "http").count - 1
        let namespaces = html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1
        #expect(urls == namespaces)
    }

    /// A traced run of a 2-D landscape writes surface.csv: its box, 160² cell values equal to f
    /// at the cell centres (recomputed here from the family), and its global minima; the report's
    /// background is read from it, and a folder without it still reads.
    @Test func tracedTwoDimensionalRunWritesTheSurfaceTheReportDraws() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-surface-\(UUID().uuidString)"
        let landscape = try ResolvedLandscape(LandscapeSpec(name: "camel", family: "six-hump-camel"),
                                              overrides: SpecOverrides(trials: 2, budget: 200))
        var plan = RunPlan(landscapes: [landscape], optimizers: [try OptimizerEntry(name: "sa")], masterSeed: 1, threads: 1)
        plan.traceTrials = 1
        try RunOutput.prepare(dir)
        try RunOutput.write(dir, records: try BenchmarkRun.execute(plan),
                            metadata: RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil), plan: plan)
        let run = try RunFolder(path: dir)
        let family = LandscapeFamily.sixHumpCamel
        let function = try family.continuousInstance(dimension: 2, instance: 1, parameters: ParameterValues(specs: family.parameters))
        let box = run.surface.filter { $0["kind"] == "box" }
        #expect(box.map { [$0["x1"]!, $0["x2"]!] } == [[CSV.number(function.domain.lower[0]), CSV.number(function.domain.lower[1])],
                                                       [CSV.number(function.domain.upper[0]), CSV.number(function.domain.upper[1])]])
        let cells = run.surface.filter { $0["kind"] == "cell" }
        #expect(cells.count == 160 * 160)
        for index in [0, 161, 12_345, 160 * 160 - 1] {
            let row = cells[index]
            let x = [Double(row["x1"]!)!, Double(row["x2"]!)!]
            let (r, c) = (index / 160, index % 160)
            let lower = function.domain.lower, upper = function.domain.upper
            #expect(abs(x[0] - (lower[0] + (upper[0] - lower[0]) * (Double(c) + 0.5) / 160)) <= 1e-12)
            #expect(abs(x[1] - (lower[1] + (upper[1] - lower[1]) * (Double(r) + 0.5) / 160)) <= 1e-12)
            #expect(Double(row["value"]!)! == function.value(at: x))
        }
        let minima = run.surface.filter { $0["kind"] == "minimum" }.map { [Double($0["x1"]!)!, Double($0["x2"]!)!] }
        #expect(minima == function.optimum.points)
        let background = try #require(LandscapeBackground(run.metadata.landscapes[0], run: run))
        #expect(background.field.values.count == 160 && background.minima.count == 2)
        // Without surface.csv the folder still reads; the figure has no background.
        try FileManager.default.removeItem(atPath: dir + "/surface.csv")
        let bare = try RunFolder(path: dir)
        #expect(bare.surface.isEmpty && LandscapeBackground(bare.metadata.landscapes[0], run: bare) == nil)
    }

    @Test func missingRunFolderIsNamed() {
        #expect(throws: HarnessError("/nonexistent/run: not a run folder (no run.json; expected the --output folder of bench run)")) {
            try RunFolder(path: "/nonexistent/run")
        }
    }
}
