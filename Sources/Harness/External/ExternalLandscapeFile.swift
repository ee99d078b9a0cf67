import Foundation
import Landscapes
import Optimizers
import Yams

/// The registry file of an external landscape: a program that evaluates batches of points (and,
/// when it says so, gradients) in the external-process protocol (docs/external.md). Named by
/// `--external` (or in a suite's `external` list), its name is selectable as `--landscape NAME` and
/// as a spec's `family`, like a built-in family's; instances are the program's, numbered and
/// seeded by the harness.
///
///     name: py-loss
///     family: external                     # what makes this a landscape's registry file
///     summary: my model's training loss
///     command: python3 loss.py             # run by /bin/sh (as exec) in this file's folder
///     dimension: 10                        # the default d
///     dimensions: [1, 100]                 # the d --dimension may choose (default: only `dimension`)
///     box: [-5, 5]                         # every coordinate's bounds
///     gradient: true                       # whether the program returns gradients
///     grad-cost: 2                         # one value-and-gradient, in value evaluations (with gradient: true)
///     recheck-tolerance: 1e-12             # |recomputed - recorded| the incumbent's recheck accepts
///     optimum: {value: 0, status: exact}   # f*, when known (status exact, planted or best-known)
///     success-tolerance: 1e-6              # ε of success (default 1e-6)
///     timeout-seconds: 60                  # wall clock per request; past it the run stops (exit 3)
///     parameters:
///       - {name: width, type: real, default: 1, range: [0.1, 10], summary: "..."}
public struct ExternalLandscapeFile: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var command: String
    /// The folder the command runs in: the registry file's.
    public var directory: String
    public var path: String
    public var defaultDimension: Int
    public var dimensions: ClosedRange<Int>
    public var lower: Double
    public var upper: Double
    /// Whether the program returns gradients; without, a gradient is central differences.
    public var providesGradient: Bool
    /// Declared with `providesGradient`; `nil` without (central differences cost 2d + 1 values).
    public var declaredGradCost: Double?
    public var recheckTolerance: Double
    public var optimum: KnownOptimum
    public var successTolerance: Double
    public var timeoutSeconds: Double
    public var versionCommand: String?
    public var parameterSpecs: [ParameterSpec]

    static let fields = ["name", "family", "summary", "command", "version-command", "dimension", "dimensions", "box",
                         "gradient", "grad-cost", "recheck-tolerance", "optimum", "success-tolerance", "timeout-seconds",
                         "parameters"]

    /// Read through `ExternalRegistryFile.load`, which tells the two kinds of registry file apart.
    static func parse(_ mapping: Node.Mapping, file: String, directory: String) throws -> ExternalLandscapeFile {
        let fields = YAMLFields(mapping: mapping, file: file)
        try fields.rejectUnknown(allowed: Self.fields)
        guard let family = try fields.string("family"), family == "external" else {
            throw fields.fail("family", "external (a landscape's registry file names no other family)", got: fields.node("family")!)
        }
        guard let name = try fields.string("name") else {
            throw HarnessError("\(file): field 'name' is missing (expected the landscape's name, e.g. py-loss)")
        }
        guard ExternalOptimizerFile.isName(name) else {
            throw HarnessError("\(file):\(fields.line("name")): field 'name' is \(FileText.shown(name, at: fields.node("name")!)), "
                + "expected 1 to 40 lowercase letters, digits and '-', starting with a letter")
        }
        guard let command = try fields.string("command"), !command.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HarnessError("\(file): field 'command' is missing (expected the command line that starts the program)")
        }
        guard let dimension = try fields.integer("dimension", minimum: 1) else {
            throw HarnessError("\(file): field 'dimension' is missing (expected the default number of coordinates d)")
        }
        guard dimension <= RunLimits.dimension else {
            throw fields.fail("dimension", "a whole number from 1 to \(RunLimits.dimension)", got: fields.node("dimension")!)
        }
        var dimensions = dimension...dimension
        if let node = fields.node("dimensions") {
            let bounds = node.sequence?.compactMap { $0.scalar?.string }.compactMap { Int($0) } ?? []
            guard bounds.count == 2, node.sequence?.count == 2, 1 <= bounds[0], bounds[0] <= dimension, dimension <= bounds[1],
                  bounds[1] <= RunLimits.dimension else {
                throw fields.fail("dimensions", "[low, high], whole numbers with 1 ≤ low ≤ dimension (\(dimension)) ≤ high ≤ "
                    + "\(RunLimits.dimension)", got: node)
            }
            dimensions = bounds[0]...bounds[1]
        }
        guard let boxNode = fields.node("box") else {
            throw HarnessError("\(file): field 'box' is missing (expected [lower, upper], every coordinate's bounds)")
        }
        let box = boxNode.sequence?.compactMap { $0.scalar?.string }.compactMap { Double($0) } ?? []
        guard box.count == 2, boxNode.sequence?.count == 2, box.allSatisfy(\.isFinite), box[0] < box[1], (box[1] - box[0]).isFinite else {
            throw fields.fail("box", "[lower, upper], finite numbers with lower < upper and a finite width", got: boxNode)
        }
        let providesGradient = try ExternalOptimizerFile.flag(fields, "gradient") ?? false
        let gradCost = try fields.real("grad-cost", positive: true)
        if providesGradient {
            guard let gradCost else {
                throw HarnessError("\(file): field 'grad-cost' is missing (expected, with gradient: true, what one value-and-gradient "
                    + "evaluation costs in value evaluations: it is declared, never measured)")
            }
            guard RunLimits.gradCost.contains(gradCost) else {
                throw fields.fail("grad-cost", "a number from \(formatReal(RunLimits.gradCost.lowerBound)) to "
                    + "\(formatReal(RunLimits.gradCost.upperBound))", got: fields.node("grad-cost")!)
            }
        } else if gradCost != nil {
            throw HarnessError("\(file):\(fields.line("grad-cost")): field 'grad-cost' applies only with gradient: true (without, "
                + "a gradient is central differences and costs 2d + 1 value evaluations)")
        }
        guard let recheck = try fields.real("recheck-tolerance", positive: false) else {
            throw HarnessError("\(file): field 'recheck-tolerance' is missing (expected the largest |recomputed − recorded| value "
                + "at one point that the incumbent's recheck accepts; 0 for a program that repeats its values exactly)")
        }
        let optimum = try optimum(fields, file: file)
        let success = try fields.real("success-tolerance", positive: true) ?? 1e-6
        let timeout = try fields.real("timeout-seconds", positive: true) ?? ExternalOptimizerFile.defaultTimeoutSeconds
        guard timeout <= ExternalOptimizerFile.maximumTimeoutSeconds else {
            throw fields.fail("timeout-seconds", "at most \(formatReal(ExternalOptimizerFile.maximumTimeoutSeconds)) (one day)",
                              got: fields.node("timeout-seconds")!)
        }
        var specs = [ParameterSpec]()
        for item in try fields.sequence("parameters") ?? [] {
            let spec = try ExternalOptimizerFile.parameter(item, file: file)
            guard !specs.contains(where: { $0.name == spec.name }) else {
                throw HarnessError("\(file):\(line(of: item)): parameter '\(spec.name)' is declared twice")
            }
            specs.append(spec)
        }
        return ExternalLandscapeFile(
            name: name, summary: try fields.string("summary") ?? "external landscape (\(file))", command: command,
            directory: directory, path: file, defaultDimension: dimension, dimensions: dimensions, lower: box[0], upper: box[1],
            providesGradient: providesGradient, declaredGradCost: gradCost, recheckTolerance: recheck, optimum: optimum,
            successTolerance: success, timeoutSeconds: timeout, versionCommand: try fields.string("version-command"),
            parameterSpecs: specs)
    }

    /// `optimum: {value, status: exact | planted | best-known, source}`; unknown when absent.
    static func optimum(_ fields: YAMLFields, file: String) throws -> KnownOptimum {
        guard let mapping = try fields.mapping("optimum") else { return .unknown }
        var inner = YAMLFields(mapping: mapping, file: file)
        inner.prefix = "optimum."
        try inner.rejectUnknown(allowed: ["value", "status", "source"])
        guard let node = inner.node("value") else {
            throw HarnessError("\(file):\(fields.line("optimum")): field 'optimum.value' is missing (expected f*, a number)")
        }
        guard let text = node.scalar?.string, let value = Double(text), value.isFinite else {
            throw inner.fail("value", "a finite number", got: node)
        }
        let statusText = try inner.string("status") ?? OptimumStatus.bestKnown.rawValue
        guard let status = OptimumStatus(rawValue: statusText), status != .unknown else {
            throw inner.fail("status", "exact, planted or best-known", got: inner.node("status")!)
        }
        return KnownOptimum(value: value, status: status, source: try inner.string("source"))
    }

    /// What one value-and-gradient evaluation costs, in value evaluations, in dimension `d`: the
    /// declared cost, else 2d + 1 (central differences and the value).
    public func gradCost(dimension d: Int) -> Double { declaredGradCost ?? Double(2 * d + 1) }

    /// What the version command prints (`ExternalOptimizerFile.versions`).
    public func versions() -> String? { versionCommand.map { VersionCommand.output($0, directory: directory) } }

    /// The family `--landscape NAME` builds: d in `dimensions`, an instance per (d, parameters,
    /// instance number), each one program per worker thread, started at its first evaluation.
    public var family: LandscapeFamily {
        let file = self
        var family = LandscapeFamily(
            name: name, summary: summary, parameters: parameterSpecs, defaultDimension: defaultDimension, dimensions: dimensions,
            tolerances: Tolerances(success: successTolerance), optimumStatus: optimum.status
        ) { request in try ExternalLandscape(file: file, request: request) }
        family.source = URL(fileURLWithPath: path).standardizedFileURL.path
        return family
    }
}

/// One registry file named by `--external` or a suite: an optimizer's or, with `family:
/// external`, a landscape's.
public enum ExternalRegistryFile: Sendable, Equatable {
    case optimizer(ExternalOptimizerFile)
    case landscape(ExternalLandscapeFile)

    static let expected = "an external optimizer's or landscape's registry (name, command, ...)"

    public static func load(_ path: String, flag: String = "--external") throws -> ExternalRegistryFile {
        let mapping = try YAMLFile.mapping(path, flag: flag, expected: expected, maximumBytes: ExternalOptimizerFile.maximumBytes)
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        if mapping["family"] != nil {
            return .landscape(try ExternalLandscapeFile.parse(mapping, file: path, directory: directory))
        }
        return .optimizer(try ExternalOptimizerFile.parse(mapping, file: path, directory: directory))
    }

    /// Runs `body` with the optimizers and landscapes of `files` registered (each name refused when
    /// it is taken).
    public static func registering<T>(_ files: [ExternalRegistryFile], _ body: () throws -> T) throws -> T {
        var optimizers = [OptimizerDefinition](), landscapes = [LandscapeFamily]()
        for file in files {
            switch file {
            case .optimizer(let optimizer): optimizers.append(optimizer.definition)
            case .landscape(let landscape): landscapes.append(landscape.family)
            }
        }
        return try OptimizerCatalog.withExternal(optimizers) {
            try LandscapeCatalog.withExternal(landscapes, body)
        }
    }
}

/// A registry file's `version-command`, run for run.json.
enum VersionCommand {
    /// What `command` prints (at most 2,000 characters, lines joined by "; "), run in `directory`
    /// with a 30 s limit; a note saying why when it fails.
    static func output(_ command: String, directory: String) -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        do {
            let program = try ChildProcess(command: command, directory: directory)
            defer { program.stop() }
            program.closeInput()
            var lines = [String]()
            while true {
                do {
                    let line = String(decoding: try program.receive(deadline: deadline), as: UTF8.self)
                        .trimmingCharacters(in: .whitespaces)
                    if !line.isEmpty { lines.append(line) }
                } catch ChildProcessError.ended(let how, let stderr) {
                    guard how == "exited with status 0" else {
                        return "unavailable: version-command \(how)\(ChildProcessError.stderrNote(stderr))"
                    }
                    let text = lines.joined(separator: "; ")
                    return text.count > 2000 ? String(text.prefix(2000)) + "…" : text
                }
            }
        } catch {
            return "unavailable: version-command \(describe(error))"
        }
    }
}
