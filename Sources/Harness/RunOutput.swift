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
    }

    public struct OptimizerRecord: Codable, Sendable, Equatable {
        public var name: String
        public var label: String
        public var parameters: String
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
        landscapes = plan.landscapes.map {
            LandscapeEntry(name: $0.spec.name, source: $0.spec.source, family: $0.family.name,
                           parameters: $0.parameters.canonicalText, dimension: $0.dimension, instance: $0.instance,
                           budget: $0.budget, trials: $0.trials, start: $0.start.rawValue,
                           optimum: $0.landscape.optimum.value, optimumStatus: $0.landscape.optimum.status.rawValue,
                           escapeAbsolute: $0.tolerances.escapeAbsolute, escapeRelative: $0.tolerances.escapeRelative,
                           success: $0.tolerances.success, reference: $0.reference)
        }
        optimizers = plan.optimizers.map { list in
            list.map { OptimizerRecord(name: $0.name, label: $0.label, parameters: $0.parameters.canonicalText) }
        }
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
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
    /// Every file of a run folder is opened here.
    public static func createFile(at path: String) throws -> OutputFile {
        try OutputFile.create(at: path)
    }

    /// Writes trials.csv, summary.csv, comparisons.csv, run.json (and traces.csv when trials were
    /// traced) into `directory`, a staging folder (`StagingFolder.path`) that is published whole
    /// afterwards: each file is created new and flushed to disk. The comparisons are those
    /// `metadata` fixed before the run (`PairedComparisons`).
    public static func write(_ directory: String, records: [TrialRecord], summary: [SummaryRow], metadata: RunMetadata) throws {
        func put(_ contents: String, _ name: String) throws {
            let file = try createFile(at: (directory as NSString).appendingPathComponent(name))
            try file.write(contents)
            try file.finish()
        }
        try put(CSV.document(header: TrialRecord.csvHeader, rows: records.map(\.csvFields)), "trials.csv")
        try put(CSV.document(header: SummaryRow.csvHeader, rows: summary.map(\.csvFields)), "summary.csv")
        try put(PairedComparisons.csv(PairedComparisons.evaluate(records: records, metadata: metadata)), "comparisons.csv")
        try put(try metadata.json(), "run.json")
        let traced = records.filter { $0.trace != nil }
        if !traced.isEmpty { try put(TraceTable.document(traced), "traces.csv") }
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
