import Foundation
import GSL
import Landscapes

/// GSL's BFGS (`gsl_multimin_fdfminimizer_vector_bfgs2`), restarted from uniform random points
/// until the budget is spent: the "just restart a good local method" baseline.
///
///     run BFGS from x_0 = the trial's start; then from x_r ~ Uniform(box), r = 1, 2, …
///
/// A local run ends when ‖∇f‖ < `gradient-tolerance`, when GSL reports `GSL_ENOPROG` (the line
/// search cannot improve: rounding noise near a minimum, i.e. convergence), at `max-iterations`,
/// on another GSL error, or when the budget is spent. Every f, ∇f and (f, ∇f) call GSL makes goes
/// through the `Objective`: a value costs 1, a gradient (with or without the value) `gradCost`.
///
/// The box: GSL's methods are unconstrained, so they minimize f̃(x) = f(Π(x)), Π the projection
/// onto the box, and every evaluation is at Π(x) (the point the `Objective` sees and the
/// incumbent records). f̃'s gradient is ∇f(Π(x)) with the coordinates where x lies strictly
/// outside the box set to 0 (f̃ is constant along them there), which is what GSL receives.
///
/// Defaults:
/// - first trial step 0.01 of the box diagonal (GSL's manual uses step 0.01 on unit-scale
///   problems); line-search tolerance 0.1, the value GSL's manual recommends for bfgs2.
/// - gradient tolerance 1e-8, `gd`'s; in practice ENOPROG ends most runs first.
/// - 10,000 iterations per local run: a safeguard that a 20,000-evaluation budget never reaches.
public struct BFGSRestarts: ContinuousOptimizer {
    public static let name = "bfgs-restarts"
    public static let usesGradients = true
    public static let summary = "GSL vector_bfgs2 on f(Π(x)) from the start, then from uniform random restarts until the budget is spent"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let initialStep = Parameter<Double>("initial-step", default: 0.01, in: 1e-12...1e6,
            "BFGS's first trial step as a fraction of the box diagonal; 0.01 as in GSL's manual")
        public static let lineTolerance = Parameter<Double>("line-tolerance", default: 0.1, in: 1e-12...1,
            "line-search accuracy; 0.1, GSL's recommendation for bfgs2")
        public static let gradientTolerance = GradientParameters.gradientTolerance("a local run has converged when ‖∇f‖ < this; 1e-8 as gd")
        public static let maxIterations = Parameter<Int>("max-iterations", default: 10_000, in: 1...1_000_000_000,
            "iterations per local run; a safeguard")
    }

    public static let parameterSpecs = [
        Key.initialStep.spec,
        Key.lineTolerance.spec,
        Key.gradientTolerance.spec,
        Key.maxIterations.spec,
    ]

    public var initialStep: Double
    public var lineTolerance: Double
    public var gradientTolerance: Double
    public var maxIterations: Int

    public init(parameters: ParameterValues) throws {
        initialStep = parameters[Key.initialStep]
        lineTolerance = parameters[Key.lineTolerance]
        gradientTolerance = parameters[Key.gradientTolerance]
        maxIterations = parameters[Key.maxIterations]
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let problem = ProjectedObjective(objective)
        let step = initialStep * objective.domain.diagonal
        var x = start
        while !problem.objective.isExhausted {
            _ = GSL.bfgs(problem, from: x, initialStep: step, lineTolerance: lineTolerance,
                         gradientTolerance: gradientTolerance, maxIterations: maxIterations)
            x = uniformRestart(in: problem.box, using: &rng)
        }
        objective = problem.objective
        return .budget
    }
}

/// GSL's Nelder–Mead simplex (`gsl_multimin_fminimizer_nmsimplex2`), restarted from uniform
/// random points until the budget is spent: the derivative-free "just restart" baseline.
///
/// A local run starts from an axis-aligned simplex around x_r and ends when the simplex size
/// (mean vertex distance from its centre) < `size-tolerance`·diagonal, at `GSL_ENOPROG`, at
/// `max-iterations`, or when the budget is spent. Every f call is charged 1 through the
/// `Objective`, at Π(x) as for `bfgs-restarts` (f̃ = f∘Π; Nelder–Mead needs no gradient).
///
/// Defaults:
/// - initial simplex steps 0.05 of the box width per coordinate (scipy's `fmin` perturbs each
///   coordinate of x0 by 5%; the box width replaces |x0|, which may be 0).
/// - size tolerance 1e-8 of the box diagonal (GSL's example stops at 1e-2 on unit scale; a
///   tight value, so a run ends at its minimum, to rounding, rather than near it).
/// - 10,000 iterations per local run: a safeguard.
public struct NelderMeadRestarts: ContinuousOptimizer {
    public static let name = "nelder-mead-restarts"
    public static let summary = "GSL nmsimplex2 on f(Π(x)) from the start, then from uniform random restarts until the budget is spent"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let initialStep = Parameter<Double>("initial-step", default: 0.05, in: 1e-12...1e6,
            "initial simplex step per coordinate as a fraction of the box width; 0.05 as scipy's fmin")
        public static let sizeTolerance = Parameter<Double>("size-tolerance", default: 1e-8, in: 0...1e6,
            "a local run has converged when the simplex size < this times the box diagonal")
        public static let maxIterations = Parameter<Int>("max-iterations", default: 10_000, in: 1...1_000_000_000,
            "iterations per local run; a safeguard")
    }

    public static let parameterSpecs = [Key.initialStep.spec, Key.sizeTolerance.spec, Key.maxIterations.spec]

    public var initialStep: Double
    public var sizeTolerance: Double
    public var maxIterations: Int

    public init(parameters: ParameterValues) throws {
        initialStep = parameters[Key.initialStep]
        sizeTolerance = parameters[Key.sizeTolerance]
        maxIterations = parameters[Key.maxIterations]
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let problem = ProjectedObjective(objective)
        let box = problem.box
        let steps = (0..<box.dimension).map { initialStep * (box.upper[$0] - box.lower[$0]) }
        let tolerance = sizeTolerance * box.diagonal
        var x = start
        while !problem.objective.isExhausted {
            _ = GSL.nelderMead(problem, from: x, stepSizes: steps, sizeTolerance: tolerance,
                               maxIterations: maxIterations)
            x = uniformRestart(in: box, using: &rng)
        }
        objective = problem.objective
        return .budget
    }
}

/// A point uniform in the box, drawn from the trial's stream (as `random-search` draws).
func uniformRestart(in box: Box, using rng: inout Xoshiro256) -> [Double] {
    (0..<box.dimension).map { i in
        Swift.min(box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUnit(), box.upper[i])
    }
}

/// f̃ = f∘Π for GSL's unconstrained minimizers: every call is charged through the `Objective` at
/// the projected point. Once the budget is spent (or the trial failed) it answers +∞ without
/// evaluating, so a GSL iteration in progress ends without overspending, and `shouldStop` ends
/// the local run.
final class ProjectedObjective<L: ContinuousLandscape>: MultiminProblem {
    var objective: Objective<L>
    let box: Box
    var point: [Double]
    var gradient: [Double]

    init(_ objective: Objective<L>) {
        self.objective = objective
        box = objective.domain
        point = [Double](repeating: 0, count: box.dimension)
        gradient = point
        super.init(dimension: box.dimension)
    }

    override var shouldStop: Bool { objective.isExhausted }

    override func value(_ x: UnsafeBufferPointer<Double>) -> Double {
        if objective.isExhausted { return .infinity }
        project(x)
        return objective.value(at: point)
    }

    override func valueAndGradient(_ x: UnsafeBufferPointer<Double>, gradient g: UnsafeMutableBufferPointer<Double>) -> Double {
        if objective.isExhausted {
            for i in 0..<g.count { g[i] = 0 }
            return .infinity
        }
        project(x)
        let f = objective.valueAndGradient(at: point, gradient: &gradient)
        for i in 0..<g.count {
            // Where x is outside the box, f̃ does not depend on x_i.
            g[i] = x[i] == point[i] ? gradient[i] : 0
        }
        return f
    }

    private func project(_ x: UnsafeBufferPointer<Double>) {
        for i in 0..<x.count { point[i] = Swift.min(Swift.max(x[i], box.lower[i]), box.upper[i]) }
    }
}
