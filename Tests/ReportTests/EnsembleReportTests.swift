import Foundation
import Harness
import Landscapes
import Report
import Testing

/// A run folder with an ensemble: ensemble.csv read back and checked, and the page's Ensembles
/// section showing each pair's medians as the file holds them.
@Suite struct EnsembleReportTests {
    /// Three instances of the 2-D double well, gd and random-search, 4 trials each.
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "tunnelbench-ensemble-folder-\(UUID().uuidString)"
        var spec = LandscapeSpec(name: "dw", family: "double-well")
        spec.instances = [1, 2, 3]
        let landscapes = try ResolvedLandscape.members(spec, overrides: SpecOverrides(dimension: 2, trials: 4, budget: 300, start: .uniform))
        let plan = RunPlan(landscapes: landscapes, optimizers: try ["sa", "random-search"].map { try OptimizerEntry(name: $0) },
                           masterSeed: 1, threads: 1)
        try RunOutput.prepare(dir)
        try RunOutput.write(dir, records: try BenchmarkRun.execute(plan),
                            metadata: RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil), plan: plan)
        return dir
    }

    @Test func theEnsemblesSectionShowsTheFilesMedians() throws {
        let dir = try Self.folder()
        let run = try RunFolder(path: dir)
        #expect(run.ensembles.count == 2 * 3 * 5)
        let page = try ReportPage.html(runs: [run])
        #expect(page.contains("<h2>Ensembles</h2>"))
        // The section comes before the instances' own sections.
        #expect(page.range(of: "<h2>Ensembles</h2>")!.lowerBound < page.range(of: "<h2>dw i=1</h2>")!.lowerBound)
        for optimizer in ["sa", "random-search"] {
            let median = run.ensembles.first { $0["optimizer"] == optimizer && $0["statistic"] == "success" && $0["quantile"] == "0.5" }!
            let value = NumberFormat.rate(Double(median["value"]!)!)
            let row = "<tr><td>dw</td><td>2</td><td class=\"name\">\(optimizer)</td><td>3</td><td>12</td><td>\(value) "
            #expect(page.contains(row), "\(row)")
        }
    }

    /// Each damaged ensemble.csv is refused with its file and line.
    @Test(arguments: [
        ("ensemble", "elsewhere", "column 'ensemble' names no ensemble of run.json"),
        ("optimizer", "adam", "column 'optimizer' names no optimizer that run.json lists for this ensemble"),
        ("statistic", "mean", "column 'statistic' is 'mean', expected success, tts99 or aRT"),
        ("quantile", "1.5", "column 'quantile' is not a number in [0, 1]"),
        ("value", "-1", "column 'value' is not a number ≥ 0"),
        ("upper", "0", "value 0.5 lies outside its interval [0, 0]"),
    ])
    func aDamagedEnsembleFileIsRefused(column: String, value: String, message: String) throws {
        let dir = try Self.folder()
        let path = dir + "/ensemble.csv"
        let table = try CSV.read(try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        var rows = table.rows.map(\.fields)
        // Row 3: sa, success at the 50% quantile.
        rows[2][table.header.firstIndex(of: column)!] = value
        if column == "upper" { rows[2][table.header.firstIndex(of: "lower")!] = "0"; rows[2][table.header.firstIndex(of: "value")!] = "0.5" }
        try CSV.document(header: table.header, rows: rows).write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: HarnessError.self) { try RunFolder(path: dir) }
        #expect(error.description.hasPrefix("\(path):4: "), "\(error)")
        #expect(error.description.hasSuffix(message) || error.description.contains(message), "\(error)")
    }
}
