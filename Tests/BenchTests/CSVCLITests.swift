import Foundation
import Testing
import Harness

/// The files `bench run` writes are read back by `bench report` whatever the names in them, and
/// `--format json` carries summary.csv's values as JSON values.
@Suite(.serialized) struct CSVCLITests {
    static let landscapeName = "well, \"deep\"\nsecond line"
    static let optimizerLabel = "sa, \"hot\"\nlabel"
    static let spinName = "spins, \"sk\"\r\nCRLF"

    /// A suite whose landscape names and optimizer label hold a comma, quotes and line breaks (LF,
    /// and CR LF). The optimizer parameters column cannot hold them (its values are numbers and
    /// choice names), so the label carries them into the optimizer columns. The sk landscape has
    /// no known f*: its success columns are empty.
    static let suite = """
        name: awkward
        seed: 3
        trials: 3
        landscapes:
          - name: "well, \\"deep\\"\\nsecond line"
            family: double-well
            dimension: 2
            budget: 300
            optimizers:
              - name: sa
                label: "sa, \\"hot\\"\\nlabel"
                parameters: {initial-temperature: 10}
              - random-search
          - name: "spins, \\"sk\\"\\r\\nCRLF"
            family: sk
            parameters: {size: 10}
            budget: 200
            optimizers: [sa-spin]
        """

    /// Runs the suite into a fresh folder (with one traced trial, so report reads traces.csv too).
    func runSuite(format: String = "csv") throws -> (folder: String, result: BenchProcess) {
        let dir = temporaryDirectory()
        let suitePath = dir + "/awkward.yaml"
        try Self.suite.write(toFile: suitePath, atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(["run", "--suite", suitePath, "--output", dir + "/run", "--trace", "1",
                                           "--format", format, "--quiet"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return (dir + "/run", result)
    }

    @Test func namesWithLineBreaksCommasAndQuotesAreWrittenAndReadBackByReport() throws {
        let (folder, _) = try runSuite()
        let summary = try CSV.read(try Data(contentsOf: URL(fileURLWithPath: folder + "/summary.csv")), path: "summary.csv")
        let landscape = try #require(summary.header.firstIndex(of: "landscape"))
        let optimizer = try #require(summary.header.firstIndex(of: "optimizer"))
        #expect(summary.rows.map { $0.fields[landscape] } == [Self.landscapeName, Self.landscapeName, Self.spinName])
        #expect(summary.rows.map { $0.fields[optimizer] } == [Self.optimizerLabel, "random-search", "sa-spin"])
        let report = try BenchProcess.run(["report", folder])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        #expect(report.stderr.isEmpty)
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        // One section per landscape, the heat map of the 2-D one with its traced trial.
        #expect(html.components(separatedBy: "<h2>").count - 1 == 2 + 1)
        #expect(html.contains("Landscape and traced trials"))
    }

    @Test func repeatedColumnInSummaryIsRefusedByReport() throws {
        let folder = temporaryDirectory() + "/run"
        let run = try BenchProcess.run(["--landscape", "double-well", "--trials", "2", "--budget", "100", "--optimizer", "gd",
                                        "--output", folder, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let path = folder + "/summary.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: ",escape_ci_low,", with: ",escape_rate,").write(toFile: path, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        expectOneLineRefusal(try BenchProcess.run(["report", folder]),
                             containing: "\(path):1: column 'escape_rate' appears twice in the header")
        #expect(!FileManager.default.fileExists(atPath: folder + "/report.html"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    /// run.json listing optimizers for a landscape it does not have made report index out of range.
    @Test func metadataWithAnExtraOptimizerListIsRefusedByReport() throws {
        let folder = temporaryDirectory() + "/run"
        let run = try BenchProcess.run(["--landscape", "double-well", "--trials", "2", "--budget", "100", "--optimizer", "gd",
                                        "--output", folder, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let path = folder + "/run.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"optimizers\" : [\n", with: "\"optimizers\" : [\n    [],\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["report", folder]),
                             containing: "\(path): 'optimizers' has 2 lists for 1 landscapes (expected one list per landscape)")
    }

    @Test func crlfRunFolderIsRefusedByReportWithItsLine() throws {
        let (folder, _) = try runSuite()
        let path = folder + "/trials.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["report", folder]),
                             containing: "\(path):1: line ends with CR LF (Windows line endings); expected LF only")
    }

    /// A JSON value as Foundation's decoder reads it, with its type kept.
    enum Value: Decodable, Equatable {
        case null, bool(Bool), number(Double), text(String)

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let x = try? c.decode(Double.self) { self = .number(x) }
            else { self = .text(try c.decode(String.self)) }
        }
    }

    /// Every object of `--format json` has summary.csv's columns as keys and each value is the
    /// cell of the same run's summary.csv: text columns as strings, an empty cell as null, "inf",
    /// "-inf" and "nan" as those strings, every other cell as the number it spells.
    @Test func jsonHoldsSummaryValuesAsJSONTypes() throws {
        let (folder, result) = try runSuite(format: "json")
        let objects = try JSONDecoder().decode([[String: Value]].self, from: Data(result.stdout.utf8))
        let summary = try CSV.read(try Data(contentsOf: URL(fileURLWithPath: folder + "/summary.csv")), path: "summary.csv")
        let textColumns: Set = ["landscape", "optimizer", "optimizer_parameters", "budget_accounting", "diagnostics"]
        #expect(objects.count == summary.rows.count)
        for (object, row) in zip(objects, summary.rows) {
            #expect(Set(object.keys) == Set(summary.header))
            for (column, cell) in zip(summary.header, row.fields) {
                let expected: Value
                if textColumns.contains(column) || ["inf", "-inf", "nan"].contains(cell) { expected = .text(cell) }
                else if cell.isEmpty { expected = .null }
                else { expected = .number(try #require(Double(cell), "\(column) = \(cell)")) }
                #expect(object[column] == expected, "\(column)")
            }
        }
        // The run exercises null (sk has no f*) and the string "inf", besides text and numbers.
        #expect(objects.contains { $0["success_rate"] == .null })
        #expect(objects.contains { $0.values.contains(.text("inf")) })
        #expect(objects.first?["landscape"] == .text(Self.landscapeName))
    }
}
