import ArgumentParser
import Foundation
import Harness
import Landscapes
import Optimizers

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Tune optimizers with equal effort on instances no evaluation uses, and write the chosen parameters.",
        discussion: """
            Every optimizer gets --configurations configurations (its defaults and draws from each \
            parameter's tuning range, docs/manual.md#tuning-bench-tune) and the same successive-halving rounds: \
            round r runs every surviving configuration on --trials × halving^r trials of each tuning \
            instance and keeps the best 1/halving, until one is left. Ranked by success rate, then aRT, \
            then the median final gap (by escape rate, then the median final value, where f* is unknown). \
            --trials (default \(defaultTrials)) counts the trials per tuning instance and configuration \
            in the first round. The budget per trial (--budget) is never changed.

            Writes tuning.csv, expected-best.csv, tune.json and one OPTIMIZER.yaml per optimizer (for \
            run --params, which refuses the tuning instances, and tunnel-map --params) into the --output \
            folder, by default Results/runs/<timestamp>-tune-<landscape>.
            """)

    @Option(name: .long, help: ArgumentHelp("The landscape to tune on (a spec, a built-in family or a YAML path; continuous).", valueName: "name"))
    var landscape: String

    @Option(name: .long, help: ArgumentHelp("Optimizers to tune, comma-separated or repeated.", valueName: "list"))
    var optimizer: [CommaList<String>] = []

    /// --trials: per tuning instance and configuration in the first round (default 4); --budget:
    /// the same in every round.
    @OptionGroup var trialOptions: TrialOptions

    @Option(name: .long, help: "Start protocol (default: the spec's, else local-min).")
    var start: StartProtocolKind?

    @Option(name: .long, help: "Configurations per optimizer, its defaults included (2 to 1024).")
    var configurations = 16

    @Option(name: .long, help: "The halving factor η: each round keeps the best 1/η and runs η times the trials (2 to 16).")
    var halving = 2

    @Option(name: .long, help: ArgumentHelp(
        "The instances tuned on, comma-separated (default: \(TuningPlan.firstInstance),\(TuningPlan.firstInstance + 1)); runs with the written files refuse them.",
        valueName: "list"))
    var instances: CommaList<Int>?

    @Option(name: .customLong("grad-cost"), help: "Cost of one gradient in value evaluations (default: the family's measured cost).")
    var gradCost: Double?

    @OptionGroup var seedOptions: SeedOptions

    @OptionGroup var threadOptions: ThreadOptions

    @OptionGroup var outputOptions: OutputOptions

    @Flag(name: .long, help: "Print nothing but the result (no progress, no file notice).")
    var quiet = false

    /// Trials per tuning instance and configuration in the first round, without --trials.
    static let defaultTrials = 4

    var dimension: Int? { trialOptions.dimension }
    var budget: Double? { trialOptions.budget }

    // --dimension, --trials, --budget, --threads: checked by their option groups.
    func validate() throws {
        if let gradCost, !RunLimits.gradCost.contains(gradCost) {
            throw ValidationError("--grad-cost must lie in 0.01…1e6 evaluations, got \(formatReal(gradCost))")
        }
    }

    func run() throws {
        let names = optimizer.items()
        guard !names.isEmpty else {
            throw fail("--optimizer: give the optimizers to tune (for example --optimizer sa,pt,cma-es; 'bench list' shows them)")
        }
        let continuous = OptimizerCatalog.names(for: .continuous)
        for name in names where !continuous.contains(name) {
            throw fail("--optimizer: '\(name)' is not a continuous optimizer (valid: \(continuous.joined(separator: ", ")))"
                + OptimizerEntry.renameNote(name))
        }
        let spec = try reportingInputErrors { try LandscapeResolver.spec(named: landscape) }
        let plan = TuningPlan(landscape: spec, dimension: dimension, budget: budget, start: start, optimizers: names,
                              configurations: configurations, trials: trialOptions.trials ?? Self.defaultTrials, halving: halving,
                              instances: instances?.items ?? [TuningPlan.firstInstance, TuningPlan.firstInstance + 1],
                              masterSeed: seedOptions.seed ?? 1, threads: threadOptions.count, gradCost: gradCost)
        try reportingInputErrors { try plan.check() }
        // One instance resolved up front: the landscape's errors before any folder is made.
        let first = try reportingInputErrors {
            try ResolvedLandscape(spec, overrides: SpecOverrides(dimension: dimension, budget: budget, start: start,
                                                                 instance: plan.instances[0]))
        }
        guard first.kind == .continuous else {
            throw fail("--landscape \(landscape): bench tune runs on continuous landscapes only")
        }
        let staging = try reportingInputErrors {
            try RunOutput.stage(outputOptions.output, defaultName: "tune-\(spec.name)", overwrite: outputOptions.overwrite,
                                marker: TuneOutput.tableFile)
        }
        defer { staging.abandon() }
        let startedAt = Date()
        let interactive = !quiet && isatty(STDERR_FILENO) != 0
        let result = try reportingInputErrors {
            try Tuner.run(plan) { line in
                if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8)) }
            }
        }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let metadata = TuneMetadata(result, landscape: first, arguments: Array(CommandLine.arguments.dropFirst()),
                                    startedAt: startedAt, gitCommit: RunOutput.gitCommit())
        let files = TuneOutput.files(result, landscape: first) + [(name: TuneOutput.metadataFile, contents: try metadata.json())]
        try reportingInputErrors {
            for (name, contents) in files {
                let file = try staging.createFile(named: name)
                try file.write(contents)
                try file.finish()
            }
            try staging.publish()
        }
        print(TuneOutput.table(result), terminator: "")
        if !quiet {
            FileHandle.standardError.write(Data("wrote \(staging.target)/{\(files.map(\.name).joined(separator: ","))}\n".utf8))
        }
    }
}
