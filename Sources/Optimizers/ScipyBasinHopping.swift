import Foundation
import Landscapes

/// Basin hopping as scipy defines it (`scipy.optimize.basinhopping`, Wales & Doye 1997 after
/// Li & Scheraga 1987), with scipy's defaults and L-BFGS-B on the box as the local minimizer
/// (what `scipy.optimize.minimize` runs when it is given bounds):
///
///     m ← L-BFGS-B(start);  s ← 0.5;  for hop = 1, 2, …:
///         if hop is a multiple of 50:  s ← s/0.9 if (accepted hops)/hop > 0.5, else 0.9·s
///         y = clip(m + u),  u_i ~ Uniform(−s, s)               (absolute displacement)
///         m' = L-BFGS-B(y)
///         accept m ← m' if exp(min(0, −(f(m') − f(m))/T)) ≥ v, v ~ Uniform[0, 1),
///                       and (m' converged or m did not)
///
/// These follow scipy's code rather than its prose: the acceptance rate that adapts the step is
/// the running rate over all hops so far (scipy's `AdaptiveStepsize` never resets its counts),
/// computed before hop 50·j is displaced, so it counts the j·50 − 1 hops already judged over j·50;
/// a local minimization that did not converge is rejected unless the current one did not either
/// (scipy's `Metropolis` checks `success`); T = 0 accepts only hops that do not go uphill.
///
/// The box: scipy adds the displacement without looking at any bounds, then `minimize` clips the
/// displaced point into them (`np.clip(x0, lb, ub)` in scipy's L-BFGS-B driver) before its first
/// evaluation. So the displaced point is clamped onto the box here too, which is exactly what
/// scipy evaluates; L-BFGS-B (`BoundedLBFGS`) keeps every later iterate in the box.
///
/// The budget: scipy stops after `niter` = 100 hops; here the harness's budget is what stops the
/// run, so it hops until the `Objective` is exhausted (`hops` = 0, the default), or after `hops`
/// hops if that is set. Every evaluation is one value-and-gradient call (cost `gradCost`): the
/// local minimizer needs both at every point.
///
/// Defaults are scipy's (1.17): T = 1, stepsize 0.5, interval 50, target acceptance 0.5, factor
/// 0.9; L-BFGS-B's m = 10, ftol = 2.2e-9, gtol = 1e-5, maxiter = maxfun = 15,000, maxls = 20.
/// Unlike `basin-hopping`, nothing here scales with the box or the landscape: step 0.5 and T = 1
/// are absolute, as in scipy, so whether they suit a landscape depends on its units.
public struct ScipyBasinHopping: ContinuousOptimizer {
    public static let name = "basin-hopping-scipy"
    public static let usesGradients = true
    public static let summary = "scipy.optimize.basinhopping's defaults: absolute step 0.5 adapted toward 0.5 acceptance every 50 hops, T = 1, L-BFGS-B on the box"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let temperature = Parameter<Double>("temperature", default: 1, in: 0...1e300,
            "T of the Metropolis test between minima; 1 as scipy (0 = downhill only)")
        public static let step = Parameter<Double>("step", default: 0.5, in: 1e-12...1e300,
            "initial half-width of the uniform displacement per coordinate, absolute; 0.5 as scipy")
        public static let targetAcceptance = Parameter<Double>("target-acceptance", default: 0.5, in: 1e-6...0.999999,
            "hop acceptance the step adapts toward; 0.5 as scipy's target_accept_rate")
        public static let adaptationInterval = Parameter<Int>("adaptation-interval", default: 50, in: 1...1_000_000,
            "hops between step updates; 50 as scipy's interval")
        public static let stepFactor = Parameter<Double>("step-factor", default: 0.9, in: 1e-6...0.999999,
            "step multiplied or divided by this at an update; 0.9 as scipy's stepwise_factor")
        public static let hops = Parameter<Int>("hops", default: 0, in: 0...1_000_000_000,
            "stop after this many hops (scipy's niter, 100 there); 0 = hop until the budget is spent")
            .tuning(.fixed(why: "0 = hop until the budget is spent; a hop limit only leaves budget unspent"))
        public static let memory = Parameter<Int>("memory", default: 10, in: 1...1000,
            "L-BFGS-B's stored pairs; 10 as scipy's maxcor")
        public static let ftol = Parameter<Double>("ftol", default: 1e7 * Double.ulpOfOne, in: 0...1,
            "L-BFGS-B stops when the relative reduction of f ≤ this; 1e7·ε as scipy's factr")
        public static let gtol = Parameter<Double>("gtol", default: 1e-5, in: 0...1e6,
            "L-BFGS-B stops when the projected gradient's largest component ≤ this; 1e-5 as scipy")
        public static let localIterations = Parameter<Int>("local-iterations", default: 15_000, in: 1...1_000_000_000,
            "L-BFGS-B iterations per local minimization; 15000 as scipy's maxiter")
        public static let localEvaluations = Parameter<Int>("local-evaluations", default: 15_000, in: 1...1_000_000_000,
            "L-BFGS-B calls per local minimization; 15000 as scipy's maxfun")
        public static let lineSearchSteps = Parameter<Int>("line-search-steps", default: 20, in: 1...1_000_000,
            "trials per L-BFGS-B line search; 20 as scipy's maxls")
    }

    public static let parameterSpecs = [
        Key.temperature.spec,
        Key.step.spec,
        Key.targetAcceptance.spec,
        Key.adaptationInterval.spec,
        Key.stepFactor.spec,
        Key.hops.spec,
        Key.memory.spec,
        Key.ftol.spec,
        Key.gtol.spec,
        Key.localIterations.spec,
        Key.localEvaluations.spec,
        Key.lineSearchSteps.spec,
    ]

    public var temperature: Double
    public var step: Double
    public var targetAcceptance: Double
    public var adaptationInterval: Int
    public var stepFactor: Double
    public var hops: Int
    var local: BoundedLBFGS.Settings

    public init(parameters: ParameterValues) throws {
        temperature = parameters[Key.temperature]
        step = parameters[Key.step]
        targetAcceptance = parameters[Key.targetAcceptance]
        adaptationInterval = parameters[Key.adaptationInterval]
        stepFactor = parameters[Key.stepFactor]
        hops = parameters[Key.hops]
        local = BoundedLBFGS.Settings(
            memory: parameters[Key.memory], ftol: parameters[Key.ftol], gtol: parameters[Key.gtol],
            maxIterations: parameters[Key.localIterations],
            maxEvaluations: parameters[Key.localEvaluations],
            maxLineSearch: parameters[Key.lineSearchSteps])
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        let n = start.count
        var lbfgs = BoundedLBFGS(box: box, settings: local)
        var current = start
        let first = lbfgs.minimize(&objective, from: &current)
        var fCurrent = first.value
        var currentConverged = first.outcome == .converged
        var candidate = current
        var s = step
        var hop = 0, accepted = 0
        while !objective.isExhausted && (hops == 0 || hop < hops) {
            hop += 1
            if hop % adaptationInterval == 0 {
                let rate = Double(accepted) / Double(hop)
                s = rate > targetAcceptance ? s / stepFactor : s * stepFactor
            }
            for i in 0..<n {
                let displaced = current[i] + s * (2 * rng.nextUnit() - 1)
                candidate[i] = Swift.min(Swift.max(displaced, box.lower[i]), box.upper[i])
            }
            let result = lbfgs.minimize(&objective, from: &candidate)
            // A minimization the budget cut short is not judged: the run is over.
            if result.outcome == .budget { break }
            let converged = result.outcome == .converged
            let delta = result.value - fCurrent
            let weight: Double
            if temperature > 0 { weight = exp(Swift.min(0, -delta / temperature)) }
            else { weight = delta <= 0 ? 1 : 0 }
            let v = rng.nextUnit()
            // NaN compares false: a NaN minimum is rejected.
            if weight >= v && (converged || !currentConverged) {
                swap(&current, &candidate)
                fCurrent = result.value
                currentConverged = converged
                accepted += 1
            }
        }
        return objective.isExhausted ? .budget : .converged
    }
}
