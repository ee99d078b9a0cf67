import Foundation
import Landscapes

/// Simulated annealing (Kirkpatrick, Gelatt & Vecchi 1983) with Metropolis moves and Gaussian
/// random-walk proposals, reflected at the box (`MetropolisSampler`):
///
///     y = reflect(x + s·w∘ξ),  accept with probability min(1, exp(−(f(y) − f(x))/T)),
///     T(p) = T0·(T1/T0)^p,  p = spent / budget   (geometric cooling spread over the budget).
///
/// The proposal scale s (times the box width w_i along each coordinate) is adapted after every
/// batch of moves toward the acceptance rate 0.234, the optimal rate for random-walk Metropolis in
/// high dimension (Roberts, Gelman & Gilks 1997); see `MetropolisSampler` for the update.
///
/// Defaults, none tied to a landscape's units:
/// - T0 "auto" (`initial-temperature` = 0): Kirkpatrick's rule (`InitialTemperature`) from
///   `temperature-samples` = 100 proposals around the start (calibration probes: charged to the
///   budget, never credited as an incumbent or an escape), so that an
///   average uphill move is first accepted with probability χ0 = 0.8 (Kirkpatrick 1984; Johnson,
///   Aragon, McGeoch & Schevon 1989 set T0 by the same acceptance criterion, with 0.4).
/// - T1 "auto" (`final-temperature` = 0): T0/1000. An uphill move of the initial typical size is
///   then accepted with probability 0.8^1000 ≈ 1e-97: the run ends as a quench. This ratio is
///   a convention of this benchmark, not a published constant.
/// - initial s = 0.1/√d: a first proposal of length ≈ 10% of the box's width whatever d; the
///   adaptation takes over from there.
/// - batch of 50 moves per adaptation: a batch acceptance rate has standard error ≤ √(¼/50) ≈ 0.071.
/// An explicit T1 above an auto T0 raises T0 to T1 (the schedule never heats).
public struct SimulatedAnnealing: ContinuousOptimizer {
    public static let name = "sa"
    public static let summary = "simulated annealing: Metropolis, reflected Gaussian proposals adapted to 0.234 acceptance, geometric cooling T0 → T1 over the budget"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let initialTemperature = Parameter<Double>("initial-temperature", default: 0, in: 0...1e300,
            "T0; 0 = auto: accept an average uphill move with probability initial-acceptance (Kirkpatrick 1984)")
            .tuning(.fixed(why: "0 = auto, the rule from the start's neighbourhood; tuned through initial-acceptance"))
        public static let finalTemperature = Parameter<Double>("final-temperature", default: 0, in: 0...1e300,
            "T1; 0 = auto: cooling-ratio × T0 (1/1000, so the run ends as a quench: a convention of this benchmark)")
            .tuning(.fixed(why: "0 = auto; tuned through cooling-ratio"))
    }

    public static let parameterSpecs = [Key.initialTemperature.spec, Key.finalTemperature.spec] + MetropolisParameters.automaticTemperature + MetropolisParameters.proposal
        + [MetropolisParameters.coolingRatio.spec] + PolishSettings.specs

    public var initialTemperature: Double?
    public var finalTemperature: Double?
    public var metropolis: MetropolisSettings
    public var polish: PolishSettings
    /// T1/T0 when `final-temperature` is auto (`cooling-ratio`).
    public var coolingRatio: Double

    /// The default of `cooling-ratio`: the final temperature when `final-temperature` is auto, as a fraction of T0.
    public static let autoCoolingRatio = 1e-3

    public init(parameters: ParameterValues) throws {
        (initialTemperature, finalTemperature) = try AnnealingRange.read(
            parameters, hot: Key.initialTemperature, cold: Key.finalTemperature, optimizer: Self.name, why: "annealing cools")
        metropolis = MetropolisSettings(parameters)
        polish = PolishSettings(parameters)
        coolingRatio = parameters[MetropolisParameters.coolingRatio]
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        polish.begin(&objective)
        let f0 = objective.value(at: start)
        let scale = metropolis.stepScale(dimension: start.count)
        let schedule = metropolis.schedule(&objective, hot: initialTemperature, cold: finalTemperature,
                                           autoRatio: coolingRatio, around: start, value: f0, using: &rng)
        var sampler = MetropolisSampler(start: start, value: f0, box: objective.domain, scale: scale,
                                        temperature: schedule.initial, targetAcceptance: metropolis.targetAcceptance,
                                        batchSize: metropolis.adaptationBatch, adapts: true)
        while !objective.isExhausted {
            sampler.temperature = schedule.temperature(at: objective.spent / objective.allowance)
            sampler.step(&objective, using: &rng)
        }
        return polish.finish(&objective, annealing: .budget, start: start)
    }
}

/// Geometric cooling T(p) = T0·(T1/T0)^p over the budget fraction p ∈ [0, 1].
public struct TemperatureSchedule: Sendable, Equatable {
    public var initial: Double
    public var final: Double

    public init(initial: Double, final: Double) {
        self.initial = initial
        self.final = final
    }

    /// Resolves auto values: T0 from `estimate` when not given, T1 = autoRatio·T0 when not given,
    /// and T0 raised to T1 if an explicit T1 is above an estimated T0 (a schedule never heats).
    static func make(initial: Double?, final: Double?, autoRatio: Double,
                     estimate: () -> Double) -> TemperatureSchedule {
        var t0 = initial ?? estimate()
        let t1 = final ?? autoRatio * t0
        t0 = Swift.max(t0, t1)
        return TemperatureSchedule(initial: t0, final: t1)
    }

    public func temperature(at progress: Double) -> Double {
        let p = Swift.min(Swift.max(progress, 0), 1)
        if initial == final || initial == 0 { return final }
        return initial * exp(p * log(final / initial))
    }
}

extension SimulatedAnnealing: AutomaticSettings {
    /// T0 by the auto rule when `initial-temperature` is 0 (f(start) and the probes).
    public func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double? {
        guard initialTemperature == nil else { return nil }
        return metropolis.automaticTemperature(&objective, from: start, using: &rng)
    }

    /// T0 and T1 as `minimize` resolves them at T_auto = t.
    public func fixedSettings(automaticTemperature t: Double, box: Box) -> [String: String] {
        TemperatureSchedule.fixedTexts(hot: Key.initialTemperature, initialTemperature, cold: Key.finalTemperature, finalTemperature,
                                       autoRatio: coolingRatio, automatic: t)
    }
}
