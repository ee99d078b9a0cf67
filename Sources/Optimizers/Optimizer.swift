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

/// A minimizer of continuous landscapes.
///
/// Conformers are immutable configurations (`Sendable`), built once per run from validated
/// parameters; `minimize` holds all per-trial state in locals, so one value serves every thread.
/// `minimize` is generic over the landscape so that the compiler specializes the inner loop for
/// each family: the harness opens the existential once per trial, never per evaluation.
public protocol ContinuousOptimizer: Sendable {
    /// Registry name (`bench --optimizer NAME`).
    static var name: String { get }
    /// One line for `bench list`: the update rule.
    static var summary: String { get }
    /// Every parameter with its documented default.
    static var parameterSpecs: [ParameterSpec] { get }
    /// Whether a step takes a gradient (cost `gradCost`): such a method needs a budget of at least
    /// one gradient to move at all.
    static var usesGradients: Bool { get }

    /// Builds the optimizer; throws for combinations that are individually valid but jointly
    /// impossible (for example a final temperature above the initial one).
    init(parameters: ParameterValues) throws

    /// The least budget with which this configuration makes one evaluation or gradient of its
    /// own after what it spends first, or `nil` for the default (one gradient for a gradient
    /// method, else one evaluation). A method whose calibration probes (charged, never credited)
    /// come first says so here: with less, a trial would end with no incumbent at all, and the
    /// plan is refused before it runs. `gradCost` is one gradient's cost in evaluations.
    func minimumBudget(gradCost: Double) -> MinimumBudget?

    /// Minimizes from `start` (inside the domain) until `objective.isExhausted` or convergence.
    func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason
}

extension ContinuousOptimizer {
    /// Value-only methods: a step costs one evaluation.
    public static var usesGradients: Bool { false }

    public func minimumBudget(gradCost: Double) -> MinimumBudget? { nil }
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

    public var description: String {
        switch self {
        case .unknown(let name, let valid):
            return "unknown optimizer '\(name)' (valid: \(valid.joined(separator: ", ")))"
        case .invalidParameters(let optimizer, let reason):
            return "parameters of \(optimizer) are inconsistent: \(reason)"
        }
    }
}

/// Every built-in optimizer, in the order `bench list` and the summary table show them.
public enum OptimizerCatalog {
    public static let all: [any ContinuousOptimizer.Type] = [
        GradientDescent.self,
        StochasticGradientDescent.self,
        Momentum.self,
        Adam.self,
        SimulatedAnnealing.self,
        RandomSearch.self,
        ParallelTempering.self,
        PathIntegralAnnealing.self,
        BasinHopping.self,
        ScipyBasinHopping.self,
        GSLSimulatedAnnealing.self,
        BFGSRestarts.self,
        NelderMeadRestarts.self,
    ]

    public static var names: [String] { all.map { $0.name } }

    public static func type(named name: String) throws -> any ContinuousOptimizer.Type {
        guard let type = all.first(where: { $0.name == name }) else {
            throw OptimizerError.unknown(name, valid: names)
        }
        return type
    }

    /// Builds `name` with its defaults overridden by `overrides` (name → text).
    public static func make(_ name: String, overrides: [String: String] = [:]) throws -> any ContinuousOptimizer {
        let type = try type(named: name)
        let values = try ParameterValues(specs: type.parameterSpecs, overrides: overrides, owner: "optimizer \(name)")
        return try type.init(parameters: values)
    }
}
