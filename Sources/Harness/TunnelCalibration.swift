import Foundation
import Landscapes
import Optimizers
import Yams

/// How a tunneling map sets its methods' automatic settings (the temperatures, Γ and whatever
/// else a method's defaults derive from the landscape in each trial).
public enum TunnelCalibration: String, Codable, Sendable, CaseIterable {
    /// Measured once, on the map's reference cell, and held fixed in every cell: a taller barrier
    /// is then taller for every method (the default).
    case fixed
    /// Derived by every trial from its own cell, as a plain run does. A double well is
    /// f = H·g(x/w), the automatic temperature is proportional to H, and so is piqa's Γ: every
    /// cell of one width is then one problem rescaled, and the H axis measures nothing. Kept,
    /// labelled, to show exactly that.
    case rescaled
}

/// One method's calibration: what it measured on the reference cell and the parameter texts it
/// then runs with in every cell.
public struct MethodCalibration: Codable, Sendable, Equatable {
    public var optimizer: String
    /// The median automatic temperature over the calibration starts; `nil` when the method
    /// derives no temperature (or its parameters fix every one).
    public var automaticTemperature: Double?
    /// The parameters it runs with in every cell: those of its `--params` file, then the texts
    /// that fix its automatic settings.
    public var parameters: [String: String]

    public init(optimizer: String, automaticTemperature: Double?, parameters: [String: String]) {
        self.optimizer = optimizer
        self.automaticTemperature = automaticTemperature
        self.parameters = parameters
    }

    /// `name=value;…`, sorted: how the calibration is written down.
    public var parameterText: String {
        parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }
}

public enum TunnelCalibrator {
    /// Measures every entry's automatic settings on `reference`: the automatic temperature from
    /// each of the first `count` trial starts of `masterSeed` (drawn exactly as that landscape's
    /// trials draw them), with a probe stream of its own per start, and the median over the
    /// starts; then the texts that fix every automatic setting at that temperature on the
    /// reference's box. Entries that derive nothing get their own parameters back. Throws, naming
    /// the method, for a setting derived during the run (no text measured in advance reproduces it).
    public static func calibrate(_ entries: [OptimizerEntry], own: [String: [String: String]], on reference: ResolvedLandscape,
                                 count: Int, masterSeed: UInt64) throws -> [MethodCalibration] {
        guard case .continuous(let landscape) = reference.landscape else {
            throw HarnessError("the tunneling map's reference cell must be a continuous landscape")
        }
        let starts = try (0..<count).map { trial in
            try reference.drawStart(seed: TrialSeeds.start(master: masterSeed, instanceKey: reference.instanceKey, trial: trial)).point
        }
        return try entries.map { entry in
            let mine = own[entry.name] ?? [:]
            guard let settings = entry.optimizer as? any ContinuousOptimizer & AutomaticSettings else {
                return MethodCalibration(optimizer: entry.name, automaticTemperature: nil, parameters: mine)
            }
            if let derived = settings.settingDerivedDuringTheRun {
                throw HarnessError("--calibration fixed: \(entry.name) derives \(derived) in each trial, which no calibration "
                    + "measured in advance can hold fixed; fix it in a --params file or use --calibration rescaled")
            }
            let temperatures = starts.enumerated().compactMap { trial, start in
                measure(settings, on: landscape, from: start,
                        seed: Seed.derive(masterSeed, "calibration", entry.seedKey, "start=\(trial)"))
            }
            let t = median(temperatures)
            var parameters = mine
            for (key, value) in settings.fixedSettings(automaticTemperature: t ?? .nan, box: landscape.domain) {
                parameters[key] = value
            }
            return MethodCalibration(optimizer: entry.name, automaticTemperature: t, parameters: parameters)
        }
    }

    /// One start's automatic temperature, on a throw-away objective (the probes are calibration,
    /// charged to no trial).
    static func measure<L: ContinuousLandscape>(_ settings: any ContinuousOptimizer & AutomaticSettings, on landscape: L,
                                                from start: [Double], seed: UInt64) -> Double? {
        var objective = Objective(landscape: landscape, budget: .greatestFiniteMagnitude, escapeThreshold: -.infinity, successThreshold: nil)
        var rng = Xoshiro256(seed: seed)
        return settings.automaticTemperature(&objective, from: start, using: &rng)
    }

    /// The median (the mean of the middle two for an even count); `nil` for none.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid])
    }
}

/// A method's parameters held in a file (`tunnel-map --params FILE`, `run --params FILE`, and
/// what `bench tune` writes): YAML with the method's name and a mapping of its parameters,
///
///     optimizer: sa
///     parameters: {initial-temperature: 2, final-temperature: 0.002}
///
/// and, in a file `bench tune` wrote, where the parameters were tuned (`tuning:`, read back by
/// `TuningProvenance`), so that a run on a tuning instance is refused. Every name and value is
/// checked against the method's parameters when it is read.
public struct MethodParameterFile: Sendable, Equatable {
    public var optimizer: String
    public var parameters: [String: String]
    public var tuning: TuningProvenance?

    public init(optimizer: String, parameters: [String: String], tuning: TuningProvenance? = nil) {
        self.optimizer = optimizer
        self.parameters = parameters
        self.tuning = tuning
    }

    /// Files larger than this are refused before they are read.
    public static let maximumBytes = 1 << 20

    public static func load(_ path: String, flag: String = "--params") throws -> MethodParameterFile {
        try parse(YAMLFile.mapping(path, flag: flag, expected: "YAML with 'optimizer' and 'parameters'", maximumBytes: maximumBytes),
                  file: path)
    }

    public static func parse(yaml: String, file: String) throws -> MethodParameterFile {
        try parse(YAMLFile.mapping(yaml: yaml, file: file, expected: "'optimizer' and 'parameters'"), file: file)
    }

    static func parse(_ mapping: Node.Mapping, file: String) throws -> MethodParameterFile {
        let fields = YAMLFields(mapping: mapping, file: file)
        try fields.rejectUnknown(allowed: ["optimizer", "parameters", "tuning"])
        guard let name = try fields.string("optimizer") else {
            throw HarnessError("\(file): field 'optimizer' is missing (expected the method's name)")
        }
        let definition: OptimizerDefinition
        do { definition = try OptimizerCatalog.definition(named: name) } catch {
            throw HarnessError("\(file): unknown optimizer \(PlainText.shown(name)) (valid: \(OptimizerCatalog.names.joined(separator: ", ")))"
                + OptimizerEntry.renameNote(name))
        }
        var parameters = [String: String]()
        if let p = try fields.mapping("parameters") {
            for (key, value) in p {
                guard let k = key.string, let v = value.scalar?.string else {
                    throw HarnessError("\(file):\(line(of: key)): a parameter is 'name: value'")
                }
                parameters[k] = v
            }
        }
        do {
            _ = try definition.build(ParameterValues(specs: definition.parameterSpecs, overrides: parameters, owner: "optimizer \(name)"))
        } catch {
            throw HarnessError("\(file): \(error)")
        }
        let tuning = try fields.mapping("tuning").map { try TuningProvenance.parse($0, file: file) }
        return MethodParameterFile(optimizer: name, parameters: parameters, tuning: tuning)
    }

    /// What a row run with a file's parameters adds to the optimizer's name when no label is given
    /// (`run --params`, a suite's `params:` entry).
    public static let tunedSuffix = "-tuned"

    /// Why these parameters may not be evaluated on `landscape`: `nil`, or (for a file `bench tune`
    /// wrote) that the landscape is one of the instances they were tuned on (same family, dimension
    /// and instance), with what to do instead.
    public func tuningOverlap(with landscape: ResolvedLandscape) -> String? {
        guard let tuning, landscape.family.name == tuning.family, landscape.dimension == tuning.dimension,
              tuning.instances.contains(landscape.instance) else { return nil }
        return "its parameters were tuned on instance \(landscape.instance) of \(tuning.family) (d = \(tuning.dimension)), "
            + "which landscape '\(landscape.spec.name)' would evaluate on; give another instance "
            + "(tuned on \(tuning.instances.map(String.init).joined(separator: ", ")))"
    }

    /// The file's YAML text (what `bench tune` writes; `parse` reads it back to an equal value).
    public var yaml: String {
        var text = "optimizer: \(optimizer)\n"
        let items = parameters.sorted { $0.key < $1.key }.map { "\($0.key): \(Self.quoted($0.value))" }
        text += "parameters: {\(items.joined(separator: ", "))}\n"
        if let tuning { text += tuning.yaml }
        return text
    }

    /// A parameter's text as a YAML scalar: numbers, true/false and names as they are, anything
    /// else in double quotes.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._+-".unicodeScalars.contains($0)) }
        return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Where `bench tune` chose a method's parameters: the landscape (its name and family), the
/// dimension and budget, and the instances it tuned on. `run --params` refuses to evaluate on
/// those instances of that family.
public struct TuningProvenance: Sendable, Equatable {
    public var landscape: String
    public var family: String
    public var dimension: Int
    public var budget: Double
    public var instances: [Int]
    public var seed: UInt64
    /// K, T, η and the selection rule, as `bench tune` ran them.
    public var configurations: Int
    public var trials: Int
    public var halving: Int
    public var metric: String

    public init(landscape: String, family: String, dimension: Int, budget: Double, instances: [Int], seed: UInt64,
                configurations: Int, trials: Int, halving: Int, metric: String) {
        self.landscape = landscape
        self.family = family
        self.dimension = dimension
        self.budget = budget
        self.instances = instances
        self.seed = seed
        self.configurations = configurations
        self.trials = trials
        self.halving = halving
        self.metric = metric
    }

    static let fields = ["landscape", "family", "dimension", "budget", "instances", "seed", "configurations", "trials", "halving", "metric"]

    static func parse(_ mapping: Node.Mapping, file: String) throws -> TuningProvenance {
        let fields = YAMLFields(mapping: mapping, file: file, prefix: "tuning.")
        try fields.rejectUnknown(allowed: Self.fields)
        func required<T>(_ key: String, _ value: T?) throws -> T {
            guard let value else { throw HarnessError("\(file): field 'tuning.\(key)' is missing") }
            return value
        }
        let list = try required("instances", try fields.sequence("instances"))
        var instances = [Int]()
        for node in list {
            guard let text = node.scalar?.string, let v = Int(text), v >= 0 else {
                throw HarnessError("\(file):\(line(of: node)): field 'tuning.instances' holds \(node.scalar.map { FileText.shown($0.string, at: node) } ?? "a list or mapping"), "
                    + "expected whole numbers ≥ 0")
            }
            instances.append(v)
        }
        guard let seedText = try fields.string("seed"), let seed = UInt64(seedText) else {
            throw HarnessError("\(file): field 'tuning.seed' is missing or not a whole number from 0 to 2^64 − 1")
        }
        return TuningProvenance(
            landscape: try required("landscape", try fields.string("landscape")),
            family: try required("family", try fields.string("family")),
            dimension: try required("dimension", try fields.integer("dimension", minimum: 1)),
            budget: try required("budget", try fields.real("budget", positive: true)),
            instances: instances, seed: seed,
            configurations: try required("configurations", try fields.integer("configurations", minimum: 1)),
            trials: try required("trials", try fields.integer("trials", minimum: 1)),
            halving: try required("halving", try fields.integer("halving", minimum: 2)),
            metric: try required("metric", try fields.string("metric")))
    }

    var yaml: String {
        """
        tuning:
          landscape: \(MethodParameterFile.quoted(landscape))
          family: \(MethodParameterFile.quoted(family))
          dimension: \(dimension)
          budget: \(formatReal(budget))
          instances: [\(instances.map(String.init).joined(separator: ", "))]
          seed: \(seed)
          configurations: \(configurations)
          trials: \(trials)
          halving: \(halving)
          metric: \(MethodParameterFile.quoted(metric))

        """
    }
}
