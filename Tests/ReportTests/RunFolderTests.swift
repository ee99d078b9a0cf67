import Foundation
import Testing
@testable import Harness
@testable import Report
import Landscapes
import TestSupport

/// The run-folder reader that `bench report` uses, on documents `CSV.document` writes.
@Suite struct RunFolderCSVTests {
    /// The same documents through the run-folder reader that `bench report` uses.
    @Test func runFolderReaderReadsWrittenDocumentsBack() throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (n, (header, rows)) in CSVSamples.documents(200, seed: 11).enumerated() {
            let path = dir + "/\(n).csv"
            try Data(CSV.document(header: header, rows: rows).utf8).write(to: URL(fileURLWithPath: path))
            let expected = rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            #expect(try RunFolder.rows(path) == expected)
        }
    }

    /// A run folder whose summary.csv or trials.csv names a column twice is refused, naming the
    /// file, line 1 and the column.
    @Test(arguments: ["summary.csv", "trials.csv"])
    func repeatedColumnInARunFolderIsRefused(file: String) throws {
        let dir = NSTemporaryDirectory() + "tunnelbench-csv-\(UUID().uuidString)"
        let landscape = try ResolvedLandscape(LandscapeSpec(name: "dw", family: "double-well"), overrides: SpecOverrides(trials: 2, budget: 100))
        let plan = RunPlan(landscapes: [landscape], optimizers: [try OptimizerEntry(name: "gd")], masterSeed: 1, threads: 1)
        let records = try BenchmarkRun.execute(plan)
        try RunOutput.prepare(dir)
        try RunOutput.write(dir, records: records,
                            metadata: RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil))
        let path = dir + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Rename the second column to the name of the tenth (escape_rate, in summary.csv).
        let table = try CSV.read(Data(text.utf8), path: path)
        var header = table.header
        header[1] = header[9]
        try CSV.document(header: header, rows: table.rows.map(\.fields)).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: HarnessError("\(path):1: column '\(header[9])' appears twice in the header (expected distinct column names)")) {
            try RunFolder(path: dir)
        }
    }
}

/// A run folder that `bench run` could not have written is refused with one line naming the file
/// (and line), never read into a report that crashes or draws nonsense.
@Suite struct RunFolderValidationTests {
    /// A small real run folder: one 2-D landscape, gd and sa, one traced trial each.
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "tunnelbench-folder-\(UUID().uuidString)"
        let landscape = try ResolvedLandscape(LandscapeSpec(name: "camel", family: "six-hump-camel"), overrides: SpecOverrides(trials: 3, budget: 200))
        var plan = RunPlan(landscapes: [landscape], optimizers: try ["gd", "sa"].map { try OptimizerEntry(name: $0) }, masterSeed: 1, threads: 1)
        plan.traceTrials = 1
        let records = try BenchmarkRun.execute(plan)
        try RunOutput.prepare(dir)
        try RunOutput.write(dir, records: records,
                            metadata: RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil))
        return dir
    }

    /// Replaces one cell (row 1 = the first after the header) of a CSV file of the folder.
    static func edit(_ path: String, row: Int, column: String, to value: String) throws {
        let table = try CSV.read(try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
        var rows = table.rows.map(\.fields)
        rows[row - 1][try #require(table.header.firstIndex(of: column))] = value
        try CSV.document(header: table.header, rows: rows).write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func writtenFolderReadsWithEveryRow() throws {
        let dir = try Self.folder()
        let run = try RunFolder(path: dir)
        #expect(run.summary.count == 2)
        #expect(run.trials.count == 6)
        #expect(!run.traces.isEmpty)
    }

    /// Each cell edit names the file, the line of the row and the column (line = row + 1).
    @Test(arguments: [
        ("summary.csv", 1, "budget", "nan", "column 'budget' is not a finite number > 0"),
        ("summary.csv", 2, "escape_rate", "1.5", "column 'escape_rate' is not a number in [0, 1] or empty"),
        ("summary.csv", 1, "trials", "-1", "column 'trials' is not a whole number ≥ 0"),
        ("summary.csv", 1, "mean_spent", "-inf", "column 'mean_spent' is not a number ≥ 0"),
        ("summary.csv", 2, "landscape", "elsewhere", "column 'landscape' names no landscape of run.json"),
        ("trials.csv", 4, "trapped", "yes", "column 'trapped' is not true or false"),
        ("trials.csv", 2, "evals_to_escape", "nan", "column 'evals_to_escape' is not a number ≥ 0 or empty"),
        ("trials.csv", 3, "start_seed", "-3", "column 'start_seed' is not a whole number in 0…2^64 − 1"),
        ("trials.csv", 5, "optimizer", "adam", "column 'optimizer' names no optimizer that run.json lists for this row's landscape"),
        ("traces.csv", 1, "point", "0.5;nan", "column 'point' is not finite coordinates separated by ';'"),
        ("traces.csv", 2, "snapshot", "-2", "column 'snapshot' is not a whole number ≥ -1"),
    ])
    func cellOfTheWrongKindIsRefused(file: String, row: Int, column: String, value: String, message: String) throws {
        let dir = try Self.folder()
        let path = dir + "/" + file
        try Self.edit(path, row: row, column: column, to: value)
        #expect(throws: HarnessError("\(path):\(row + 1): \(message)")) { try RunFolder(path: dir) }
    }

    /// Rows against run.json's counts (3 trials of camel × gd and × sa; trials.csv lists gd's
    /// trials 0–2 on lines 2–4, then sa's).
    @Test func rowsThatDisagreeWithRunJSONAreRefused() throws {
        func refusal(_ file: String, _ edit: (inout [[String]], [String]) -> Void) throws -> String? {
            let dir = try Self.folder()
            let path = dir + "/" + file
            let table = try CSV.read(try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
            var rows = table.rows.map(\.fields)
            edit(&rows, table.header)
            try CSV.document(header: table.header, rows: rows).write(toFile: path, atomically: true, encoding: .utf8)
            do { _ = try RunFolder(path: dir); return nil } catch let error as HarnessError {
                return error.description.replacingOccurrences(of: dir + "/", with: "")
            }
        }
        #expect(try refusal("summary.csv") { rows, _ in rows.append(rows[0]) }
                == "summary.csv:4: the landscape and optimizer of this row appear again (first on line 2; expected one row each)")
        #expect(try refusal("summary.csv") { rows, _ in rows.removeLast() }
                == "summary.csv: no row for run.json's landscapes[0] with optimizers[0][1] (expected one row per landscape and optimizer)")
        #expect(try refusal("summary.csv") { rows, header in rows[1][header.firstIndex(of: "trials")!] = "4" }
                == "summary.csv:3: column 'trials' is not the landscape's trial count in run.json (3)")
        #expect(try refusal("trials.csv") { rows, _ in rows.remove(at: 4) }
                == "trials.csv: 2 of the 3 trials of run.json's landscapes[0] with optimizers[0][1] (expected every trial once)")
        #expect(try refusal("trials.csv") { rows, _ in rows.insert(rows[1], at: 2) }
                == "trials.csv:4: this trial of this landscape and optimizer appears again (first on line 3)")
        #expect(try refusal("trials.csv") { rows, header in rows[0][header.firstIndex(of: "trial")!] = "3" }
                == "trials.csv:2: column 'trial' is not below the landscape's trial count in run.json (3)")
    }

    /// Values the writer does write are read: ∞ and NaN in a TTS99 column, empty optional cells.
    @Test func valuesTheWriterWritesAreAccepted() throws {
        let dir = try Self.folder()
        try Self.edit(dir + "/summary.csv", row: 1, column: "tts99_escape", to: "nan")
        try Self.edit(dir + "/summary.csv", row: 1, column: "tts99_escape_high", to: "inf")
        try Self.edit(dir + "/trials.csv", row: 1, column: "gap", to: "")
        #expect(try RunFolder(path: dir).summary[0]["tts99_escape"] == "nan")
    }

    /// run.json edits: the JSON object is changed and written back pretty-printed, as bench writes it.
    static func editMetadata(_ dir: String, _ edit: (inout [String: Any]) -> Void) throws {
        let path = dir + "/run.json"
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        edit(&object)
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
    }

    @Test func metadataWithMoreOptimizerListsThanLandscapesIsRefused() throws {
        let dir = try Self.folder()
        try Self.editMetadata(dir) { $0["optimizers"] = ($0["optimizers"] as! [Any]) + [[Any]() as Any] }
        #expect(throws: HarnessError("\(dir)/run.json: 'optimizers' has 2 lists for 1 landscapes (expected one list per landscape)")) {
            try RunFolder(path: dir)
        }
    }

    @Test func metadataWithoutLandscapesIsRefused() throws {
        let dir = try Self.folder()
        try Self.editMetadata(dir) { $0["landscapes"] = [Any]() }
        #expect(throws: HarnessError("\(dir)/run.json: 'landscapes' is empty (expected at least one landscape)")) { try RunFolder(path: dir) }
    }

    @Test(arguments: [("budget", -1.0, "a finite number > 0"), ("dimension", 0, "a whole number ≥ 1"),
                      ("trials", 0, "a whole number ≥ 1"), ("escapeAbsolute", -1e-6, "a finite number ≥ 0")])
    func metadataValueOutOfRangeIsRefused(key: String, value: Double, expected: String) throws {
        let dir = try Self.folder()
        try Self.editMetadata(dir) { object in
            var landscapes = object["landscapes"] as! [[String: Any]]
            landscapes[0][key] = key == "budget" || key == "escapeAbsolute" ? value as Any : Int(value) as Any
            object["landscapes"] = landscapes
        }
        #expect(throws: HarnessError("\(dir)/run.json: landscapes[0].\(key) is not \(expected)")) { try RunFolder(path: dir) }
    }

    @Test func metadataWithAMistypedFieldNamesTheField() throws {
        let dir = try Self.folder()
        try Self.editMetadata(dir) { $0["threads"] = "SECRET" }
        #expect(throws: HarnessError("\(dir)/run.json: field 'threads' is not a whole number in range")) { try RunFolder(path: dir) }
    }

    /// JSON allows a repeated key and Foundation keeps one of the two silently: the reader refuses
    /// it with the line the key appears on again.
    @Test func metadataWithARepeatedKeyIsRefusedWithItsLine() throws {
        let dir = try Self.folder()
        let path = dir + "/run.json"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let seed = try #require(lines.firstIndex { $0.contains("\"masterSeed\"") })
        lines.insert("  \"masterSeed\" : 7,", at: seed + 1)
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: HarnessError("\(path):\(seed + 2): key 'masterSeed' appears twice in one object (expected each key once)")) {
            try RunFolder(path: dir)
        }
    }

    /// The same key in two different objects is not a repeat; a key inside a string value is not a key.
    @Test func keysOfDifferentObjectsAreNotRepeats() {
        let json = #"{"a": {"a": 1, "b": "\"a\": 2, "}, "b": [{"a": 1}, {"a": 2}], "c": "{\"c\": 1, \"c\": 2}"}"#
        #expect(JSONKeys.firstRepeated(in: Data(json.utf8)) == nil)
        #expect(JSONKeys.firstRepeated(in: Data(#"{"x": [1, {"y": 2}], "x": 3}"#.utf8))?.key == "x")
    }
}
