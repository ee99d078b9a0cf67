import Foundation
import Landscapes

/// Run-wide settings given on the command line; each overrides the spec's value when set.
public struct SpecOverrides: Sendable, Equatable {
    public var dimension: Int?
    public var trials: Int?
    public var budget: Double?
    public var start: StartProtocolKind?
    public var instance: Int?
    /// An ensemble's instances (`--instances`), over the spec's `instance` or `instances`.
    public var instances: [Int]?

    public init(dimension: Int? = nil, trials: Int? = nil, budget: Double? = nil,
                start: StartProtocolKind? = nil, instance: Int? = nil, instances: [Int]? = nil) {
        self.dimension = dimension
        self.trials = trials
        self.budget = budget
        self.start = start
        self.instance = instance
        self.instances = instances
    }
}

/// A spec turned into a built instance with every setting decided, for either kind.
public struct ResolvedLandscape: Sendable {
    public var spec: LandscapeSpec
    public var family: LandscapeFamily
    public var parameters: ParameterValues
    /// d, or N spins.
    public var dimension: Int
    public var instance: Int
    public var landscape: LandscapeInstance
    public var tolerances: Tolerances
    public var budget: Double
    public var trials: Int
    /// The number of the first trial: a run does trials firstTrial ..< firstTrial + trials, each
    /// with the seeds of its number, so a later stage can add trials to an earlier one's
    /// (`bench tune`'s rounds) and get the trials a longer run would have had. 0 unless set.
    public var firstTrial = 0
    public var start: StartProtocolKind
    /// The ensemble this landscape is one instance of (its spec's name), or `nil`.
    public var ensemble: String?

    /// The kind of landscape (decided by the family, once).
    public var kind: LandscapeKind { family.kind }

    /// Identifies the trials' problem in seeds and baselines: family, its non-default parameters
    /// (sorted), the text parameters of a file-defined Ising family as written in the spec (its
    /// file paths, sorted by name: a path, not the file's contents), dimension, instance, then everything else that decides a trial's trap, start or
    /// outcome: the start protocol, the jitter when the protocol reads it (`basin` only), and the
    /// three tolerances as resolved (spec over family default), in this fixed order, each number in
    /// Swift's shortest round-trip text. Two specs that pose the same problem get the same key and
    /// so the same starts and streams; specs that differ in any of these get different streams, and
    /// the gate sees the edit as a row whose trials no longer pair (docs/DESIGN.md, invariant 2).
    /// The budget is left out on purpose: the gate compares runs at different budgets trial by trial.
    public var instanceKey: String {
        let numeric = Set(parameters.specs.map(\.name))
        let text = spec.parameters.filter { !numeric.contains($0.key) }.sorted { $0.key < $1.key }
        var key = "\(family.name)[\(parameters.identityText)]" + text.map { " \($0.key)=\($0.value)" }.joined()
            + " d=\(dimension) i=\(instance) start=\(start.rawValue)"
        if start == .basin { key += " jitter=\(spec.jitter)" }
        key += " escape-absolute=\(tolerances.escapeAbsolute) escape-relative=\(tolerances.escapeRelative)"
            + " success=\(tolerances.success)"
        return key
    }

    /// The landscapes `spec` poses with `overrides`: the one instance, or, for an ensemble
    /// (`overrides.instances`, else the spec's `instances` unless `overrides.instance` picks one),
    /// one landscape per instance, named `NAME i=K` and marked as members of ensemble `NAME`.
    /// An ensemble's trials (instances × trials) are held to `RunLimits.trials`, before any
    /// instance is built.
    public static func members(_ spec: LandscapeSpec, overrides: SpecOverrides = SpecOverrides()) throws -> [ResolvedLandscape] {
        guard let instances = overrides.instances ?? (overrides.instance == nil ? spec.instances : nil) else {
            return [try ResolvedLandscape(spec, overrides: overrides)]
        }
        let trials = overrides.trials ?? spec.trials ?? LandscapeSpec.defaultTrials
        guard instances.count <= RunLimits.trials / max(1, trials) else {
            throw HarnessError("landscape \(spec.name) (\(spec.source)): \(instances.count) instances × \(trials) trials is above "
                + "the limit of \(RunLimits.trials) trials per ensemble")
        }
        var members = [ResolvedLandscape]()
        for instance in instances {
            var member = spec
            member.name = "\(spec.name) i=\(instance)"
            member.instances = nil
            var own = overrides
            own.instance = instance
            own.instances = nil
            var landscape = try ResolvedLandscape(member, overrides: own)
            landscape.ensemble = spec.name
            // Every member is built before the run and kept: the size the first one shows bounds
            // the rest before they are built.
            if members.isEmpty && instances.count > RunLimits.ensembleSize / landscape.dimension {
                throw HarnessError("landscape \(spec.name) (\(spec.source)): \(instances.count) instances of size \(landscape.dimension) "
                    + "is above the limit of \(RunLimits.ensembleSize) in all (instances × d or N)")
            }
            members.append(landscape)
        }
        return members
    }

    /// Builds the instance described by `spec`, with `overrides` applied. A family's text
    /// parameters (`ising-file`'s paths, relative to the spec's folder) are taken apart from its
    /// numeric ones; `--dimension` applies only to a family whose size is chosen.
    public init(_ spec: LandscapeSpec, overrides: SpecOverrides = SpecOverrides()) throws {
        self.spec = spec
        family = try LandscapeCatalog.family(named: spec.family)
        let owner = "landscape \(spec.family) (\(spec.source))"
        var numeric = spec.parameters
        var text = [String: String]()
        for name in family.textParameters { text[name] = numeric.removeValue(forKey: name) }
        parameters = try ParameterValues(specs: family.parameters, overrides: numeric, owner: owner)
        let requested = overrides.dimension ?? spec.dimension
        if family.sizing == .byParameters && requested != nil {
            throw HarnessError("landscape \(spec.name) (\(spec.source)): 'dimension' does not apply to Ising family \(family.name); "
                + "its size is a family parameter (see 'bench list')")
        }
        let chosen = family.dimension(requested: requested, parameters: parameters)
        instance = overrides.instance ?? spec.instance
        try RunLimits.check(spec, dimension: chosen, trials: overrides.trials ?? spec.trials, budget: overrides.budget ?? spec.budget)
        let directory = spec.source == "built-in" ? "." : (spec.source as NSString).deletingLastPathComponent
        do {
            landscape = try family.instance(dimension: chosen, instance: instance, parameters: parameters, text: text,
                                            directory: directory.isEmpty ? "." : directory)
        } catch let error as IsingModelError {
            throw HarnessError("\(owner): \(error.description)")
        }
        dimension = landscape.dimension
        var tolerances = family.tolerances
        if let v = spec.escapeAbsolute { tolerances.escapeAbsolute = v }
        if let v = spec.escapeRelative { tolerances.escapeRelative = v }
        if let v = spec.success { tolerances.success = v }
        self.tolerances = tolerances
        budget = overrides.budget ?? spec.budget ?? LandscapeSpec.defaultBudget(dimension: dimension)
        trials = overrides.trials ?? spec.trials ?? LandscapeSpec.defaultTrials
        start = overrides.start ?? spec.start
        if start == .initialization && family.initialization == nil {
            throw ResolvedLandscape.noInitialization(spec.name, family.name)
        }
        if start == .localMin || start == .basin, let height = family.highestMinimum(dimension, parameters),
           height <= tolerances.success {
            let owner = "landscape \(spec.name) (\(spec.source)): start '\(start.rawValue)' needs a trap"
            if height == 0 {
                throw HarnessError("\(owner), a local minimum other than the global one, and \(family.name) has none in "
                    + "d = \(dimension): no trap exists (use --start uniform)")
            }
            throw HarnessError("\(owner), a minimum above f* + ε, and the highest minimum lies \(formatReal(height)) above f*, "
                + "within ε = \(formatReal(tolerances.success)): no trap exists (give tolerances.success below "
                + "\(formatReal(height)), or use --start uniform)")
        }
        if spec.escapeAbsolute != nil || spec.escapeRelative != nil || spec.success != nil {
            try checkTolerances()
        }
        if let failure = landscape.programFailure { throw RunAborted(failure) }
    }

    /// `ToleranceCheck` against the instance's value range: sampled over the box for a
    /// continuous instance, the exact bounds ±(Σ|J| + Σ|h|) for an Ising model.
    private func checkTolerances() throws {
        let owner = "landscape \(spec.name) (\(spec.source))"
        switch landscape {
        case .continuous(let landscape):
            var rng = Xoshiro256(seed: Seed.derive(0, "tolerance-check", family.name, parameters.identityText, "d=\(dimension)", "i=\(instance)"))
            let box = landscape.domain
            let values = (0..<ToleranceCheck.samples).map { _ in landscape.value(at: box.uniformPoint(using: &rng)) }
                .filter(\.isFinite)
            if let highest = values.max(), let lowest = values.min() {
                try ToleranceCheck.check(tolerances, highest: highest, floor: landscape.optimum.value ?? lowest,
                                         successApplies: landscape.optimum.value != nil, owner: owner)
            }
        case .ising(let model):
            let scale = model.roundingScale  // −scale ≤ H ≤ scale
            try ToleranceCheck.check(tolerances, highest: scale, floor: model.optimum.value ?? -scale,
                                     successApplies: model.optimum.value != nil, owner: owner)
        }
    }

    /// f* + ε, or `nil` when f* is unknown.
    public var successThreshold: Double? {
        landscape.optimum.value.map { $0 + tolerances.success }
    }

    /// Whether a local minimum of value `value` counts as a trap (not global). Every minimum is a
    /// trap when f* is unknown.
    public func isTrap(value: Double) -> Bool {
        guard let threshold = successThreshold else { return true }
        return value > threshold
    }
}

/// Tolerances that decide every outcome by themselves are refused (docs/DESIGN.md, "outcomes").
/// The escape margin δ(f) = a + r·|f| grows no faster than f's height above f* as long as r < 1,
/// so when even the highest value seen, f_max, cannot escape (δ(f_max) ≥ f_max − f*), no trap
/// can: every escape rate would be 0 by construction. A success tolerance ε ≥ f_max − f* makes
/// every point a success. f_max is the largest of `samples` seeded uniform values over the box,
/// at most the true maximum: a tolerance at or above the true range is always refused, and one
/// just below it may be too (it would leave escapes only from traps above every sampled value).
/// f* is the known optimum or else the smallest sampled value; an Ising model uses its exact
/// bounds ±(Σ|J| + Σ|h|). Checked only when a spec sets a tolerance (the defaults are far inside).
public enum ToleranceCheck {
    public static let samples = 256

    public static func check(_ t: Tolerances, highest: Double, floor: Double, successApplies: Bool, owner: String) throws {
        let height = highest - floor
        if t.escapeMargin(trapValue: highest) >= height {
            throw HarnessError("\(owner): escape tolerances \(formatReal(t.escapeAbsolute)) + \(formatReal(t.escapeRelative))·|f(m0)| "
                + "are at least the landscape's value range over the box (\(String(format: "%.4g", height)) from f* to the highest value "
                + "sampled): no trap could ever be escaped; expected a margin below that range")
        }
        if successApplies && t.success >= height {
            throw HarnessError("\(owner): success tolerance \(formatReal(t.success)) is at least the landscape's value range "
                + "over the box (\(String(format: "%.4g", height))): every point would count as a success; expected a tolerance below that range")
        }
    }
}

/// Finds the spec a `--landscape` argument names: a path to a YAML file; else
/// `directory/NAME.yaml`; else a built-in family with its defaults.
public enum LandscapeResolver {
    public static func spec(named name: String, directory: String = "Landscapes") throws -> LandscapeSpec {
        let looksLikePath = name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
        if looksLikePath { return try load(path: name) }
        let candidate = (directory as NSString).appendingPathComponent("\(name).yaml")
        if FileManager.default.fileExists(atPath: candidate) {
            if let external = LandscapeCatalog.all.first(where: { $0.name == name && $0.source != nil }) {
                throw HarnessError("--landscape \(name): names both the spec \(candidate) and the external landscape of "
                    + "\(external.source ?? "a registry file"); give the external landscape another name")
            }
            return try load(path: candidate)
        }
        if LandscapeCatalog.names.contains(name) { return LandscapeSpec(name: name, family: name) }
        let specs = availableSpecs(directory: directory)
        let valid = (specs + LandscapeCatalog.names.filter { !specs.contains($0) })
        throw HarnessError("--landscape: unknown landscape \(FileText.shown(name, at: nil)) (valid: \(valid.joined(separator: ", ")); or a path to a YAML spec)")
    }

    public static func load(path: String) throws -> LandscapeSpec {
        guard FileManager.default.fileExists(atPath: path) else {
            throw HarnessError("\(path): file not found (expected a landscape spec in YAML)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HarnessError("\(path): cannot be read as UTF-8 text")
        }
        return try LandscapeSpec.parse(yaml: text, file: path)
    }

    /// Names of the specs in `directory` (without `.yaml`), sorted.
    public static func availableSpecs(directory: String = "Landscapes") -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }
}

/// Sizes and counts a run accepts, checked before anything is allocated, so that a typing slip
/// (`--trials 1e9`, `--budget 1e19`) ends in one line instead of an allocation of gigabytes or a run
/// of years.
public enum RunLimits {
    /// Trials per landscape: 10⁶ (a summary row holds every trial's record until the run ends).
    public static let trials = 1_000_000
    /// Budget per trial, in value evaluations or flip attempts: at least 1, at most 10¹².
    public static let budget = 1e12
    /// Dimension of a continuous landscape: 10⁶ coordinates.
    public static let dimension = 1_000_000
    /// Cost of one gradient in value evaluations (`--grad-cost`): 0.01 to 10⁶. Below, a trial
    /// would take more than 100 gradients per unit of budget (and far below, a spent count that no
    /// longer grows in floating point: a run that never ends); above, a gradient would cost more
    /// than central differences (2d + 1 values) in nearly any dimension up to the 10⁶ limit, and
    /// more than most budgets, which `RunPlan.checkBudgets` refuses for gradient methods.
    public static let gradCost: ClosedRange<Double> = 0.01...1e6
    /// An ensemble's instances × their size (d, or N spins): 10⁷, since every instance is built
    /// before the run and kept (at N = 2¹⁸ spins, 38 instances).
    public static let ensembleSize = 10_000_000

    static func check(_ spec: LandscapeSpec, dimension: Int?, trials: Int?, budget: Double?) throws {
        let name = "landscape \(spec.name) (\(spec.source))"
        if let dimension, !(1...RunLimits.dimension).contains(dimension) {
            throw HarnessError("\(name): dimension \(dimension) is outside 1…\(RunLimits.dimension)")
        }
        if let trials, !(1...RunLimits.trials).contains(trials) {
            throw HarnessError("\(name): trials \(trials) is outside 1…\(RunLimits.trials)")
        }
        if let budget, !(budget >= 1 && budget <= RunLimits.budget) {
            throw HarnessError("\(name): budget \(budget) is outside 1…1e12 evaluations")
        }
    }
}
