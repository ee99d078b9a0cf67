import ArgumentParser
import Foundation
import Harness
import Report
import Landscapes
import Optimizers

struct TunnelMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunnel-map",
        abstract: "Compare path-integral annealing with the best classical method over a grid of double-well barriers.",
        discussion: """
            Every cell is a double well of the given height and width, in dimension --dimension (default \
            \(defaultDimension), the double-well family's; at d = 2 every method escapes almost always and the \
            map shows nothing), with --trials trials per method and cell (default \(defaultTrials)) in each of \
            the two runs: one chooses the best classical method of each cell, the other compares it with \
            the candidate on fresh seeds.

            Writes tunnel-map.csv, tunnel-comparison.csv, tunnel-map.json (the plan) and tunnel-map.html \
            (drawn from those three files; bench report DIR draws it again) into the --output folder, by \
            default Results/runs/<timestamp>-tunnel-map.
            """)

    @Option(name: .long, help: ArgumentHelp("Barrier heights H, comma-separated or repeated.", valueName: "list"))
    var heights: [CommaList<Double>] = [CommaList(argument: "0.5,1,2,4,8")!]

    @Option(name: .long, help: ArgumentHelp("Barrier widths w, comma-separated or repeated.", valueName: "list"))
    var widths: [CommaList<Double>] = [CommaList(argument: "0.25,0.5,1,2")!]

    @OptionGroup var trialOptions: TrialOptions

    @Option(name: .long, help: "The method under test.")
    var candidate = "piqa"

    @Option(name: .long, help: ArgumentHelp("Classical methods to choose the best of, comma-separated or repeated.", valueName: "list"))
    var classical: [CommaList<String>] = [CommaList(argument: "sa,pt,adam")!]

    @Option(name: .long, help: "Family-wise significance level across cells (Holm).")
    var alpha = 0.05

    @Option(name: .long, help: ArgumentHelp(
        "fixed: measure each method's automatic settings (temperatures, Γ) once on the reference cell and hold them in every cell; "
            + "rescaled: let every trial derive them from its own cell, which makes every cell of one width the same problem rescaled.",
        valueName: "mode"))
    var calibration: TunnelCalibration = .fixed

    @Option(name: .long, help: ArgumentHelp("The reference cell H,w of the fixed calibration.", valueName: "H,w"))
    var reference: CommaList<Double> = CommaList(argument: "1,1")!

    @Option(name: .long, help: ArgumentHelp("Every cell's box is [−B, B]^d; a width needs B ≥ 1.25w.", valueName: "B"))
    var bound = TunnelMapPlan.defaultBound

    @Option(name: .long, help: ArgumentHelp(
        "A method's parameters, held in every cell: YAML with 'optimizer' and 'parameters'; repeat for several methods.",
        valueName: "file"))
    var params: [String] = []

    @OptionGroup var seedOptions: SeedOptions

    @OptionGroup var threadOptions: ThreadOptions

    @OptionGroup var outputOptions: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Also write the figure (SVG) here, e.g. Results/figures/tunnel-map.svg.", valueName: "file"))
    var figure: String?

    /// The dimension of each well without --dimension: the double-well family's own default.
    static let defaultDimension = 5
    /// Trials per method and cell, in each of the two runs, without --trials.
    static let defaultTrials = 100

    // --dimension, --trials, --budget, --threads: checked by their option groups; --candidate and
    // --classical, which name optimizers, by `run()`.
    func validate() throws {
        for (flag, lists) in [("--heights", heights), ("--widths", widths)] {
            for list in lists where list.items.isEmpty || !list.items.allSatisfy({ $0 > 0 && $0.isFinite }) {
                throw ValidationError("\(flag) '\(list.text)': expected positive numbers separated by commas")
            }
            // A value given twice would be one cell drawn twice.
            let values = lists.items()
            if Set(values).count != values.count {
                throw ValidationError("\(flag) '\(lists.text())': expected distinct numbers (a value appears twice)")
            }
        }
        try validateAlpha(alpha)
        guard reference.items.count == 2, reference.items.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ValidationError("--reference '\(reference.text)': expected two positive numbers H,w")
        }
        guard bound > 0, bound.isFinite, bound <= 1e6 else {
            throw ValidationError("--bound \(formatReal(bound)): expected a positive number up to 10^6")
        }
        for width in widths.items() + [reference.items[1]] where 1.25 * width > bound {
            throw ValidationError("--widths/--reference: width \(formatReal(width)) does not fit the box [−\(formatReal(bound)), \(formatReal(bound))] "
                + "(a double well needs bound ≥ 1.25 × width; use --bound \(formatReal(1.25 * width)))")
        }
    }

    func run() throws {
        let classicalNames = classical.items()
        let known = OptimizerCatalog.names
        guard known.contains(candidate) else {
            throw fail("--candidate '\(candidate)': expected one optimizer of \(known.joined(separator: ", "))")
        }
        guard !classicalNames.isEmpty, classicalNames.allSatisfy({ known.contains($0) && $0 != candidate }),
              Set(classicalNames).count == classicalNames.count else {
            throw fail("--classical '\(classical.text())': expected distinct optimizers other than the candidate '\(candidate)', "
                       + "separated by commas, from \(known.joined(separator: ", "))")
        }
        var parameters = [String: [String: String]]()
        var files = [(path: String, file: MethodParameterFile)]()
        for path in params {
            let file = try reportingInputErrors { try MethodParameterFile.load(path) }
            files.append((path, file))
            guard (classicalNames + [candidate]).contains(file.optimizer) else {
                throw fail("--params \(path): optimizer '\(file.optimizer)' is not on the map (--candidate, --classical)")
            }
            guard parameters[file.optimizer] == nil else {
                throw fail("--params \(path): a second file for '\(file.optimizer)'; give one file per method")
            }
            parameters[file.optimizer] = file.parameters
        }
        let plan = TunnelMapPlan(
            heights: heights.items(), widths: widths.items(),
            dimension: trialOptions.dimension ?? Self.defaultDimension, trials: trialOptions.trials ?? Self.defaultTrials,
            budget: trialOptions.budget, candidate: candidate, classical: classicalNames, seed: seedOptions.seed ?? 1,
            threads: threadOptions.count, alpha: alpha, calibration: calibration,
            referenceHeight: reference.items[0], referenceWidth: reference.items[1], bound: bound, parameters: parameters)
        // The files as read above: each is checked and run in the one version read.
        for (path, file) in files {
            if let overlap = try reportingInputErrors({ try plan.tuningOverlap(file) }) {
                throw fail("--params \(path): \(overlap)")
            }
        }
        // Staged before any work and published whole (see `StagingFolder`).
        let staging = try reportingInputErrors {
            try RunOutput.stage(outputOptions.output, defaultName: "tunnel-map", overwrite: outputOptions.overwrite,
                                marker: TunnelMap.cellsFile)
        }
        defer { staging.abandon() }
        let directory = staging.target
        var metadata = TunnelMapMetadata(plan: plan, arguments: Array(CommandLine.arguments.dropFirst()), startedAt: Date(),
                                         gitCommit: RunOutput.gitCommit())
        let interactive = isatty(STDERR_FILENO) != 0
        let result = try reportingInputErrors {
            try TunnelMap.run(plan) { cell in
                if interactive { FileHandle.standardError.write(Data("\r\u{1B}[Kcell \(cell)".utf8)) }
            }
        }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        metadata.calibrations = result.calibrations
        let folder = try reportingInputErrors {
            func write(_ name: String, _ contents: String) throws {
                let file = try staging.createFile(named: name)
                try file.write(contents)
                try file.finish()
            }
            for (name, contents) in try TunnelMap.files(result, metadata: metadata) { try write(name, contents) }
            // The page and the figure are drawn from the files just written, as `bench report` draws them.
            let folder = try TunnelMapFolder(path: staging.path)
            let svg = TunnelMapPage.figure(folder)
            try write(TunnelMapPage.file, TunnelMapPage.html(folder, figure: svg))
            try staging.publish()
            if let figure { try writeAtomically(svg + "\n", to: figure) }
            return folder
        }
        print(TunnelMap.comparisonColumns.document(folder.comparisons), terminator: "")
        let written = [TunnelMap.cellsFile, TunnelMap.comparisonFile, TunnelMap.metadataFile, TunnelMapPage.file]
        FileHandle.standardError.write(Data("wrote \(directory)/{\(written.joined(separator: ","))}\(figure.map { " and \($0)" } ?? "")\n".utf8))
    }
}

extension TunnelCalibration: ExpressibleByArgument {}
