import Foundation
import Testing
@testable import Harness
@testable import Report

/// One number format across the page: three significant digits for measured numbers, three
/// decimals for rates and their intervals, counts exact.
@Suite struct NumberFormatTests {
    @Test(arguments: [
        (16.54, "16.5"), (0.5, "0.500"), (-3.14159, "−3.14"), (9.996, "10.0"), (999.6, "1.00×10³"),
        (2019.0, "2.02×10³"), (0.000256, "2.56×10⁻⁴"), (0.0123, "0.0123"), (512_000.0, "5.12×10⁵"), (0.0, "0"),
        (Double.infinity, "∞"), (-Double.infinity, "−∞"), (Double.nan, "—"),
    ])
    func measuredNumbersHaveThreeSignificantDigits(value: Double, text: String) {
        #expect(NumberFormat.real(value) == text)
    }

    @Test func ratesAndTheirIntervalsHaveThreeDecimals() {
        #expect(NumberFormat.rate(0.85, low: 0.6209, high: 0.96793) == "0.850 [0.621, 0.968]")
        #expect(NumberFormat.rate(1, low: 0.8315665290169147, high: 1) == "1.000 [0.832, 1.000]")
        #expect(NumberFormat.rate(nil, low: nil, high: nil) == "—")
    }

    @Test func countsAndSettingsAreExact() {
        #expect(NumberFormat.count(512_000) == "512000")
        #expect(NumberFormat.count(20) == "20")
        #expect(NumberFormat.setting(1e-6) == "1×10⁻⁶")
        #expect(NumberFormat.setting(1e-9) == "1×10⁻⁹")
        #expect(NumberFormat.setting(0.08) == "0.08")
        #expect(NumberFormat.setting(2000) == "2000")
    }

    /// The table of a real run: every rate cell is "r.rrr [l.lll, h.hhh]" (the interval on a
    /// second line), and the success
    /// interval of each summary row appears, rounded to three decimals from summary.csv's own cells.
    @Test func tableShowsEverySuccessIntervalInThePageFormat() throws {
        let dir = try ReportFixture.folder(landscapes: ["six-hump-camel"], optimizers: ["gd", "sa", "random-search"], trials: 5)
        let run = try RunFolder(path: dir)
        let html = try ReportPage.html(runs: [run])
        for row in run.summary {
            let cells = try ["success_rate", "success_ci_low", "success_ci_high"].map { try #require(Double(row[$0] ?? "")) }
            let expected = String(format: "%.3f <span class=\"ci\">[%.3f, %.3f]</span>", cells[0], cells[1], cells[2])
            #expect(html.contains("<td>\(expected)</td>"), "\(row["optimizer"] ?? "?"): \(expected)")
        }
        let rateCell = try Regex(#"<td>(\d\.\d+) <span class="ci">\[(\d\.\d+), (\d\.\d+)\]</span></td>"#)
        let matches = html.matches(of: rateCell)
        #expect(matches.count == 2 * run.summary.count)  // escape and success columns
        for match in matches {
            for part in [match.output[1].substring, match.output[2].substring, match.output[3].substring] {
                #expect(part.map { $0.split(separator: ".")[1].count } == 3)
            }
        }
    }
}

/// What a landscape's values are called comes from the run folder's files, not from its family
/// name or the catalogs.
@Suite struct RecordedKindTests {
    @Test func eachKindNamesItsValues() {
        #expect(ValueWords(kind: .ising, trainsNetwork: false).gapColumn == "median energy gap E − E*")
        #expect(ValueWords(kind: .continuous, trainsNetwork: false).gapColumn == "median gap f − f*")
        #expect(ValueWords(kind: .continuous, trainsNetwork: true).symbol == "L")
        #expect(!ValueWords(kind: .continuous, trainsNetwork: false).gapColumn.contains("training"))
    }

    /// A spin landscape and a continuous one in one run: the spin section's gap is an energy, the
    /// continuous one's is f − f*, and neither says training loss.
    @Test func isingRowsSayEnergyAndTestFunctionRowsSayF() throws {
        let dir = try ReportFixture.folder(landscapes: ["weak-strong", "six-hump-camel"], optimizers: ["sa-spin", "sa"])
        let run = try RunFolder(path: dir)
        #expect(run.metadata.landscapes.map { run.kind(of: $0) } == [.ising, .continuous])
        let html = try ReportPage.html(runs: [run])
        let sections = html.components(separatedBy: "<h2>")
        let spin = try #require(sections.first { $0.hasPrefix("weak-strong</h2>") })
        let camel = try #require(sections.first { $0.hasPrefix("six-hump-camel</h2>") })
        #expect(spin.contains("<th>median energy gap E − E*</th>") && spin.contains("N = "))
        #expect(camel.contains("<th>median gap f − f*</th>") && camel.contains("d = 2"))
        #expect(!html.contains("training"))
    }

    /// A folder written by hand: a family no catalog knows, named like a continuous family in
    /// one landscape; run.json's `kind` decides, and without it (an older folder) traces.csv does.
    @Test func folderWrittenWithoutTheCatalogsIsReadByWhatItSays() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-handmade-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func landscape(_ name: String, family: String, kind: String?) -> String {
            """
            {"name": "\(name)", "source": "hand", "family": "\(family)", "parameters": "", "dimension": 2, "instance": 1,
             "budget": 100, "trials": 2, "start": "local-min", "optimum": -1, "optimumStatus": "exact",
             "escapeAbsolute": 1e-6, "escapeRelative": 1e-9, "success": 0.1\(kind.map { #", "kind": "\#($0)""# } ?? "")}
            """
        }
        let json = """
            {"tool": "TunnelBench", "version": "0", "arguments": [], "masterSeed": 1, "threads": 1, "traceTrials": 1,
             "startedAt": "2026-01-01T00:00:00Z",
             "landscapes": [\(landscape("spins", family: "rastrigin", kind: "ising")), \(landscape("old", family: "no-such-family", kind: nil)),
                            \(landscape("old-untraced", family: "no-such-family-either", kind: nil))],
             "optimizers": [[{"name": "m", "label": "m", "parameters": ""}], [{"name": "m", "label": "m", "parameters": ""}],
                            [{"name": "m", "label": "m", "parameters": ""}]]}
            """
        try json.write(toFile: dir + "/run.json", atomically: true, encoding: .utf8)
        let names = ["spins", "old", "old-untraced"]
        try CSV.document(header: ["landscape", "optimizer", "trial", "trapped", "escaped", "evals_to_escape", "success", "evals_to_success"],
                         rows: names.flatMap { n in [[n, "m", "0", "true", "true", "10", "true", "20"], [n, "m", "1", "true", "false", "", "false", ""]] })
            .write(toFile: dir + "/trials.csv", atomically: true, encoding: .utf8)
        try CSV.document(header: ["landscape", "optimizer", "trials", "trapped", "escaped", "escape_rate", "escape_ci_low", "escape_ci_high",
                                  "successes", "success_rate", "success_ci_low", "success_ci_high", "median_gap"],
                         rows: names.map { [$0, "m", "2", "2", "1", "0.5", "0.0126", "0.9874", "1", "0.5", "0.0126", "0.9874", "0.25"] })
            .write(toFile: dir + "/summary.csv", atomically: true, encoding: .utf8)
        try CSV.document(header: ["landscape", "optimizer", "trial", "snapshot", "spent", "value", "point"],
                         rows: [["old", "m", "0", "-1", "1", "0", "0.5;0.5"], ["old", "m", "0", "-1", "2", "-1", "0.25;0.75"]])
            .write(toFile: dir + "/traces.csv", atomically: true, encoding: .utf8)
        let run = try RunFolder(path: dir)
        #expect(run.metadata.landscapes.map { run.kind(of: $0) } == [.ising, .continuous, .unknown])
        let html = try ReportPage.html(runs: [run])
        let sections = html.components(separatedBy: "<h2>")
        #expect(sections.first { $0.hasPrefix("spins</h2>") }?.contains("median energy gap E − E*") == true)
        #expect(sections.first { $0.hasPrefix("old</h2>") }?.contains("median gap f − f*") == true)
        #expect(sections.first { $0.hasPrefix("old</h2>") }?.contains("Landscape and traced trials") == true)
        #expect(sections.first { $0.hasPrefix("old-untraced</h2>") }?.contains("median gap to the optimum") == true)
        #expect(sections.first { $0.hasPrefix("old-untraced</h2>") }?.contains("<td>0.500 <span class=\"ci\">[0.013, 0.987]</span></td>") == true)
    }

    @Test func unknownKindInRunJSONIsRefused() throws {
        let dir = try ReportFixture.folder(landscapes: ["six-hump-camel"], optimizers: ["gd"])
        let path = dir + "/run.json"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"continuous\"", with: "\"spherical\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: HarnessError("\(path): landscapes[0].kind is not continuous, ising or absent")) { try RunFolder(path: dir) }
    }
}
