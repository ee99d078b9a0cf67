import Foundation
import Landscapes
import Optimizers
import Yams

/// A named list of landscapes × optimizers × trials × budget × seed: what `bench run --suite` and
/// `bench check` run. Read from YAML:
///
///     name: ci
///     seed: 1
///     trials: 50                         # default for every landscape (optional)
///     optimizers: [gd, sa, random-search]  # default for every landscape
///     landscapes:
///       - rastrigin                      # a spec name, family or path, as --landscape takes it
///       - spec: double-well              # a spec with overrides
///         trials: 100
///       - name: ackley-5                 # an inline spec (the fields of Landscapes/*.yaml)
///         family: ackley
///         dimension: 5
///         optimizers:                    # this landscape's own list
///           - sa
///           - name: sa
///             label: sa-hot
///             parameters: {initial-temperature: 10}
///           - params: ../tuned/sa.yaml     # a parameter file (`bench tune` writes them): a row
///                                          # 'sa-tuned' with its parameters; path relative to the suite
public struct Suite: Sendable {
    public var name: String
    public var seed: UInt64
    public var landscapes: [ResolvedLandscape]
    /// `optimizers[l]` run on `landscapes[l]`.
    public var optimizers: [[OptimizerEntry]]
    public var source: String

    public func plan(threads: Int, gradCost: Double? = nil) -> RunPlan {
        RunPlan(landscapes: landscapes, optimizersPerLandscape: optimizers, masterSeed: seed,
                threads: threads, gradCost: gradCost)
    }

    static let keys = ["name", "description", "seed", "trials", "budget", "external", "optimizers", "landscapes"]
    static let overrideKeys = ["spec", "dimension", "trials", "budget", "start", "instance", "instances", "optimizers"]

    /// Loads a suite file; `specDirectory` is where bare spec names are looked up.
    public static func load(path: String, specDirectory: String = "Landscapes", overrides: SpecOverrides = SpecOverrides()) throws -> Suite {
        try parse(try mapping(path), file: path, specDirectory: specDirectory, overrides: overrides)
    }

    /// Suite files larger than this are refused before they are read.
    public static let maximumBytes = 16 << 20

    static func mapping(_ path: String) throws -> Node.Mapping {
        try YAMLFile.mapping(path, flag: "--suite", expected: "a suite in YAML, with 'landscapes' and 'optimizers'", maximumBytes: maximumBytes)
    }

    public static func parse(yaml: String, file: String, specDirectory: String = "Landscapes",
                             overrides: SpecOverrides = SpecOverrides()) throws -> Suite {
        try parse(YAMLFile.mapping(yaml: yaml, file: file, expected: "'landscapes' and 'optimizers'"), file: file,
                  specDirectory: specDirectory, overrides: overrides)
    }

    static func parse(_ mapping: Node.Mapping, file: String, specDirectory: String, overrides: SpecOverrides) throws -> Suite {
        let fields = YAMLFields(mapping: mapping, file: file)
        try fields.rejectUnknown(allowed: keys)
        return try ExternalRegistryFile.registering(externalFiles(fields, file: file)) {
            try parse(fields, file: file, specDirectory: specDirectory, overrides: overrides)
        }
    }

    /// The registry files of the external optimizers and landscapes a suite's `external` list names
    /// (paths relative to the suite's folder), read and checked.
    public static func externalFiles(path: String) throws -> [ExternalRegistryFile] {
        try externalFiles(YAMLFields(mapping: mapping(path), file: path), file: path)
    }

    static func externalFiles(_ fields: YAMLFields, file: String) throws -> [ExternalRegistryFile] {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        return try (fields.sequence("external") ?? []).map { item in
            guard let relative = item.scalar?.string, !relative.isEmpty else {
                throw HarnessError("\(file):\(line(of: item)): an 'external' item is the path of a registry file")
            }
            let path = relative.hasPrefix("/") ? relative : folder.appendingPathComponent(relative).standardizedFileURL.path
            return try ExternalRegistryFile.load(path, flag: "\(file):\(line(of: item)): external")
        }
    }

    static func parse(_ fields: YAMLFields, file: String, specDirectory: String, overrides: SpecOverrides) throws -> Suite {
        let name = try fields.string("name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        guard let seedText = try fields.string("seed") ?? Optional("1"), let seed = UInt64(seedText) else {
            throw fields.fail("seed", "a whole number ≥ 0", got: fields.node("seed")!)
        }
        let suiteTrials = try fields.integer("trials", minimum: 1)
        let suiteBudget = try fields.real("budget", positive: true)
        let defaultOptimizers = try fields.node("optimizers").map { try optimizerList($0, file: file) }
        guard let list = try fields.sequence("landscapes"), list.count > 0 else {
            throw HarnessError("\(file):\(fields.line("landscapes")): field 'landscapes' must list at least one landscape")
        }
        var landscapes = [ResolvedLandscape]()
        var ensembles = Set<String>()
        var optimizers = [[OptimizerEntry]]()
        for item in list {
            var spec: LandscapeSpec
            var entryOverrides = SpecOverrides(trials: suiteTrials, budget: suiteBudget)
            var entryOptimizers = defaultOptimizers
            var ownList = false
            if let text = item.scalar?.string {
                spec = try LandscapeResolver.spec(named: text, directory: specDirectory)
            } else if let entry = item.mapping {
                let f = YAMLFields(mapping: entry, file: file)
                if let specName = try f.string("spec") {
                    try f.rejectUnknown(allowed: overrideKeys)
                    spec = try LandscapeResolver.spec(named: specName, directory: specDirectory)
                    entryOverrides.dimension = try f.integer("dimension", minimum: 1)
                    entryOverrides.instance = try f.integer("instance", minimum: 0)
                    entryOverrides.instances = try f.instances("instances")
                    if entryOverrides.instances != nil && entryOverrides.instance != nil {
                        throw HarnessError("\(file):\(f.line("instances")): give 'instance' (one) or 'instances' (an ensemble), not both")
                    }
                    if let start = try f.string("start") {
                        guard let kind = StartProtocolKind(rawValue: start) else {
                            throw f.fail("start", "one of " + StartProtocolKind.allCases.map(\.rawValue).joined(separator: ", "), got: f.node("start")!)
                        }
                        entryOverrides.start = kind
                    }
                } else {
                    let specPairs = entry.filter { $0.key.string != "optimizers" && $0.key.string != "trials" && $0.key.string != "budget" }
                    spec = try LandscapeSpec.parse(mapping: Node.Mapping(specPairs, entry.tag, entry.style, entry.mark),
                                                   file: file, defaultName: "")
                    guard !spec.family.isEmpty else { throw HarnessError("\(file):\(line(of: item)): an inline landscape needs 'family'") }
                    if spec.name.isEmpty { spec.name = spec.family }
                }
                entryOverrides.trials = try f.integer("trials", minimum: 1) ?? entryOverrides.trials
                entryOverrides.budget = try f.real("budget", positive: true) ?? entryOverrides.budget
                if let node = f.node("optimizers") { entryOptimizers = try optimizerList(node, file: file); ownList = true }
            } else {
                throw HarnessError("\(file):\(line(of: item)): each landscape is a name or a mapping")
            }
            // Command-line flags win over the suite, which wins over the spec.
            let merged = SpecOverrides(
                dimension: overrides.dimension ?? entryOverrides.dimension,
                trials: overrides.trials ?? entryOverrides.trials,
                budget: overrides.budget ?? entryOverrides.budget,
                start: overrides.start ?? entryOverrides.start,
                // One flag replaces the entry's choice whichever of the two it gives.
                instance: overrides.instance ?? (overrides.instances == nil ? entryOverrides.instance : nil),
                instances: overrides.instances ?? (overrides.instance == nil ? entryOverrides.instances : nil))
            guard let entryOptimizers else {
                throw HarnessError("\(file):\(line(of: item)): no optimizers for landscape '\(spec.name)' (give 'optimizers' in the suite or the entry)")
            }
            let members = try ResolvedLandscape.members(spec, overrides: merged)
            // Rows, tests and baseline rows are keyed by the ensemble's name: it must name one
            // entry's instances and no other landscape.
            if let ensemble = members.first?.ensemble {
                if ensembles.contains(ensemble) || landscapes.contains(where: { $0.spec.name == ensemble }) {
                    throw HarnessError("\(file):\(line(of: item)): an ensemble named '\(ensemble)' shares its name with another landscape "
                        + "or ensemble of the suite; give the entry its own 'name' (an inline entry: family, name, parameters)")
                }
                ensembles.insert(ensemble)
            } else if ensembles.contains(spec.name) {
                throw HarnessError("\(file):\(line(of: item)): landscape '\(spec.name)' shares its name with an ensemble of the suite; "
                    + "give one a different 'name'")
            }
            for resolved in members {
                let requests = ownList ? entryOptimizers : entryOptimizers.filter { resolved.kind.optimizerNames.contains($0.name) }
                guard !requests.isEmpty else {
                    throw HarnessError("\(file):\(line(of: item)): none of the suite's optimizers applies to \(resolved.kind.rawValue) landscape "
                        + "'\(spec.name)' (valid: \(resolved.kind.optimizerNames.joined(separator: ", "))); give the entry its own 'optimizers'"
                        + entryOptimizers.map { OptimizerEntry.renameNote($0.name, kind: resolved.kind) }.joined())
                }
                let entries = try requests.map { try $0.entry(for: resolved, file: file) }
                let labels = entries.map(\.label)
                if let duplicate = labels.first(where: { label in labels.filter { $0 == label }.count > 1 }) {
                    throw HarnessError("\(file):\(line(of: item)): optimizer '\(duplicate)' appears twice for '\(spec.name)'; give one a 'label'")
                }
                landscapes.append(resolved)
                optimizers.append(entries)
            }
        }
        // A name in the suite's default list that no landscape took is a slip (or a former name).
        if let defaultOptimizers {
            let used = Set(optimizers.joined().map(\.name))
            let kinds = Set(landscapes.map(\.kind))
            for request in defaultOptimizers where !used.contains(request.name) && !kinds.contains(where: { $0.optimizerNames.contains(request.name) }) {
                let note = kinds.map { OptimizerEntry.renameNote(request.name, kind: $0) }.first { !$0.isEmpty } ?? ""
                throw HarnessError("\(file):\(request.line): optimizer '\(request.name)' applies to none of the suite's landscapes "
                    + "(\(kinds.map(\.rawValue).sorted().joined(separator: " and ")))" + note)
            }
        }
        let names = landscapes.map(\.spec.name)
        if let duplicate = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
            throw HarnessError("\(file): landscape '\(duplicate)' appears twice; give one a different 'name'")
        }
        return Suite(name: name, seed: seed, landscapes: landscapes, optimizers: optimizers, source: file)
    }

    /// An optimizer as a suite names it. A landscape's own list must hold only optimizers of its
    /// kind; the suite's default list may mix kinds, and each landscape takes the ones of its kind.
    struct OptimizerRequest {
        var name: String
        var label: String?
        var parameters: [String: String]
        var line: Int
        /// The parameter file the request came from (`params:`), refused on its tuning instances.
        var parameterFile: MethodParameterFile? = nil
        var parameterPath: String? = nil

        func entry(for landscape: ResolvedLandscape, file: String) throws -> OptimizerEntry {
            do {
                let valid = landscape.kind.optimizerNames
                guard valid.contains(name) else {
                    throw HarnessError("optimizer '\(name)' does not apply to \(landscape.kind.rawValue) landscape '\(landscape.spec.name)' "
                        + "(valid: \(valid.joined(separator: ", ")))" + OptimizerEntry.renameNote(name, kind: landscape.kind))
                }
                if let parameterFile, let parameterPath, let overlap = parameterFile.tuningOverlap(with: landscape) {
                    throw HarnessError("params \(parameterPath): \(overlap)")
                }
                return try OptimizerEntry(name: name, label: label, overrides: parameters)
            } catch {
                throw HarnessError("\(file):\(line): \(error)")
            }
        }
    }

    /// `[gd, sa]` or a list of mappings `{name, label, parameters}`.
    static func optimizerList(_ node: Node, file: String) throws -> [OptimizerRequest] {
        guard let list = node.sequence else {
            throw HarnessError("\(file):\(line(of: node)): field 'optimizers' must be a list of optimizer names or mappings")
        }
        return try list.map { item in
            if let name = item.scalar?.string {
                guard OptimizerEntry.allNames.contains(name) else {
                    throw HarnessError("\(file):\(line(of: item)): unknown optimizer \(FileText.shown(name, at: item)) (valid: \(OptimizerEntry.allNames.joined(separator: ", ")))"
                        + OptimizerEntry.renameNote(name))
                }
                return OptimizerRequest(name: name, label: nil, parameters: [:], line: line(of: item))
            }
            guard let m = item.mapping else {
                throw HarnessError("\(file):\(line(of: item)): an optimizer is a name or a mapping with 'name'")
            }
            let f = YAMLFields(mapping: m, file: file, prefix: "optimizers.")
            try f.rejectUnknown(allowed: ["name", "label", "parameters", "params"])
            if let relative = try f.string("params") {
                return try parameterFileRequest(relative, fields: f, item: item, file: file)
            }
            guard let name = try f.string("name") else {
                throw HarnessError("\(file):\(line(of: item)): an optimizer mapping needs 'name' (or 'params', a parameter file)")
            }
            var parameters = [String: String]()
            if let p = try f.mapping("parameters") {
                for (k, v) in p { parameters[k.string ?? ""] = v.scalar?.string ?? "" }
            }
            return OptimizerRequest(name: name, label: try f.string("label"), parameters: parameters, line: line(of: item))
        }
    }

    /// `{params: FILE}`: the optimizer and parameters a parameter file holds (its path relative to
    /// the suite's folder), labelled OPTIMIZER-tuned unless the entry gives a 'label'. A 'name' must
    /// agree with the file's; inline 'parameters' beside a file are refused (one source per row).
    static func parameterFileRequest(_ relative: String, fields f: YAMLFields, item: Node, file: String) throws -> OptimizerRequest {
        let at = "\(file):\(line(of: item))"
        guard !relative.isEmpty else { throw HarnessError("\(at): 'params' is the path of a parameter file") }
        guard f.node("parameters") == nil else {
            throw HarnessError("\(at): give 'parameters' or 'params' (a parameter file), not both")
        }
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let path = relative.hasPrefix("/") ? relative : folder.appendingPathComponent(relative).standardizedFileURL.path
        let loaded = try MethodParameterFile.load(path, flag: "\(at): params")
        if let name = try f.string("name"), name != loaded.optimizer {
            throw HarnessError("\(at): 'name' is \(PlainText.shown(name)) but params \(relative) holds optimizer '\(loaded.optimizer)'")
        }
        return OptimizerRequest(name: loaded.optimizer, label: try f.string("label") ?? loaded.optimizer + MethodParameterFile.tunedSuffix,
                                parameters: loaded.parameters, line: line(of: item), parameterFile: loaded, parameterPath: relative)
    }
}
