import Foundation

/// One trial's outcome as a baseline keeps it: enough for the paired test.
public struct TrialOutcome: Sendable, Equatable {
    public var trial: Int
    public var trapped: Bool
    public var escaped: Bool
    /// `nil` when f* is unknown.
    public var success: Bool?
}

/// One (landscape, optimizer) row of a baseline: what identifies it, its counts, and its trials.
public struct BaselineRow: Sendable, Equatable {
    /// `landscape/optimizer-label`: how check matches rows.
    public var key: String
    public var landscape: String
    /// The instance the trials ran on; with `seed` it fixes every start, so trials pair up.
    public var instanceKey: String
    public var seed: UInt64
    public var budget: Double
    public var optimizer: String
    public var optimizerParameters: String
    public var trials: Int
    public var trapped: Int
    public var escaped: Int
    public var successes: Int?
    public var outcomes: [TrialOutcome]

    public var escapeRate: Double? { trapped > 0 ? Double(escaped) / Double(trapped) : nil }
    public var successRate: Double? { successes.map { Double($0) / Double(trials) } }
}

/// Reads and writes a baseline: `NAME.csv` (one row per landscape × optimizer) and beside it
/// `NAME-trials.csv` (one row per trial: row, trial, trapped, escaped, success).
public enum Baseline {
    public static let summaryHeader = ["row", "landscape", "instance", "seed", "budget", "optimizer", "optimizer_parameters",
                                       "trials", "trapped", "escaped", "successes"]
    public static let trialsHeader = ["row", "trial", "trapped", "escaped", "success"]

    /// `Results/baseline/ci.csv` → `Results/baseline/ci-trials.csv`.
    public static func trialsPath(for path: String) -> String {
        let base = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return base + "-trials.csv"
    }

    /// Builds baseline rows from a run of `plan`.
    public static func rows(from records: [TrialRecord], plan: RunPlan) -> [BaselineRow] {
        var rows = [BaselineRow]()
        var offset = 0
        for (l, landscape) in plan.landscapes.enumerated() {
            for entry in plan.optimizers[l] {
                let group = records[offset..<offset + landscape.trials]
                offset += landscape.trials
                let outcomes = group.map { TrialOutcome(trial: $0.trial, trapped: $0.trapped, escaped: $0.escaped, success: $0.success) }
                let hasOptimum = group.first?.success != nil
                rows.append(BaselineRow(
                    key: "\(landscape.spec.name)/\(entry.label)", landscape: landscape.spec.name,
                    instanceKey: landscape.instanceKey, seed: plan.masterSeed, budget: landscape.budget,
                    optimizer: entry.label, optimizerParameters: entry.parameters.canonicalText, trials: landscape.trials,
                    trapped: outcomes.filter(\.trapped).count, escaped: outcomes.filter(\.escaped).count,
                    successes: hasOptimum ? outcomes.filter { $0.success == true }.count : nil, outcomes: outcomes))
            }
        }
        return rows
    }

    /// Writes both files atomically.
    public static func write(_ rows: [BaselineRow], to path: String) throws {
        let summary = CSV.document(header: summaryHeader, rows: rows.map { r in
            [r.key, r.landscape, r.instanceKey, String(r.seed), CSV.number(r.budget), r.optimizer, r.optimizerParameters,
             String(r.trials), String(r.trapped), String(r.escaped), r.successes.map(String.init) ?? ""]
        })
        let trials = CSV.document(header: trialsHeader, rows: rows.flatMap { r in
            r.outcomes.map { [r.key, String($0.trial), CSV.flag($0.trapped), CSV.flag($0.escaped), CSV.flag($0.success)] }
        })
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try RunOutput.prepare(directory, flag: "--baseline") }
        try writeAtomically(trials, to: trialsPath(for: path))
        try writeAtomically(summary, to: path)
    }

    /// Reads both files, checking every line; errors name the file and line.
    public static func read(_ path: String) throws -> [BaselineRow] {
        let summary = try CSVTable(path: path, header: summaryHeader)
        let trials = try CSVTable(path: trialsPath(for: path), header: trialsHeader)
        var outcomes = [String: [TrialOutcome]]()
        for (line, f) in trials.rows {
            let outcome = TrialOutcome(trial: try trials.integer(f[1], line: line, column: "trial"),
                                       trapped: try trials.flag(f[2], line: line, column: "trapped"),
                                       escaped: try trials.flag(f[3], line: line, column: "escaped"),
                                       success: f[4].isEmpty ? nil : try trials.flag(f[4], line: line, column: "success"))
            outcomes[f[0], default: []].append(outcome)
        }
        return try summary.rows.map { line, f in
            guard let seed = UInt64(f[3]) else { throw summary.error(line: line, column: "seed", value: f[3], expected: "a whole number ≥ 0") }
            guard let budget = Double(f[4]), budget > 0 else {
                throw summary.error(line: line, column: "budget", value: f[4], expected: "a number > 0")
            }
            let row = BaselineRow(
                key: f[0], landscape: f[1], instanceKey: f[2], seed: seed, budget: budget, optimizer: f[5],
                optimizerParameters: f[6], trials: try summary.integer(f[7], line: line, column: "trials"),
                trapped: try summary.integer(f[8], line: line, column: "trapped"),
                escaped: try summary.integer(f[9], line: line, column: "escaped"),
                successes: f[10].isEmpty ? nil : try summary.integer(f[10], line: line, column: "successes"),
                outcomes: (outcomes[f[0]] ?? []).sorted { $0.trial < $1.trial })
            guard row.outcomes.count == row.trials,
                  row.outcomes.filter(\.escaped).count == row.escaped,
                  row.outcomes.filter(\.trapped).count == row.trapped else {
                throw HarnessError("\(path):\(line): row '\(row.key)' does not match its \(row.outcomes.count) trials in \(trialsPath(for: path))")
            }
            return row
        }
    }
}

/// A CSV file read with its header checked and every row's line number kept for errors.
struct CSVTable {
    let path: String
    let rows: [(line: Int, fields: [String])]

    init(path: String, header: [String]) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HarnessError("\(path): cannot be read (expected a baseline CSV; create one with --update-baseline)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, (try? CSVTable.split(String(first))) == header else {
            throw HarnessError("\(path):1: header is not '\(header.joined(separator: ","))'")
        }
        var rows = [(Int, [String])]()
        for (index, text) in lines.enumerated().dropFirst() where !text.isEmpty {
            let line = index + 1
            guard let fields = try? CSVTable.split(String(text)) else {
                throw HarnessError("\(path):\(line): malformed CSV (unbalanced quotes)")
            }
            guard fields.count == header.count else {
                throw HarnessError("\(path):\(line): \(fields.count) fields, expected \(header.count)")
            }
            rows.append((line, fields))
        }
        self.rows = rows
    }

    func error(line: Int, column: String, value: String, expected: String) -> HarnessError {
        HarnessError("\(path):\(line): column '\(column)' is '\(value)', expected \(expected)")
    }

    func integer(_ text: String, line: Int, column: String) throws -> Int {
        guard let v = Int(text), v >= 0 else { throw error(line: line, column: column, value: text, expected: "a whole number ≥ 0") }
        return v
    }

    func flag(_ text: String, line: Int, column: String) throws -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw error(line: line, column: column, value: text, expected: "true or false")
        }
    }

    struct Unbalanced: Error {}

    /// Splits one RFC 4180 line (no embedded line breaks: TunnelBench writes none).
    static func split(_ line: String) throws -> [String] {
        var fields = [String]()
        var field = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        if quoted { throw Unbalanced() }
        fields.append(field)
        return fields
    }
}
