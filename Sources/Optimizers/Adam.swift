import Foundation
import Landscapes

/// Adam (Kingma & Ba 2015, Algorithm 1), bias-corrected, projected onto the box:
///
///     g ← ∇f(x)
///     m ← β1 m + (1 − β1) g,      v ← β2 v + (1 − β2) g²        (elementwise)
///     m̂ ← m / (1 − β1^t),         v̂ ← v / (1 − β2^t)
///     x ← Π_box(x − α m̂ / (√v̂ + ε))
///
/// Gradient steps stay inside the box by projection (`Box.project`). Each coordinate moves by at
/// most about α per step whatever the gradient's scale, so α, not the landscape's curvature, sets
/// the step length.
///
/// Deterministic: from an exact local minimum (g = 0, m = v = 0) the update is 0/(0 + ε) = 0 and it
/// cannot move. It stops as `converged` once ‖∇f‖ ≤ tol and ‖m̂‖ ≤ tol (the smoothed gradient, too,
/// has vanished). On landscapes with data and `batch-size` b > 0, g is a minibatch gradient, with a
/// charged full evaluation every K steps (`Minibatches`), and there is no convergence stop.
///
/// Defaults are the paper's: α = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8 (Kingma & Ba 2015,
/// Algorithm 1: "good default settings for the tested machine learning problems").
public struct Adam: ContinuousOptimizer {
    public static let name = "adam"
    public static let usesGradients = true
    public static let summary = "Adam (Kingma & Ba 2015), bias-corrected moments, x ← Π(x − α m̂/(√v̂ + ε))"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let learningRate = GradientParameters.learningRate("α, the per-coordinate step scale; 1e-3 as in Kingma & Ba 2015")
        public static let beta1 = Parameter<Double>("beta1", default: 0.9, in: 0...(1.0).nextDown,
            "β1, decay of the first moment; 0.9 as in Kingma & Ba 2015")
            .tuning(.logComplement(0.5...0.99, why: "1 − β1 log-uniform over 0.01 … 0.5, around the default's 0.1: the rule would draw β1 down to 0.09"))
        public static let beta2 = Parameter<Double>("beta2", default: 0.999, in: 0...(1.0).nextDown,
            "β2, decay of the second moment; 0.999 as in Kingma & Ba 2015")
            .tuning(.logComplement(0.99...0.9999, why: "1 − β2 log-uniform over 1e-4 … 1e-2, around the default's 1e-3 (the values Kingma & Ba 2015 §6.4 tries): the rule would draw β2 down to 0.1"))
        public static let epsilon = Parameter<Double>("epsilon", default: 1e-8, in: 1e-300...1,
            "ε, added to √v̂; 1e-8 as in Kingma & Ba 2015")
        public static let gradientTolerance = GradientParameters.gradientTolerance(
            "stop (converged) when ‖∇f‖ ≤ this and ‖m̂‖ ≤ this; 0 runs the whole budget")
    }

    public static let parameterSpecs = [
        Key.learningRate.spec,
        Key.beta1.spec,
        Key.beta2.spec,
        Key.epsilon.spec,
        Key.gradientTolerance.spec,
    ] + Minibatches.parameterSpecs

    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var gradientTolerance: Double
    public var batchSize: Int
    public var fullEvaluationInterval: Int

    public init(parameters: ParameterValues) throws {
        learningRate = parameters[Key.learningRate]
        beta1 = parameters[Key.beta1]
        beta2 = parameters[Key.beta2]
        epsilon = parameters[Key.epsilon]
        gradientTolerance = parameters[Key.gradientTolerance]
        batchSize = parameters[Minibatches.batchSize]
        fullEvaluationInterval = parameters[Minibatches.fullEvaluationInterval]
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var m = [Double](repeating: 0, count: n)
        var v = [Double](repeating: 0, count: n)
        var beta1Power = 1.0, beta2Power = 1.0
        var minibatches = Minibatches(dataCount: objective.dataCount, batchSize: batchSize,
                                      fullEvaluationInterval: fullEvaluationInterval)
        while !objective.isExhausted {
            if minibatches != nil {
                minibatches!.gradient(&objective, at: x, into: &g, using: &rng)
                if objective.isExhausted { break }
            } else {
                _ = objective.valueAndGradient(at: x, gradient: &g)
            }
            beta1Power *= beta1
            beta2Power *= beta2
            let c1 = 1 - beta1Power, c2 = 1 - beta2Power
            var gradNorm2 = 0.0, firstMomentNorm2 = 0.0
            for i in 0..<n {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * (g[i] * g[i])
                let mHat = m[i] / c1
                gradNorm2 += g[i] * g[i]
                firstMomentNorm2 += mHat * mHat
            }
            // A minibatch gradient is an estimate: convergence is judged on full gradients only.
            if minibatches == nil && gradNorm2.squareRoot() <= gradientTolerance && firstMomentNorm2.squareRoot() <= gradientTolerance {
                return .converged
            }
            for i in 0..<n {
                let mHat = m[i] / c1
                let vHat = v[i] / c2
                x[i] -= learningRate * mHat / (vHat.squareRoot() + epsilon)
            }
            box.project(&x)
        }
        return .budget
    }
}
