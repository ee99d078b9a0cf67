import Foundation

/// What `run.json` records: enough to reproduce the run.
public struct RunMetadata: Codable, Sendable, Equatable {
    public var tool = "TunnelBench"
    public var version = TunnelBenchVersion.current
    public var gitCommit: String?
    public var arguments: [String]
    public var masterSeed: UInt64
    public var threads: Int
    public var gradCost: Double?
    public var traceTrials: Int
    public var startedAt: String
    public var landscapes: [LandscapeEntry]
    /// The optimizers run on each landscape, in `landscapes` order.
    public var optimizers: [[OptimizerRecord]]
    /// The pairs chosen with `--compare` (labels), fixed before the run; `nil` in folders
    /// written before comparisons existed.
    public var comparisons: [[String]]?

    public struct LandscapeEntry: Codable, Sendable, Equatable {
        public var name: String
        public var source: String
        public var family: String
        public var parameters: String
        public var dimension: Int
        public var instance: Int
        public var budget: Double
        public var trials: Int
        public var start: String
        public var optimum: Double?
        public var optimumStatus: String
        public var escapeAbsolute: Double
        public var escapeRelative: Double
        public var success: Double
        /// The comparator of comparisons.csv fixed for this landscape (`nil` in older folders).
        public var reference: String?
        /// What the landscape is, for readers of the folder: `continuous` (a function on a box) or
        /// `ising` (spins, whose values are energies); `nil` in older folders.
        public var kind: String?
        /// For an external landscape: its registry file, the command it ran and its versions
        /// (absent otherwise).
        public var external: ExternalRecord? = nil
        /// The ensemble this landscape is one instance of (its spec's name; absent otherwise).
        public var ensemble: String? = nil
    }

    public struct OptimizerRecord: Codable, Sendable, Equatable {
        public var name: String
        public var label: String
        public var parameters: String
        /// For an external optimizer: its registry file and the command it ran (absent otherwise).
        public var external: ExternalRecord? = nil
    }

    public struct ExternalRecord: Codable, Sendable, Equatable {
        public var registry: String
        public var command: String
        /// What the registry file's `version-command` printed (absent when it names none).
        public var versions: String? = nil
    }

    public init(plan: RunPlan, arguments: [String], startedAt: Date, gitCommit: String?, comparisons: [[String]] = []) {
        self.arguments = arguments
        self.comparisons = comparisons
        masterSeed = plan.masterSeed
        threads = plan.threads
        gradCost = plan.gradCost
        traceTrials = plan.traceTrials
        self.startedAt = ISO8601DateFormatter().string(from: startedAt)
        self.gitCommit = gitCommit
        // Each external program's version command runs once, however many landscapes or
        // optimizers use it.
        var versions = [String: String?]()
        landscapes = plan.landscapes.map {
            LandscapeEntry(name: $0.spec.name, source: $0.spec.source, family: $0.family.name,
                           parameters: $0.parameters.canonicalText, dimension: $0.dimension, instance: $0.instance,
                           budget: $0.budget, trials: $0.trials, start: $0.start.rawValue,
                           optimum: $0.landscape.optimum.value, optimumStatus: $0.landscape.optimum.status.rawValue,
                           escapeAbsolute: $0.tolerances.escapeAbsolute, escapeRelative: $0.tolerances.escapeRelative,
                           success: $0.tolerances.success, reference: $0.reference,
                           kind: $0.kind.rawValue,
                           external: $0.landscape.externalFile.map { file in
                               let registry = URL(fileURLWithPath: file.path).standardizedFileURL.path
                               if versions[registry] == nil { versions[registry] = .some(file.versions()) }
                               return ExternalRecord(registry: registry, command: file.command, versions: versions[registry] ?? nil)
                           }, ensemble: $0.ensemble)
        }
        optimizers = plan.optimizers.map { list in
            list.map { entry in
                OptimizerRecord(name: entry.name, label: entry.label, parameters: entry.parameters.canonicalText,
                                external: (entry.optimizer as? any ExternalProgram).map { external in
                                    let registry = entry.definition.source ?? external.file.path
                                    if versions[registry] == nil { versions[registry] = .some(external.file.versions()) }
                                    return ExternalRecord(registry: registry, command: external.file.command,
                                                          versions: versions[registry] ?? nil)
                                })
            }
        }
    }

    public func json() throws -> String { try RecordedJSON.text(self) }
}

/// The JSON files of output folders (run.json, tunnel-map.json): one encoding for all of them.
public enum RecordedJSON {
    /// `value` as JSON with sorted keys, pretty-printed, ending in LF.
    public static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

public enum TunnelBenchVersion {
    public static let current = "0.1.0"
}

/// The folder a run writes into, and the files in it.
public enum RunOutput {
    /// `Results/runs/<UTC timestamp with milliseconds>-<name>`, e.g.
    /// `Results/runs/20260101-120000.250-rastrigin`. `stage(nil, …)` adds `-2`, `-3`, … when the
    /// name is taken.
    public static func defaultDirectory(name: String, date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss.SSS"
        let safe = name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        return "Results/runs/\(formatter.string(from: date))-\(String(safe))"
    }

    /// The staging folder of an output folder, before any work starts: `directory` when given
    /// (an existing result there is replaced only with `overwrite`), else a new folder
    /// `defaultDirectory(name: defaultName)` (with a numeric suffix when taken). See `StagingFolder`.
    public static func stage(_ directory: String?, defaultName: String, overwrite: Bool, flag: String = "--output",
                             marker: String = "run.json") throws -> StagingFolder {
        if let directory {
            return try StagingFolder.begin(target: directory, overwrite: overwrite, flag: flag, marker: marker)
        }
        return try StagingFolder.begin(uniqueTarget: defaultDirectory(name: defaultName), flag: flag, marker: marker)
    }

    /// Creates `directory` (and parents) and checks that a file can be written there. `flag`
    /// names the option in the error.
    public static func prepare(_ directory: String, flag: String = "--output") throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw HarnessError("\(flag) \(directory): cannot create the folder (\(error.localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw HarnessError("\(flag) \(directory): the folder is not writable")
        }
    }

    /// Creates one output file, exclusively and without following a symbolic link (`OutputFile`).
    /// Every file of a run folder is opened here; the folder is a staging folder
    /// (`StagingFolder.path`) published whole afterwards.
    public static func createFile(at path: String) throws -> OutputFile {
        try OutputFile.create(at: path)
    }

    /// Writes trials.csv, summary.csv, comparisons.csv, run.json and (with traced trials)
    /// traces.csv for `records` into `directory`: a `RunWriter` fed with them. The comparisons are
    /// those `metadata` fixed before the run (`PairedComparisons`); with the `plan`, surface.csv
    /// too, as `RunWriter` writes it.
    @discardableResult
    public static func write(_ directory: String, records: [TrialRecord], metadata: RunMetadata,
                             plan: RunPlan? = nil) throws -> RunResults {
        let writer = try RunWriter(directory: directory, plan: plan)
        for record in records { try writer.add(record) }
        return try writer.finish(metadata: metadata)
    }

    /// The current commit, when the working directory is inside a git checkout and git is on PATH.
    public static func gitCommit() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What a finished run computed from its trials.
public struct RunResults: Sendable {
    public var summary: [SummaryRow]
    public var comparisons: [PairedComparison]
    public var tally: RunTally
    /// The rows of ensemble.csv (empty without an ensemble).
    public var ensembles: [EnsembleQuantile] = []
}

/// Writes a run's files into `directory` as its trial records come, in task order
/// (`BenchmarkRun.execute(_:progress:window:deliver:)`): each record becomes a row of trials.csv
/// (and its trace, if any, rows of traces.csv) and is folded into a `RunTally`, then dropped. On
/// `finish` the summary, the comparisons and run.json are written from the tally. The files are
/// byte for byte those of the whole list of records written at once.
///
/// The files are created with `RunOutput.createFile(at:)` in `directory`, which for a run is the
/// staging folder (`StagingFolder`): nothing appears at the run's folder until it is published,
/// and an abandoned staging folder is removed with whatever was written.
public final class RunWriter {
    public let directory: String
    public private(set) var tally: RunTally
    private let trials: OutputFile
    private var traces: OutputFile?
    /// The record being written, its storage kept from one record to the next.
    private var line = ""
    /// The traced 2-D continuous landscapes whose surface.csv rows `finish` writes.
    private let surfaces: [ResolvedLandscape]

    /// Starts trials.csv in `directory`; with `plan`, the tally reserves room for its rows, and a
    /// plan that traces trials gets surface.csv for its 2-D continuous landscapes.
    public init(directory: String, plan: RunPlan? = nil) throws {
        self.directory = directory
        tally = RunTally(plan: plan)
        surfaces = plan.map { plan in plan.traceTrials > 0 ? plan.landscapes.filter { $0.kind == .continuous && $0.dimension == 2 } : [] } ?? []
        trials = try RunOutput.createFile(at: Self.path(directory, "trials.csv"))
        try trials.write(TrialRecord.columns.header + "\n")
    }

    static func path(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    /// The next record, in task order.
    public func add(_ record: TrialRecord) throws {
        line.removeAll(keepingCapacity: true)
        TrialRecord.columns.append(record, to: &line)
        line.append("\n")
        try trials.write(line)
        if record.trace != nil {
            if traces == nil {
                let file = try RunOutput.createFile(at: Self.path(directory, "traces.csv"))
                try file.write(TraceTable.columns.header + "\n")
                traces = file
            }
            for row in TraceTable.rows(record) {
                line.removeAll(keepingCapacity: true)
                TraceTable.columns.append(row, to: &line)
                line.append("\n")
                try traces!.write(line)
            }
        }
        tally.add(record)
    }

    /// Puts trials.csv in place and writes summary.csv, comparisons.csv, run.json, ensemble.csv
    /// (when the run has an ensemble with f* known) and traces.csv (when a trial was traced), in
    /// that order. The comparisons are those `metadata` fixed
    /// before the run.
    @discardableResult
    public func finish(metadata: RunMetadata) throws -> RunResults {
        let summary = tally.summary
        let comparisons = PairedComparisons.evaluate(outcomes: tally.outcomes, metadata: metadata)
        try trials.finish()
        for (name, text) in [("summary.csv", SummaryRow.columns.document(summary)),
                             ("comparisons.csv", PairedComparisons.csv(comparisons)), ("run.json", try metadata.json())] {
            let file = try RunOutput.createFile(at: Self.path(directory, name))
            try file.write(text)
            try file.finish()
        }
        let ensembles = tally.ensembleQuantiles
        if !ensembles.isEmpty {
            let file = try RunOutput.createFile(at: Self.path(directory, "ensemble.csv"))
            try file.write(EnsembleQuantile.columns.document(ensembles))
            try file.finish()
        }
        try traces?.finish()
        if !surfaces.isEmpty {
            let file = try RunOutput.createFile(at: Self.path(directory, "surface.csv"))
            try file.write(LandscapeSurface.columns.header + "\n")
            for landscape in surfaces {
                line.removeAll(keepingCapacity: true)
                for row in LandscapeSurface.rows(landscape) {
                    LandscapeSurface.columns.append(row, to: &line)
                    line.append("\n")
                }
                if let failure = landscape.landscape.programFailure { throw RunAborted(failure) }
                try file.write(line)
            }
            try file.finish()
        }
        return RunResults(summary: summary, comparisons: comparisons, tally: tally, ensembles: ensembles)
    }
}
