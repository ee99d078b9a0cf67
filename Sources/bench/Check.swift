import ArgumentParser
import Foundation
import Harness

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a suite and compare it with a baseline, trial by trial (exact McNemar test, Holm's correction).",
        discussion: """
            With --output, also writes the run's trials.csv, summary.csv and run.json into that \
            folder; without, no run folder is written.

            Exit status: 0 no row regressed; 1 a row REGRESSED or is missing from the current run; \
            2 unusable input (a baseline that cannot be read or fails validation, a suite that does not \
            parse, an impossible flag, a --update-baseline path that cannot be written or that another \
            update holds, an --output folder that holds an earlier run without --overwrite, checked \
            before the suite runs); 3 some trials FAILED (as for a run: each is listed with its seeds and how to \
            reproduce it), whatever the rates say. --update-baseline refuses to write a baseline from a \
            run with failed trials (exit 3).
            """)

    @Option(name: .long, help: ArgumentHelp("The suite to run (YAML).", valueName: "file"))
    var suite: String

    @Option(name: .long, help: ArgumentHelp("The baseline summary CSV; its trials sit beside it in NAME-trials.csv.", valueName: "file"))
    var baseline: String

    @Option(name: .long, help: "Family-wise error rate across every row and outcome (Holm).")
    var alpha: Double = 0.01

    @Option(name: .customLong("min-drop"), help: "Smallest change in rate, in percentage points, that counts as a regression or an improvement.")
    var minDrop: Double = 5

    @Flag(name: .customLong("update-baseline"), help: "Rewrite the baseline from this run (atomically) and print what changed.")
    var updateBaseline = false

    @OptionGroup var threadOptions: ThreadOptions

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        try validateAlpha(alpha)
        if !(minDrop >= 0 && minDrop <= 100) {
            throw ValidationError("--min-drop must lie in [0, 100] percentage points, got \(minDrop)")
        }
    }

    @OptionGroup var externalOptions: ExternalOptions

    func run() throws {
        try externalOptions.registering(suite: suite) { try runRegistered() }
    }

    func runRegistered() throws {
        let suite = try reportingInputErrors { try Suite.load(path: self.suite) }
        let plan = suite.plan(threads: threadOptions.count)
        try reportingInputErrors { try plan.checkBudgets() }
        let old: [BaselineRow]?
        var baselineLock: FolderLock?
        defer { baselineLock?.release() }
        if updateBaseline {
            // Before the suite runs: a baseline that cannot be written must not cost a run.
            try reportingInputErrors { try Baseline.checkWritable(baseline) }
            // Held until the new pair is written: two updates never interleave their files.
            let lock = try reportingInputErrors { try FolderLock.acquire(beside: baseline, flag: "--baseline") }
            baselineLock = lock
            // The baseline is being replaced: an old one that does not read only loses the list
            // of what changed.
            do {
                old = FileManager.default.fileExists(atPath: baseline) ? try Baseline.read(baseline) : nil
            } catch {
                FileHandle.standardError.write(Data("note: the previous baseline is not used (\(error)); every row counts as added\n".utf8))
                old = nil
            }
        } else {
            old = try reportingInputErrors { try Baseline.read(baseline) }
        }
        // Staged before the suite runs and published whole after it (see `StagingFolder`).
        let staging = try outputOptions.output.map { output in
            try reportingInputErrors { try RunOutput.stage(output, defaultName: suite.name, overwrite: outputOptions.overwrite) }
        }
        defer { staging?.abandon() }
        let started = Date()
        // With --output, each record goes to trials.csv (in the staging folder) and into the tally
        // as it finishes; without, into the tally alone. No record is kept.
        let writer = try staging.map { staging in try reportingInputErrors { try RunWriter(directory: staging.path, plan: plan) } }
        var tally = RunTally(plan: plan)
        try reportingInputErrors {
            try BenchmarkRun.execute(plan) { record in
                if let writer { try writer.add(record) } else { tally.add(record) }
            }
        }
        if let writer {
            let metadata = RunMetadata(plan: plan, arguments: Array(CommandLine.arguments.dropFirst()), startedAt: started,
                                       gitCommit: RunOutput.gitCommit())
            tally = try reportingInputErrors { try writer.finish(metadata: metadata) }.tally
            try reportingInputErrors { try staging?.publish() }
        }
        let current = Baseline.rows(from: tally.outcomes, plan: plan)
        FileHandle.standardError.write(Data(String(format: "ran suite %@: %d trials in %.1f s\n", suite.name, tally.trials,
                                                   Date().timeIntervalSince(started)).utf8))
        let settings = CheckSettings(alpha: alpha, minimumDrop: minDrop / 100)
        let failures = RegressionCheck.failureLines(tally)
        if updateBaseline {
            if !failures.isEmpty {
                print(failures.joined(separator: "\n"))
                FileHandle.standardError.write(Data(("error: --update-baseline: refusing to write \(baseline): \(tally.failedCount) of "
                    + "\(tally.trials) trials failed (listed above); a baseline must record none\n").utf8))
                throw ExitCode(3)
            }
            try reportingInputErrors { try Baseline.write(current, to: baseline) }
            print(BaselineChanges.describe(old: old ?? [], new: current), terminator: "")
            print("updated \(baseline) and \(Baseline.trialsPath(for: baseline))")
            return
        }
        let comparisons = RegressionCheck.compare(baseline: old ?? [], current: current, settings: settings)
        print(RegressionCheck.table(comparisons), terminator: "")
        if !failures.isEmpty { print(failures.joined(separator: "\n")) }
        let failed = comparisons.filter { $0.verdict == .failed }.map(\.key)
        let regressed = comparisons.filter { $0.verdict == .regressed }.map(\.key)
        let missing = comparisons.filter { $0.verdict == .missing }.map(\.key)
        print(String(format: "%d rows; α = %g family-wise (Holm), minimum change %g points; ", comparisons.count, alpha, minDrop)
              + (failed.isEmpty && regressed.isEmpty && missing.isEmpty ? "no regression"
                 : [failed.isEmpty ? nil : "FAILED: " + failed.joined(separator: ", "),
                    regressed.isEmpty ? nil : "REGRESSED: " + regressed.joined(separator: ", "),
                    missing.isEmpty ? nil : "missing: " + missing.joined(separator: ", ")]
                    .compactMap { $0 }.joined(separator: "; ")))
        if !failures.isEmpty { throw ExitCode(3) }
        if RegressionCheck.fails(comparisons) { throw ExitCode(1) }
    }
}

/// What `--update-baseline` prints: rows added, removed, and whose counts changed.
enum BaselineChanges {
    static func describe(old: [BaselineRow], new: [BaselineRow]) -> String {
        let before = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let afterKeys = Set(new.map(\.key))
        var lines = [String]()
        for row in new {
            guard let was = before[row.key] else {
                lines.append("added   \(row.key): escaped \(row.escaped)/\(row.trapped)" + successText(row))
                continue
            }
            if was.escaped != row.escaped || was.trapped != row.trapped || was.successes != row.successes || was.seed != row.seed
                || was.outcomes != row.outcomes || was.instanceKey != row.instanceKey || was.budget != row.budget
                || was.optimizerParameters != row.optimizerParameters {
                lines.append("changed \(row.key): escaped \(was.escaped)/\(was.trapped) → \(row.escaped)/\(row.trapped)"
                             + successText(was, row))
            }
        }
        for row in old where !afterKeys.contains(row.key) { lines.append("removed \(row.key)") }
        return lines.isEmpty ? "baseline unchanged\n" : lines.joined(separator: "\n") + "\n"
    }

    static func successText(_ row: BaselineRow) -> String {
        row.successes.map { ", successes \($0)/\(row.trials)" } ?? ""
    }

    static func successText(_ was: BaselineRow, _ row: BaselineRow) -> String {
        guard was.successes != nil || row.successes != nil else { return "" }
        return ", successes \(was.successes.map(String.init) ?? "—") → \(row.successes.map(String.init) ?? "—")"
    }
}
