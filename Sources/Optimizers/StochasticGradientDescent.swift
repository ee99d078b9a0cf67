import Foundation
import Landscapes

/// Projected Langevin dynamics, the "SGD with annealed noise" of this benchmark (Gelfand & Mitter
/// 1991 analyse its annealed form as a global optimizer):
///
///     x ← Π_box(x − η ∇f(x) + √(2ηT)·ξ),   ξ ~ N(0, I),
///     T(p) = T0·(T1/T0)^p,  p = spent / budget   (geometric cooling over the budget).
///
/// At fixed T and small η its iterates sample (approximately) exp(−f/T), the same Boltzmann
/// density simulated annealing targets, so the two methods share one temperature scale. Steps
/// stay inside the box by projection (`Box.project`). The gradient is obtained in one place
/// (`gradient(_:at:into:)`); on landscapes with data and `batch-size` b > 0 a minibatch gradient
/// replaces it, with a charged full evaluation every K steps (`Minibatches`).
///
/// Defaults:
/// - η = 1e-3, as for `gd` (below 2/λ_max at the minima of every built-in family).
/// - T0 "auto": the same rule and sample as `sa` (`InitialTemperature`, χ0 = 0.8, 100 proposals of
///   scale 0.1/√d of the box width, plus f(start): calibration probes, charged to the budget and
///   never credited). Chosen over a fixed T0 because a fixed
///   number would depend on each landscape's units, and over a gradient-based rule because it
///   gives `sgd` and `sa` the same initial Boltzmann density, so the comparison is between the
///   dynamics, not between temperatures.
/// - T1 "auto": T0/1000, as for `sa` (the run ends as a quench; a convention of this benchmark).
/// An explicit T1 above an auto T0 raises T0 to T1 (the schedule never heats). As T → 0 the
/// update becomes `gd`'s.
public struct StochasticGradientDescent: ContinuousOptimizer {
    public static let name = "sgd"
    public static let usesGradients = true
    public static let summary = "projected Langevin x ← Π(x − η∇f + √(2ηT)ξ), T cooled geometrically T0 → T1 over the budget"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let learningRate = GradientParameters.learningRate("η; 1e-3 like gd, below 2/λ_max at the minima of every built-in family")
        public static let initialTemperature = Parameter<Double>("initial-temperature", default: 0, in: 0...1e300,
            "T0; 0 = auto, the rule sa uses (Kirkpatrick 1984), so sgd and sa start at one temperature")
            .tuning(.fixed(why: "0 = auto, the rule from the start's neighbourhood; tuned through initial-acceptance"))
        public static let finalTemperature = Parameter<Double>("final-temperature", default: 0, in: 0...1e300,
            "T1; 0 = auto: cooling-ratio × T0 (1/1000), as for sa")
            .tuning(.fixed(why: "0 = auto; tuned through cooling-ratio"))
        public static let probeStep = Parameter<Double>("probe-step", default: 0.1, in: 1e-12...1,
            "scale s√d, as a fraction of the box width, of the auto-T0 proposals; 0.1, as sa's initial step")
    }

    public static let parameterSpecs = [
        Key.learningRate.spec,
        Key.initialTemperature.spec,
        Key.finalTemperature.spec,
        Key.probeStep.spec,
    ] + MetropolisParameters.automaticTemperature + Minibatches.parameterSpecs + [MetropolisParameters.coolingRatio.spec]

    public var learningRate: Double
    public var initialTemperature: Double?
    public var finalTemperature: Double?
    public var initialAcceptance: Double
    public var temperatureSamples: Int
    public var probeStep: Double
    public var batchSize: Int
    public var fullEvaluationInterval: Int
    /// T1/T0 when `final-temperature` is auto (`cooling-ratio`).
    public var coolingRatio: Double

    public init(parameters: ParameterValues) throws {
        learningRate = parameters[Key.learningRate]
        (initialTemperature, finalTemperature) = try AnnealingRange.read(
            parameters, hot: Key.initialTemperature, cold: Key.finalTemperature, optimizer: Self.name, why: "annealing cools")
        initialAcceptance = parameters[MetropolisParameters.initialAcceptance]
        temperatureSamples = parameters[MetropolisParameters.temperatureSamples]
        probeStep = parameters[Key.probeStep]
        batchSize = parameters[Minibatches.batchSize]
        fullEvaluationInterval = parameters[Minibatches.fullEvaluationInterval]
        coolingRatio = parameters[MetropolisParameters.coolingRatio]
    }

    /// With an automatic initial temperature, f(start) and the probes are calibration: the first
    /// gradient is the first credited call.
    public func minimumBudget(gradCost: Double) -> MinimumBudget? {
        initialTemperature == nil
            ? .afterTemperatureProbes(temperatureSamples, firstStep: gradCost, step: "one gradient")
            : nil
    }

    /// ∇f at x into `g`: the single place the gradient is taken (full gradient, cost gradCost).
    @inline(__always)
    func gradient<L: ContinuousLandscape>(_ objective: inout Objective<L>, at x: [Double], into g: inout [Double]) {
        _ = objective.valueAndGradient(at: x, gradient: &g)
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        let schedule = TemperatureSchedule.make(
            initial: initialTemperature, final: finalTemperature, autoRatio: coolingRatio
        ) {
            estimateTemperature(&objective, from: start, using: &rng)
        }
        var minibatches = Minibatches(dataCount: objective.dataCount, batchSize: batchSize,
                                      fullEvaluationInterval: fullEvaluationInterval)
        while !objective.isExhausted {
            let temperature = schedule.temperature(at: objective.spent / objective.budget)
            let noise = (2 * learningRate * temperature).squareRoot()
            if minibatches != nil {
                minibatches!.gradient(&objective, at: x, into: &g, using: &rng)
                if objective.isExhausted { break }
            } else {
                gradient(&objective, at: x, into: &g)
            }
            for i in 0..<n { x[i] += -learningRate * g[i] + noise * rng.nextGaussian() }
            box.project(&x)
        }
        return .budget
    }
}

extension StochasticGradientDescent: AutomaticSettings {
    /// The auto T0: f(start) and `temperature-samples` probes of scale probe-step/√d.
    func estimateTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double {
        InitialTemperature.probing(&objective, from: start, step: probeStep, samples: temperatureSamples, acceptance: initialAcceptance,
                                   using: &rng)
    }

    public func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double? {
        initialTemperature == nil ? estimateTemperature(&objective, from: start, using: &rng) : nil
    }

    /// T0 and T1 as `minimize` resolves them at T_auto = t.
    public func fixedSettings(automaticTemperature t: Double, box: Box) -> [String: String] {
        TemperatureSchedule.fixedTexts(hot: Key.initialTemperature, initialTemperature, cold: Key.finalTemperature, finalTemperature,
                                       autoRatio: coolingRatio, automatic: t)
    }
}
