import Foundation
import Harness
import Landscapes

/// A run's output folder read back: run.json, summary.csv, trials.csv, (when the run traced
/// trials) traces.csv and (for an ensemble) ensemble.csv. Columns are looked up by name, so files with extra columns still read.
///
/// The reader refuses what `bench run` could not have written, with one line naming the file and
/// line: a run.json that does not decode, repeats a key, lists optimizers for a landscape it does
/// not have, repeats a landscape name or an optimizer label, or holds a value out of its range
/// (a budget that is not a finite number > 0, a dimension or trial count below 1, a negative or
/// non-finite tolerance); a CSV file `CSV.read` refuses; a known column whose cell is not of its
/// kind (a count that is not a whole number ≥ 0, a rate outside [0, 1], NaN or a negative where
/// the writer writes a number ≥ 0, a flag other than true/false); a row naming a landscape or an
/// optimizer that run.json does not list; counts that disagree with run.json (a summary row
/// missing or repeated, or with another trial count; a trial missing, repeated or out of range).
public struct RunFolder: Sendable {
    public var path: String
    public var metadata: RunMetadata
    public var summary: [[String: String]]
    public var trials: [[String: String]]
    public var traces: [[String: String]]
    /// surface.csv's rows (`LandscapeSurface`): the background of 2-D trajectory figures; empty
    /// when the run wrote none.
    public var surface: [[String: String]]
    /// ensemble.csv's rows (`EnsembleQuantile`): quantiles over an ensemble's instances; empty
    /// when the run has no ensemble with f* known.
    public var ensembles: [[String: String]] = []

    public init(path: String) throws {
        self.path = path
        func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
        guard let json = FileManager.default.contents(atPath: file("run.json")) else {
            throw HarnessError("\(path): not a run folder (no run.json; expected the --output folder of bench run)")
        }
        metadata = try RunFolder.metadata(json, path: file("run.json"))
        var labels = [String: Set<String>]()
        for (l, landscape) in metadata.landscapes.enumerated() { labels[landscape.name] = Set(metadata.optimizers[l].map(\.label)) }
        let summary = try RunFolder.numberedRows(file("summary.csv"), columns: RunFolder.summaryColumns, labels: labels)
        let trials = try RunFolder.numberedRows(file("trials.csv"), columns: RunFolder.trialColumns, labels: labels)
        try RunFolder.checkCounts(metadata, summary: summary, summaryPath: file("summary.csv"), trials: trials, trialsPath: file("trials.csv"))
        self.summary = summary.map(\.row)
        self.trials = trials.map(\.row)
        let tracesWritten = FileManager.default.fileExists(atPath: file("traces.csv"))
        let traced = tracesWritten
            ? try RunFolder.numberedRows(file("traces.csv"), columns: RunFolder.traceColumns, labels: labels) : []
        try RunFolder.checkTraces(metadata, traces: traced, written: tracesWritten, path: file("traces.csv"))
        traces = traced.map(\.row)
        surface = FileManager.default.fileExists(atPath: file("surface.csv"))
            ? try RunFolder.numberedRows(file("surface.csv"), columns: RunFolder.surfaceColumns, labels: labels).map(\.row) : []
        for row in surface where !["box", "cell", "minimum"].contains(row["kind"] ?? "") {
            throw HarnessError("\(file("surface.csv")): column 'kind' is \(PlainText.shown(row["kind"] ?? "")), expected box, cell or minimum")
        }
        if FileManager.default.fileExists(atPath: file("ensemble.csv")) {
            ensembles = try RunFolder.ensembleRows(file("ensemble.csv"), metadata: metadata)
        }
    }

    /// The columns of ensemble.csv the reader checks.
    static let ensembleColumns: [String: Cell] = [
        "ensemble": Cell(kind: .text), "family": Cell(kind: .text), "dimension": Cell(kind: .whole(minimum: 1)),
        "optimizer": Cell(kind: .text), "instances": Cell(kind: .whole(minimum: 1)), "trials": Cell(kind: .whole(minimum: 1)),
        "statistic": Cell(kind: .text), "quantile": Cell(kind: .rate), "value": Cell(kind: .amount, nan: true),
        "lower": Cell(kind: .amount, nan: true), "upper": Cell(kind: .amount, nan: true),
    ]

    /// ensemble.csv's rows, each naming an ensemble run.json's landscapes belong to and an
    /// optimizer run on it, a statistic `bench run` writes and a value inside its interval.
    static func ensembleRows(_ path: String, metadata: RunMetadata) throws -> [[String: String]] {
        var labels = [String: Set<String>]()
        for (l, landscape) in metadata.landscapes.enumerated() {
            guard let ensemble = landscape.ensemble else { continue }
            labels[ensemble, default: []].formUnion(metadata.optimizers[l].map(\.label))
        }
        let rows = try numberedRows(path, columns: ensembleColumns, labels: nil)
        let statistics = Set(EnsembleStatistic.allCases.map(\.rawValue))
        for (line, row) in rows {
            func fail(_ text: String) -> HarnessError { HarnessError("\(path):\(line): \(text)") }
            for column in ensembleColumns.keys where row[column] == nil { throw fail("column '\(column)' is missing") }
            guard let own = labels[row["ensemble"]!] else { throw fail("column 'ensemble' names no ensemble of run.json") }
            guard own.contains(row["optimizer"]!) else {
                throw fail("column 'optimizer' names no optimizer that run.json lists for this ensemble")
            }
            guard statistics.contains(row["statistic"]!) else {
                throw fail("column 'statistic' is \(PlainText.shown(row["statistic"]!)), expected success, tts99 or aRT")
            }
            let (value, lower, upper) = (Double(row["value"]!)!, Double(row["lower"]!)!, Double(row["upper"]!)!)
            if !(value.isNaN || lower.isNaN || upper.isNaN) && !(lower <= value && value <= upper) {
                throw fail("value \(row["value"]!) lies outside its interval [\(row["lower"]!), \(row["upper"]!)]")
            }
        }
        return rows.map(\.row)
    }

    /// The landscape's kind as the folder says it (`RecordedKind`).
    public func kind(of landscape: RunMetadata.LandscapeEntry) -> RecordedKind {
        if let kind = landscape.kind { return RecordedKind(rawValue: kind) ?? .unknown }
        return traces.contains { $0["landscape"] == landscape.name } ? .continuous : .unknown
    }

    /// Whether the landscape's trials report a training accuracy (a network trained on data).
    public func trainsNetwork(_ landscape: RunMetadata.LandscapeEntry) -> Bool {
        trials.contains { $0["landscape"] == landscape.name && !($0["training_accuracy"] ?? "").isEmpty }
    }

    /// The words for the landscape's values.
    public func words(for landscape: RunMetadata.LandscapeEntry) -> ValueWords {
        ValueWords(kind: kind(of: landscape), trainsNetwork: trainsNetwork(landscape))
    }

    /// traces.csv agrees with run.json's `traceTrials`: every row belongs to a traced trial
    /// (trial < traceTrials, within the landscape's trials), and a run that traced trials of a
    /// continuous landscape has trace rows (each traced trial records at least its start). A
    /// landscape is known to be continuous from run.json's `kind`; older folders say it only by
    /// writing traces.csv, which `bench run` creates with its first row, so an empty one is refused.
    static func checkTraces(_ metadata: RunMetadata, traces: [(line: Int, row: [String: String])], written: Bool,
                            path: String) throws {
        var trialsOf = [String: Int]()
        for landscape in metadata.landscapes { trialsOf[landscape.name] = landscape.trials }
        for (line, row) in traces {
            guard let trial = row["trial"].flatMap({ Int($0) }), let name = row["landscape"],
                  let trials = trialsOf[name] else { continue }
            guard trial < min(metadata.traceTrials, trials) else {
                throw HarnessError("\(path):\(line): trial \(trial) was not traced (run.json traces trials 0..<\(metadata.traceTrials))")
            }
        }
        // Only continuous landscapes record trajectories.
        let expectsTraces = metadata.traceTrials > 0
            && (written || metadata.landscapes.contains { $0.trials > 0 && $0.kind == RecordedKind.continuous.rawValue })
        if expectsTraces && traces.isEmpty {
            throw HarnessError("\(path): no trace rows, but run.json traces the first \(metadata.traceTrials) trials "
                + "(expected the traces.csv bench run --trace writes)")
        }
    }

    /// A CSV file as one dictionary per row, keyed by the header (`CSV.read`: column names
    /// distinct), each known column's cell checked against its kind and each row's landscape and
    /// optimizer against `labels` (landscape name → optimizer labels) when given.
    static func rows(_ path: String, columns: [String: Cell] = [:], labels: [String: Set<String>]? = nil) throws -> [[String: String]] {
        try numberedRows(path, columns: columns, labels: labels).map(\.row)
    }

    /// `rows`, each with the line it starts on.
    static func numberedRows(_ path: String, columns: [String: Cell], labels: [String: Set<String>]?) throws -> [(line: Int, row: [String: String])] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError("\(path): missing (a run folder holds trials.csv, summary.csv and run.json)")
        }
        let table = try CSV.read(data, path: path)
        let checked = table.header.enumerated().compactMap { i, name in columns[name].map { (i, name, $0) } }
        let landscape = table.header.firstIndex(of: "landscape"), optimizer = table.header.firstIndex(of: "optimizer")
        for record in table.rows {
            for (i, name, cell) in checked where !cell.accepts(record.fields[i]) {
                throw HarnessError("\(path):\(record.line): column '\(name)' is not \(cell.expected)")
            }
            guard let labels, let landscape else { continue }
            guard let own = labels[record.fields[landscape]] else {
                throw HarnessError("\(path):\(record.line): column 'landscape' names no landscape of run.json")
            }
            if let optimizer, !own.contains(record.fields[optimizer]) {
                throw HarnessError("\(path):\(record.line): column 'optimizer' names no optimizer that run.json lists for this row's landscape")
            }
        }
        return table.rows.map { ($0.line, Dictionary(uniqueKeysWithValues: zip(table.header, $0.fields))) }
    }

    /// The rows against run.json's counts: one summary row per landscape and optimizer, with the
    /// landscape's trial count; in trials.csv each trial index below that count, once per
    /// landscape and optimizer, none missing. Files without the columns these checks read are
    /// left to the report, which shows what is there.
    static func checkCounts(_ metadata: RunMetadata, summary: [(line: Int, row: [String: String])], summaryPath: String,
                            trials: [(line: Int, row: [String: String])], trialsPath: String) throws {
        let count = Dictionary(metadata.landscapes.map { ($0.name, $0.trials) }, uniquingKeysWith: { a, _ in a })
        var summaryLine = [[String]: Int]()
        for (line, row) in summary {
            guard let landscape = row["landscape"], let optimizer = row["optimizer"], let n = count[landscape] else { continue }
            if let first = summaryLine[[landscape, optimizer]] {
                throw HarnessError("\(summaryPath):\(line): the landscape and optimizer of this row appear again (first on line \(first); expected one row each)")
            }
            summaryLine[[landscape, optimizer]] = line
            if let trials = row["trials"], Int(trials) != n {
                throw HarnessError("\(summaryPath):\(line): column 'trials' is not the landscape's trial count in run.json (\(n))")
            }
        }
        var trialLine = [[String]: [Int: Int]]()
        for (line, row) in trials {
            guard let landscape = row["landscape"], let optimizer = row["optimizer"], let n = count[landscape],
                  let trial = row["trial"].flatMap({ Int($0) }) else { continue }
            guard trial < n else {
                throw HarnessError("\(trialsPath):\(line): column 'trial' is not below the landscape's trial count in run.json (\(n))")
            }
            if let first = trialLine[[landscape, optimizer], default: [:]][trial] {
                throw HarnessError("\(trialsPath):\(line): this trial of this landscape and optimizer appears again (first on line \(first))")
            }
            trialLine[[landscape, optimizer], default: [:]][trial] = line
        }
        let summaryChecked = summary.first.map { $0.row["landscape"] != nil && $0.row["optimizer"] != nil } ?? true
        let trialsChecked = trials.first.map { ["landscape", "optimizer", "trial"].allSatisfy($0.row.keys.contains) } ?? true
        for (l, landscape) in metadata.landscapes.enumerated() {
            for (k, optimizer) in metadata.optimizers[l].enumerated() {
                let pair = "run.json's landscapes[\(l)] with optimizers[\(l)][\(k)]"
                if summaryChecked && summaryLine[[landscape.name, optimizer.label]] == nil {
                    throw HarnessError("\(summaryPath): no row for \(pair) (expected one row per landscape and optimizer)")
                }
                let found = trialLine[[landscape.name, optimizer.label]]?.count ?? 0
                if trialsChecked && found != landscape.trials {
                    throw HarnessError("\(trialsPath): \(found) of the \(landscape.trials) trials of \(pair) (expected every trial once)")
                }
            }
        }
    }

    /// run.json decoded and checked.
    static func metadata(_ json: Data, path: String) throws -> RunMetadata {
        let metadata = try JSONKeys.decode(RunMetadata.self, from: json, path: path, expected: "the run.json bench run writes")
        func fail(_ text: String) -> HarnessError { HarnessError("\(path): \(text)") }
        guard !metadata.landscapes.isEmpty else { throw fail("'landscapes' is empty (expected at least one landscape)") }
        guard metadata.optimizers.count == metadata.landscapes.count else {
            throw fail("'optimizers' has \(metadata.optimizers.count) lists for \(metadata.landscapes.count) landscapes (expected one list per landscape)")
        }
        guard metadata.threads >= 1 else { throw fail("'threads' is not a whole number ≥ 1") }
        guard metadata.traceTrials >= 0 else { throw fail("'traceTrials' is not a whole number ≥ 0") }
        if let cost = metadata.gradCost, !(cost.isFinite && cost > 0) { throw fail("'gradCost' is not a finite number > 0") }
        var names = Set<String>()
        for (l, entry) in metadata.landscapes.enumerated() {
            func field(_ name: String, _ ok: Bool, _ expected: String) throws {
                if !ok { throw fail("landscapes[\(l)].\(name) is not \(expected)") }
            }
            try field("name", names.insert(entry.name).inserted, "distinct from the other landscapes' names")
            try field("dimension", entry.dimension >= 1, "a whole number ≥ 1")
            try field("instance", entry.instance >= 0, "a whole number ≥ 0")
            try field("trials", entry.trials >= 1, "a whole number ≥ 1")
            try field("budget", entry.budget.isFinite && entry.budget > 0, "a finite number > 0")
            try field("optimum", entry.optimum?.isFinite ?? true, "a finite number or absent")
            try field("kind", entry.kind.map { ["continuous", "ising"].contains($0) } ?? true, "continuous, ising or absent")
            for (name, value) in [("escapeAbsolute", entry.escapeAbsolute), ("escapeRelative", entry.escapeRelative), ("success", entry.success)] {
                try field(name, value.isFinite && value >= 0, "a finite number ≥ 0")
            }
            let labels = metadata.optimizers[l].map(\.label)
            try field("optimizers", !labels.isEmpty, "given (expected at least one optimizer in optimizers[\(l)])")
            if Set(labels).count != labels.count { throw fail("optimizers[\(l)] repeats a label (expected each optimizer label once per landscape)") }
        }
        return metadata
    }

    /// What a known column holds: what `bench run` can write there.
    struct Cell {
        enum Kind: Equatable {
            /// Any text.
            case text
            /// A whole number ≥ `minimum`.
            case whole(minimum: Int)
            /// A 64-bit seed.
            case seed
            /// A finite number > 0.
            case positive
            /// A number ≥ 0, ∞ included (a time to solution that never comes).
            case amount
            /// A number in [0, 1].
            case rate
            /// Any number, ±∞ and NaN included (a best value of a failed trial).
            case real
            /// `true` or `false`.
            case flag
            /// Finite coordinates separated by `;`.
            case point
        }

        var kind: Kind
        /// Whether the cell may be empty (a value that does not exist).
        var optional = false
        /// Whether the cell may be NaN (a timing over no time; a TTS99 whose interval the rate
        /// leaves undefined).
        var nan = false

        func accepts(_ text: String) -> Bool {
            if text.isEmpty { return optional || kind == .text }
            if nan && text == "nan" { return true }
            switch kind {
            case .text: return true
            case .whole(let minimum): return Int(text).map { $0 >= minimum } ?? false
            case .seed: return UInt64(text) != nil
            case .positive: return Double(text).map { $0.isFinite && $0 > 0 } ?? false
            case .amount: return Double(text).map { $0 >= 0 } ?? false
            case .rate: return Double(text).map { $0 >= 0 && $0 <= 1 } ?? false
            case .real: return Double(text) != nil
            case .flag: return text == "true" || text == "false"
            case .point: return text.split(separator: ";", omittingEmptySubsequences: false).allSatisfy { Double($0)?.isFinite ?? false }
            }
        }

        var expected: String {
            let base: String
            switch kind {
            case .text: base = "text"
            case .whole(let minimum): base = "a whole number ≥ \(minimum)"
            case .seed: base = "a whole number in 0…2^64 − 1"
            case .positive: base = "a finite number > 0"
            case .amount: base = "a number ≥ 0"
            case .rate: base = "a number in [0, 1]"
            case .real: base = "a number"
            case .flag: base = "true or false"
            case .point: base = "finite coordinates separated by ';'"
            }
            return base + (nan ? " or nan" : "") + (optional ? " or empty" : "")
        }
    }

    static let summaryColumns: [String: Cell] = {
        var columns: [String: Cell] = [
            "landscape": Cell(kind: .text), "optimizer": Cell(kind: .text), "optimizer_parameters": Cell(kind: .text),
            "dimension": Cell(kind: .whole(minimum: 1)), "budget": Cell(kind: .positive),
            "successes": Cell(kind: .whole(minimum: 0), optional: true), "median_gap": Cell(kind: .real, optional: true),
            "mean_spent": Cell(kind: .amount), "evaluations_per_second": Cell(kind: .amount, nan: true),
        ]
        for name in ["trials", "failed", "trapped", "escaped"] { columns[name] = Cell(kind: .whole(minimum: 0)) }
        for name in ["escape_rate", "escape_ci_low", "escape_ci_high", "success_rate", "success_ci_low", "success_ci_high",
                     "median_training_accuracy"] {
            columns[name] = Cell(kind: .rate, optional: true)
        }
        func interval(_ measure: String) -> [String] {
            ["escape", "success"].flatMap { outcome in ["", "_low", "_high"].map { "\(measure)_\(outcome)\($0)" } }
        }
        for name in ["escape_evals_q1", "escape_evals_median", "escape_evals_q3"] + interval("aRT") {
            columns[name] = Cell(kind: .amount, optional: true)
        }
        for name in interval("tts99") { columns[name] = Cell(kind: .amount, optional: true, nan: true) }
        columns["final_successes"] = Cell(kind: .whole(minimum: 0), optional: true)
        for name in ["final_success_rate", "final_success_ci_low", "final_success_ci_high"] {
            columns[name] = Cell(kind: .rate, optional: true)
        }
        columns["median_final_gap"] = Cell(kind: .real, optional: true)
        columns["budget_accounting"] = Cell(kind: .text)
        return columns
    }()

    static let trialColumns: [String: Cell] = {
        var columns = [String: Cell]()
        for name in ["landscape", "family", "landscape_parameters", "optimizer", "optimizer_parameters", "start", "stop_reason", "failure"] {
            columns[name] = Cell(kind: .text)
        }
        for name in ["instance", "trial", "evaluations", "gradient_evaluations", "minibatch_gradient_evaluations", "calibration_evaluations"] {
            columns[name] = Cell(kind: .whole(minimum: 0))
        }
        columns["dimension"] = Cell(kind: .whole(minimum: 1))
        for name in ["start_seed", "optimizer_seed"] { columns[name] = Cell(kind: .seed) }
        columns["budget"] = Cell(kind: .positive)
        for name in ["trap_value", "best_value"] { columns[name] = Cell(kind: .real) }
        columns["gap"] = Cell(kind: .real, optional: true)
        for name in ["trapped", "escaped"] { columns[name] = Cell(kind: .flag) }
        columns["success"] = Cell(kind: .flag, optional: true)
        for name in ["evals_to_escape", "evals_to_success"] { columns[name] = Cell(kind: .amount, optional: true) }
        columns["spent"] = Cell(kind: .amount)
        columns["wall_time_s"] = Cell(kind: .amount, nan: true)
        columns["training_accuracy"] = Cell(kind: .rate, optional: true)
        columns["final_value"] = Cell(kind: .real, optional: true)
        columns["final_success"] = Cell(kind: .flag, optional: true)
        columns["budget_accounting"] = Cell(kind: .text)
        return columns
    }()

    static let surfaceColumns: [String: Cell] = [
        "landscape": Cell(kind: .text), "kind": Cell(kind: .text), "x1": Cell(kind: .real), "x2": Cell(kind: .real),
        "value": Cell(kind: .real),
    ]

    static let traceColumns: [String: Cell] = [
        "landscape": Cell(kind: .text), "optimizer": Cell(kind: .text), "trial": Cell(kind: .whole(minimum: 0)),
        "snapshot": Cell(kind: .whole(minimum: -1)), "spent": Cell(kind: .amount), "value": Cell(kind: .real),
        "point": Cell(kind: .point),
    ]
}

/// The JSON files of output folders read back (run.json, tunnel-map.json), with the checks on
/// JSON text that Foundation's decoder does not make.
enum JSONKeys {
    /// `json` decoded as `T`, refused with one line naming `path` (and the line of a repeated key,
    /// or the field that is missing or mistyped) and, as what was expected, `expected` ("the
    /// run.json bench run writes"). No text of the file is shown.
    static func decode<T: Decodable>(_ type: T.Type, from json: Data, path: String, expected: String) throws -> T {
        if let (key, line) = firstRepeated(in: json) {
            throw HarnessError("\(path):\(line): key '\(key)' appears twice in one object (expected each key once)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: json)
        } catch let error as DecodingError {
            throw HarnessError("\(path): \(describe(error, expected: expected))")
        } catch {
            throw HarnessError("\(path): not JSON (expected \(expected))")
        }
    }

    /// The first key that appears twice in one object, with the line it appears on again; `nil`
    /// when there is none (or the text is not JSON, which the decoder then reports).
    static func firstRepeated(in data: Data) -> (key: String, line: Int)? {
        let bytes = [UInt8](data)
        // One entry per open object (its keys so far, and whether a key comes next) or array (`nil`).
        var stack = [(keys: Set<[UInt8]>, expectingKey: Bool)?]()
        var line = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x22: // a string: its raw bytes up to the closing quote
                var j = i + 1
                while j < bytes.count && bytes[j] != 0x22 {
                    if bytes[j] == 0x5C { j += 1 } else if bytes[j] == 0x0A { line += 1 }
                    j += 1
                }
                guard j < bytes.count else { return nil }
                let token = Array(bytes[(i + 1)..<j])
                if var top = stack.last ?? nil, top.expectingKey {
                    if !top.keys.insert(token).inserted { return (String(decoding: token, as: UTF8.self), line) }
                    top.expectingKey = false
                    stack[stack.count - 1] = top
                }
                i = j
            case 0x7B: stack.append((keys: [], expectingKey: true))
            case 0x5B: stack.append(nil)
            case 0x7D, 0x5D: if !stack.isEmpty { stack.removeLast() }
            case 0x2C:
                if var top = stack.last ?? nil {
                    top.expectingKey = true
                    stack[stack.count - 1] = top
                }
            case 0x0A: line += 1
            default: break
            }
            i += 1
        }
        return nil
    }

    /// A decoding error as the field it concerns and what was expected, without the file's text.
    static func describe(_ error: DecodingError, expected file: String) -> String {
        func name(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "field '\(name(context.codingPath + [key]))' is missing (expected \(file))"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "field '\(name(context.codingPath))' is not \(expected(type, file: file))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON (expected \(file))"
                : "field '\(name(context.codingPath))' is not of its type (expected \(file))"
        @unknown default:
            return "unreadable (expected \(file))"
        }
    }

    static func expected(_ type: Any.Type, file: String) -> String {
        switch type {
        case is String.Type: return "text"
        case is Int.Type, is UInt64.Type: return "a whole number in range"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return "of its type (expected \(file))"
        }
    }
}
