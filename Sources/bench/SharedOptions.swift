import ArgumentParser
import Foundation
import Harness
import Landscapes
import Optimizers

// The flags more than one subcommand takes, each declared once: a subcommand includes a group with
// `@OptionGroup`, and the group's `validate()` checks what the flags alone decide, so the same
// value is read and refused the same way by every subcommand that takes it.

/// `--threads`: `bench run`, `check` and `tunnel-map`.
struct ThreadOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads (default: all cores); results do not depend on it.")
    var threads: Int?

    /// The worker threads to use: `--threads`, else one per core.
    var count: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }
}

/// `--output DIR` and `--overwrite`: the run folder of `bench run`, `check` and `tunnel-map`.
/// (`bench report --output` names a single page, not a folder, and is its own option.)
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Folder for the files this command writes (the overview names them and the default), published whole when it finishes; a folder holding an earlier run is refused unless --overwrite.",
        valueName: "dir"))
    var output: String?

    @Flag(name: .long, help: "Replace the --output folder whole when it holds an earlier run.")
    var overwrite = false
}

/// `--external FILE`: `bench run`, `check` and `list`. Each file registers an external
/// optimizer or landscape (docs/external.md) whose name the command then accepts wherever it
/// accepts a built-in one; a suite's own `external` list is added to them.
struct ExternalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Registry file of an external optimizer or landscape (docs/external.md), making its name selectable; repeatable.",
        valueName: "file"))
    var external: [String] = []

    /// Runs `body` with the external optimizers and landscapes of `--external` and of `suite` (when
    /// given) registered.
    func registering<T>(suite: String? = nil, _ body: () throws -> T) throws -> T {
        let files = try reportingInputErrors {
            try external.map { try ExternalRegistryFile.load($0) } + (suite.map { try Suite.externalFiles(path: $0) } ?? [])
        }
        return try reportingInputErrors { try ExternalRegistryFile.registering(files) { Result { try body() } } }.get()
    }
}

/// `--seed`: `bench run` and `tunnel-map`.
struct SeedOptions: ParsableArguments {
    @Option(name: .long, help: "Master seed: the same seed gives the same trials (default: 1, or a --suite's own).")
    var seed: UInt64?
}

/// `--dimension`, `--trials` and `--budget`: `bench run` (where they override a spec's) and
/// `tunnel-map` (where they apply to every cell). Each must lie within `RunLimits`.
struct TrialOptions: ParsableArguments {
    @Option(name: .long, help: "Dimension d of every landscape (default: its spec's, else its family's).")
    var dimension: Int?

    @Option(name: .long, help: "Trials per landscape and optimizer (default: the landscape spec's, else 100; in tune: per tuning instance and configuration in the first round, default 4).")
    var trials: Int?

    @Option(name: .long, help: "Budget per trial in value evaluations (default: the landscape spec's, else 2000·d).")
    var budget: Double?

    func validate() throws {
        try Self.check(dimension, flag: "--dimension", limit: RunLimits.dimension)
        try Self.check(trials, flag: "--trials", limit: RunLimits.trials)
        if let budget, !(budget >= 1 && budget <= RunLimits.budget) {
            throw ValidationError("--budget must lie in 1…1e12 evaluations, got \(formatReal(budget))")
        }
    }

    private static func check(_ value: Int?, flag: String, limit: Int) throws {
        guard let value else { return }
        if value < 1 { throw ValidationError("\(flag) must be at least 1, got \(value)") }
        if value > limit { throw ValidationError("\(flag) must be at most \(limit), got \(value)") }
    }
}

/// One occurrence of a list option: items separated by commas. Every list option is an array of
/// these, so `--optimizer gd,adam` and `--optimizer gd --optimizer adam` give the same list once
/// flattened (`items`). Spaces around an item and empty items (`gd,,adam`, a trailing comma) are
/// dropped; an item that does not read as an `Element` makes the whole value invalid.
struct CommaList<Element: ExpressibleByArgument>: ExpressibleByArgument {
    /// The value as given on the command line.
    var text: String
    var items: [Element]

    init?(argument: String) {
        var items = [Element]()
        for piece in argument.split(separator: ",") {
            let item = piece.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            guard let element = Element(argument: item) else { return nil }
            items.append(element)
        }
        self.text = argument
        self.items = items
    }

    var defaultValueDescription: String { text }
}

extension Array {
    /// Every item of a list option's occurrences, in command-line order.
    func items<Item>() -> [Item] where Element == CommaList<Item> { flatMap(\.items) }

    /// The occurrences as one comma-separated text, for messages.
    func text<Item>() -> String where Element == CommaList<Item> { map(\.text).joined(separator: ",") }
}

/// The check of `--alpha`, which `bench check` and `tunnel-map` declare each with its own default.
func validateAlpha(_ alpha: Double) throws {
    if !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must lie in (0, 1), got \(alpha)") }
}
