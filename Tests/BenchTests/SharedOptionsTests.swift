import ArgumentParser
import Foundation
import Testing
@testable import bench

/// A subcommand with the arguments it needs to parse at all.
struct Subcommand: CustomTestStringConvertible, Sendable {
    var name: String
    var required: [String]

    var testDescription: String { name }

    static let run = Subcommand(name: "run", required: ["--landscape", "rastrigin"])
    static let check = Subcommand(name: "check", required: ["--suite", "s.yaml", "--baseline", "b.csv"])
    static let tunnelMap = Subcommand(name: "tunnel-map", required: [])
    static let tune = Subcommand(name: "tune", required: ["--landscape", "sphere", "--optimizer", "gd"])

    /// The subcommand parsed as `bench` parses it, from `arguments` after the required ones.
    func parse(_ arguments: [String]) throws -> ParsableCommand {
        try Bench.parseAsRoot([name] + required + arguments)
    }

    /// `bench` run on `arguments` after the required ones, as a user would.
    func process(_ arguments: [String]) throws -> BenchProcess {
        try BenchProcess.run([name] + required + arguments)
    }
}

/// The option group of type `Group` that `command` includes, as parsed.
func group<Group: ParsableArguments>(_ type: Group.Type, of command: ParsableCommand) -> Group? {
    Mirror(reflecting: command).children.lazy.compactMap { ($0.value as? OptionGroup<Group>)?.wrappedValue }.first
}

/// The flags more than one subcommand takes are declared once, in option groups, and read and
/// refused the same way by every subcommand that takes them.
@Suite struct SharedOptionsTests {
    static let threadCommands = [Subcommand.run, .check, .tunnelMap, .tune]
    static let outputCommands = [Subcommand.run, .check, .tunnelMap, .tune]
    static let seedCommands = [Subcommand.run, .tunnelMap, .tune]
    static let trialCommands = [Subcommand.run, .tunnelMap, .tune]

    /// No subcommand declares a shared flag itself (`bench report --output`, a single page rather
    /// than a run folder, is an option of its own).
    @Test(arguments: Bench.configuration.subcommands.map { $0._commandName })
    func noSubcommandRedeclaresASharedFlag(name: String) throws {
        let command = try #require(Bench.configuration.subcommands.first { $0._commandName == name })
        let own = Set(Mirror(reflecting: command.init()).children.compactMap(\.label))
        var shared: Set<String> = ["_threads", "_overwrite", "_seed", "_dimension", "_trials", "_budget"]
        if name != "report" { shared.insert("_output") }
        #expect(own.isDisjoint(with: shared), "declared directly: \(own.intersection(shared).sorted())")
    }

    @Test(arguments: threadCommands)
    func threadsParsesTheSameInEverySubcommand(command: Subcommand) throws {
        #expect(group(ThreadOptions.self, of: try command.parse(["--threads", "3"]))?.threads == 3)
        #expect(group(ThreadOptions.self, of: try command.parse(["--threads=7"]))?.threads == 7)
        let unset = try #require(group(ThreadOptions.self, of: try command.parse([])))
        #expect(unset.threads == nil)
        #expect(unset.count == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test(arguments: outputCommands)
    func outputAndOverwriteParseTheSameInEverySubcommand(command: Subcommand) throws {
        let given = try #require(group(OutputOptions.self, of: try command.parse(["--output", "some/dir", "--overwrite"])))
        #expect(given.output == "some/dir")
        #expect(given.overwrite)
        let unset = try #require(group(OutputOptions.self, of: try command.parse([])))
        #expect(unset.output == nil)
        #expect(!unset.overwrite)
    }

    @Test(arguments: seedCommands)
    func seedParsesTheSameInEverySubcommand(command: Subcommand) throws {
        #expect(group(SeedOptions.self, of: try command.parse(["--seed", "18446744073709551615"]))?.seed == UInt64.max)
        #expect(group(SeedOptions.self, of: try command.parse(["--seed", "0"]))?.seed == 0)
        #expect(group(SeedOptions.self, of: try command.parse([]))?.seed == nil)
    }

    @Test(arguments: trialCommands)
    func dimensionTrialsAndBudgetParseTheSameInEverySubcommand(command: Subcommand) throws {
        let given = try #require(group(TrialOptions.self, of: try command.parse(["--dimension", "3", "--trials", "7", "--budget", "250.5"])))
        #expect(given.dimension == 3)
        #expect(given.trials == 7)
        #expect(given.budget == 250.5)
        // The limits themselves are accepted.
        let limits = try #require(group(TrialOptions.self, of: try command.parse(["--dimension", "1000000", "--trials", "1", "--budget", "1e12"])))
        #expect(limits.dimension == 1_000_000)
        #expect(limits.budget == 1e12)
        let unset = try #require(group(TrialOptions.self, of: try command.parse([])))
        #expect(unset.dimension == nil && unset.trials == nil && unset.budget == nil)
    }

    /// Every shared flag appears once in the `--help` of every subcommand that takes it.
    @Test(arguments: [
        ("run", ["--dimension", "--trials", "--budget", "--seed", "--threads", "--output", "--overwrite"]),
        ("check", ["--threads", "--output", "--overwrite"]),
        ("tunnel-map", ["--dimension", "--trials", "--budget", "--seed", "--threads", "--output", "--overwrite"]),
    ])
    func everySharedFlagIsListedOnceInHelp(name: String, flags: [String]) throws {
        let command = try #require(Bench.configuration.subcommands.first { $0._commandName == name })
        let lines = Bench.helpMessage(for: command, columns: 200).split(separator: "\n")
        for flag in flags {
            let entries = lines.filter { $0.hasPrefix("  \(flag) ") || $0 == "  \(flag)" }
            #expect(entries.count == 1, "\(name) --help lists \(flag) \(entries.count) times")
        }
    }

    /// A negative number after a shared flag is that flag's value (`--threads=-1`), so it reaches
    /// the flag's own check.
    @Test(arguments: threadCommands)
    func negativeNumberAfterASharedFlagIsItsValue(command: Subcommand) {
        let arguments = [command.name, "--threads", "-1", "--output", "x"]
        #expect(CommandLineInput.attachingNegativeValues(arguments) == [command.name, "--threads=-1", "--output", "x"])
    }

    @Test(arguments: ["--heights", "--widths"])
    func negativeNumberListAfterAListFlagIsItsValue(flag: String) {
        #expect(CommandLineInput.attachingNegativeValues(["tunnel-map", flag, "-1,2"]) == ["tunnel-map", "\(flag)=-1,2"])
    }

    // MARK: - Bad values: one line naming the flag, exit status 2

    @Test(arguments: threadCommands, [
        ("0", "--threads must be at least 1, got 0"),
        ("-4", "--threads must be at least 1, got -4"),
        ("many", "--threads 'many': expected a whole number"),
    ])
    func badThreadsIsRefusedTheSameInEverySubcommand(command: Subcommand, value: (String, String)) throws {
        expectOneLineRefusal(try command.process(["--threads", value.0]), containing: value.1)
    }

    @Test(arguments: outputCommands, [
        (["--output"], "--output: missing value, expected <dir>"),
        (["--overwrite=yes"], "--overwrite is a flag and takes no value, got 'yes'"),
    ])
    func badOutputIsRefusedTheSameInEverySubcommand(command: Subcommand, value: ([String], String)) throws {
        expectOneLineRefusal(try command.process(value.0), containing: value.1)
    }

    @Test(arguments: seedCommands, [
        ("-1", "--seed '-1': expected a whole number from 0 to 18446744073709551615"),
        ("18446744073709551616", "--seed '18446744073709551616': expected a whole number from 0 to 18446744073709551615"),
        ("1.5", "--seed '1.5': expected a whole number from 0 to 18446744073709551615"),
    ])
    func badSeedIsRefusedTheSameInEverySubcommand(command: Subcommand, value: (String, String)) throws {
        expectOneLineRefusal(try command.process(["--seed", value.0]), containing: value.1)
    }

    @Test(arguments: trialCommands, [
        (["--dimension", "0"], "--dimension must be at least 1, got 0"),
        (["--dimension", "1000001"], "--dimension must be at most 1000000, got 1000001"),
        (["--dimension", "two"], "--dimension 'two': expected a whole number"),
        (["--trials", "-5"], "--trials must be at least 1, got -5"),
        (["--trials", "1000001"], "--trials must be at most 1000000, got 1000001"),
        (["--budget", "0.5"], "--budget must lie in 1…1e12 evaluations, got 0.5"),
        (["--budget", "2e12"], "--budget must lie in 1…1e12 evaluations, got 2000000000000"),
        (["--budget", "nan"], "--budget must lie in 1…1e12 evaluations, got nan"),
    ])
    func badDimensionTrialsOrBudgetIsRefusedTheSameInEverySubcommand(command: Subcommand, value: ([String], String)) throws {
        expectOneLineRefusal(try command.process(value.0), containing: value.1)
    }

    @Test(arguments: [Subcommand.check, .tunnelMap], [
        ("0", "--alpha must lie in (0, 1), got 0.0"),
        ("1", "--alpha must lie in (0, 1), got 1.0"),
        ("-0.5", "--alpha must lie in (0, 1), got -0.5"),
        ("1.5", "--alpha must lie in (0, 1), got 1.5"),
    ])
    func badAlphaIsRefusedTheSameInEverySubcommand(command: Subcommand, value: (String, String)) throws {
        expectOneLineRefusal(try command.process(["--alpha", value.0]), containing: value.1)
    }

    /// The same limits given in a spec rather than as a flag are refused by the spec's own check,
    /// naming the landscape (continuous and Ising alike).
    @Test(arguments: [
        ("family: rastrigin\ntrials: 1000001\n", "trials 1000001 is outside 1…1000000"),
        ("family: rastrigin\ndimension: 1000001\n", "dimension 1000001 is outside 1…1000000"),
        ("family: rastrigin\nbudget: 1e19\n", "budget 1e+19 is outside 1…1e12 evaluations"),
        ("family: weak-strong\nbudget: 0.5\n", "budget 0.5 is outside 1…1e12 evaluations"),
    ])
    func specValuePastALimitIsStillRefusedByTheSpecsCheck(spec: String, message: String) throws {
        let path = try writeFile("limits.yaml", spec)
        expectOneLineRefusal(try BenchProcess.run(["run", "--landscape", path, "--output", temporaryDirectory()]), containing: message)
    }

    /// A --param without `=` or without a name is refused before any landscape is resolved.
    @Test(arguments: ["learning-rate", "=0.1", ""])
    func malformedParamIsRefusedNamingTheFlag(item: String) throws {
        expectOneLineRefusal(try Subcommand.run.process(["--param", item]),
                             containing: "--param '\(item)': expected name=value or optimizer.name=value")
        #expect(throws: (any Error).self) { try Subcommand.run.parse(["--param", item]) }
    }

    // MARK: - List options: the comma form and the repeated form give the same list

    @Test(arguments: [
        ["--optimizer", "gd,adam,sa"],
        ["--optimizer", "gd", "--optimizer", "adam", "--optimizer", "sa"],
        ["--optimizer", "gd, adam", "--optimizer", "sa"],
        ["--optimizer", "gd,,adam,", "--optimizer=sa"],
    ])
    func optimizerListIsTheSameInCommaAndRepeatedForm(arguments: [String]) throws {
        let run = try #require(try Subcommand.run.parse(arguments) as? Run)
        #expect(try run.optimizerNames() == ["gd", "adam", "sa"])
    }

    @Test func optimizerUnsetSelectsEveryApplicableOptimizer() throws {
        let run = try #require(try Subcommand.run.parse([]) as? Run)
        #expect(try run.optimizerNames() == nil)
    }

    @Test(arguments: [
        (["--heights", "1,2,4", "--widths", "0.5,1"], [1.0, 2, 4], [0.5, 1.0]),
        (["--heights", "1", "--heights", "2", "--heights", "4", "--widths", "0.5", "--widths", "1"], [1.0, 2, 4], [0.5, 1.0]),
        (["--heights", "1, 2", "--heights=4", "--widths", "0.5,1,"], [1.0, 2, 4], [0.5, 1.0]),
        // The defaults, as `bench tunnel-map --help` has always shown them.
        ([], [0.5, 1, 2, 4, 8], [0.25, 0.5, 1, 2]),
    ])
    func barrierListsAreTheSameInCommaAndRepeatedForm(arguments: [String], heights: [Double], widths: [Double]) throws {
        let map = try #require(try Subcommand.tunnelMap.parse(arguments) as? TunnelMapCommand)
        #expect(map.heights.items() == heights)
        #expect(map.widths.items() == widths)
    }

    @Test(arguments: [
        (["--classical", "sa,adam"], ["sa", "adam"]),
        (["--classical", "sa", "--classical", "adam"], ["sa", "adam"]),
        ([], ["sa", "pt", "adam"]),
    ])
    func classicalListIsTheSameInCommaAndRepeatedForm(arguments: [String], names: [String]) throws {
        let map = try #require(try Subcommand.tunnelMap.parse(arguments) as? TunnelMapCommand)
        #expect(map.classical.items() == names)
    }

    /// A list item that is not a positive number is refused naming the flag and the value given.
    @Test(arguments: [
        (["--heights", "-1,2"], "--heights '-1,2': expected positive numbers separated by commas"),
        (["--heights", "1", "--heights", "0"], "--heights '0': expected positive numbers separated by commas"),
        (["--heights", "1,inf"], "--heights '1,inf': expected positive numbers separated by commas"),
        (["--widths", ""], "--widths '': expected positive numbers separated by commas"),
        (["--widths", "1,wide"], "--widths '1,wide': expected numbers separated by commas"),
    ])
    func badBarrierListIsRefusedNamingTheFlag(arguments: [String], message: String) throws {
        expectOneLineRefusal(try Subcommand.tunnelMap.process(arguments), containing: message)
    }
}
