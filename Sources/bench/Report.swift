import ArgumentParser
import Foundation
import Harness

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write report.html for one or more run folders: rates with intervals, runtime distributions, 2-D heat maps with traced trials.")

    @Argument(help: ArgumentHelp("Run folders (the --output of bench run).", valueName: "dir"))
    var directories: [String] = []

    @Option(name: .long, help: ArgumentHelp("Where to write the page (default: <first dir>/report.html).", valueName: "file"))
    var output: String?

    func run() throws {
        // Here rather than in validate(): a mistyped option must be named before this is said.
        if directories.isEmpty { throw fail("give at least one run folder (bench report DIR ...)") }
        let path = try reportingInputErrors { try ReportWriter.write(directories: directories, to: output) }
        print("wrote \(path)")
    }
}

/// Shared by `bench report` and `bench run --report`.
enum ReportWriter {
    static func write(directories: [String], to output: String?) throws -> String {
        let runs = try directories.map { try RunFolder(path: $0) }
        let path = output ?? (directories[0] as NSString).appendingPathComponent("report.html")
        try writeAtomically(try ReportPage.html(runs: runs), to: path)
        return path
    }
}
