import ArgumentParser
import Foundation
import Harness
import Report

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write report.html for one or more run folders: rates with intervals, runtime distributions, 2-D heat maps with traced trials.",
        discussion: """
            Given the folder of bench tunnel-map instead (it holds tunnel-map.csv), writes its tunnel-map.html \
            again from its files.
            """)

    @Argument(help: ArgumentHelp("Run folders (the --output of bench run), or one tunnel-map folder.", valueName: "dir"))
    var directories: [String] = []

    @Option(name: .long, help: ArgumentHelp("Where to write the page (default: <first dir>/report.html, or <dir>/tunnel-map.html).",
                                            valueName: "file"))
    var output: String?

    func run() throws {
        // Here rather than in validate(): a mistyped option must be named before this is said.
        if directories.isEmpty { throw fail("give at least one run folder (bench report DIR ...)") }
        if let map = directories.first(where: TunnelMapFolder.isTunnelMap) {
            guard directories.count == 1 else {
                throw fail("\(map): a tunnel-map folder, which is reported alone (expected it without other folders)")
            }
            let path = output ?? (map as NSString).appendingPathComponent(TunnelMapPage.file)
            try reportingInputErrors { try writeAtomically(TunnelMapPage.html(try TunnelMapFolder(path: map)), to: path) }
            print("wrote \(path)")
            return
        }
        let path = try reportingInputErrors { try ReportWriter.write(directories: directories, to: output) }
        print("wrote \(path)")
    }
}

/// Shared by `bench report` and `bench run --report`.
enum ReportWriter {
    /// Writes the page atomically (`writeAtomically`) and returns its path.
    static func write(directories: [String], to output: String?) throws -> String {
        let path = output ?? (directories[0] as NSString).appendingPathComponent("report.html")
        try writeAtomically(try html(directories: directories, named: directories), to: path)
        return path
    }

    /// The page for the run folders in `directories`, each headed by its name in `names` (a run's
    /// staging folder is read, but the page names the folder it is published as).
    static func html(directories: [String], named names: [String]) throws -> String {
        let runs = try zip(directories, names).map { directory, name in
            var run = try RunFolder(path: directory)
            run.path = name
            return run
        }
        return try ReportPage.html(runs: runs)
    }
}
