import Landscapes

/// Plain gradient descent with a fixed step and projection onto the box:
///
///     x ← Π_box(x − η ∇f(x)).
///
/// Deterministic: from an exact local minimum (∇f = 0) it cannot move, which is the baseline
/// finding the benchmark exists to measure. It stops as `converged` once ‖∇f‖ ≤ tol.
///
/// Default η = 1e-3: stable (η < 2/λ_max of the Hessian) at the minima of every built-in family
/// at default parameters. Rastrigin (A = 10) has λ_max = 2 + 40π² ≈ 397, so 2/λ ≈ 5e-3; the
/// tightest is Rosenbrock d = 10 at x*, λ_max ≈ 1763, so 2/λ ≈ 1.13e-3. Far from its valley
/// Rosenbrock is stiffer, and gd's steps there are then unstable until projection stops them.
public struct GradientDescent: ContinuousOptimizer {
    public static let name = "gd"
    public static let usesGradients = true
    public static let summary = "gradient descent, x ← Π(x − η∇f), fixed step"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let learningRate = GradientParameters.learningRate(
            "η, the fixed step; 1e-3 is below 2/λ_max at the minima of every built-in family")
        public static let gradientTolerance = GradientParameters.gradientTolerance("stop (converged) when ‖∇f‖ ≤ this; 0 runs the whole budget")
    }

    public static let parameterSpecs = [Key.learningRate.spec, Key.gradientTolerance.spec]

    public var learningRate: Double
    public var gradientTolerance: Double

    public init(parameters: ParameterValues) throws {
        learningRate = parameters[Key.learningRate]
        gradientTolerance = parameters[Key.gradientTolerance]
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        var x = start
        var g = [Double](repeating: 0, count: x.count)
        while !objective.isExhausted {
            _ = objective.valueAndGradient(at: x, gradient: &g)
            var norm2 = 0.0
            for i in 0..<x.count { norm2 += g[i] * g[i] }
            if norm2.squareRoot() <= gradientTolerance { return .converged }
            for i in 0..<x.count { x[i] -= learningRate * g[i] }
            box.project(&x)
        }
        return .budget
    }
}
