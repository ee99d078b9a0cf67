import ArgumentParser
import Foundation
import Harness
import Landscapes
import Optimizers

extension StartProtocolKind: ExpressibleByArgument {}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run optimizers on landscapes and report escape and success rates (the default subcommand).",
        discussion: """
            Writes trials.csv, summary.csv, comparisons.csv and run.json (and traces.csv with --trace, \
            report.html with --report, ensemble.csv for an ensemble) into the --output folder, by default \
            Results/runs/<timestamp>-<landscape> (or -<suite> with --suite).
            """)

    @Option(name: .long, help: ArgumentHelp(
        "A landscape: a spec in Landscapes/ (NAME.yaml), a built-in family, or a path to a YAML spec. Repeatable.",
        valueName: "name"))
    var landscape: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Run a suite file (landscapes × optimizers × trials × budget × seed) instead of --landscape.", valueName: "file"))
    var suite: String?

    @Option(name: .long, help: ArgumentHelp(
        "Optimizers to run, comma-separated or repeated (default: every optimizer that applies).", valueName: "list"))
    var optimizer: [CommaList<String>] = []

    @OptionGroup var trialOptions: TrialOptions

    @Option(name: .long, help: "Start protocol (default: the spec's, else local-min).")
    var start: StartProtocolKind?

    @Option(name: .long, help: "Landscape instance (0 = textbook; default: the spec's, else 1).")
    var instance: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Run an ensemble of instances of every landscape: a count N (1…N), a range A-B or a list a,b,c; at most "
            + "\(InstanceList.limit). Each instance is a row 'NAME i=K'; ensemble.csv holds the quantiles over them.",
        valueName: "list"))
    var instances: String?

    @OptionGroup var seedOptions: SeedOptions

    @OptionGroup var threadOptions: ThreadOptions

    @Option(name: .long, help: ArgumentHelp(
        "Override an optimizer parameter: name=value for every selected optimizer that has it, or optimizer.name=value. Repeatable.",
        valueName: "name=value"))
    var param: [String] = []

    @Option(name: .customLong("grad-cost"), help: "Cost of one gradient in value evaluations (default: the family's measured cost).")
    var gradCost: Double?

    @Option(name: .long, help: ArgumentHelp(
        "A method's parameters from a file ('bench tune' writes them): adds the row OPTIMIZER-tuned beside OPTIMIZER's defaults "
            + "(those of --optimizer, or just OPTIMIZER without it). Refused on an instance the file was tuned on. Repeatable.",
        valueName: "file"))
    var params: [String] = []

    @OptionGroup var outputOptions: OutputOptions

    @Option(name: .long, help: ArgumentHelp(
        "Also compare optimizer a with optimizer b, trial by trial, on every landscape that runs both (comparisons.csv and the table). Repeatable.",
        valueName: "a,b"))
    var compare: [String] = []

    @Option(name: .long, help: "What goes to stdout.")
    var format: OutputFormat = .table

    @Option(name: .long, help: ArgumentHelp(
        "Record the trajectories of the first N trials of every landscape and optimizer (traces.csv; drawn on 2-D landscapes by the report).",
        valueName: "n"))
    var trace: Int = 0

    @Flag(name: .long, help: "Also write report.html into the output folder.")
    var report = false

    @Flag(name: .long, help: "Print nothing but the result (no progress, no file notice).")
    var quiet = false

    // --dimension, --trials, --budget, --threads: checked by their option groups.
    func validate() throws {
        if suite != nil && (!landscape.isEmpty || !optimizer.isEmpty || !param.isEmpty || !params.isEmpty) {
            throw ValidationError("--suite fixes its landscapes and optimizers: drop --landscape, --optimizer, --param and --params")
        }
        for item in param where OptimizerParameters.split(item) == nil {
            throw ValidationError(OptimizerParameters.malformed(item))
        }
        if trace < 0 { throw ValidationError("--trace must be 0 or more, got \(trace)") }
        if let instance, instance < 0 { throw ValidationError("--instance must be 0 or more, got \(instance)") }
        if instance != nil && instances != nil {
            throw ValidationError("give --instance (one) or --instances (an ensemble), not both")
        }
        if let instances, InstanceList.parse(instances) == nil {
            throw ValidationError("--instances \(InstanceList.shown(instances)): expected \(InstanceList.expectedText)")
        }
        if let gradCost, !RunLimits.gradCost.contains(gradCost) {
            throw ValidationError("--grad-cost must lie in 0.01…1e6 evaluations, got \(formatReal(gradCost))")
        }
    }

    @OptionGroup var externalOptions: ExternalOptions

    func run() throws {
        try externalOptions.registering(suite: suite) { try runRegistered() }
    }

    func runRegistered() throws {
        // Here rather than in validate(): a mistyped option must be named before this is said.
        if landscape.isEmpty && suite == nil {
            throw fail("give at least one --landscape (for example --landscape rastrigin; 'bench list' shows them all) or a --suite")
        }
        var plan = try reportingInputErrors { try makePlan() }
        try reportingInputErrors { try plan.checkBudgets() }
        plan.traceTrials = trace
        let chosen = try reportingInputErrors { try PairedComparisons.chosenPairs(compare, plan: plan) }
        // An ensemble's folder is named once after it, not after each of its instances.
        var names = [String]()
        for landscape in plan.landscapes where !names.contains(landscape.ensemble ?? landscape.spec.name) {
            names.append(landscape.ensemble ?? landscape.spec.name)
        }
        let name = suiteName ?? names.joined(separator: "+")
        // Staged before any work: the folder is written beside the target and published whole.
        let staging = try reportingInputErrors { try RunOutput.stage(outputOptions.output, defaultName: name, overwrite: outputOptions.overwrite) }
        defer { staging.abandon() }
        let directory = staging.target
        let startedAt = Date()
        let showProgress = !quiet && isatty(STDERR_FILENO) != 0
        let progress: ProgressHandler? = showProgress ? ProgressLine(start: startedAt).update : nil
        // Each record goes to trials.csv and into the tally as it finishes; none is kept.
        let writer = try reportingInputErrors { try RunWriter(directory: staging.path, plan: plan) }
        try reportingInputErrors { try BenchmarkRun.execute(plan, progress: progress) { try writer.add($0) } }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let metadata = RunMetadata(plan: plan, arguments: Array(CommandLine.arguments.dropFirst()),
                                   startedAt: startedAt, gitCommit: RunOutput.gitCommit(), comparisons: chosen)
        let results = try reportingInputErrors { try writer.finish(metadata: metadata) }
        let summary = results.summary
        if report {
            try reportingInputErrors {
                let page = try staging.createFile(named: "report.html")
                try page.write(try ReportWriter.html(directories: [staging.path], named: [directory]))
                try page.finish()
            }
        }
        try reportingInputErrors { try staging.publish() }

        switch format {
        case .table:
            // An ensemble with its quantiles prints them instead of a row per instance (summary.csv
            // has those); any other landscape prints its rows.
            let aggregated = Set(results.ensembles.map(\.ensemble))
            let members = Set(plan.landscapes.filter { $0.ensemble.map(aggregated.contains) == true }.map(\.spec.name))
            let rows = summary.filter { !members.contains($0.landscape) }
            var blocks = [String]()
            if !rows.isEmpty { blocks.append(SummaryTable.render(rows)) }
            let diagnostics = SummaryTable.diagnostics(rows)
            if !diagnostics.isEmpty { blocks.append(diagnostics) }
            let ensembles = EnsembleTable.render(results.ensembles)
            if !ensembles.isEmpty { blocks.append(ensembles) }
            print(blocks.joined(separator: "\n"), terminator: "")
            let comparisons = PairedComparisons.table(results.comparisons)
            if !comparisons.isEmpty { print("\n" + comparisons, terminator: "") }
        case .csv: print(CSV.document(header: SummaryRow.csvHeader, rows: summary.map(\.csvFields)), terminator: "")
        case .json: print(try summaryJSON(summary), terminator: "")
        }
        let written = "trials.csv,summary.csv,comparisons.csv,run.json" + (results.ensembles.isEmpty ? "" : ",ensemble.csv")
        if !quiet { FileHandle.standardError.write(Data("wrote \(directory)/{\(written)}\n".utf8)) }
        if report && !quiet { FileHandle.standardError.write(Data("wrote \((directory as NSString).appendingPathComponent("report.html"))\n".utf8)) }

        let tally = results.tally
        if tally.failedCount > 0 {
            for failed in tally.failures {
                FileHandle.standardError.write(Data("failed trial: \(failed.failure)\n".utf8))
            }
            if tally.failedCount > tally.failures.count {
                FileHandle.standardError.write(Data(("... and \(tally.failedCount - tally.failures.count) more failed trials, "
                    + "not listed (trials.csv has every one, with its seeds and failure)\n").utf8))
            }
            FileHandle.standardError.write(Data("error: \(tally.failedCount) trial(s) failed; they count as neither escaped nor successful\n".utf8))
            throw ExitCode(3)
        }
    }

    var suiteName: String? { suite.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } }

    func makePlan() throws -> RunPlan {
        let overrides = SpecOverrides(dimension: trialOptions.dimension, trials: trialOptions.trials, budget: trialOptions.budget,
                                      start: start, instance: instance, instances: instances.flatMap(InstanceList.parse))
        let threads = threadOptions.count
        let seed = seedOptions.seed
        if let suite {
            var plan = try Suite.load(path: suite, overrides: overrides).plan(threads: threads, gradCost: gradCost)
            if let seed { plan.masterSeed = seed }
            return plan
        }
        let specs = try landscape.map { try LandscapeResolver.spec(named: $0) }
        // Rows are keyed by landscape name: the same name twice would merge two runs into one row.
        var seen = [String: String]()
        for (argument, spec) in zip(landscape, specs) {
            if let earlier = seen[spec.name] {
                throw HarnessError("--landscape \(argument): landscape '\(spec.name)' is already given (by --landscape \(earlier)); "
                    + "each landscape runs once per run (give a spec its own 'name' to run a variant)")
            }
            seen[spec.name] = argument
        }
        let landscapes = try specs.flatMap { try ResolvedLandscape.members($0, overrides: overrides) }
        let files = try parameterFiles(landscapes)
        var names = try optimizerNames()
        if names == nil && !files.isEmpty { names = files.map(\.file.optimizer) }
        // Each landscape gets the named optimizers of its kind (continuous or Ising); a name must
        // apply to some landscape of the run, and every landscape must get at least one.
        let kinds = Set(landscapes.map(\.kind))
        let applicable = names ?? OptimizerEntry.allNames.filter { name in kinds.contains { $0.optimizerNames.contains(name) } }
        if let names, landscapes.count > 1 {
            for name in names where !kinds.contains(where: { $0.optimizerNames.contains(name) }) {
                let note = kinds.lazy.map { OptimizerEntry.renameNote(name, kind: $0) }.first { !$0.isEmpty } ?? ""
                throw HarnessError("--optimizer: '\(name)' applies to none of this run's landscapes "
                    + "(valid: \(OptimizerEntry.allNames.filter { n in kinds.contains { $0.optimizerNames.contains(n) } }.joined(separator: ", ")))" + note)
            }
        }
        let parameters = try OptimizerParameters.parse(param, optimizers: applicable)
        let optimizers = try landscapes.map { landscape in
            let own = landscapes.count > 1 ? names.map { $0.filter { landscape.kind.optimizerNames.contains($0) } } : names
            if let own, own.isEmpty {
                throw HarnessError("--optimizer: none of \(names!.joined(separator: ", ")) applies to \(landscape.kind.rawValue) landscape "
                    + "'\(landscape.spec.name)' (valid: \(landscape.kind.optimizerNames.joined(separator: ", ")))")
            }
            let tuned = try files.filter { landscape.kind.optimizerNames.contains($0.file.optimizer) }.map { path, file in
                do {
                    return try OptimizerEntry(name: file.optimizer, label: file.optimizer + MethodParameterFile.tunedSuffix, overrides: file.parameters)
                } catch { throw HarnessError("--params \(path): \(error)") }
            }
            return try OptimizerEntry.entries(for: landscape, names: own, overrides: parameters) + tuned
        }
        return RunPlan(landscapes: landscapes, optimizersPerLandscape: optimizers, masterSeed: seed ?? 1, threads: threads, gradCost: gradCost)
    }

    /// The `--params` files, read and checked: one per optimizer, each applying to some landscape of
    /// the run, none tuned on an instance this run evaluates (same family and dimension).
    func parameterFiles(_ landscapes: [ResolvedLandscape]) throws -> [(path: String, file: MethodParameterFile)] {
        var seen = Set<String>()
        return try params.map { path in
            let file = try MethodParameterFile.load(path)
            guard seen.insert(file.optimizer).inserted else {
                throw HarnessError("--params \(path): a second file for '\(file.optimizer)'; give one file per optimizer")
            }
            guard landscapes.contains(where: { $0.kind.optimizerNames.contains(file.optimizer) }) else {
                throw HarnessError("--params \(path): optimizer '\(file.optimizer)' applies to none of this run's landscapes")
            }
            if let overlap = landscapes.lazy.compactMap(file.tuningOverlap).first {
                throw HarnessError("--params \(path): \(overlap) (--instance)")
            }
            return (path, file)
        }
    }

    /// The `--optimizer` names, or `nil` for every optimizer that applies to each landscape.
    func optimizerNames() throws -> [String]? {
        guard !optimizer.isEmpty else { return nil }
        let valid = OptimizerEntry.allNames
        let names = optimizer.items()
        guard !names.isEmpty else { throw HarnessError("--optimizer is empty (valid: \(valid.joined(separator: ", ")))") }
        for name in names where !valid.contains(name) {
            throw HarnessError("--optimizer: unknown optimizer '\(name)' (valid: \(valid.joined(separator: ", ")))"
                + OptimizerEntry.renameNote(name))
        }
        return names
    }

    /// The summary as a JSON array of objects keyed by summary.csv's columns, each value the one
    /// summary.csv holds: text columns as strings, counts and measurements as numbers, an empty
    /// cell (a value that does not exist) as `null`, and ∞, −∞ and NaN, which JSON numbers cannot
    /// express, as the strings "inf", "-inf" and "nan", as in summary.csv.
    func summaryJSON(_ rows: [SummaryRow]) throws -> String {
        let objects = rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(SummaryRow.csvHeader, row.csvFields).map { column, text in
                (column, SummaryRow.textColumns.contains(column) ? text as Any : Self.jsonValue(text))
            })
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A non-text summary cell as a JSON value: `CSV.number` writes the shortest text that reads
    /// back as the same double, so `Double(text)` is the value itself.
    static func jsonValue(_ text: String) -> Any {
        switch text {
        case "": return NSNull()
        case "true": return true
        case "false": return false
        case "inf", "-inf", "nan": return text
        default:
            if let integer = Int(text) { return integer }
            if let number = Double(text) { return number }
            return text
        }
    }
}

/// `--param` values sorted out per optimizer.
enum OptimizerParameters {
    /// `name=value` applies to every selected optimizer that has `name` (an error if none does);
    /// `optimizer.name=value` to that optimizer only.
    /// `key=value` split at its first `=`, or `nil` when `item` has no `=` or no key.
    static func split(_ item: String) -> (key: String, value: String)? {
        guard let eq = item.firstIndex(of: "="), eq != item.startIndex else { return nil }
        return (String(item[..<eq]), String(item[item.index(after: eq)...]))
    }

    static func malformed(_ item: String) -> String { "--param '\(item)': expected name=value or optimizer.name=value" }

    static func parse(_ items: [String], optimizers: [String]) throws -> [String: [String: String]] {
        var result = [String: [String: String]]()
        for item in items {
            guard let (key, value) = split(item) else { throw HarnessError(malformed(item)) }
            var targets = optimizers
            var name = key
            if let dot = key.firstIndex(of: "."), optimizers.contains(String(key[..<dot])) {
                targets = [String(key[..<dot])]
                name = String(key[key.index(after: dot)...])
            }
            let owners = targets.filter { OptimizerEntry.parameterSpecs(of: $0).contains { $0.name == name } }
            if owners.isEmpty {
                let valid = targets.flatMap { opt in OptimizerEntry.parameterSpecs(of: opt).map { "\(opt).\($0.name)" } }
                throw HarnessError("--param '\(item)': no selected optimizer has a parameter '\(name)' (valid: \(valid.joined(separator: ", ")))")
            }
            for owner in owners { result[owner, default: [:]][name] = value }
        }
        return result
    }
}

/// "done/total, ETA" on one rewritten stderr line.
final class ProgressLine: @unchecked Sendable {
    private let start: Date
    private let lock = NSLock()
    private var lastPrint = Date.distantPast

    init(start: Date) { self.start = start }

    func update(done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastPrint) > 0.2 else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(start)
        let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
        FileHandle.standardError.write(Data(String(format: "\r\u{1B}[K%d/%d trials, ETA %.0f s", done, total, eta).utf8))
    }
}
