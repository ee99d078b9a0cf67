import Landscapes

/// Heavy-ball momentum (Polyak 1964), optionally in Nesterov's look-ahead form (Sutskever, Martens,
/// Dahl & Hinton 2013), projected onto the box:
///
///     heavy ball:  v ← μ v − η ∇f(x),          x ← Π_box(x + v)
///     Nesterov:    v ← μ v − η ∇f(Π_box(x + μ v)), x ← Π_box(x + v)
///
/// Gradient steps keep the iterate inside the box by projection (`Box.project`). When the
/// projection clips a coordinate, that coordinate's velocity becomes the step actually taken
/// (an inelastic wall), so momentum does not keep pressing into a face of the box; inside the box
/// the update is exactly the recurrence above.
///
/// Deterministic: from an exact local minimum (∇f = 0, v = 0) it cannot move. It stops as
/// `converged` once ‖∇f‖ ≤ tol and ‖v‖ ≤ η·tol, i.e. when the next step would be no longer than
/// the step at which `gd` stops.
///
/// Defaults: η = 1e-3, the same as `gd` (stable on every built-in family at default parameters,
/// see `GradientDescent`); μ = 0.9, the customary value (Sutskever et al. 2013 use μ up to 0.99).
/// On a quadratic with curvature λ the heavy ball converges for 0 < ηλ < 2(1 + μ) = 3.8, so
/// η = 1e-3 keeps at least the margin gd has.
public struct Momentum: ContinuousOptimizer {
    public static let name = "momentum"
    public static let usesGradients = true
    public static let summary = "heavy ball (Polyak 1964), v ← μv − η∇f, x ← Π(x + v); optional Nesterov look-ahead"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let learningRate = GradientParameters.learningRate("η; 1e-3 like gd, below 2/λ_max at the minima of every built-in family")
        public static let momentum = Parameter<Double>("momentum", default: 0.9, in: 0...(1.0).nextDown,
            "μ, the fraction of velocity kept per step; 0.9 is the customary value (Sutskever et al. 2013)")
            .tuning(.logComplement(0.5...0.99, why: "1 − μ log-uniform over 0.01 … 0.5, around the default's 0.1: the rule would draw μ down to 0.09, plain gradient descent"))
        public static let nesterov = Parameter<Bool>("nesterov", default: false,
            "take the gradient at the look-ahead point x + μv (Sutskever et al. 2013); off by default")
        public static let gradientTolerance = GradientParameters.gradientTolerance(
            "stop (converged) when ‖∇f‖ ≤ this and ‖v‖ ≤ η·this; 0 runs the whole budget")
    }

    public static let parameterSpecs = [
        Key.learningRate.spec,
        Key.momentum.spec,
        Key.nesterov.spec,
        Key.gradientTolerance.spec,
    ]

    public var learningRate: Double
    public var momentum: Double
    public var nesterov: Bool
    public var gradientTolerance: Double

    public init(parameters: ParameterValues) throws {
        learningRate = parameters[Key.learningRate]
        momentum = parameters[Key.momentum]
        nesterov = parameters[Key.nesterov]
        gradientTolerance = parameters[Key.gradientTolerance]
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        let n = start.count
        var x = start
        var v = [Double](repeating: 0, count: n)
        var g = [Double](repeating: 0, count: n)
        var lookAhead = start
        while !objective.isExhausted {
            if nesterov {
                for i in 0..<n { lookAhead[i] = x[i] + momentum * v[i] }
                box.project(&lookAhead)
                _ = objective.valueAndGradient(at: lookAhead, gradient: &g)
            } else {
                _ = objective.valueAndGradient(at: x, gradient: &g)
            }
            var gradNorm2 = 0.0, velocityNorm2 = 0.0
            for i in 0..<n {
                gradNorm2 += g[i] * g[i]
                velocityNorm2 += v[i] * v[i]
            }
            if gradNorm2.squareRoot() <= gradientTolerance
                && velocityNorm2.squareRoot() <= learningRate * gradientTolerance {
                return .converged
            }
            for i in 0..<n {
                v[i] = momentum * v[i] - learningRate * g[i]
                let proposed = x[i] + v[i]
                let clamped = Swift.min(Swift.max(proposed, box.lower[i]), box.upper[i])
                if clamped != proposed { v[i] = clamped - x[i] }
                x[i] = clamped
            }
        }
        return .budget
    }
}
