import ArgumentParser
import Foundation
import Harness

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how often optimizers escape the local minima of non-convex landscapes.",
        discussion: """
            Exit status: 0 success; 2 unusable input (unknown name, malformed spec, impossible \
            parameter, unwritable output); 3 the run finished but some trials failed (a landscape \
            returned NaN or ±∞, or an optimizer left the domain): they are listed on stderr and in trials.csv.
            """,
        version: TunnelBenchVersion.current,
        subcommands: [Run.self, Check.self, Report.self, TunnelMapCommand.self, List.self],
        defaultSubcommand: Run.self)
}

/// Prints one clear line to stderr and exits with status 2 (unusable input).
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(2)
}

/// Runs `body`, turning the project's input errors into one line on stderr and exit status 2.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CustomStringConvertible where !(error is CleanExit) {
        throw fail(error.description)
    }
}
