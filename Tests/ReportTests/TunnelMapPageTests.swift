import Foundation
import Testing
@testable import Harness
@testable import Report
import Landscapes

/// A tunnel map's folder written as `bench tunnel-map` writes it, for the page's tests.
enum TunnelMapFixture {
    /// Writes the files of `result` (tunnel-map.csv, tunnel-comparison.csv, tunnel-map.json) into
    /// a new folder and returns it with the metadata written.
    static func folder(_ result: TunnelMapResult) throws -> (path: String, metadata: TunnelMapMetadata) {
        let dir = NSTemporaryDirectory() + "tunnelbench-map-\(UUID().uuidString)"
        try RunOutput.prepare(dir)
        let metadata = TunnelMapMetadata(plan: result.plan, calibrations: result.calibrations, arguments: ["tunnel-map"],
                                         startedAt: Date(timeIntervalSince1970: 0),
                                         gitCommit: nil)
        for (name, contents) in try TunnelMap.files(result, metadata: metadata) {
            let file = try RunOutput.createFile(at: dir + "/" + name)
            try file.write(contents)
            try file.finish()
        }
        return (dir, metadata)
    }

    /// A real map run on `plan`, read back from its files.
    static func read(_ plan: TunnelMapPlan) throws -> TunnelMapFolder {
        try TunnelMapFolder(path: folder(try TunnelMap.run(plan)).path)
    }

    /// A result made by hand, with values that test the files' number formats: heights 0.1 and
    /// 1/3, a seed of 2⁶⁴ − 1, a cell with no trapped trial (escape rate empty), rates in sevenths.
    static func synthetic() -> TunnelMapResult {
        let plan = TunnelMapPlan(heights: [0.1, 1.0 / 3], widths: [0.25, 3.5], dimension: 3, trials: 7, budget: 1234.5,
                                 candidate: "piqa", classical: ["sa", "pt"], seed: .max, threads: 1, alpha: 0.2, bound: 7)
        var cells = [TunnelCellResult]()
        var comparisons = [TunnelComparison]()
        var k = 0
        for h in plan.heights {
            for w in plan.widths {
                func cell(_ method: String, _ phase: String, trapped: Int, escaped: Int) -> TunnelCellResult {
                    k += 1
                    return TunnelCellResult(height: h, width: w, optimizer: method, phase: phase,
                                            escape: Proportion(successes: escaped, trials: trapped), trapped: trapped, escaped: escaped,
                                            secondsPerTrial: Double(k) / 3e4)
                }
                let noneTrapped = h == plan.heights[1] && w == plan.widths[1]
                cells += [cell("sa", "selection", trapped: noneTrapped ? 0 : 7, escaped: 0),
                          cell("pt", "selection", trapped: noneTrapped ? 0 : 7, escaped: noneTrapped ? 0 : k % 7),
                          cell("piqa", "selection", trapped: noneTrapped ? 0 : 7, escaped: noneTrapped ? 0 : 7)]
                cells += [cell("pt", "comparison", trapped: 7, escaped: 1), cell("piqa", "comparison", trapped: 7, escaped: 7)]
                comparisons.append(TunnelComparison(height: h, width: w, bestClassical: "pt", candidateRate: 1, classicalRate: 1.0 / 7,
                                                    classicalOnly: 0, candidateOnly: 6, p: PairedTests.mcNemarTwoSided(0, 6)))
            }
        }
        let adjusted = PairedTests.holmAdjusted(comparisons.map(\.p))
        for i in comparisons.indices {
            comparisons[i].adjustedP = adjusted[i]
            comparisons[i].significant = adjusted[i] <= plan.alpha
        }
        return TunnelMapResult(plan: plan, cells: cells, comparisons: comparisons)
    }
}

@Suite struct TunnelMapPageTests {
    /// The exact (Clopper–Pearson) 95% interval of k of n by bisection on the binomial tails,
    /// written here independently of the harness's own implementation.
    static func clopperPearson(_ k: Int, _ n: Int) -> (Double, Double) {
        func tail(_ p: Double, atLeast: Bool) -> Double {
            // P(X ≥ k) or P(X ≤ k) for X ~ Bin(n, p), summed term by term in logs.
            let range = atLeast ? Array(k...n) : Array(0...k)
            return range.reduce(0.0) { sum, j in
                let logC = lgamma(Double(n + 1)) - lgamma(Double(j + 1)) - lgamma(Double(n - j + 1))
                return sum + exp(logC + Double(j) * log(p) + Double(n - j) * log1p(-p))
            }
        }
        func solve(_ f: (Double) -> Double) -> Double {
            var lo = 0.0, hi = 1.0
            for _ in 0..<200 { let mid = 0.5 * (lo + hi); if f(mid) < 0 { lo = mid } else { hi = mid } }
            return 0.5 * (lo + hi)
        }
        let lower = k == 0 ? 0 : solve { tail($0, atLeast: true) - 0.025 }
        let upper = k == n ? 1 : solve { 0.025 - tail($0, atLeast: false) }
        return (lower, upper)
    }

    /// A small fixed-calibration map: every selection cell shows its rate and its exact interval
    /// (recomputed here), every difference cell its Holm-adjusted p, every panel the crossover
    /// line, and the page the parameters each method ran with.
    @Test func pageShowsRatesWithIntervalsAdjustedPAndTheCalibration() throws {
        var result = try TunnelMap.run(TunnelMapPlan(heights: [1, 4], widths: [0.5, 1], dimension: 2, trials: 10, budget: 400,
                                                     candidate: "piqa", classical: ["sa", "random-search"], seed: 4, threads: 2,
                                                     alpha: 0.2))
        for i in result.cells.indices { result.cells[i].secondsPerTrial = Double(i + 1) / 1024 }
        let folder = try TunnelMapFolder(path: try TunnelMapFixture.folder(result).path)
        #expect(folder.cells == result.cells.map(\.row))
        #expect(folder.comparisons == result.comparisons)
        let figure = TunnelMapPage.figure(folder)
        #expect(XMLCheck.parse(figure).ok)
        for row in folder.cells where row.phase == "selection" && row.trapped > 0 {
            let (low, high) = Self.clopperPearson(row.escaped, row.trapped)
            let text = String(format: "%.3f–%.3f", low, high)
            #expect(figure.contains(">\(text)<"), "\(row.optimizer) H = \(row.height) w = \(row.width): \(text)")
            #expect(figure.contains(">" + String(format: "%.3f", Double(row.escaped) / Double(row.trapped)) + "<"))
        }
        #expect(figure.components(separatedBy: ">p ").count - 1 == folder.comparisons.count)
        // One dashed crossover line on each of the three methods' panels and the difference panel.
        #expect(figure.components(separatedBy: "stroke-dasharray=\"6,3\"").count - 1 == 4)
        let html = TunnelMapPage.html(folder, figure: figure)
        // random-search is the second of five rows per cell: (2 + 7 + 12 + 17)/4/1024 s = 9.277 ms.
        #expect(html.contains("<tr><td>random-search</td><td>9.28 ms</td></tr>"))
        #expect(html.contains("Holm-adjusted p (significant when ≤ 0.2)"))
        #expect(html.contains("measured once</b>, on the reference cell H = 1, w = 1"))
        for calibration in folder.metadata.calibrations {
            #expect(html.contains("<tr><td>\(calibration.optimizer)</td>"))
        }
        let sa = try #require(folder.metadata.calibrations.first { $0.optimizer == "sa" })
        #expect(sa.automaticTemperature != nil && sa.parameters.keys.sorted() == ["final-temperature", "initial-temperature"])
    }

    /// A rescaled map says so, and draws no crossover (no temperature is fixed).
    @Test func aRescaledMapSaysSoAndDrawsNoCrossover() throws {
        let folder = try TunnelMapFixture.read(TunnelMapPlan(heights: [1, 2], widths: [1], dimension: 2, trials: 6, budget: 300,
                                                             candidate: "piqa", classical: ["sa"], seed: 2, threads: 2,
                                                             calibration: .rescaled))
        let figure = TunnelMapPage.figure(folder)
        #expect(!figure.contains("stroke-dasharray=\"6,3\""))
        #expect(figure.contains("Calibration rescaled"))
        #expect(TunnelMapPage.html(folder, figure: figure).contains("<b>rescaled</b>"))
    }

    /// result → files → reader gives back every value: the metadata, every cell row and every
    /// comparison (as Equatable values and as the same bytes written again).
    @Test func filesReadBackToEveryValueOfTheResult() throws {
        let result = TunnelMapFixture.synthetic()
        let (dir, metadata) = try TunnelMapFixture.folder(result)
        let folder = try TunnelMapFolder(path: dir)
        #expect(folder.metadata == metadata)
        let plan = folder.metadata.plan
        #expect(plan.heights == [0.1, 1.0 / 3] && plan.widths == [0.25, 3.5] && plan.bound == 7)
        #expect(plan.seed == UInt64.max && plan.budget == 1234.5 && plan.alpha == 0.2 && plan.dimension == 3 && plan.asymmetry == 0.1)
        #expect(plan.classical == ["sa", "pt"] && plan.candidate == "piqa" && plan.trials == 7 && plan.threads == 1)
        #expect(folder.cells == result.cells.map(\.row))
        #expect(folder.cells.contains { $0.trapped == 0 && $0.escapeRate == nil })
        #expect(folder.comparisons == result.comparisons)
        #expect(TunnelMap.cellColumns.document(folder.cells) == TunnelMap.cellsCSV(result))
        #expect(TunnelMap.comparisonColumns.document(folder.comparisons) == TunnelMap.comparisonCSV(result))
        #expect(XMLCheck.parse(TunnelMapPage.figure(folder)).ok)
    }

    @Test func pageAndFigureAreWellFormed() throws {
        let folder = try TunnelMapFixture.read(TunnelMapPlan(heights: [1], widths: [1], dimension: 1, trials: 6, budget: 200,
                                                             candidate: "sa", classical: ["gd"], seed: 1, threads: 2))
        let figure = TunnelMapPage.figure(folder)
        #expect(XMLCheck.parse(figure).ok)
        let html = TunnelMapPage.html(folder, figure: figure)
        #expect(html.contains("All methods run with their documented defaults"))
        // gd derives nothing from the landscape: nothing to calibrate, no crossover (sa is no ring polymer).
        #expect(!figure.contains("stroke-dasharray"))
        #expect(!html.contains("<script"))
    }

    /// A change to one file of a valid folder, and the line that refuses it (after the folder's path).
    struct Damage: Sendable, CustomTestStringConvertible {
        var file: String
        /// The file's new text; `nil` removes it.
        var change: @Sendable (String) -> String?
        var message: String
        var testDescription: String { message }

        /// Replaces field `field` (0-based) of line `line` (1-based).
        static func field(_ file: String, line: Int, _ field: Int, _ value: String, _ message: String) -> Damage {
            Damage(file: file, change: { text in
                var lines = text.components(separatedBy: "\n")
                var fields = lines[line - 1].components(separatedBy: ",")
                fields[field] = value
                lines[line - 1] = fields.joined(separator: ",")
                return lines.joined(separator: "\n")
            }, message: message)
        }

        static func lines(_ file: String, _ edit: @escaping @Sendable ([String]) -> [String], _ message: String) -> Damage {
            Damage(file: file, change: { text in edit(Array(text.components(separatedBy: "\n").dropLast())).joined(separator: "\n") + "\n" },
                   message: message)
        }
    }

    static let json = "the tunnel-map.json bench tunnel-map writes"
    static let holds = "missing (a tunnel-map folder holds tunnel-map.csv, tunnel-comparison.csv and tunnel-map.json, as bench tunnel-map writes them)"

    // Lines of the synthetic folder's tunnel-map.csv: 2–4 the selection rows (sa, pt, piqa) of
    // H = 0.1, w = 0.25, 5–6 its comparison rows (pt, piqa), then the next cell. Its
    // tunnel-comparison.csv has one row per cell from line 2.
    static let damages: [Damage] = [
        .init(file: "tunnel-map.json", change: { _ in nil }, message: "tunnel-map.json: " + holds),
        .init(file: "tunnel-comparison.csv", change: { _ in nil }, message: "tunnel-comparison.csv: " + holds),
        .init(file: "tunnel-map.csv", change: { _ in nil }, message: "tunnel-map.csv: " + holds),
        .init(file: "tunnel-map.json", change: { String($0.prefix($0.count / 2)) }, message: "tunnel-map.json: not JSON (expected \(json))"),
        .lines("tunnel-map.json", { $0.filter { !$0.contains("\"alpha\"") } }, "tunnel-map.json: field 'plan.alpha' is missing (expected \(json))"),
        .lines("tunnel-map.json", { $0.map { $0.contains("\"trials\"") ? "  \"trials\" : \"seven\"," : $0 } },
              "tunnel-map.json: field 'plan.trials' is not a whole number in range"),
        .lines("tunnel-map.json", { $0.map { $0.contains("\"trials\"") ? "  \"trials\" : 0," : $0 } },
              "tunnel-map.json: 'plan.trials' is not a whole number ≥ 1"),
        .lines("tunnel-map.json", { $0.map { $0.contains("\"candidate\"") ? "  \"candidate\" : \"pt\"," : $0 } },
              "tunnel-map.json: 'plan.classical' is not a list of distinct methods other than the candidate"),
        .lines("tunnel-map.json", { $0.map { $0.contains("\"dimension\"") ? "  \"dimension\" : 3, \"dimension\" : 4," : $0 } },
              "tunnel-map.json:19: key 'dimension' appears twice in one object (expected each key once)"),
        .lines("tunnel-map.csv", { $0.map { $0.components(separatedBy: ",").enumerated().filter { $0.offset != 6 }.map(\.element)
                .joined(separator: ",") } },
              "tunnel-map.csv:1: no column 'escape_rate' (expected the columns height,width,optimizer,phase,trapped,escaped,"
                + "escape_rate,escape_ci_low,escape_ci_high,seconds_per_trial)"),
        .field("tunnel-comparison.csv", line: 3, 8, "x", "tunnel-comparison.csv:3: column 'p' is not a number"),
        .field("tunnel-map.csv", line: 4, 4, "7.5", "tunnel-map.csv:4: column 'trapped' is not a whole number"),
        .init(file: "tunnel-map.csv", change: { String($0.dropLast(9)) },
               message: "tunnel-map.csv:21: the last line has no line break (the file looks truncated)"),
        .lines("tunnel-map.csv", { var l = $0; l[2] = l[2].components(separatedBy: ",").dropLast().joined(separator: ","); return l },
              "tunnel-map.csv:3: 9 fields, expected 10"),
        .init(file: "tunnel-map.csv", change: { _ in "" }, message: "tunnel-map.csv: empty file (expected a header line)"),
        .field("tunnel-map.csv", line: 3, 6, "1.5", "tunnel-map.csv:3: column 'escape_rate' is not a number in [0, 1] or empty"),
        .field("tunnel-map.csv", line: 3, 5, "8", "tunnel-map.csv:3: column 'escaped' is not at most the trapped trials"),
        .field("tunnel-map.csv", line: 2, 0, "2.0", "tunnel-map.csv:2: column 'height' is not one of the heights of tunnel-map.json"),
        .field("tunnel-map.csv", line: 2, 2, "adam", "tunnel-map.csv:2: column 'optimizer' is not the candidate or a classical method of tunnel-map.json"),
        .field("tunnel-map.csv", line: 5, 2, "sa",
              "tunnel-map.csv:5: column 'optimizer' is not the candidate or the cell's best classical method in tunnel-comparison.csv"),
        .field("tunnel-map.csv", line: 2, 3, "final", "tunnel-map.csv:2: column 'phase' is not selection or comparison"),
        .field("tunnel-map.csv", line: 2, 9, "-1", "tunnel-map.csv:2: column 'seconds_per_trial' is not a finite number ≥ 0"),
        .lines("tunnel-map.csv", { $0 + [$0[1]] }, "tunnel-map.csv:22: the cell, method and phase of this row appear again (first on line 2)"),
        .lines("tunnel-map.csv", { $0.enumerated().filter { $0.offset != 1 }.map(\.element) },
              "tunnel-map.csv: no selection row for sa at H = 0.1, w = 0.25 (expected a selection row for every method of every cell, "
                + "and comparison rows for the cell's best classical method and the candidate)"),
        .field("tunnel-comparison.csv", line: 2, 5, "0.5", "tunnel-comparison.csv:2: column 'difference' is not candidate_rate − classical_rate"),
        .field("tunnel-comparison.csv", line: 2, 10, "false",
              "tunnel-comparison.csv:2: column 'significant' is not true exactly when p_holm ≤ alpha of tunnel-map.json"),
        .field("tunnel-comparison.csv", line: 2, 10, "", "tunnel-comparison.csv:2: column 'significant' is empty (expected true or false)"),
        .field("tunnel-comparison.csv", line: 2, 2, "gd", "tunnel-comparison.csv:2: column 'best_classical' is not one of the classical methods of tunnel-map.json"),
        .lines("tunnel-comparison.csv", { Array($0.dropLast()) },
              "tunnel-comparison.csv: no row for H = 0.3333333333333333, w = 3.5 (expected one row per cell)"),
    ]

    /// Every damaged file is refused with its one line, naming the file (and line) and what was
    /// expected; nothing is drawn from it.
    @Test(arguments: damages)
    func damagedFileIsRefusedWithOneLine(damage: Damage) throws {
        let (dir, _) = try TunnelMapFixture.folder(TunnelMapFixture.synthetic())
        let path = dir + "/" + damage.file
        if let text = damage.change(try String(contentsOfFile: path, encoding: .utf8)) {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            try FileManager.default.removeItem(atPath: path)
        }
        let error = #expect(throws: HarnessError.self) { try TunnelMapFolder(path: dir) }
        #expect(error?.description == dir + "/" + damage.message)
        #expect(error?.description.contains("\n") == false)
    }
}

/// The crossover height on the map against its closed form: with Γ = 6P²w²T₀/(P² − 1),
/// T_c = √(2Γ c(1 − b²))/(2πw) = T₀ gives c = T₀(P² − 1)π²/(3P²(1 − b²)), and H = c(1 + b)³(3 − b)/12.
@Suite struct CrossoverTests {
    @Test func crossoverHeightIsTheClosedForm() throws {
        let folder = try TunnelMapFixture.read(TunnelMapPlan(heights: [1, 2], widths: [0.5, 1], dimension: 2, trials: 6, budget: 300,
                                                             candidate: "piqa", classical: ["sa"], seed: 3, threads: 2))
        let crossover = try #require(Crossover(folder))
        let p = Double(crossover.beads), t0 = crossover.temperature
        let b = DoubleWell.barrierPosition(asymmetry: folder.metadata.plan.asymmetry)
        let c = t0 * (p * p - 1) * Double.pi * Double.pi / (3 * p * p * (1 - b * b))
        let expected = c * (1 + b) * (1 + b) * (1 + b) * (3 - b) / 12
        #expect(abs(crossover.height - expected) <= 1e-9 * expected, "\(crossover.height) vs \(expected)")
        // The starting spread r₀ is piqa's automatic one: initial-spread (0.25) of the mean box width 2B.
        #expect(abs(crossover.spread - 0.25 * 2 * folder.metadata.plan.bound) <= 1e-9)
    }
}
