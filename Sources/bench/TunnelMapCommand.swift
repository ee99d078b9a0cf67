import ArgumentParser
import Foundation
import Harness
import Report
import Landscapes
import Optimizers

struct TunnelMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunnel-map",
        abstract: "Compare path-integral annealing with the best classical method over a grid of double-well barriers.")

    @Option(name: .long, help: ArgumentHelp("Barrier heights H, comma-separated.", valueName: "list"))
    var heights = "0.5,1,2,4,8"

    @Option(name: .long, help: ArgumentHelp("Barrier widths w, comma-separated.", valueName: "list"))
    var widths = "0.25,0.5,1,2"

    @Option(name: .long, help: "Dimension of each double well (at d = 2 every method escapes almost always: the map shows nothing).")
    var dimension = 5

    @Option(name: .long, help: "Trials per method and cell, in each of the two runs.")
    var trials = 100

    @Option(name: .long, help: "Budget per trial in evaluations (default 2000·d).")
    var budget: Double?

    @Option(name: .long, help: "The method under test.")
    var candidate = "piqa"

    @Option(name: .long, help: ArgumentHelp("Classical methods to choose the best of, comma-separated.", valueName: "list"))
    var classical = "sa,pt,adam"

    @Option(name: .long, help: "Family-wise significance level across cells (Holm).")
    var alpha = 0.05

    @Option(name: .long, help: "Master seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Output folder (default Results/runs/<timestamp>-tunnel-map).", valueName: "dir"))
    var output: String?

    @Flag(name: .long, help: "Replace the --output folder whole when it holds an earlier tunnel map.")
    var overwrite = false

    @Option(name: .long, help: ArgumentHelp("Also write the figure (SVG) here, e.g. Results/figures/tunnel-map.svg.", valueName: "file"))
    var figure: String?

    func validate() throws {
        if !(1...RunLimits.dimension).contains(dimension) {
            throw fail("--dimension must lie in 1…\(RunLimits.dimension), got \(dimension)")
        }
        if !(1...RunLimits.trials).contains(trials) { throw fail("--trials must lie in 1…\(RunLimits.trials), got \(trials)") }
        if let budget, !(budget >= 1 && budget <= RunLimits.budget) {
            throw fail("--budget must lie in 1…1e12 evaluations, got \(formatReal(budget))")
        }
        if !(alpha > 0 && alpha < 1) { throw fail("--alpha must lie in (0, 1), got \(formatReal(alpha))") }
        if let threads, threads < 1 { throw fail("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        func numbers(_ text: String, flag: String) throws -> [Double] {
            let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! > 0 && $0!.isFinite }) else {
                throw fail("\(flag) '\(text)': expected positive numbers separated by commas")
            }
            return values.map { $0! }
        }
        let classicalNames = classical.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let known = OptimizerCatalog.names
        guard known.contains(candidate) else {
            throw fail("--candidate '\(candidate)': expected one optimizer of \(known.joined(separator: ", "))")
        }
        guard !classicalNames.isEmpty, classicalNames.allSatisfy({ known.contains($0) && $0 != candidate }),
              Set(classicalNames).count == classicalNames.count else {
            throw fail("--classical '\(classical)': expected distinct optimizers other than the candidate '\(candidate)', "
                       + "separated by commas, from \(known.joined(separator: ", "))")
        }
        let plan = TunnelMapPlan(
            heights: try numbers(heights, flag: "--heights"), widths: try numbers(widths, flag: "--widths"),
            dimension: dimension, trials: trials, budget: budget, candidate: candidate,
            classical: classicalNames, seed: seed,
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, alpha: alpha)
        // Staged before any work and published whole (see `StagingFolder`).
        let staging = try reportingInputErrors {
            try RunOutput.stage(output, defaultName: "tunnel-map", overwrite: overwrite, marker: "tunnel-map.csv")
        }
        defer { staging.abandon() }
        let directory = staging.target
        let interactive = isatty(STDERR_FILENO) != 0
        let result = try reportingInputErrors {
            try TunnelMap.run(plan) { cell in
                if interactive { FileHandle.standardError.write(Data("\r\u{1B}[Kcell \(cell)".utf8)) }
            }
        }
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let svg = TunnelMapPage.figure(result)
        try reportingInputErrors {
            for (name, contents) in [("tunnel-map.csv", TunnelMap.cellsCSV(result)),
                                     ("tunnel-comparison.csv", TunnelMap.comparisonCSV(result)),
                                     ("tunnel-map.html", TunnelMapPage.html(result, figure: svg))] {
                let file = try staging.createFile(named: name)
                try file.write(contents)
                try file.finish()
            }
            try staging.publish()
            if let figure { try writeAtomically(svg + "\n", to: figure) }
        }
        print(CSV.document(header: TunnelMap.comparisonHeader, rows: []), terminator: "")
        print(TunnelMap.comparisonCSV(result).split(separator: "\n").dropFirst().joined(separator: "\n"))
        FileHandle.standardError.write(Data("wrote \(directory)/{tunnel-map.csv,tunnel-comparison.csv,tunnel-map.html}\(figure.map { " and \($0)" } ?? "")\n".utf8))
    }
}
