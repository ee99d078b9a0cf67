import Foundation
import Landscapes

/// Basin hopping (Wales & Doye 1997, J. Phys. Chem. A 101, 5111; the "Monte Carlo plus
/// minimization" of Li & Scheraga 1987) with box-relative defaults: a Metropolis walk on local
/// minima whose step is a fraction of the box, whose temperature is set from its first hops, and
/// whose local minimizer is projected gradient descent.
///
///     m ← localDescent(start);  repeat:
///         y = reflect(m + s·w∘u),  u_i ~ Uniform(−1, 1)       (random perturbation)
///         m' = localDescent(y)
///         accept m ← m' with probability min(1, exp(−(f(m') − f(m))/T))
///
/// The local descent is projected gradient descent with Armijo backtracking, charged through the
/// `Objective` like everything else (docs/DESIGN.md: any local search inside a run is charged):
/// x⁺ = Π(x − η∇f) is accepted when f(x⁺) ≤ f(x) + c·∇f·(x⁺ − x), c = 1e-4 (Armijo 1966; Bertsekas
/// 1999, §2.3 for the projected form), η is halved after a failed trial (cost 1) and doubled after
/// a success (which costs one gradient). It stops when the projected gradient ‖x⁺ − x‖/η ≤
/// `local-tolerance`, after `local-iterations` steps, or when the budget is spent. η carries over
/// from one descent to the next.
///
/// This is not scipy's `basinhopping` (that is `basin-hopping-scipy`, `ScipyBasinHopping`). It
/// borrows scipy's adaptation constants and differs from it in four ways:
/// - the perturbation half-width is s = 0.05 of the box width per coordinate, so it scales with
///   the box (scipy's is an absolute 0.5, which equals 0.05 of a width-10 box such as Rastrigin's,
///   and is 0.0076 of Ackley's width-65.5 box where this one is ±3.3);
/// - the step adapts every 50 hops toward acceptance 0.5 with factor 0.9, as scipy's, but from
///   the acceptance rate of the last 50 hops (scipy's rate runs over all hops so far), and s is
///   kept in [1e-12, 1] of the width;
/// - T "auto" (the default): the first 10 hops accept only downhill moves (T = 0) and record the
///   uphill differences ΔE⁺ between minima; then T = ⟨ΔE⁺⟩/ln 2, so that an average uphill hop is
///   accepted with probability 0.5 (the same construction as `sa`'s Kirkpatrick rule with
///   χ0 = 0.5). No uphill hop: the mean |ΔE|; no difference at all: T = 1. scipy's T is 1;
/// - the local minimizer is the projected gradient descent above (scipy runs BFGS, or L-BFGS-B
///   when given bounds), with tolerance 1e-5 (the value of scipy's `gtol`), initial η = 1e-3
///   (`gd`'s step) and 1000 descent steps per minimization.
public struct BasinHopping: ContinuousOptimizer {
    public static let name = "basin-hopping"
    public static let usesGradients = true
    public static let summary = "basin hopping (Wales & Doye 1997) with box-relative defaults: perturb by 0.05 of the box width, auto T, charged projected descent, Metropolis between minima"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let temperature = Parameter<Double>("temperature", default: 0, in: 0...1e300,
            "T between minima; 0 = auto: an average uphill hop of the first temperature-hops accepted with probability 0.5")
            .tuning(.fixed(why: "0 = auto, from the first downhill hops; tuned through temperature-hops"))
        public static let temperatureHops = Parameter<Int>("temperature-hops", default: 10, in: 1...1_000_000,
            "downhill-only hops whose uphill differences set the auto T")
        public static let step = Parameter<Double>("step", default: 0.05, in: 1e-12...1,
            "initial perturbation half-width per coordinate as a fraction of the box width (scipy's absolute 0.5 is this on a width-10 box only)")
        public static let targetAcceptance = Parameter<Double>("target-acceptance", default: 0.5, in: 1e-6...0.999999,
            "hop acceptance the step adapts toward (rate over the last interval); 0.5 as scipy's target")
        public static let adaptationInterval = Parameter<Int>("adaptation-interval", default: 50, in: 1...1_000_000,
            "hops between step updates; 50 as scipy's interval")
        public static let stepFactor = Parameter<Double>("step-factor", default: 0.9, in: 1e-6...0.999999,
            "step update factor; 0.9 as scipy's stepwise_factor")
        public static let learningRate = GradientParameters.learningRate("initial η of the local descent (then backtracking); gd's step")
        public static let localTolerance = Parameter<Double>("local-tolerance", default: 1e-5, in: 0...1e6,
            "a descent stops when its projected gradient ≤ this; the value of scipy's gtol")
        public static let localIterations = Parameter<Int>("local-iterations", default: 1000, in: 1...1_000_000_000,
            "descent steps per local minimization")
    }

    public static let parameterSpecs = [
        Key.temperature.spec,
        Key.temperatureHops.spec,
        Key.step.spec,
        Key.targetAcceptance.spec,
        Key.adaptationInterval.spec,
        Key.stepFactor.spec,
        Key.learningRate.spec,
        Key.localTolerance.spec,
        Key.localIterations.spec,
    ]

    public var temperature: Double?
    public var temperatureHops: Int
    public var step: Double
    public var targetAcceptance: Double
    public var adaptationInterval: Int
    public var stepFactor: Double
    public var learningRate: Double
    public var localTolerance: Double
    public var localIterations: Int

    public init(parameters: ParameterValues) throws {
        temperature = parameters.automatic(Key.temperature)
        temperatureHops = parameters[Key.temperatureHops]
        step = parameters[Key.step]
        targetAcceptance = parameters[Key.targetAcceptance]
        adaptationInterval = parameters[Key.adaptationInterval]
        stepFactor = parameters[Key.stepFactor]
        learningRate = parameters[Key.learningRate]
        localTolerance = parameters[Key.localTolerance]
        localIterations = parameters[Key.localIterations]
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        let n = start.count
        let widths = (0..<n).map { box.upper[$0] - box.lower[$0] }
        var descent = ProjectedDescent(dimension: n, learningRate: learningRate,
                                       tolerance: localTolerance, maxSteps: localIterations)
        var current = start
        var fCurrent = descent.minimize(&objective, from: &current, box: box)
        var candidate = current
        var s = step
        var T = temperature
        var uphillSum = 0.0, uphillCount = 0, absSum = 0.0
        var hops = 0, acceptedInInterval = 0, hopsInInterval = 0
        while !objective.isExhausted {
            for i in 0..<n { candidate[i] = current[i] + s * widths[i] * (2 * rng.nextUnit() - 1) }
            box.reflect(&candidate)
            let fCandidate = descent.minimize(&objective, from: &candidate, box: box)
            let delta = fCandidate - fCurrent
            hops += 1
            let accept: Bool
            if let T {
                // NaN compares false in both tests: a NaN minimum is rejected.
                accept = delta <= 0 || rng.nextUnit() < exp(-delta / T)
            } else {
                accept = delta <= 0
                if delta.isFinite {
                    absSum += abs(delta)
                    if delta > 0 { uphillSum += delta; uphillCount += 1 }
                }
                if hops == temperatureHops {
                    if uphillCount > 0 { T = uphillSum / Double(uphillCount) / log(2) }
                    else if absSum > 0 { T = absSum / Double(hops) / log(2) }
                    else { T = 1 }
                }
            }
            if accept {
                swap(&current, &candidate)
                fCurrent = fCandidate
                acceptedInInterval += 1
            }
            hopsInInterval += 1
            if hopsInInterval == adaptationInterval {
                let rate = Double(acceptedInInterval) / Double(hopsInInterval)
                s = rate > targetAcceptance ? s / stepFactor : s * stepFactor
                s = Swift.min(Swift.max(s, 1e-12), 1)
                hopsInInterval = 0
                acceptedInInterval = 0
            }
        }
        return .budget
    }
}

/// Projected gradient descent with Armijo backtracking, every call charged through the
/// `Objective` (see `BasinHopping`). Reuses its buffers across minimizations.
struct ProjectedDescent {
    var learningRate: Double
    let tolerance: Double
    let maxSteps: Int
    /// Armijo's sufficient-decrease constant (Nocedal & Wright 2006, §3.1: "quite small, say 1e-4").
    static let armijo = 1e-4
    private var gradient: [Double]
    private var trial: [Double]

    init(dimension: Int, learningRate: Double, tolerance: Double, maxSteps: Int) {
        self.learningRate = learningRate
        self.tolerance = tolerance
        self.maxSteps = maxSteps
        gradient = [Double](repeating: 0, count: dimension)
        trial = gradient
    }

    /// Descends from `x` (inside `box`), leaving the end point in `x`; returns its value (NaN if
    /// the budget was spent before even x was evaluated).
    mutating func minimize<L: ContinuousLandscape>(_ objective: inout Objective<L>, from x: inout [Double],
                                                   box: Box) -> Double {
        guard !objective.isExhausted else { return .nan }
        var f = objective.valueAndGradient(at: x, gradient: &gradient)
        let n = x.count
        for _ in 0..<maxSteps {
            var fTrial = Double.nan
            while true {
                var decrease = 0.0, move2 = 0.0
                for i in 0..<n {
                    trial[i] = Swift.min(Swift.max(x[i] - learningRate * gradient[i], box.lower[i]), box.upper[i])
                    let d = trial[i] - x[i]
                    decrease += gradient[i] * d
                    move2 += d * d
                }
                // Converged: the projected gradient is small (or zero: a stationary point of the box).
                if move2.squareRoot() <= tolerance * learningRate { return f }
                if objective.isExhausted { return f }
                fTrial = objective.value(at: trial)
                if fTrial <= f + Self.armijo * decrease { break }
                learningRate *= 0.5
                // The step fell below rounding of every coordinate: no progress is possible.
                if learningRate < 1e-300 { return f }
            }
            swap(&x, &trial)
            // The budget ended with the accepted trial: its value is known, its gradient not needed.
            if objective.isExhausted { return fTrial }
            f = objective.valueAndGradient(at: x, gradient: &gradient)
            learningRate *= 2
        }
        return f
    }
}

extension BasinHopping: AutomaticSettings {
    /// No probe before the run: the automatic temperature comes from the run's own first hops.
    public func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double? { nil }

    public func fixedSettings(automaticTemperature t: Double, box: Box) -> [String: String] { [:] }

    public var settingDerivedDuringTheRun: String? {
        temperature == nil ? "its temperature from its own first \(temperatureHops) hops" : nil
    }
}
