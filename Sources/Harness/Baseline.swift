import Foundation
import Landscapes
import Optimizers

/// One trial's outcome as a baseline keeps it: enough for the paired test.
public struct TrialOutcome: Sendable, Equatable {
    public var trial: Int
    public var trapped: Bool
    public var escaped: Bool
    /// `nil` when f* is unknown.
    public var success: Bool?
    /// Whether the trial failed (its record carries a failure); a failed trial neither escapes
    /// nor succeeds.
    public var failed = false

    public init(trial: Int, trapped: Bool, escaped: Bool, success: Bool?, failed: Bool = false) {
        self.trial = trial
        self.trapped = trapped
        self.escaped = escaped
        self.success = success
        self.failed = failed
    }
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
    /// Trials that failed. A written baseline always has 0 (`Baseline.write` refuses failures);
    /// a current run's rows may have more, and then the gate fails.
    public var failed = 0
    public var outcomes: [TrialOutcome]

    public var escapeRate: Double? { trapped > 0 ? Double(escaped) / Double(trapped) : nil }
    public var successRate: Double? { successes.map { Double($0) / Double(trials) } }

    /// While an ensemble's rows are pooled: its members' instance keys.
    var memberKeys = [String]()

    /// Appends `member`'s trials after this row's (renumbered to follow them) and adds its counts.
    /// Success is pooled only while every member has f* known; otherwise the row has no success
    /// (as a baseline row without f*), so that the file it is written to reads back.
    mutating func pool(_ member: BaselineRow) {
        outcomes += member.outcomes.map { var o = $0; o.trial += trials; return o }
        trials += member.trials
        trapped += member.trapped
        escaped += member.escaped
        if let mine = successes, let theirs = member.successes {
            successes = mine + theirs
        } else {
            successes = nil
            for k in outcomes.indices { outcomes[k].success = nil }
        }
        failed += member.failed
        memberKeys.append(member.instanceKey)
    }

    /// The columns of the summary file before `digest`: the fields the digest covers.
    static let digestedColumns: [Column<BaselineRow>] = [
        .text("row") { $0.key },
        .text("landscape") { $0.landscape },
        .text("instance") { $0.instanceKey },
        .seed("seed") { $0.seed },
        .number("budget") { $0.budget },
        .text("optimizer") { $0.optimizer },
        .text("optimizer_parameters") { $0.optimizerParameters },
        .whole("trials") { $0.trials },
        .whole("trapped") { $0.trapped },
        .whole("escaped") { $0.escaped },
        .whole("successes") { $0.successes },
        .whole("failed") { $0.failed },
    ]

    /// The row's fields as the summary file writes them, without the digest.
    var summaryFields: [String] { Self.digestedColumns.map { $0.field(self) } }

    /// 16 hex digits over the canonical text of every field of the row and of each of its trials
    /// (in trial order): FNV-1a with one SplitMix64 step (`Seed.derive`). It is a check against
    /// corruption and stray edits, not a cryptographic seal: any change to a value the gate reads
    /// changes it, while writing a number differently (`5000` for `5000.0`) does not.
    public var digest: String {
        let parts = ["baseline-row"] + summaryFields
            + outcomes.sorted { $0.trial < $1.trial }.map { Baseline.trialsColumns.line(BaselineTrial(key: key, outcome: $0)) }
        let value = Seed.derive(0, parts)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// One row of a baseline's trials file: a trial's outcome and the key of the summary row it
/// belongs to.
public struct BaselineTrial: Sendable, Equatable {
    public var key: String
    public var outcome: TrialOutcome
}

/// Reads and writes a baseline: `NAME.csv` (one row per landscape × optimizer) and beside it
/// `NAME-trials.csv` (one row per trial: row, trial, trapped, escaped, success, failed).
///
/// The reader accepts only what the writer could have written: exact headers, LF line endings,
/// a final line break, no blank lines, every field of its type (finite numbers, `true`/`false`),
/// each summary row once with `row` = `landscape/optimizer`, every trial row belonging to a
/// summary row, trial indices exactly 0..<trials with none repeated, the summary's counts equal
/// to its trial rows', outcomes that can happen (escape only from a trap; a failed trial neither
/// escapes nor succeeds; `success` empty in every trial exactly when the row has no successes
/// count), no failed trial, and each row's digest matching its fields and trials. Anything else
/// is rejected with one line naming the file and line.
public enum Baseline {
    /// The columns of the summary file `NAME.csv`: the row's fields, then the digest over them
    /// and its trials.
    public static let summaryColumns = Columns<BaselineRow>(BaselineRow.digestedColumns + [.text("digest") { $0.digest }])
    /// The columns of the trials file `NAME-trials.csv`.
    public static let trialsColumns = Columns<BaselineTrial>([
        .text("row") { $0.key },
        .whole("trial") { $0.outcome.trial },
        .flag("trapped") { $0.outcome.trapped },
        .flag("escaped") { $0.outcome.escaped },
        .flag("success") { $0.outcome.success },
        .flag("failed") { $0.outcome.failed },
    ])
    public static var summaryHeader: [String] { summaryColumns.names }
    public static var trialsHeader: [String] { trialsColumns.names }
    /// The headers before failures and digests were kept: named in the error so that the way out
    /// (regenerate) is obvious.
    static let previousSummaryHeader = Array(summaryHeader.prefix(11))
    static let previousTrialsHeader = Array(trialsHeader.prefix(5))

    /// `Results/baseline/ci.csv` → `Results/baseline/ci-trials.csv`.
    public static func trialsPath(for path: String) -> String {
        let base = path.hasSuffix(".csv") ? String(path.dropLast(4)) : path
        return base + "-trials.csv"
    }

    /// Builds baseline rows from the records of a run of `plan`: `rows(from:plan:)` on their
    /// outcomes.
    public static func rows(from records: [TrialRecord], plan: RunPlan) -> [BaselineRow] {
        var outcomes = TrialOutcomeTable()
        for record in records { outcomes.add(record) }
        return rows(from: outcomes, plan: plan)
    }

    /// Builds baseline rows from the outcomes of a run of `plan`, one per landscape and optimizer
    /// in plan order, each with its trials 0..<trials. An ensemble is one row per optimizer, named
    /// after it, that pools its instances' trials (instance k's trial t is the row's trial
    /// k·trials + t, in plan order), so the gate tests it once: the exact McNemar test on the
    /// pooled discordant pairs, which pairs each trial with the same trial of the same instance.
    /// Its instance key names the first member's and the count, with a digest over every member's
    /// key, so an edit to any instance unpairs the row.
    public static func rows(from outcomes: TrialOutcomeTable, plan: RunPlan) -> [BaselineRow] {
        var rows = [BaselineRow]()
        for row in singleRows(from: outcomes, plan: plan) {
            guard let ensemble = row.ensemble else {
                rows.append(row.row)
                continue
            }
            let key = "\(ensemble)/\(row.row.optimizer)"
            if let k = rows.firstIndex(where: { $0.key == key }) {
                rows[k].pool(row.row)
            } else {
                var pooled = row.row
                pooled.key = key
                pooled.landscape = ensemble
                pooled.memberKeys = [row.row.instanceKey]
                rows.append(pooled)
            }
        }
        for k in rows.indices where !rows[k].memberKeys.isEmpty {
            let keys = rows[k].memberKeys
            let hex = String(Seed.derive(0, ["ensemble"] + keys), radix: 16)
            rows[k].instanceKey = "ensemble of \(keys.count) instances (keys digest \(String(repeating: "0", count: 16 - hex.count) + hex)), "
                + "the first \(keys[0])"
            rows[k].memberKeys = []
        }
        return rows
    }

    /// One row per landscape and optimizer, with the ensemble the landscape belongs to.
    static func singleRows(from outcomes: TrialOutcomeTable, plan: RunPlan) -> [(row: BaselineRow, ensemble: String?)] {
        var rows = [(row: BaselineRow, ensemble: String?)]()
        for (l, landscape) in plan.landscapes.enumerated() {
            for entry in plan.optimizers[l] {
                let column = outcomes.column(landscape: landscape.spec.name, optimizer: entry.label)
                precondition(column.count >= landscape.trials && column.prefix(landscape.trials).allSatisfy { $0.contains(.present) },
                             "every trial of \(landscape.spec.name)/\(entry.label) ran")
                let outcomes = (0..<landscape.trials).map { column[$0].outcome(trial: $0) }
                let hasOptimum = outcomes.first?.success != nil
                rows.append((BaselineRow(
                    key: "\(landscape.spec.name)/\(entry.label)", landscape: landscape.spec.name,
                    instanceKey: landscape.instanceKey, seed: plan.masterSeed, budget: landscape.budget,
                    optimizer: entry.label, optimizerParameters: entry.parameters.canonicalText, trials: landscape.trials,
                    trapped: outcomes.filter(\.trapped).count, escaped: outcomes.filter(\.escaped).count,
                    successes: hasOptimum ? outcomes.filter { $0.success == true }.count : nil,
                    failed: outcomes.filter(\.failed).count, outcomes: outcomes), landscape.ensemble))
            }
        }
        return rows
    }

    /// Checks, before any work is done, that `path` can be written by `write`: neither it nor its
    /// trials file is a folder, its folder exists or can be created (no file stands in the way),
    /// and a file can be created in it. Creates the folder when missing, as `--output` does.
    public static func checkWritable(_ path: String, flag: String = "--baseline") throws {
        let manager = FileManager.default
        guard !path.isEmpty else { throw HarnessError("\(flag): empty path (expected a CSV file path)") }
        for file in [path, trialsPath(for: path)] {
            var isFolder: ObjCBool = false
            if manager.fileExists(atPath: file, isDirectory: &isFolder), isFolder.boolValue {
                throw HarnessError("\(flag) \(path): \(file) is a folder, expected a CSV file")
            }
        }
        let folder = parentFolder(path)
        // The nearest existing ancestor must be a folder; a file there makes the path impossible.
        var ancestor = folder
        while !manager.fileExists(atPath: ancestor), ancestor != "." && ancestor != "/" {
            ancestor = parentFolder(ancestor)
        }
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: ancestor, isDirectory: &isFolder), !isFolder.boolValue {
            throw HarnessError("\(flag) \(path): \(ancestor) is a file, not a folder")
        }
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw HarnessError("\(flag) \(path): cannot create the folder \(folder) (\(error.localizedDescription))")
        }
        // Only creating a file proves that one can be created (permissions, read-only mounts).
        let name = path.split(separator: "/").last.map(String.init) ?? "baseline"
        let probe = folder + "/.\(name).probe-\(FileNames.randomSuffix())"
        let descriptor = open(probe, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw HarnessError("\(flag) \(path): cannot write in the folder \(folder) (\(String(cString: strerror(errno))))")
        }
        close(descriptor)
        unlink(probe)
    }

    /// The folder holding `path` by its text alone ("." for a bare name; Foundation's
    /// `deletingLastPathComponent` traps on some relative paths on Linux).
    static func parentFolder(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
        guard let slash = text.lastIndex(of: "/") else { return "." }
        return slash == text.startIndex ? "/" : String(text[..<slash])
    }

    /// Writes both files. Refuses rows that record failed trials: a baseline is what later runs
    /// must match, and a failure is a defect to fix, not a figure to keep.
    ///
    /// Both new files are written in full and flushed first (each under an unpredictable
    /// temporary name, created exclusively), then the trials file is renamed into place, then the
    /// summary. Interrupted at any point, the pair on disk is the old one, the new one, or the old
    /// summary beside the new trials: `read` refuses the last unless every row's trials are
    /// unchanged (each summary row's digest covers its trials, and every trial row must belong to
    /// a summary row), in which case it reads as exactly the old baseline.
    public static func write(_ rows: [BaselineRow], to path: String) throws {
        try write(rows, to: path, operations: SystemFileOperations())
    }

    static func write(_ rows: [BaselineRow], to path: String, operations: any FileOperations) throws {
        let failed = rows.reduce(0) { $0 + $1.failed }
        if failed > 0 {
            let first = rows.first { $0.failed > 0 }!
            throw HarnessError("\(path): refusing to write a baseline with \(failed) failed trials (first in row '\(first.key)'); "
                + "fix the failures, then update the baseline")
        }
        let summary = summaryColumns.document(rows)
        let trials = trialsColumns.document(rows.lazy.flatMap { r in r.outcomes.lazy.map { BaselineTrial(key: r.key, outcome: $0) } })
        let directory = parentFolder(path)
        if directory != "." { try RunOutput.prepare(directory, flag: "--baseline") }
        let pendingTrials = try PendingFile(Data(trials.utf8), for: trialsPath(for: path), operations: operations)
        let pendingSummary = try PendingFile(Data(summary.utf8), for: path, operations: operations)
        defer {
            pendingTrials.discard()
            pendingSummary.discard()
        }
        try pendingTrials.commit()
        try pendingSummary.commit()
    }

    /// Reads both files, checking everything the type comment lists; errors name the file and line.
    public static func read(_ path: String) throws -> [BaselineRow] {
        let trialsFile = trialsPath(for: path)
        guard let summaryData = FileManager.default.contents(atPath: path) else {
            throw HarnessError("\(path): cannot be read (expected a baseline CSV; create one with --update-baseline)")
        }
        guard let trialsData = FileManager.default.contents(atPath: trialsFile) else {
            throw HarnessError("\(trialsFile): cannot be read (expected the per-trial file of baseline \(path); "
                + "regenerate both with --update-baseline)")
        }
        return try parse(summary: summaryData, trials: trialsData, path: path)
    }

    /// `read` on the two files' contents, `path` naming them in errors.
    static func parse(summary summaryData: Data, trials trialsData: Data, path: String) throws -> [BaselineRow] {
        let trialsFile = trialsPath(for: path)
        let summary = try CSVTable(path: path, data: summaryData, header: summaryColumns.names, previousHeader: previousSummaryHeader)
        let trials = try CSVTable(path: trialsFile, data: trialsData, header: trialsColumns.names, previousHeader: previousTrialsHeader)
        guard !summary.rows.isEmpty else {
            throw HarnessError("\(path): no rows after the header (a baseline lists at least one landscape × optimizer)")
        }

        // The summary: every field of its type, each key once.
        var rows = [BaselineRow]()
        var digests = [String]()
        var lines = [Int]()
        var index = [String: Int]()
        let (keyField, landscapeField, instanceField, seedField, budgetField, optimizerField, parametersField) = (
            summary.position("row"), summary.position("landscape"), summary.position("instance"), summary.position("seed"),
            summary.position("budget"), summary.position("optimizer"), summary.position("optimizer_parameters"))
        let digestField = summary.position("digest")
        for (line, f) in summary.rows {
            func here(_ text: String) -> HarnessError { HarnessError("\(path):\(line): \(text)") }
            func count(_ name: String) throws -> Int { try summary.integer(f, name, line: line) }
            for column in [keyField, landscapeField, instanceField, optimizerField] where f[column].isEmpty {
                throw here("column '\(summary.header[column])' is empty")
            }
            let key = f[keyField], landscape = f[landscapeField], optimizer = f[optimizerField]
            guard key == landscape + "/" + optimizer else {
                throw here("column 'row' is '\(key)', expected 'landscape/optimizer' = '\(landscape)/\(optimizer)'")
            }
            if let earlier = index[key] { throw here("row '\(key)' appears again (first on line \(lines[earlier]))") }
            guard let seed = UInt64(f[seedField]) else {
                throw summary.error(line: line, column: "seed", value: f[seedField], expected: "a whole number ≥ 0")
            }
            guard let budget = Double(f[budgetField]), budget.isFinite, budget > 0 else {
                throw summary.error(line: line, column: "budget", value: f[budgetField], expected: "a finite number > 0")
            }
            let trialCount = try count("trials")
            guard trialCount >= 1 else {
                throw summary.error(line: line, column: "trials", value: f[summary.position("trials")], expected: "at least 1")
            }
            let row = BaselineRow(
                key: key, landscape: landscape, instanceKey: f[instanceField], seed: seed, budget: budget, optimizer: optimizer,
                optimizerParameters: f[parametersField], trials: trialCount, trapped: try count("trapped"), escaped: try count("escaped"),
                successes: f[summary.position("successes")].isEmpty ? nil : try count("successes"),
                failed: try count("failed"), outcomes: [])
            if row.trapped > row.trials { throw here("trapped = \(row.trapped) exceeds trials = \(row.trials)") }
            if row.escaped > row.trapped { throw here("escaped = \(row.escaped) exceeds trapped = \(row.trapped)") }
            if let s = row.successes, s > row.trials { throw here("successes = \(s) exceeds trials = \(row.trials)") }
            if row.failed > 0 {
                throw here("row '\(row.key)' records \(row.failed) failed trials; a baseline holds none (--update-baseline refuses to write them)")
            }
            let digest = f[digestField]
            guard digest.count == 16, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw summary.error(line: line, column: "digest", value: digest, expected: "16 lowercase hexadecimal digits")
            }
            index[row.key] = rows.count
            rows.append(row)
            digests.append(digest)
            lines.append(line)
        }

        // The trials: each belongs to a summary row, its index in range and not repeated, its
        // outcome possible.
        var seen = [[Int: Int]](repeating: [:], count: rows.count)
        let (trialKeyField, successField) = (trials.position("row"), trials.position("success"))
        for (line, f) in trials.rows {
            func here(_ text: String) -> HarnessError { HarnessError("\(trialsFile):\(line): \(text)") }
            func flag(_ name: String) throws -> Bool { try trials.flag(f, name, line: line) }
            let key = f[trialKeyField]
            guard let r = index[key] else { throw here("row '\(key)' is not in \(path)") }
            let trial = try trials.integer(f, "trial", line: line)
            guard trial < rows[r].trials else {
                throw here("trial \(trial) of row '\(key)' is out of range (the row has \(rows[r].trials) trials: 0…\(rows[r].trials - 1))")
            }
            if let earlier = seen[r][trial] { throw here("trial \(trial) of row '\(key)' appears again (first on line \(earlier))") }
            seen[r][trial] = line
            let outcome = TrialOutcome(trial: trial, trapped: try flag("trapped"), escaped: try flag("escaped"),
                                       success: f[successField].isEmpty ? nil : try flag("success"), failed: try flag("failed"))
            if (outcome.success == nil) != (rows[r].successes == nil) {
                throw here(outcome.success == nil ? "column 'success' is empty, but row '\(key)' counts successes in \(path)"
                           : "column 'success' is '\(f[successField])', but row '\(key)' has no successes count in \(path) (f* unknown)")
            }
            if outcome.escaped && !outcome.trapped { throw here("escaped is true but trapped is false (escape is only from a trap)") }
            if outcome.failed && (outcome.escaped || outcome.success == true) {
                throw here("a failed trial is marked escaped or successful (a failed trial is neither)")
            }
            rows[r].outcomes.append(outcome)
        }

        // Each row against its trials: all present, the counts equal, the digest matching.
        for r in rows.indices {
            rows[r].outcomes.sort { $0.trial < $1.trial }
            let row = rows[r]
            func here(_ text: String) -> HarnessError { HarnessError("\(path):\(lines[r]): row '\(row.key)' \(text)") }
            if row.outcomes.count != row.trials {
                let missing = (0..<row.trials).first { seen[r][$0] == nil }!
                throw here("has \(row.outcomes.count) of its \(row.trials) trials in \(trialsFile) (trial \(missing) is missing)")
            }
            let counts: [(String, Int, Int)] = [
                ("trapped", row.trapped, row.outcomes.filter(\.trapped).count),
                ("escaped", row.escaped, row.outcomes.filter(\.escaped).count),
                ("successes", row.successes ?? 0, row.outcomes.filter { $0.success == true }.count),
                ("failed", row.failed, row.outcomes.filter(\.failed).count)]
            for (name, stated, counted) in counts where stated != counted {
                throw here("says \(name) = \(stated), but its trials in \(trialsFile) have \(counted)")
            }
            if row.digest != digests[r] {
                throw here("does not match its digest \(digests[r]) (a field here or one of its trials was changed after writing; "
                    + "regenerate the baseline with --update-baseline)")
            }
        }
        return rows.map(renamingFormerOptimizers)
    }

    /// A row written before its optimizer was renamed (`OptimizerCatalog.formerNames`) is read
    /// under the new name: its trials are what the renamed optimizer draws, since seeds use the
    /// seed key, which keeps the old name. The kind comes from the family that opens the row's
    /// instance key (`family[parameters] …`).
    static func renamingFormerOptimizers(_ row: BaselineRow) -> BaselineRow {
        let family = String(row.instanceKey.prefix { $0 != "[" })
        guard let kind = LandscapeKind(family: family), let now = OptimizerCatalog.formerNames[kind]?[row.optimizer] else { return row }
        var renamed = row
        renamed.optimizer = now
        renamed.key = "\(row.landscape)/\(now)"
        return renamed
    }
}

/// A CSV file read with its header checked and every row's line number kept for errors.
struct CSVTable {
    let path: String
    /// The header, which `init` checked to be the one expected.
    let header: [String]
    let rows: [(line: Int, fields: [String])]

    /// Reads `path` with `CSV.read` (UTF-8, LF line endings, a final line break, no blank line,
    /// every row with the header's field count) and checks that its header is exactly `header`.
    /// `previousHeader`, when the file has it, gets a message saying the file predates the
    /// current format.
    init(path: String, data: Data, header: [String], previousHeader: [String]? = nil) throws {
        self.path = path
        self.header = header
        let expected = header.joined(separator: ",")
        guard !data.isEmpty else { throw HarnessError("\(path): empty file (expected the header '\(expected)')") }
        let table = try CSV.read(data, path: path) { first in
            guard first != header else { return }
            if let previousHeader, first == previousHeader {
                throw HarnessError("\(path):1: written by an older bench (header without '"
                    + header.filter { !previousHeader.contains($0) }.joined(separator: "', '")
                    + "'); regenerate the baseline with --update-baseline")
            }
            let column = zip(first, header).prefix { $0 == $1 }.count
            let which = column < min(first.count, header.count) ? "column \(column + 1) is not '\(header[column])'"
                : first.count < header.count ? "\(header.count - first.count) columns missing" : "\(first.count - header.count) columns too many"
            throw HarnessError("\(path):1: not the expected header (\(which)); expected '\(expected)'")
        }
        rows = table.rows.map { ($0.line, $0.fields) }
    }

    func error(line: Int, column: String, value: String, expected: String) -> HarnessError {
        HarnessError("\(path):\(line): column '\(column)' is \(FileText.shown(value, at: nil)), expected \(expected)")
    }

    /// The position of column `name` in every row; a programming error when the header has none.
    func position(_ name: String) -> Int {
        guard let index = header.firstIndex(of: name) else { preconditionFailure("\(path): no column '\(name)' in \(header)") }
        return index
    }

    /// Column `name` of `fields` as a whole number ≥ 0.
    func integer(_ fields: [String], _ name: String, line: Int) throws -> Int {
        try integer(fields[position(name)], line: line, column: name)
    }

    /// Column `name` of `fields` as `true` or `false`.
    func flag(_ fields: [String], _ name: String, line: Int) throws -> Bool {
        try flag(fields[position(name)], line: line, column: name)
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
}
