import Foundation
import Landscapes
import Yams

/// How a trial's trap m0 and start point are drawn (docs/DESIGN.md, "start protocols").
public enum StartProtocolKind: String, Sendable, CaseIterable {
    /// m0 = quench(uniform point), redrawn until not global; start = m0.
    case localMin = "local-min"
    /// m0 as for local-min; start = m0 + Gaussian jitter, redrawn until quench(start) = m0.
    case basin
    /// start uniform in the box; m0 = quench(start), which may be global.
    case uniform
    /// start = the family's own initialization (neural networks: Xavier); m0 = quench(start),
    /// which may be global.
    case initialization = "init"
}

/// A landscape as a run sees it: family, parameters, dimension, instance, and the run settings
/// that belong to the landscape (budget, trials, start protocol, tolerances). Read from
/// `Landscapes/NAME.yaml`, or made from a built-in family's defaults.
public struct LandscapeSpec: Sendable, Equatable {
    public var name: String
    public var family: String
    public var parameters: [String: String] = [:]
    public var dimension: Int?
    /// Instance 0 is the textbook function; the default, 1, is a shifted COCO-style instance.
    public var instance = 1
    /// An ensemble: the instances to run, each as its own landscape `NAME i=K`, and aggregated
    /// over them (`ensemble.csv`). `nil`: the one `instance`.
    public var instances: [Int]?
    public var budget: Double?
    public var trials: Int?
    public var start: StartProtocolKind = .localMin
    /// Standard deviation of the `basin` protocol's jitter, as a fraction of each box side.
    public var jitter = 0.01
    public var escapeAbsolute: Double?
    public var escapeRelative: Double?
    public var success: Double?
    /// The optimizer every other optimizer on this landscape is compared with, trial by trial
    /// (comparisons.csv); `nil` for the kind's default (`LandscapeKind.defaultReference`). Fixed
    /// before the run, never chosen from its results.
    public var reference: String?
    /// Where the spec came from (a file path, or "built-in").
    public var source = "built-in"

    public init(name: String, family: String) {
        self.name = name
        self.family = family
    }

    /// The largest `basin` jitter: σ of one box side.
    public static let maximumJitter = 1.0

    /// Trials when neither the spec nor the command line sets them.
    public static let defaultTrials = 100
    /// Budget when neither the spec nor the command line sets it: 2000 evaluations per dimension.
    public static func defaultBudget(dimension: Int) -> Double { 2000 * Double(dimension) }
}

extension LandscapeSpec {
    static let keys = ["name", "family", "description", "parameters", "dimension", "instance", "instances", "budget",
                       "trials", "start", "jitter", "tolerances", "reference"]
    static let toleranceKeys = ["escape-absolute", "escape-relative", "success"]

    /// Parses a spec from YAML text; `file` names the source in error messages.
    public static func parse(yaml: String, file: String) throws -> LandscapeSpec {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw HarnessError("\(file): malformed YAML: \(error.shortDescription)")
        }
        guard let node, let mapping = node.mapping else {
            throw HarnessError("\(file): expected a mapping with at least 'family'")
        }
        return try parse(mapping: mapping, file: file, defaultName: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)
    }

    static func parse(mapping: Node.Mapping, file: String, defaultName: String) throws -> LandscapeSpec {
        let fields = YAMLFields(mapping: mapping, file: file)
        try fields.rejectUnknown(allowed: keys)
        let family = try fields.string("family") ?? defaultName
        var spec = LandscapeSpec(name: try fields.string("name") ?? defaultName, family: family)
        spec.source = file
        if let parameters = try fields.mapping("parameters") {
            for (key, value) in parameters {
                guard let name = key.string, let text = value.scalar?.string else {
                    throw HarnessError("\(file):\(line(of: value)): field 'parameters' must map names to values")
                }
                spec.parameters[name] = text
            }
        }
        spec.dimension = try fields.integer("dimension", minimum: 1)
        spec.instance = try fields.integer("instance", minimum: 0) ?? spec.instance
        spec.instances = try fields.instances("instances")
        if spec.instances != nil && fields.node("instance") != nil {
            throw HarnessError("\(file):\(fields.line("instances")): give 'instance' (one) or 'instances' (an ensemble), not both")
        }
        spec.budget = try fields.real("budget", positive: true)
        spec.trials = try fields.integer("trials", minimum: 1)
        if let start = try fields.string("start") {
            guard let kind = StartProtocolKind(rawValue: start) else {
                throw HarnessError("\(file):\(fields.line("start")): field 'start' is \(FileText.shown(start, at: fields.node("start"))), expected one of "
                    + StartProtocolKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            spec.start = kind
        }
        if let jitter = try fields.real("jitter", positive: true) {
            // σ beyond a box side reflects the start around the box at random: no longer a basin.
            guard jitter <= LandscapeSpec.maximumJitter else {
                throw fields.fail("jitter", "a number in (0, 1] (σ as a fraction of each box side)", got: fields.node("jitter")!)
            }
            spec.jitter = jitter
        }
        if let tolerances = try fields.mapping("tolerances") {
            let t = YAMLFields(mapping: tolerances, file: file, prefix: "tolerances.")
            try t.rejectUnknown(allowed: toleranceKeys)
            spec.escapeAbsolute = try t.real("escape-absolute", positive: false)
            spec.escapeRelative = try t.real("escape-relative", positive: false)
            spec.success = try t.real("success", positive: false)
        }
        if let reference = try fields.string("reference") {
            let kind = LandscapeKind(family: family) ?? .continuous
            guard kind.optimizerNames.contains(reference) else {
                throw HarnessError("\(file):\(fields.line("reference")): field 'reference' is \(FileText.shown(reference, at: fields.node("reference"))), expected an optimizer "
                    + "of \(kind.rawValue) landscapes (\(kind.optimizerNames.joined(separator: ", ")))" + OptimizerEntry.renameNote(reference, kind: kind))
            }
            spec.reference = reference
        }
        return spec
    }
}

func line(of node: Node) -> Int { node.mark?.line ?? 0 }

/// Typed access to a YAML mapping's fields, with errors that name file, line and field.
struct YAMLFields {
    let mapping: Node.Mapping
    let file: String
    var prefix = ""

    func node(_ key: String) -> Node? { mapping[key] }

    func line(_ key: String) -> Int {
        node(key).map(Harness.line(of:)) ?? mapping.mark?.line ?? 0
    }

    func fail(_ key: String, _ expected: String, got node: Node) -> HarnessError {
        let got = node.scalar.map { FileText.shown($0.string, at: node) } ?? "a \(node.mapping != nil ? "mapping" : "list")"
        return HarnessError("\(file):\(Harness.line(of: node)): field '\(prefix)\(key)' is \(got), expected \(expected)")
    }

    func rejectUnknown(allowed: [String]) throws {
        for (key, _) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                let shown = key.string.map { FileText.isPlain($0) ? "'\(prefix)\($0)'" : FileText.shown($0, at: key) } ?? "(not text)"
                throw HarnessError("\(file):\(Harness.line(of: key)): unknown field \(shown) "
                    + "(valid: \(allowed.joined(separator: ", ")))")
            }
        }
    }

    func string(_ key: String) throws -> String? {
        guard let node = node(key) else { return nil }
        guard let scalar = node.scalar else { throw fail(key, "a single value", got: node) }
        return scalar.string
    }

    func integer(_ key: String, minimum: Int) throws -> Int? {
        guard let node = node(key) else { return nil }
        guard let text = node.scalar?.string, let v = Int(text), v >= minimum else {
            throw fail(key, "a whole number ≥ \(minimum)", got: node)
        }
        return v
    }

    func real(_ key: String, positive: Bool) throws -> Double? {
        guard let node = node(key) else { return nil }
        guard let text = node.scalar?.string, let v = Double(text), v.isFinite, positive ? v > 0 : v >= 0 else {
            throw fail(key, positive ? "a number > 0" : "a number ≥ 0", got: node)
        }
        return v
    }

    /// An `InstanceList`: a count, a range `A-B` or a list, as text or as a YAML list.
    func instances(_ key: String) throws -> [Int]? {
        guard let node = node(key) else { return nil }
        let parsed: [Int]?
        if let items = node.sequence, items.count <= InstanceList.limit {
            let numbers = items.compactMap { $0.scalar.flatMap { InstanceList.wholeNumber($0.string) } }
            parsed = numbers.count == items.count ? InstanceList.list(numbers) : nil
        } else if node.sequence != nil {
            parsed = nil
        } else {
            parsed = node.scalar.flatMap { InstanceList.parse($0.string) }
        }
        guard let parsed else { throw fail(key, InstanceList.expectedText, got: node) }
        return parsed
    }

    func mapping(_ key: String) throws -> Node.Mapping? {
        guard let node = node(key) else { return nil }
        guard let m = node.mapping else { throw fail(key, "a mapping of names to values", got: node) }
        return m
    }

    func sequence(_ key: String) throws -> Node.Sequence? {
        guard let node = node(key) else { return nil }
        guard let s = node.sequence else { throw fail(key, "a list", got: node) }
        return s
    }
}

/// How an error message shows text read from a file. A short plain word (a field name, a number,
/// an optimizer name) is shown as itself, so that a typing slip can be seen; anything else only by
/// its position, so that no error prints a file's contents (a spec path that names /etc/shadow
/// must not put its first line on the terminal or in a CI log).
enum FileText {
    /// At most 40 letters, digits and `.`, `_`, `+`, `-`: the alphabet of names and numbers
    /// (`PlainText`).
    static func isPlain(_ text: String) -> Bool { PlainText.isPlain(text) }

    /// `'text'` when plain, else a note that it is not shown, with `node`'s column: never the text.
    static func shown(_ text: String, at node: Node?) -> String {
        if isPlain(text) { return "'\(text)'" }
        let column = node?.mark.map { ", column \($0.column)" } ?? ""
        return "(not shown: not a plain name or number\(column))"
    }
}

extension YamlError {
    /// The problem and its line and column, without libyaml's context dump or any of the file's
    /// text (the problem is libyaml's own fixed sentence).
    var shortDescription: String {
        switch self {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        case .reader(let problem, let offset, _, let yaml):
            guard let offset else { return "unreadable text: \(problem)" }
            let before = yaml.utf8.prefix(offset)
            let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            return "line \(line): \(problem)"
        case .duplicatedKeysInMapping(_, let context):
            return "line \(context.mark.line), column \(context.mark.column): the mapping that starts here repeats a key"
        case .dataCouldNotBeDecoded:
            return "not UTF-8 text"
        default:
            return "not YAML"
        }
    }
}
