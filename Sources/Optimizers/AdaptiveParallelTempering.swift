import Foundation
import Landscapes

/// Parallel tempering whose ladder adapts toward equal swap acceptance between neighbours during
/// a charged burn-in, then stays fixed (`pt`'s rule otherwise: the same replicas, moves, swaps,
/// ends T_max and T_min and defaults).
///
/// `pt`'s geometric ladder gives equal acceptance only where the heat capacity is constant; on
/// the built-in landscapes its reported acceptance falls from about 0.9 at the hot end to 0.1 at
/// the cold end, and on spin glasses to 0 in the middle of the ladder, where the replicas stop
/// exchanging (docs/experiments.md). This variant keeps the ends and moves the inner rungs: after
/// an `equilibration` fraction of the budget on the geometric ladder (the replicas all start at
/// the trial's start, and a hot replica takes that long to reach its own energies; adapting from
/// the first sweep widened the hot end's gaps until they barely swapped), the next `burn-in`
/// fraction is cut into batches of `batch` sweeps, and after batch b (b = 0, 1, …) every log-gap
/// g_k = ln(T_k/T_{k+1}) becomes
///
///     g_k ← g_k · exp(γ_b · (a_k − ā)),   γ_b = 1/√(b + 1),
///
/// a_k the pair's acceptance over the batch and ā their mean, after which the gaps are rescaled
/// to sum to ln(T_max/T_min): a pair that swaps more than the average is moved apart, one that
/// swaps less is moved together (the equal-acceptance criterion, Kofke 2002, J. Chem. Phys. 117,
/// 6911; Rathore, Chopra & de Pablo 2005, J. Chem. Phys. 122, 024111; the decaying gain as in
/// Vousden, Farr & Mandel 2016, MNRAS 455, 1919). Katzgraber, Trebst, Huse & Troyer's (2006)
/// feedback-optimized ladder is the other published choice; it needs each replica's round trips
/// and is not this method. Every equilibration and burn-in sweep is a sweep of the run, charged and credited as
/// `pt`'s are; after the burn-in the temperatures are fixed (the step sizes keep adapting, as in
/// `pt`).
///
/// Each trial reports its swap acceptance after the burn-in (`swap-acceptance`) and the ladder it
/// settled on (`temperatures`, hottest first) in trials.csv's `diagnostics`.
public struct AdaptiveParallelTempering: ContinuousOptimizer {
    public static let name = "pt-adaptive"
    public static let walkerParameter: String? = "replicas"
    public static let summary = "parallel tempering (pt's replicas, moves and ladder ends) whose inner temperatures move toward equal neighbour swap acceptance during a charged burn-in, then stay fixed"

    public enum Key {
        public static let equilibration = Parameter<Double>("equilibration", default: 0.1, in: 0...1,
            "fraction of the budget run on pt's geometric ladder before the adaptation starts, so that the replicas have left the start (ours)")
        public static let burnIn = Parameter<Double>("burn-in", default: 0.4, in: 0...1,
            "fraction of the budget over which the ladder then adapts (ours); 0 is pt's fixed geometric ladder")
        public static let batch = Parameter<Int>("batch", default: 20, in: 1...1_000_000,
            "sweeps per adaptation step (ours: about 10 swap attempts per pair)")
    }

    public static let parameterSpecs = [ParallelTempering.Key.replicas.spec, ParallelTempering.Key.maxTemperature.spec,
                                        ParallelTempering.Key.minTemperature.spec, Key.equilibration.spec, Key.burnIn.spec,
                                        Key.batch.spec]
        + MetropolisParameters.automaticTemperature + MetropolisParameters.proposal
        + [MetropolisParameters.coolingRatio.spec] + PolishSettings.specs

    let base: ParallelTempering
    let equilibration: Double
    let burnIn: Double
    let batch: Int

    public init(parameters: ParameterValues) throws {
        base = try ParallelTempering(parameters: parameters)
        equilibration = parameters[Key.equilibration]
        burnIn = parameters[Key.burnIn]
        guard equilibration + burnIn <= 1 else {
            throw OptimizerError.invalidParameters(optimizer: Self.name,
                reason: "equilibration \(formatReal(equilibration)) + burn-in \(formatReal(burnIn)) exceed the whole budget (1)")
        }
        batch = parameters[Key.batch]
    }

    /// The log-gaps after one adaptation step with gain `gain`, rescaled to the same total.
    static func adapted(gaps: [Double], acceptance: [Double], gain: Double) -> [Double] {
        let measured = acceptance.filter(\.isFinite)
        guard !measured.isEmpty else { return gaps }
        let mean = measured.reduce(0, +) / Double(measured.count)
        let moved = zip(gaps, acceptance).map { g, a in a.isFinite ? g * Foundation.exp(gain * (a - mean)) : g }
        let scale = gaps.reduce(0, +) / moved.reduce(0, +)
        return moved.map { $0 * scale }
    }

    /// T_k = T_max · exp(−Σ_{j<k} g_j), the last rung exactly T_min.
    static func ladder(hot: Double, cold: Double, gaps: [Double]) -> [Double] {
        var t = [hot]
        var sum = 0.0
        for g in gaps.dropLast() { sum += g; t.append(hot * Foundation.exp(-sum)) }
        if !gaps.isEmpty { t.append(cold) }
        return t
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        base.polish.begin(&objective)
        let f0 = objective.value(at: start)
        let metropolis = base.metropolis
        let scale = metropolis.stepScale(dimension: start.count)
        let schedule = metropolis.schedule(&objective, hot: base.maxTemperature, cold: base.minTemperature,
                                           autoRatio: base.coolingRatio, around: start, value: f0, using: &rng)
        let r = base.replicas
        var temperatures = ParallelTempering.ladder(hot: schedule.initial, cold: schedule.final, count: r)
        var exchange = ReplicaExchange(
            start: start, value: f0, box: objective.domain, scale: scale, temperatures: temperatures,
            targetAcceptance: metropolis.targetAcceptance, batchSize: metropolis.adaptationBatch, adapts: true)
        var gaps = (0..<Swift.max(0, r - 1)).map { Foundation.log(temperatures[$0] / temperatures[$0 + 1]) }
        let left = objective.remaining
        let equilibrationEnd = objective.spent + equilibration * left
        let burnInEnd = equilibrationEnd + burnIn * left
        while burnIn > 0 && !objective.isExhausted && objective.spent < equilibrationEnd {
            exchange.sweep(&objective, using: &rng)
            exchange.attemptSwaps(using: &rng)
        }
        var step = 0
        var before = exchange.swapCounts
        var sweeps = 0
        while burnIn > 0 && !objective.isExhausted && objective.spent < burnInEnd && r > 1 {
            exchange.sweep(&objective, using: &rng)
            exchange.attemptSwaps(using: &rng)
            sweeps += 1
            if sweeps % batch == 0 {
                gaps = Self.adapted(gaps: gaps, acceptance: exchange.swapAcceptance(since: before),
                                    gain: 1 / Double(step + 1).squareRoot())
                temperatures = Self.ladder(hot: schedule.initial, cold: schedule.final, gaps: gaps)
                for k in 0..<r { exchange.replicas[k].temperature = temperatures[k] }
                step += 1
                before = exchange.swapCounts
            }
        }
        // The ladder is fixed from here: the reported acceptance counts only the fixed-ladder swaps.
        let fixed = exchange.swapCounts
        while !objective.isExhausted {
            exchange.sweep(&objective, using: &rng)
            exchange.attemptSwaps(using: &rng)
        }
        objective.report("swap-acceptance", exchange.swapAcceptance(since: fixed))
        objective.report("temperatures", temperatures)
        return base.polish.finish(&objective, annealing: .budget, start: start)
    }
}

extension AdaptiveParallelTempering: AutomaticSettings {
    /// T_max by pt's auto rule when `max-temperature` is 0.
    public func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double? {
        base.automaticTemperature(&objective, from: start, using: &rng)
    }

    /// The ladder's ends as `minimize` resolves them at T_auto = t (the inner rungs adapt).
    public func fixedSettings(automaticTemperature t: Double, box: Box) -> [String: String] {
        base.fixedSettings(automaticTemperature: t, box: box)
    }
}
