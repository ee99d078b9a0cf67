import Landscapes

/// Why an optimizer returned.
public enum StopReason: String, Sendable, CaseIterable {
    /// The objective's budget is spent.
    case budget
    /// The optimizer's own convergence test held (for example a gradient norm below tolerance).
    case converged
    /// The objective refused a point or received a non-finite value (set by the harness).
    case failed
}

/// Every optimizer, of either landscape kind: what the registry, the command line, `bench list`
/// and the seeds need to know about it.
///
/// Conformers are immutable configurations (`Sendable`), built once per run from validated
/// parameters; the per-trial state lives in locals of `minimize`, so one value serves every
/// thread. An optimizer adopts the refinement for the kind of landscape it searches
/// (`ContinuousOptimizer`, `SpinOptimizer`), which supplies `kind` and the `minimize` it must write.
public protocol Optimizer: Sendable {
    /// Registry name (`bench --optimizer NAME`), unique across both kinds.
    static var name: String { get }
    /// The name its random streams derive from (docs/DESIGN.md, invariant 2). It defaults to
    /// `name` and stays fixed when an optimizer is renamed, so a rename moves no result.
    static var seedKey: String { get }
    /// One line for `bench list`: the update rule.
    static var summary: String { get }
    /// Every parameter with its documented default.
    static var parameterSpecs: [ParameterSpec] { get }
    /// The kind of landscape it searches.
    static var kind: LandscapeKind { get }

    /// Builds the optimizer; throws for combinations that are individually valid but jointly
    /// impossible (for example a final temperature above the initial one).
    init(parameters: ParameterValues) throws

    /// For a population method, the parameter that counts its walkers (replicas, beads, Trotter
    /// slices); `nil` for a single walker. Comparisons read it to decide whether two methods ran
    /// equal populations.
    static var walkerParameter: String? { get }

    /// For a quantum-inspired method, the classical method it is paired with at an equal number
    /// of walkers (its control in the comparison table); `nil` for none.
    static var classicalControl: String? { get }

    /// Whether a step takes a gradient (cost `gradCost`): such a method needs a budget of at least
    /// one gradient to move at all.
    static var usesGradients: Bool { get }

    /// The least budget with which this configuration makes one evaluation or gradient of its
    /// own after what it spends first, or `nil` for the default (one gradient for a gradient
    /// method, else one evaluation). A method whose calibration probes (charged, never credited)
    /// come first says so here: with less, a trial would end with no incumbent at all, and the
    /// plan is refused before it runs. `gradCost` is one gradient's cost in evaluations.
    func minimumBudget(gradCost: Double) -> MinimumBudget?

    /// Why this configuration cannot run in dimension d (its memory grows faster than d: a
    /// covariance matrix, a population of d-vectors), or `nil` when it can. Checked with the
    /// budgets, before anything is allocated, so that a dimension the landscapes accept (up to
    /// 10⁶) is refused with one line instead of an allocation the machine cannot make.
    func sizeLimit(dimension d: Int) -> String?
}

extension Optimizer {
    public static var seedKey: String { name }

    public static var walkerParameter: String? { nil }

    public static var classicalControl: String? { nil }

    /// Value-only methods: a step costs one evaluation (or one flip attempt).
    public static var usesGradients: Bool { false }

    public func minimumBudget(gradCost: Double) -> MinimumBudget? { nil }

    public func sizeLimit(dimension d: Int) -> String? { nil }
}

/// A minimizer of continuous landscapes.
///
/// `minimize` is generic over the landscape so that the compiler specializes the inner loop for
/// each family: the harness opens the existential once per trial, never per evaluation.
public protocol ContinuousOptimizer: Optimizer {
    /// Minimizes from `start` (inside the domain) until `objective.isExhausted` or convergence.
    func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason
}

extension ContinuousOptimizer {
    public static var kind: LandscapeKind { .continuous }
}

/// The settings a method's defaults derive from the landscape at the start of every trial (an
/// automatic temperature from probes around the start, and what follows from it), measured once
/// and then held fixed: a sweep over landscapes that differ only in scale (the tunneling map's
/// barrier heights) then runs every landscape with the same temperatures, so a taller barrier is
/// taller for the method, instead of a rescaled copy of the same problem.
public protocol AutomaticSettings {
    /// The automatic temperature T_auto this configuration would derive on `objective` from
    /// `start` (its own probe rule, charged to `objective`); `nil` when none of its settings is
    /// derived from a probe.
    func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double?

    /// Parameter texts that fix every automatic setting at the value it takes for automatic
    /// temperature `t` on the box `box` (empty when nothing is automatic); with them the method
    /// derives nothing from the landscape, runs as it would have with T_auto = t, and probes
    /// nothing. `t` is read only when `automaticTemperature` returns one (settings that follow
    /// from the box alone are fixed whatever it is).
    func fixedSettings(automaticTemperature t: Double, box: Box) -> [String: String]

    /// A setting this configuration derives during the run, which no parameter text measured
    /// in advance can reproduce, named for the refusal; `nil` (the default) when there is none.
    var settingDerivedDuringTheRun: String? { get }
}

extension AutomaticSettings {
    public var settingDerivedDuringTheRun: String? { nil }
}

extension TemperatureSchedule {
    /// The texts that fix a hot/cold pair whose hot end is automatic: both ends as `make`
    /// resolves them at automatic temperature `t` (an explicit cold end kept); empty when the hot
    /// end is given, since the cold end then follows from it. `strictlyCooling` raises a hot end
    /// equal to the cold one to 1.001 times it, as a method that must cool does with an explicit
    /// cold end at or above the automatic hot one.
    static func fixedTexts(hot: Parameter<Double>, _ hotValue: Double?, cold: Parameter<Double>, _ coldValue: Double?,
                           autoRatio: Double, automatic t: Double, strictlyCooling: Bool = false) -> [String: String] {
        guard hotValue == nil else { return [:] }
        let schedule = make(initial: nil, final: coldValue, autoRatio: autoRatio) { t }
        let top = strictlyCooling && !(schedule.initial > schedule.final) ? schedule.final * 1.001 : schedule.initial
        return [hot.name: formatReal(top), cold.name: formatReal(schedule.final)]
    }
}

extension InitialTemperature {
    /// The automatic T0 of a method that probes with its own step: f(start) as a calibration
    /// probe (it serves only the temperature rule), then `samples` probes of scale step/√d.
    static func probing<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], step: Double, samples: Int, acceptance: Double,
        using rng: inout Xoshiro256
    ) -> Double {
        let f0 = objective.calibrationValue(at: start)
        return estimate(&objective, around: start, value: f0, scale: step / Double(start.count).squareRoot(),
                        samples: samples, acceptance: acceptance, using: &rng)
    }
}

/// The parameters gradient methods share, declared once: the step size and the convergence
/// tolerance on ‖∇f‖, each with its default and range; each method says in `summary` what the
/// value means for its update rule.
public enum GradientParameters {
    /// η (or α): the step scale; 1e-3 is below 2/λ_max at the minima of every built-in family.
    public static func learningRate(_ summary: String) -> Parameter<Double> {
        Parameter("learning-rate", default: 1e-3, in: 1e-12...1e6, summary)
    }

    /// The ‖∇f‖ below which a run (or a local run) has converged; 0 never converges.
    public static func gradientTolerance(_ summary: String) -> Parameter<Double> {
        Parameter("gradient-tolerance", default: 1e-8, in: 0...1e6, summary)
    }
}

/// The least budget a method needs to make one evaluation of its own, and why (for the refusal).
public struct MinimumBudget: Sendable, Equatable {
    public var evaluations: Double
    /// What the budget pays for first, e.g. "f(start) and 100 temperature probes, then one gradient".
    public var reason: String

    public init(evaluations: Double, reason: String) {
        self.evaluations = evaluations
        self.reason = reason
    }

    /// An automatic initial temperature costs f(start) and `samples` probes before the first step.
    public static func afterTemperatureProbes(_ samples: Int, firstStep: Double, step: String) -> MinimumBudget {
        MinimumBudget(evaluations: 1 + Double(samples) + firstStep,
                      reason: "the automatic initial temperature spends f(start) and \(samples) probes, then \(step)")
    }
}

public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    case unknown(String, valid: [String])
    case invalidParameters(optimizer: String, reason: String)
    case nameTaken(String, by: String, in: String, formerNameOf: String? = nil)

    public var description: String {
        switch self {
        case .unknown(let name, let valid):
            return "unknown optimizer '\(name)' (valid: \(valid.joined(separator: ", ")))"
        case .invalidParameters(let optimizer, let reason):
            return "parameters of \(optimizer) are inconsistent: \(reason)"
        case .nameTaken(let name, let by, let file, let current):
            let taken = current.map { "is a former name of \($0) (command lines that use it are told the new name)" } ?? "is already taken by \(by)"
            return "\(file): optimizer name '\(name)' \(taken); give the external optimizer another name"
        }
    }
}

/// Every optimizer a run can select, built-in or external: what the registry, the command line,
/// `bench list`, the seeds and the comparisons read, without building it. A built-in optimizer's
/// definition is its type's static description; an external one (a program speaking the
/// external-process protocol, docs/external.md) is read from its registry file.
public struct OptimizerDefinition: Sendable {
    public var name: String
    public var seedKey: String
    public var summary: String
    public var kind: LandscapeKind
    public var parameterSpecs: [ParameterSpec]
    public var walkerParameter: String?
    public var classicalControl: String?
    public var usesGradients: Bool
    /// The registry file an external optimizer was read from; `nil` for a built-in one.
    public var source: String?
    /// Builds the optimizer from validated parameters (throws for jointly impossible ones).
    public let build: @Sendable (ParameterValues) throws -> any Optimizer

    /// Whether the two cannot share a registry: one name, or one kind and one seed key (they would
    /// draw the same random streams).
    public func clashes(with other: OptimizerDefinition) -> Bool {
        name == other.name || (kind == other.kind && seedKey == other.seedKey)
    }

    /// The definition of a built-in optimizer type.
    public init(_ type: any Optimizer.Type) {
        name = type.name
        seedKey = type.seedKey
        summary = type.summary
        kind = type.kind
        parameterSpecs = type.parameterSpecs
        walkerParameter = type.walkerParameter
        classicalControl = type.classicalControl
        usesGradients = type.usesGradients
        source = nil
        build = { try type.init(parameters: $0) }
    }

    public init(name: String, summary: String, kind: LandscapeKind, parameterSpecs: [ParameterSpec], usesGradients: Bool,
                source: String, build: @escaping @Sendable (ParameterValues) throws -> any Optimizer) {
        self.name = name
        self.seedKey = name
        self.summary = summary
        self.kind = kind
        self.parameterSpecs = parameterSpecs
        self.walkerParameter = nil
        self.classicalControl = nil
        self.usesGradients = usesGradients
        self.source = source
        self.build = build
    }
}

/// Every built-in optimizer of either kind, in the order `bench list` and the summary table show
/// them, followed by the external optimizers bound for the current command. One list: adding an
/// optimizer is its file plus one line here, and the registry-wide tests
/// (Tests/OptimizersTests/RegistryTests.swift and the harness's) then cover it.
public enum OptimizerCatalog {
    public static let all: [any Optimizer.Type] = registered([
        GradientDescent.self,
        StochasticGradientDescent.self,
        Momentum.self,
        Adam.self,
        SimulatedAnnealing.self,
        RandomSearch.self,
        ParallelTempering.self,
        AdaptiveParallelTempering.self,
        PathIntegralAnnealing.self,
        BasinHopping.self,
        ScipyBasinHopping.self,
        GSLSimulatedAnnealing.self,
        BFGSRestarts.self,
        NelderMeadRestarts.self,
        DifferentialEvolution.self,
        DualAnnealing.self,
        CMAES.self,
        SpinAnnealing.self,
        SpinQuantumAnnealing.self,
        SpinParallelTempering.self,
        SpinGreedyRestarts.self,
    ])

    static let builtIn = all.map(OptimizerDefinition.init)

    /// The external optimizers of the current command (its `--external` files and its suite's),
    /// after the built-in ones. Bound per task with `withExternal(_:_:)`, so two commands (or two
    /// tests) in one process never see each other's.
    @TaskLocal static var external: [OptimizerDefinition] = []

    /// Every optimizer the current command can select: the built-in ones, then the external ones.
    public static var definitions: [OptimizerDefinition] { external.isEmpty ? builtIn : builtIn + external }

    /// Runs `body` with `definitions` added to the external optimizers it sees. Refuses a name
    /// that is already taken (built-in or external), naming both sources.
    public static func withExternal<T>(_ definitions: [OptimizerDefinition], _ body: () throws -> T) throws -> T {
        var bound = external
        for definition in definitions {
            let known = builtIn + bound
            if let taken = known.first(where: { $0.clashes(with: definition) }) {
                if taken.source == definition.source { continue }
                throw OptimizerError.nameTaken(definition.name, by: taken.source ?? "a built-in optimizer",
                                               in: definition.source ?? "")
            }
            if let current = formerNames.values.compactMap({ $0[definition.name] }).first {
                throw OptimizerError.nameTaken(definition.name, by: "", in: definition.source ?? "", formerNameOf: current)
            }
            bound.append(definition)
        }
        return try $external.withValue(bound, operation: body)
    }

    /// Names an optimizer had before a rename, and its name now. The seed key keeps the old name,
    /// so results are unchanged; baselines written with the old names are read through this map,
    /// and a command line or suite that uses an old name is told the new one.
    public static let formerNames: [LandscapeKind: [String: String]] = [
        .ising: ["sa": "sa-spin", "pt": "pt-spin", "sqa": "piqa-spin"],
    ]

    /// The registry refuses a collision: two optimizers with one name, or two of one kind with one
    /// seed key (they would draw the same random streams), stop the program at its first use.
    static func registered(_ types: [any Optimizer.Type]) -> [any Optimizer.Type] {
        if let problem = collision(in: types) { preconditionFailure("optimizer registry: \(problem)") }
        return types
    }

    /// The first name or seed-key collision in `types`, described; `nil` when there is none.
    public static func collision(in types: [any Optimizer.Type]) -> String? {
        let definitions = types.map(OptimizerDefinition.init)
        for (index, definition) in definitions.enumerated() {
            guard let earlier = definitions[..<index].first(where: { $0.clashes(with: definition) }) else { continue }
            return earlier.name == definition.name ? "two optimizers are named '\(definition.name)'"
                : "two \(definition.kind.rawValue) optimizers have the seed key '\(definition.seedKey)'"
        }
        return nil
    }

    public static var names: [String] { definitions.map { $0.name } }

    /// The names of the optimizers for `kind`, in catalog order.
    public static func names(for kind: LandscapeKind) -> [String] { definitions.filter { $0.kind == kind }.map { $0.name } }

    public static func definition(named name: String) throws -> OptimizerDefinition {
        guard let definition = definitions.first(where: { $0.name == name }) else {
            throw OptimizerError.unknown(name, valid: names)
        }
        return definition
    }

    /// Builds `name` with its defaults overridden by `overrides` (name → text).
    public static func make(_ name: String, overrides: [String: String] = [:]) throws -> any Optimizer {
        let definition = try definition(named: name)
        let values = try ParameterValues(specs: definition.parameterSpecs, overrides: overrides, owner: "optimizer \(name)")
        return try definition.build(values)
    }
}
