import Foundation
import GSL
import Landscapes

/// GSL's simulated annealing, `gsl_siman_solve` (GSL manual §"Simulated Annealing"), bridged
/// unchanged: the reference implementation `sa` is measured against.
///
///     levels T_j = t_initial/μ^j while T_j ≥ t_min; at each level iters_fixed_T moves
///     y = reflect(x + s·w∘ξ), accepted if f(y) < f(x), else with probability exp(−(f(y) − f(x))/T).
///
/// The step is `sa`'s proposal distribution (Gaussian, per-coordinate scale s·w_i, w_i the box
/// width, mirror reflection at the faces) with ξ drawn by GSL's ziggurat sampler from a GSL
/// MT19937 generator seeded from the trial's stream; unlike `sa`, s stays fixed (GSL passes one
/// `step_size` for the whole run). Every energy call goes through the `Objective`.
///
/// gsl_siman has no budget and no early stop: it makes exactly 1 + iters_fixed_T·L evaluations,
/// L = ⌊ln(t_initial/t_min)/ln μ⌋ + 1 levels. The schedule is therefore sized to the budget left
/// after the auto temperature (`SimanSchedule.sized`): L = ⌊(left − 1)/iters_fixed_T⌋ levels and
/// μ = (t_initial/t_min)^{1/(L − ½)}. Fewer than iters_fixed_T evaluations may remain unspent; the
/// trial then stops as `converged` (the schedule's own end), otherwise as `budget`.
///
/// Defaults:
/// - T0 = t_initial "auto": `sa`'s rule (Kirkpatrick 1984, χ0 = 0.8, 100 charged proposals).
///   With the auto rule the start is evaluated twice: once for the rule (a calibration probe, like
///   the 100 proposals: charged, never credited), once as GSL's first call.
/// - T1 = t_min "auto": T0/1000, as `sa`.
/// - iters_fixed_T = 100: at a 20,000-evaluation budget about 200 levels, so the staircase follows
///   `sa`'s continuous geometric schedule to within a factor μ ≈ 1.035 in T.
/// - step s√d = 0.1 of the box width: `sa`'s initial step (which `sa` then adapts and this keeps).
/// - k = 1 (the Boltzmann constant of GSL's acceptance exp(−ΔE/(kT))).
public struct GSLSimulatedAnnealing: ContinuousOptimizer {
    public static let name = "gsl-siman"
    public static let summary = "GSL's gsl_siman_solve: fixed-step reflected Gaussian moves, geometric cooling staircase sized to the budget"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let initialTemperature = Parameter<Double>("initial-temperature", default: 0, in: 0...1e300,
            "t_initial; 0 = auto: sa's rule (Kirkpatrick 1984)")
            .tuning(.fixed(why: "0 = auto, the rule from the start's neighbourhood; tuned through initial-acceptance"))
        public static let finalTemperature = Parameter<Double>("final-temperature", default: 0, in: 0...1e300,
            "t_min; 0 = auto: cooling-ratio × t_initial (1/1000, as sa)")
            .tuning(.fixed(why: "0 = auto; tuned through cooling-ratio"))
        public static let iterationsPerTemperature = Parameter<Int>("iterations-per-temperature", default: 100, in: 1...100_000_000,
            "iters_fixed_T, moves per level; 100 gives ~200 levels at 20,000 evaluations")
        public static let step = Parameter<Double>("step", default: 0.1, in: 1e-12...1,
            "fixed proposal scale s√d as a fraction of the box width; sa's initial step")
    }

    public static let parameterSpecs = [
        Key.initialTemperature.spec,
        Key.finalTemperature.spec,
        Key.iterationsPerTemperature.spec,
        Key.step.spec,
    ] + MetropolisParameters.automaticTemperature + [MetropolisParameters.coolingRatio.spec] + PolishSettings.specs

    public var initialTemperature: Double?
    public var finalTemperature: Double?
    public var initialAcceptance: Double
    public var temperatureSamples: Int
    public var iterationsPerTemperature: Int
    public var step: Double
    public var polish: PolishSettings
    /// t_min/t_initial when `final-temperature` is auto (`cooling-ratio`).
    public var coolingRatio: Double

    public init(parameters: ParameterValues) throws {
        (initialTemperature, finalTemperature) = try AnnealingRange.read(
            parameters, hot: Key.initialTemperature, cold: Key.finalTemperature, optimizer: Self.name, strictly: true,
            why: "gsl_siman_solve cools by a factor μ > 1 per level")
        initialAcceptance = parameters[MetropolisParameters.initialAcceptance]
        temperatureSamples = parameters[MetropolisParameters.temperatureSamples]
        iterationsPerTemperature = parameters[Key.iterationsPerTemperature]
        step = parameters[Key.step]
        polish = PolishSettings(parameters)
        coolingRatio = parameters[MetropolisParameters.coolingRatio]
    }

    /// gsl_siman needs two evaluations (the start and one move); with an automatic initial
    /// temperature f(start) and the probes are calibration and come first.
    public func minimumBudget(gradCost: Double) -> MinimumBudget? {
        initialTemperature == nil
            ? .afterTemperatureProbes(temperatureSamples, firstStep: 2, step: "gsl_siman's two evaluations")
            : MinimumBudget(evaluations: 2, reason: "gsl_siman evaluates the start and one move")
    }

    /// The schedule `minimize` hands GSL for the given temperatures and budget left, or nil if
    /// fewer than two evaluations are left.
    public func schedule(initial t0: Double, final t1: Double, dimension: Int, budgetLeft: Double) -> SimanSchedule? {
        let left = Int(budgetLeft.rounded(.down))
        guard left >= 2 else { return nil }
        // An explicit T1 at or above an auto T0: a nearly fixed-temperature run at T1.
        let hot = t0 > t1 ? t0 : t1 * 1.001
        return SimanSchedule.sized(budget: left, iterationsPerTemperature: iterationsPerTemperature,
                                   stepSize: step / Double(dimension).squareRoot(),
                                   initialTemperature: hot, minimumTemperature: t1)
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        polish.begin(&objective)
        let temperatures = TemperatureSchedule.make(
            initial: initialTemperature, final: finalTemperature, autoRatio: coolingRatio
        ) {
            estimateTemperature(&objective, from: start, using: &rng)
        }
        let random = GSLRandom(seed: rng.next())
        guard !objective.isExhausted,
              let schedule = schedule(initial: temperatures.initial, final: temperatures.final,
                                      dimension: start.count, budgetLeft: objective.remaining)
        else { return polish.finish(&objective, annealing: .budget, start: start) }
        let problem = ObjectiveSiman(objective)
        _ = GSL.simulatedAnnealing(problem, from: start, schedule: schedule, random: random)
        objective = problem.objective
        return polish.finish(&objective, annealing: objective.isExhausted ? .budget : .converged, start: start)
    }
}

/// `gsl_siman_solve`'s view of an `Objective`: energy = a charged value, step = `sa`'s reflected
/// Gaussian proposal.
final class ObjectiveSiman<L: ContinuousLandscape>: SimanProblem {
    var objective: Objective<L>
    let box: Box
    let widths: [Double]
    var point: [Double]
    /// Energy calls received (what the evaluation-count formula predicts).
    private(set) var energyCalls = 0

    init(_ objective: Objective<L>) {
        self.objective = objective
        let box = objective.domain
        self.box = box
        widths = (0..<box.dimension).map { box.upper[$0] - box.lower[$0] }
        point = [Double](repeating: 0, count: box.dimension)
        super.init(dimension: box.dimension)
    }

    override func energy(_ x: UnsafeMutableBufferPointer<Double>) -> Double {
        energyCalls += 1
        for i in 0..<x.count { point[i] = x[i] }
        return objective.value(at: point)
    }

    override func step(_ x: UnsafeMutableBufferPointer<Double>, stepSize: Double, random: SimanRandom) {
        for i in 0..<x.count { point[i] = x[i] + stepSize * widths[i] * random.gaussian() }
        box.reflect(&point)
        for i in 0..<x.count { x[i] = point[i] }
    }
}

extension GSLSimulatedAnnealing: AutomaticSettings {
    /// The auto T0: f(start) and `temperature-samples` probes of scale step/√d.
    func estimateTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double {
        InitialTemperature.probing(&objective, from: start, step: step, samples: temperatureSamples, acceptance: initialAcceptance, using: &rng)
    }

    public func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double? {
        initialTemperature == nil ? estimateTemperature(&objective, from: start, using: &rng) : nil
    }

    /// T0 and T1 as `minimize` resolves them at T_auto = t (`schedule(initial:final:…)` runs an
    /// explicit T1 at or above the auto T0 from 1.001·T1).
    public func fixedSettings(automaticTemperature t: Double, box: Box) -> [String: String] {
        TemperatureSchedule.fixedTexts(hot: Key.initialTemperature, initialTemperature, cold: Key.finalTemperature, finalTemperature,
                                       autoRatio: coolingRatio, automatic: t, strictlyCooling: true)
    }
}
