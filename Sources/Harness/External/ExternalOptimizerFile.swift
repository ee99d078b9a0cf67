import Foundation
import Landscapes
import Optimizers
import Yams

/// A small YAML file read whole: refused before reading when it is missing, a folder or larger
/// than `maximumBytes`, and when it is not UTF-8 or not a mapping at its top, each in one line that
/// names the flag and the file.
enum YAMLFile {
    static func mapping(_ path: String, flag: String, expected: String, maximumBytes: Int) throws -> Node.Mapping {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw HarnessError("\(flag) \(path): file not found (expected \(expected))")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw HarnessError("\(flag) \(path): \(size) bytes, more than the \(maximumBytes) such a file may have")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HarnessError("\(flag) \(path): cannot be read as UTF-8 text")
        }
        return try mapping(yaml: text, file: path, expected: expected)
    }

    static func mapping(yaml: String, file: String, expected: String) throws -> Node.Mapping {
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch let error as YamlError {
            throw HarnessError("\(file): malformed YAML: \(error.shortDescription)")
        } catch {
            throw HarnessError("\(file): malformed YAML")
        }
        guard let mapping = node?.mapping else { throw HarnessError("\(file): expected a mapping with \(expected)") }
        return mapping
    }
}

/// The registry file of an external optimizer: a program that speaks the external-process
/// protocol (docs/external.md) on stdin/stdout. With the file named by `--external` (or in a
/// suite's `external` list), its name is selectable like a built-in optimizer's.
///
///     name: py-random-search
///     summary: Gaussian steps from the start, keeping the best (docs/external.md)
///     command: python3 random_search.py      # run by /bin/sh (as exec) in this file's folder
///     kinds: [continuous]                  # or [ising]: a sampler that returns final states (docs/external.md)
///     gradients: false                       # whether it asks for gradients
///     reuse: false                           # one process per trial (true: one per worker, reset between trials)
///     timeout-seconds: 60                    # wall clock per trial; past it the run stops (exit 3)
///     parameters:
///       - {name: step, type: real, default: 0.1, range: [1e-9, 1e3], summary: "the step's scale, relative to the box"}
public struct ExternalOptimizerFile: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var command: String
    /// The folder the command runs in: the registry file's.
    public var directory: String
    public var path: String
    public var kind: LandscapeKind
    public var usesGradients: Bool
    public var reuse: Bool
    public var timeoutSeconds: Double
    /// A command that prints the versions of what the program runs on (`version-command`), run
    /// once per run for run.json; `nil` when the file names none.
    public var versionCommand: String?
    public var parameterSpecs: [ParameterSpec]

    public static let maximumBytes = 1 << 20
    /// The default wall-clock limit of one trial, and the largest one a file may set.
    public static let defaultTimeoutSeconds = 60.0
    public static let maximumTimeoutSeconds = 86_400.0
    static let fields = ["name", "summary", "command", "version-command", "kinds", "gradients", "reuse", "timeout-seconds",
                         "parameters"]

    public static func load(_ path: String, flag: String = "--external") throws -> ExternalOptimizerFile {
        guard case .optimizer(let file) = try ExternalRegistryFile.load(path, flag: flag) else {
            throw HarnessError("\(flag) \(path): expected an external optimizer's registry (this one has 'family: external')")
        }
        return file
    }

    public static func parse(yaml: String, file: String, directory: String) throws -> ExternalOptimizerFile {
        try parse(YAMLFile.mapping(yaml: yaml, file: file, expected: "an external optimizer's registry (name, command, ...)"),
                  file: file, directory: directory)
    }

    static func parse(_ mapping: Node.Mapping, file: String, directory: String) throws -> ExternalOptimizerFile {
        let fields = YAMLFields(mapping: mapping, file: file)
        try fields.rejectUnknown(allowed: Self.fields)
        guard let name = try fields.string("name") else {
            throw HarnessError("\(file): field 'name' is missing (expected the optimizer's name, e.g. py-random-search)")
        }
        guard isName(name) else {
            throw HarnessError("\(file):\(fields.line("name")): field 'name' is \(FileText.shown(name, at: fields.node("name")!)), "
                + "expected 1 to 40 lowercase letters, digits and '-', starting with a letter")
        }
        guard let command = try fields.string("command"), !command.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HarnessError("\(file): field 'command' is missing (expected the command line that starts the program)")
        }
        var kind = LandscapeKind.continuous
        if let kinds = try fields.sequence("kinds") {
            let names = kinds.map { $0.string ?? "" }
            switch names {
            case ["continuous"]: kind = .continuous
            case ["ising"]: kind = .ising
            default:
                let shown = FileText.isPlain(names.joined(separator: ",")) ? names.joined(separator: ",") : "(not shown)"
                throw HarnessError("\(file):\(fields.line("kinds")): field 'kinds' is \(shown), expected [continuous] or [ising] "
                    + "(one kind per file: a program that handles both has one registry file per kind, with two names)")
            }
        }
        let timeout = try fields.real("timeout-seconds", positive: true) ?? defaultTimeoutSeconds
        guard timeout <= maximumTimeoutSeconds else {
            throw HarnessError("\(file):\(fields.line("timeout-seconds")): field 'timeout-seconds' is \(formatReal(timeout)), "
                + "expected at most \(formatReal(maximumTimeoutSeconds)) (one day)")
        }
        var specs = [ParameterSpec]()
        for item in try fields.sequence("parameters") ?? [] {
            let spec = try parameter(item, file: file)
            guard !specs.contains(where: { $0.name == spec.name }) else {
                throw HarnessError("\(file):\(line(of: item)): parameter '\(spec.name)' is declared twice")
            }
            specs.append(spec)
        }
        let usesGradients = try flag(fields, "gradients") ?? false
        if kind == .ising && usesGradients {
            throw HarnessError("\(file):\(fields.line("gradients")): field 'gradients' is true, but an Ising landscape has no gradient "
                + "(expected false with kinds: [ising])")
        }
        return ExternalOptimizerFile(
            name: name, summary: try fields.string("summary") ?? "external optimizer (\(file))", command: command,
            directory: directory, path: file, kind: kind, usesGradients: usesGradients,
            reuse: try flag(fields, "reuse") ?? false, timeoutSeconds: timeout,
            versionCommand: try fields.string("version-command"), parameterSpecs: specs)
    }

    static func isName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...40).contains(bytes.count), let first = bytes.first, (0x61...0x7A).contains(first) else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
    }

    static func flag(_ fields: YAMLFields, _ key: String) throws -> Bool? {
        guard let node = fields.node(key) else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fields.fail(key, "true or false", got: node)
        }
    }

    /// One declared parameter: `{name, type: real | integer | flag | choice, default, range: [lo, hi]
    /// (real, integer), choices: [...] (choice), summary}`.
    static func parameter(_ node: Node, file: String) throws -> ParameterSpec {
        guard let mapping = node.mapping else {
            throw HarnessError("\(file):\(line(of: node)): a parameter is a mapping {name, type, default, range or choices, summary}")
        }
        var fields = YAMLFields(mapping: mapping, file: file)
        try fields.rejectUnknown(allowed: ["name", "type", "default", "range", "choices", "summary"])
        guard let name = try fields.string("name"), isName(name) else {
            throw HarnessError("\(file):\(line(of: node)): a parameter's 'name' is missing or not 1 to 40 lowercase letters, digits and '-'")
        }
        fields.prefix = "\(name)."
        let type = try fields.string("type") ?? "real"
        guard let text = try fields.string("default") else {
            throw HarnessError("\(file):\(line(of: node)): parameter '\(name)' has no 'default'")
        }
        let summary = try fields.string("summary") ?? ""
        let kind: ParameterKind
        switch type {
        case "real", "integer":
            var bounds = [Double]()
            if let range = try fields.sequence("range") {
                bounds = range.compactMap { $0.scalar?.string }.compactMap { Double($0) }
                guard bounds.count == 2, range.count == 2, bounds[0] <= bounds[1], !bounds.contains(where: \.isNaN) else {
                    throw fields.fail("range", "[low, high] with low ≤ high", got: fields.node("range")!)
                }
            } else {
                bounds = [-.infinity, .infinity]
            }
            if type == "real" {
                kind = .real(bounds[0]...bounds[1])
            } else {
                guard let lo = Int(exactly: bounds[0].isFinite ? bounds[0] : -9e15), let hi = Int(exactly: bounds[1].isFinite ? bounds[1] : 9e15) else {
                    throw fields.fail("range", "whole numbers", got: fields.node("range")!)
                }
                kind = .integer(lo...hi)
            }
        case "flag":
            kind = .flag
        case "choice":
            let choices = (try fields.sequence("choices") ?? []).compactMap { $0.scalar?.string }
            guard !choices.isEmpty, choices.allSatisfy(PlainText.isPlain), Set(choices).count == choices.count else {
                throw HarnessError("\(file):\(line(of: node)): parameter '\(name)' of type choice needs 'choices', "
                    + "a list of distinct plain names")
            }
            kind = .choice(choices)
        default:
            throw fields.fail("type", "real, integer, flag or choice", got: fields.node("type")!)
        }
        let probe = ParameterSpec(name, default: 0, kind, summary)
        guard let value = probe.parse(text) else {
            throw fields.fail("default", probe.expectation, got: fields.node("default")!)
        }
        return ParameterSpec(name, default: value, kind, summary)
    }

    /// What `versionCommand` prints (at most 2,000 characters, lines joined by "; "), run in the
    /// registry file's folder with a 30 s limit; a note saying why when it fails; `nil` when the
    /// file names no version command.
    public func versions() -> String? { versionCommand.map { VersionCommand.output($0, directory: directory) } }

    /// The registry entry: what `--optimizer NAME` builds.
    public var definition: OptimizerDefinition {
        let file = self
        let pool = WorkerPool(file)
        return OptimizerDefinition(name: name, summary: summary, kind: kind, parameterSpecs: parameterSpecs,
                                   usesGradients: usesGradients, source: URL(fileURLWithPath: path).standardizedFileURL.path) { parameters in
            switch file.kind {
            case .continuous: ExternalOptimizer(file: file, parameters: parameters, pool: pool)
            case .ising: ExternalSpinOptimizer(file: file, parameters: parameters, pool: pool)
            }
        }
    }
}
