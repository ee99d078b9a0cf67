import Foundation
import Landscapes

/// Dual annealing as scipy's `dual_annealing` runs it (scipy 1.17): generalized simulated
/// annealing (Tsallis & Stariolo 1996, Physica A 233, 395; Xiang, Sun, Fan & Gong 1997, J. Phys.
/// Chem. A 101, 8134) whose chain alternates with an L-BFGS-B local search (Xiang & Gong 2000).
///
/// **Temperature.** Iteration i = 0, 1, … of a cycle runs at
///
///     T(i) = T0 · (2^(qv−1) − 1) / ((i + 2)^(qv−1) − 1)
///
/// and the cycle ends (a *reanneal*) once T(i) < T0 · `restart-temp-ratio`: the chain then moves to
/// a point drawn uniformly in the box (one evaluation) and i starts again at 0. With scipy's
/// defaults that happens at i = 1,246.
///
/// **Visits.** An iteration makes 2d visits from the chain's current point x. Visit j < d changes
/// every coordinate, visit j ≥ d only coordinate j − d, each by an independent draw of the
/// distorted Cauchy–Lorentz distribution of Tsallis & Stariolo,
///
///     Δ = X · exp(−(qv − 1)·ln(F6 / F4(T)) / (3 − qv)) / |Y|^((qv − 1)/(3 − qv)),   X, Y ~ N(0, 1),
///
/// F4(T) = √π·F2/(F3·(3 − qv)) · T^(1/(qv − 1)), F2 = (qv − 1)^(4 − qv), F3 = 2^((2 − qv)/(qv − 1)),
/// F5 = 1/(qv − 1) − ½, F6 = π(1 − F5)/sin(π(1 − F5))/Γ(2 − F5). A |Δ| above 10^8 is replaced by
/// 10^8 times a uniform draw (one draw for all the positive and one for all the negative excesses of
/// a full visit), and each coordinate is folded back into the box periodically,
/// x_j ← lower_j + ((x_j + Δ_j − lower_j) mod w_j + w_j) mod w_j with w_j the width, then moved
/// up by 10^−10 when it lies within 10^−10 of lower_j (and held at upper_j should rounding pass it:
/// ours, so no visit leaves the box).
///
/// **Acceptance.** A visit with f(x') < f(x) is taken; otherwise with probability
/// p = [1 − (1 − qa)·(f(x') − f(x)) / T_q]^(1/(1 − qa)) (0 when the bracket is ≤ 0), with
/// T_q = T(i)/(i + 1). A visit below the best value so far makes it the best. An accepted uphill
/// visit also becomes the chain's own best point while its recorded value stays (scipy's `xmin`
/// and `emin`, kept as scipy keeps them).
///
/// **Local search.** After an iteration that improved the best value (and after iteration 0 of each
/// cycle), L-BFGS-B runs from the best point; when the best has not improved for
/// `not_improved_max_idx` iterations (1,000 at first, then d), it runs from the chain's own best
/// point instead. A local search's result replaces the best (and the chain's point) only when it is
/// lower. Its iterations are min(max(6d, 100), 1000) and its calls at most scipy's 15,000
/// evaluations; `local-gradient` says what its gradients cost: `analytic` takes the landscape's
/// (cost `gradCost` per value and gradient), `finite-difference` takes scipy's forward differences
/// (f(x) and d values at x + 10^−8·e_j, stepping back at the upper wall, so d + 1 evaluations per
/// call), which is what scipy does when no gradient is given. scipy also has a probabilistic local
/// search gated by K = 100d < 90d, which can never fire; it is left out.
///
/// **The start** is the chain's first point and the first evaluation (scipy's `x0`).
///
/// **The budget.** scipy stops after `maxiter` = 1000 iterations (about 21,000 evaluations at
/// d = 10, whatever budget was given). Ours runs until the harness's budget is spent, reannealing as
/// above; `maxiter` N > 0 stops after N iterations as scipy does (the trial then ends "converged").
///
/// Defaults are scipy's: visit qv = 2.62, accept qa = −5, initial temperature 5230, restart ratio
/// 2·10^−5, local search on. Only `local-gradient` (analytic) and `maxiter` (0, unlimited) differ.
public struct DualAnnealing: ContinuousOptimizer {
    public static let name = "dual-annealing"
    public static let summary = "scipy's dual_annealing defaults: generalized simulated annealing (qv = 2.62, qa = -5, T0 = 5230, reanneal at 2e-5·T0), 2d visits per iteration, L-BFGS-B local search on improvements; runs until the budget is spent"

    public enum LocalGradient: String, ParameterChoice {
        case analytic
        case finiteDifference = "finite-difference"
    }

    public enum Key {
        public static let visit = Parameter<Double>("visit", default: 2.62, in: 1...3,
            "qv, the visiting distribution's tail (strictly between 1 and 3); 2.62 as scipy")
        public static let accept = Parameter<Double>("accept", default: -5, in: -1e4 ... -5,
            "qa, the acceptance parameter (lower accepts less); -5 as scipy")
            .tuning(.linear(-50 ... -5, why: "scipy accepts (-1e4, -5]; qa below about -50 accepts almost nothing uphill, so the range is -50 to -5 (the default at its end)"))
        public static let initialTemp = Parameter<Double>("initial-temp", default: 5230, in: 0.01...5e4,
            "T0; 5230 as scipy")
        public static let restartTempRatio = Parameter<Double>("restart-temp-ratio", default: 2e-5, in: 0...1,
            "reanneal from a uniform point once T < ratio·T0 (strictly between 0 and 1); 2e-5 as scipy")
        public static let maxiter = Parameter<Int>("maxiter", default: 0, in: 0...1_000_000_000,
            "stop after this many iterations, as scipy (its default 1000); 0 runs until the budget is spent (ours)")
            .tuning(.fixed(why: "0 = run until the budget is spent; an iteration limit only leaves budget unspent"))
        public static let localSearch = Parameter<Bool>("local-search", default: true,
            "L-BFGS-B local searches; false is scipy's no_local_search")
        public static let localGradient = Parameter<LocalGradient>("local-gradient", default: .analytic,
            "the local search's gradient: analytic (cost gradCost) or finite-difference (scipy's forward differences, d + 1 evaluations)")
    }

    public static let parameterSpecs = [Key.visit.spec, Key.accept.spec, Key.initialTemp.spec, Key.restartTempRatio.spec,
                                        Key.maxiter.spec, Key.localSearch.spec, Key.localGradient.spec]

    let qv: Double
    let qa: Double
    let initialTemperature: Double
    let restartRatio: Double
    let maxiter: Int
    let localSearch: Bool
    let localGradient: LocalGradient

    public init(parameters: ParameterValues) throws {
        qv = parameters[Key.visit]
        qa = parameters[Key.accept]
        initialTemperature = parameters[Key.initialTemp]
        restartRatio = parameters[Key.restartTempRatio]
        maxiter = parameters[Key.maxiter]
        localSearch = parameters[Key.localSearch]
        localGradient = parameters[Key.localGradient]
        guard qv > 1 && qv < 3 else {
            throw OptimizerError.invalidParameters(optimizer: Self.name,
                reason: "visit \(formatReal(qv)) must lie strictly between 1 and 3 (the visiting distribution divides by qv − 1 and 3 − qv)")
        }
        guard restartRatio > 0 && restartRatio < 1 else {
            throw OptimizerError.invalidParameters(optimizer: Self.name,
                reason: "restart-temp-ratio \(formatReal(restartRatio)) must lie strictly between 0 and 1")
        }
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let d = start.count
        var chain = Chain(self, box: objective.domain, dimension: d)
        chain.current = start
        chain.currentValue = objective.value(at: start)
        chain.best = start; chain.bestValue = chain.currentValue
        chain.chainBest = start; chain.chainBestValue = chain.currentValue
        let t1 = Foundation.exp((qv - 1) * Foundation.log(2.0)) - 1
        var iteration = 0
        while !objective.isExhausted {
            var i = 0
            while true {
                let temperature = initialTemperature * t1 / (Foundation.exp((qv - 1) * Foundation.log(Double(i) + 2)) - 1)
                if maxiter > 0 && iteration >= maxiter { return .converged }
                if temperature < initialTemperature * restartRatio {
                    chain.reanneal(&objective, using: &rng)
                    break
                }
                chain.iterate(&objective, step: i, temperature: temperature, using: &rng)
                if objective.isExhausted { return .budget }
                if localSearch {
                    chain.localSearch(&objective)
                    if objective.isExhausted { return .budget }
                }
                iteration += 1
                i += 1
            }
        }
        return .budget
    }

    /// The chain's state (scipy's `EnergyState` and `StrategyChain`), its buffers allocated once
    /// per trial.
    struct Chain {
        let qv: Double
        let qa: Double
        let lower: [Double]
        let upper: [Double]
        let width: [Double]
        let d: Int
        /// √π·F2/(F3·(3 − qv)) and F6 of the visiting distribution.
        let factor4p: Double
        let factor6: Double
        /// (qv − 1)/(3 − qv), the exponent of |Y|.
        let tailExponent: Double

        var current: [Double]
        var currentValue = Double.infinity
        var best: [Double]
        var bestValue = Double.infinity
        /// The chain's own best point (scipy's xmin/emin), where a local search starts when the best
        /// value has not improved for a while.
        var chainBest: [Double]
        var chainBestValue = Double.infinity
        var visit: [Double]
        var improved = false
        var notImproved = 0
        var notImprovedLimit = 1000
        var temperatureStep = 0.0
        var lbfgs: BoundedLBFGS

        init(_ method: DualAnnealing, box: Box, dimension d: Int) {
            qv = method.qv
            qa = method.qa
            lower = box.lower
            upper = box.upper
            width = zip(box.upper, box.lower).map { $0 - $1 }
            self.d = d
            let f2 = Foundation.exp((4 - qv) * Foundation.log(qv - 1))
            let f3 = Foundation.exp((2 - qv) * Foundation.log(2.0) / (qv - 1))
            factor4p = Double.pi.squareRoot() * f2 / (f3 * (3 - qv))
            let f5 = 1 / (qv - 1) - 0.5
            factor6 = Double.pi * (1 - f5) / Foundation.sin(Double.pi * (1 - f5)) / Foundation.exp(lgamma(2 - f5))
            tailExponent = (qv - 1) / (3 - qv)
            current = [Double](repeating: 0, count: d)
            best = current; chainBest = current; visit = current
            var settings = BoundedLBFGS.Settings()
            settings.maxIterations = Swift.min(Swift.max(6 * d, 100), 1000)
            if method.localGradient == .finiteDifference {
                settings.gradient = .forwardDifferences
                // scipy's maxfun = 15,000 counts every evaluation, d + 1 per call here.
                settings.maxEvaluations = 15_000 / (d + 1)
            }
            lbfgs = BoundedLBFGS(box: box, settings: settings)
        }

        /// exp(−(qv − 1)·ln(F6/F4(T))/(3 − qv)), the scale of a visit at temperature `t`; once per
        /// iteration.
        func scale(temperature t: Double) -> Double {
            let factor4 = factor4p * Foundation.exp(Foundation.log(t) / (qv - 1))
            return Foundation.exp(-(qv - 1) * Foundation.log(factor6 / factor4) / (3 - qv))
        }

        /// One draw of the visiting distribution, `scale` from `scale(temperature:)`.
        func step(scale: Double, using rng: inout Xoshiro256) -> Double {
            let x = rng.nextGaussian(), y = rng.nextGaussian()
            let step = x * scale / Foundation.pow(Swift.abs(y), tailExponent)
            return step.isNaN ? 0 : step
        }

        /// x + Δ folded back into [lower, upper] periodically, as scipy does.
        func fold(_ x: Double, _ j: Int) -> Double {
            let a = x - lower[j]
            let b = a.truncatingRemainder(dividingBy: width[j]) + width[j]
            var v = b.truncatingRemainder(dividingBy: width[j]) + lower[j]
            if Swift.abs(v - lower[j]) < 1e-10 { v += 1e-10 }
            return Swift.min(v, upper[j])
        }

        /// The 2d visits of iteration `step` at temperature `t` (scipy's `StrategyChain.run`).
        mutating func iterate<L: ContinuousLandscape>(_ objective: inout Objective<L>, step i: Int, temperature t: Double,
                                                      using rng: inout Xoshiro256) {
            temperatureStep = t / Double(i + 1)
            notImproved += 1
            let tail = 1e8
            let scale = scale(temperature: t)
            for j in 0..<(2 * d) {
                if j == 0 { improved = i == 0 }
                if j < d {
                    for k in 0..<d { visit[k] = step(scale: scale, using: &rng) }
                    let upperSample = rng.nextUnit(), lowerSample = rng.nextUnit()
                    for k in 0..<d {
                        var v = visit[k]
                        if v > tail { v = tail * upperSample } else if v < -tail { v = -tail * lowerSample }
                        visit[k] = fold(current[k] + v, k)
                    }
                } else {
                    for k in 0..<d { visit[k] = current[k] }
                    let k = j - d
                    var v = step(scale: scale, using: &rng)
                    if v > tail { v = tail * rng.nextUnit() } else if v < -tail { v = -tail * rng.nextUnit() }
                    visit[k] = fold(current[k] + v, k)
                }
                let e = objective.value(at: visit)
                if objective.isExhausted { return }
                if e < currentValue {
                    moveCurrent(to: visit, e)
                    if e < bestValue {
                        moveBest(to: visit, e)
                        improved = true
                        notImproved = 0
                    }
                } else {
                    let bracket = 1 - (1 - qa) * (e - currentValue) / temperatureStep
                    let p = bracket <= 0 ? 0 : Foundation.exp(Foundation.log(bracket) / (1 - qa))
                    if rng.nextUnit() <= p {
                        // scipy moves its chain point xmin here but not its value emin.
                        moveCurrent(to: visit, e)
                        for k in 0..<d { chainBest[k] = current[k] }
                    }
                    if notImproved >= notImprovedLimit && (j == 0 || currentValue < chainBestValue) {
                        for k in 0..<d { chainBest[k] = current[k] }
                        chainBestValue = currentValue
                    }
                }
            }
        }

        /// scipy's `StrategyChain.local_search`, without the probabilistic branch that cannot fire.
        mutating func localSearch<L: ContinuousLandscape>(_ objective: inout Objective<L>) {
            if improved {
                let (e, x) = search(&objective, from: best, bestValue)
                if e < bestValue {
                    notImproved = 0
                    moveBest(to: x, e)
                    moveCurrent(to: x, e)
                }
                if objective.isExhausted { return }
            }
            if notImproved >= notImprovedLimit {
                let (e, x) = search(&objective, from: chainBest, chainBestValue)
                for k in 0..<d { chainBest[k] = x[k] }
                chainBestValue = e
                notImproved = 0
                notImprovedLimit = d
                if e < bestValue {
                    moveBest(to: x, e)
                    moveCurrent(to: x, e)
                }
            }
        }

        /// L-BFGS-B from `x`; its end point if lower than `e` (scipy's `LocalSearchWrapper`).
        mutating func search<L: ContinuousLandscape>(_ objective: inout Objective<L>, from x: [Double],
                                                     _ e: Double) -> (Double, [Double]) {
            var point = x
            let result = lbfgs.minimize(&objective, from: &point)
            return result.value.isFinite && result.value < e ? (result.value, point) : (e, x)
        }

        /// A reanneal: the chain restarts from a point uniform in the box (scipy's
        /// `EnergyState.reset`); the best point and the chain's own best are kept.
        mutating func reanneal<L: ContinuousLandscape>(_ objective: inout Objective<L>, using rng: inout Xoshiro256) {
            for k in 0..<d { current[k] = Swift.min(lower[k] + width[k] * rng.nextUnit(), upper[k]) }
            currentValue = objective.value(at: current)
        }

        mutating func moveCurrent(to x: [Double], _ e: Double) {
            for k in 0..<d { current[k] = x[k] }
            currentValue = e
        }

        mutating func moveBest(to x: [Double], _ e: Double) {
            for k in 0..<d { best[k] = x[k] }
            bestValue = e
        }
    }
}
