import ArgumentParser
import Foundation
import Harness

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how often optimizers escape the local minima of non-convex landscapes.",
        discussion: """
            Exit status: 0 success; 2 unusable input (unknown option or name, malformed spec, \
            impossible parameter, a budget too small for a method's first call, unwritable output, an \
            --output folder holding an earlier run without --overwrite or being written by another \
            run), one line on stderr; 3 the run finished but some trials failed (a landscape \
            returned NaN or ±∞, or an optimizer left the domain): they are listed on stderr and in trials.csv.
            """,
        version: TunnelBenchVersion.current,
        subcommands: [Run.self, Check.self, Report.self, TunnelMapCommand.self, TuneCommand.self, List.self],
        defaultSubcommand: Run.self)

    /// Parses and runs like ArgumentParser's own `main()`, except that every command-line error ends
    /// in one line on stderr and exit status 2 (the statuses `--help` documents), and that a negative
    /// number after an option is read as that option's value.
    static func main() {
        let arguments = CommandLineInput.attachingNegativeValues(Array(CommandLine.arguments.dropFirst()))
        do {
            if let line = CommandLineInput.unknownHelpTopic(arguments) { throw InputError(line) }
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, help NAME, --version
            if let code = error as? ExitCode { exit(withError: code) }      // 1 or 3: the command printed why
            let line = error is InputError ? String(describing: error)
                : CommandLineInput.oneLine(message(for: error), arguments: arguments)
            FileHandle.standardError.write(Data("error: \(CommandLineInput.singleLine(line))\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// Unusable input: `Bench.main` prints it as one line on stderr and exits with status 2.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The error for one line on stderr and exit status 2 (unusable input): `throw fail("...")`.
func fail(_ message: String) -> InputError { InputError(message) }

/// Runs `body`, turning the project's input errors into one line on stderr and exit status 2.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as InputError {
        throw error
    } catch let error as RunAborted {
        FileHandle.standardError.write(Data("error: \(CommandLineInput.singleLine(error.description))\n".utf8))
        throw ExitCode(3)
    } catch let error as CustomStringConvertible where !(error is CleanExit) {
        throw fail(error.description)
    }
}

/// The command line before and after ArgumentParser reads it.
enum CommandLineInput {
    static let subcommands: [ParsableCommand.Type] = Bench.configuration.subcommands

    /// The subcommand `arguments` run: the first argument when it names one, else `run`.
    static func command(for arguments: [String]) -> ParsableCommand.Type {
        guard let first = arguments.first else { return Run.self }
        return subcommands.first { $0._commandName == first } ?? Run.self
    }

    /// Whether `text` is a negative number (`-5`, `-0.5`, `-1e300`, `-.5`, `-inf`, `-nan`, or a
    /// comma-separated list that starts with one), which ArgumentParser would take for an option.
    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        let first = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return Double(first) != nil
    }

    /// `--flag -NUMBER` becomes `--flag=-NUMBER` when `--flag` takes a value and `-NUMBER` is not
    /// itself an option, so that the value reaches the flag's own check ("--trials must be at least
    /// 1, got -5") instead of reading as a missing value. Nothing after `--` is touched.
    static func attachingNegativeValues(_ arguments: [String]) -> [String] {
        let options = Options(of: command(for: arguments))
        var out = [String]()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { out += arguments[index...]; break }
            if index + 1 < arguments.count, options.takesValue(argument), !argument.contains("="),
               isNegativeNumber(arguments[index + 1]), !options.isOption(arguments[index + 1]) {
                out.append(argument + "=" + arguments[index + 1])
                index += 2
                continue
            }
            out.append(argument)
            index += 1
        }
        return out
    }

    /// `bench help NAME` for a NAME that is not a subcommand: the line that says so.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help", arguments.count > 1 else { return nil }
        let topic = arguments[1]
        guard !topic.hasPrefix("-"), !subcommands.contains(where: { $0._commandName == topic }) else { return nil }
        return "help '\(topic)': unknown subcommand (valid: \(subcommandNames))"
    }

    static var subcommandNames: String { subcommands.map { $0._commandName }.joined(separator: ", ") }

    /// ArgumentParser's message for a parse error rewritten as one line naming the flag and what it
    /// expects.
    static func oneLine(_ message: String, arguments: [String]) -> String {
        let command = command(for: arguments)
        let name = "bench \(command._commandName)"
        let options = Options(of: command)
        let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
        if let m = firstLine.firstMatch(of: /^Unknown option '([^']*)'(?:\. Did you mean '([^']*)'\?)?/) {
            let suggestion = m.2.map { "did you mean \($0)? " } ?? ""
            return "\(m.1): unknown option of \(name) (\(suggestion)'\(name) --help' lists them)"
        }
        if let m = firstLine.firstMatch(of: /^Missing value for '([^ ']*) ?([^']*)'/) {
            return "\(m.1): missing value, expected \(options.expectation(of: String(m.1), valueName: String(m.2)))"
        }
        if let m = firstLine.firstMatch(of: /^The value '(.*)' is invalid for '([^ ']*) ?([^']*)'(?:\. Please provide one of (.*)\.)?/) {
            if let choices = m.4 {
                let list = choices.replacing(" or ", with: ", ").replacing(" and ", with: ", ").replacing("'", with: "")
                return "\(m.2) '\(m.1)': expected one of \(list)"
            }
            return "\(m.2) '\(m.1)': expected \(options.expectation(of: String(m.2), valueName: String(m.3)))"
        }
        if let m = firstLine.firstMatch(of: /^The option '([^']*)' does not take any value, but '(.*)' was specified/) {
            return "\(m.1) is a flag and takes no value, got '\(m.2)'"
        }
        if let m = firstLine.firstMatch(of: /^Missing expected argument '([^']*)'/) {
            let synopsis = String(m.1)
            let words = synopsis.split(separator: " ", maxSplits: 1).map(String.init)
            if synopsis.hasPrefix("--"), words.count == 2 {
                return "\(words[0]) is required by \(name), expected \(options.expectation(of: words[0], valueName: words[1]))"
            }
            return "\(name) needs \(synopsis) ('\(name) --help' says what it takes)"
        }
        if let m = firstLine.firstMatch(of: /^(?:\d+ unexpected arguments: |Unexpected argument )'([^']*)'/) {
            if command == Run.self, arguments.first == String(m.1) {
                return "'\(m.1)' is not a subcommand (valid: \(subcommandNames)) or an argument of bench run"
            }
            return "unexpected argument '\(m.1)' for \(name) ('\(name) --help' lists what it takes)"
        }
        if firstLine.isEmpty { return "\(name): unusable command line" }
        return firstLine.prefix(1).lowercased() + firstLine.dropFirst()
    }

    /// `text` on one line: line breaks become "; ".
    static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: "; ")
    }
}

/// An `@OptionGroup` property: the options struct it includes.
protocol IncludedGroup {
    static var groupType: ParsableArguments.Type { get }
}

extension OptionGroup: IncludedGroup {
    static var groupType: ParsableArguments.Type { Value.self }
}

/// The options of a subcommand as its properties (and those of its option groups) declare them:
/// which take a value and of which type.
struct Options {
    /// Option name (`--grad-cost`) → what its value must be.
    var valued: [String: String] = [:]
    /// Options whose value is text (a path, a list): `--help` names what they take.
    var text: Set<String> = []
    var flags: Set<String> = []

    init(of command: ParsableCommand.Type) {
        add(command.init())
        flags.insert("--help")
        flags.insert("-h")
    }

    /// Adds the options `arguments` declares, and those of the `@OptionGroup`s it includes.
    private mutating func add(_ arguments: ParsableArguments) {
        for child in Mirror(reflecting: arguments).children {
            if let group = child.value as? any IncludedGroup {
                add(type(of: group).groupType.init())
                continue
            }
            guard let label = child.label, label.hasPrefix("_") else { continue }
            let flag = "--" + Options.kebab(String(label.dropFirst()))
            if let expected = Options.expectation(ofValue: child.value) {
                valued[flag] = expected
            } else if Options.isText(child.value) {
                text.insert(flag)
            } else if String(describing: type(of: child.value)).hasPrefix("Flag<") {
                flags.insert(flag)
            }
        }
    }

    func takesValue(_ argument: String) -> Bool { valued[argument] != nil || text.contains(argument) }

    func isOption(_ argument: String) -> Bool {
        takesValue(argument) || flags.contains(argument) || argument == "--version"
    }

    static func isText(_ value: Any) -> Bool {
        value is Option<String> || value is Option<String?> || value is Option<[String]> || value is Option<[CommaList<String>]>
    }

    /// What `flag`'s value must be; `valueName` (`<file>`, as `--help` shows it) for text options.
    func expectation(of flag: String, valueName: String) -> String {
        valued[flag] ?? (valueName.isEmpty ? "a value" : valueName)
    }

    /// `gradCost` → `grad-cost`: ArgumentParser's own rule for `.long` names.
    static func kebab(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase { out += "-" + character.lowercased() } else { out.append(character) }
        }
        return out
    }

    static func expectation(ofValue value: Any) -> String? {
        switch value {
        case is Option<Int>, is Option<Int?>: return "a whole number"
        case is Option<Double>, is Option<Double?>: return "a number"
        case is Option<UInt64>, is Option<UInt64?>: return "a whole number from 0 to \(UInt64.max)"
        case is Option<StartProtocolKind?>:
            return "one of " + StartProtocolKind.allCases.map(\.rawValue).joined(separator: ", ")
        case is Option<[CommaList<Double>]>: return "numbers separated by commas"
        case is Option<OutputFormat>: return "one of " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
        default: return nil
        }
    }
}
