import Foundation
import Landscapes

/// Parallel tempering (replica exchange; Swendsen & Wang 1986, Phys. Rev. Lett. 57, 2607;
/// Geyer 1991, Computing Science and Statistics 23, 156; review: Earl & Deem 2005, Phys. Chem.
/// Chem. Phys. 7, 3910).
///
/// R replicas, one per temperature of a geometric ladder T_0 > T_1 > … > T_{R−1},
///
///     T_k = T_max·(T_min/T_max)^{k/(R−1)},
///
/// each a Metropolis random walk with reflected Gaussian proposals (`MetropolisSampler`, the move
/// `sa` uses, with its step adapted per replica toward 0.234 acceptance). One sweep moves every
/// replica once (R evaluations); after each sweep, neighbouring replicas k, k+1 exchange states
/// with probability
///
///     min(1, exp((β_k − β_{k+1})(E_k − E_{k+1}))),   β = 1/T,
///
/// alternating the pairs (0,1), (2,3), … and (1,2), (3,4), … from sweep to sweep. A swap compares
/// energies already known, so it costs no budget (docs/DESIGN.md). The product of the R Boltzmann
/// densities is stationary for sweeps and swaps alike, so at fixed temperatures each replica
/// samples exp(−f/T_k) while hot replicas carry states over barriers to the cold ones.
/// All replicas start at the trial's start point; the incumbent is the best over all of them.
/// Each trial reports its swap acceptance per neighbour pair, hottest first (`swap-acceptance`
/// in trials.csv's `diagnostics`; the summary prints the mean over a row's trials).
///
/// Defaults and their sources:
/// - R = 8 replicas, equal to `piqa`'s default number of path-integral slices P = 8, so that a
///   replica run and a path-integral run spend equal budgets on equally many walkers
///   (docs/DESIGN.md, invariant 4).
/// - T_max "auto": the rule `sa` uses for T0 (`InitialTemperature`, Kirkpatrick 1984: an average
///   uphill move accepted with probability 0.8, from 100 charged proposals), so the hottest
///   replica is as hot as `sa` starts.
/// - T_min "auto": T_max/1000, the ratio `sa` uses for its final temperature, so the coldest
///   replica is as cold as `sa` ends.
/// - geometric spacing: equal swap acceptance between neighbours when the heat capacity is
///   constant (Kofke 2002, J. Chem. Phys. 117, 6911; Earl & Deem 2005, §3.1).
/// - initial step, target acceptance, adaptation batch: as `sa`.
public struct ParallelTempering: ContinuousOptimizer {
    public static let name = "pt"
    public static let walkerParameter: String? = "replicas"
    public static let summary = "parallel tempering: R Metropolis replicas on a geometric ladder T_max → T_min, neighbour swaps min(1, e^{Δβ·ΔE}) at no cost"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let replicas = Parameter<Int>("replicas", default: 8, in: 1...4096,
            "R; 8, equal to piqa's default P so both spend the budget on equally many walkers")
            .tuning(.fixed(why: "R = P = 8 makes pt piqa's equal-walker control; a tuned R would end the pairing"))
        public static let maxTemperature = Parameter<Double>("max-temperature", default: 0, in: 0...1e300,
            "T_max, the hottest replica; 0 = auto: the rule sa uses for T0 (Kirkpatrick 1984)")
            .tuning(.fixed(why: "0 = auto, the rule from the start's neighbourhood; tuned through initial-acceptance"))
        public static let minTemperature = Parameter<Double>("min-temperature", default: 0, in: 0...1e300,
            "T_min, the coldest replica; 0 = auto: cooling-ratio × T_max (1/1000, sa's final temperature)")
            .tuning(.fixed(why: "0 = auto; tuned through cooling-ratio"))
    }

    public static let parameterSpecs = [Key.replicas.spec, Key.maxTemperature.spec, Key.minTemperature.spec] + MetropolisParameters.automaticTemperature + MetropolisParameters.proposal
        + [MetropolisParameters.coolingRatio.spec] + PolishSettings.specs

    public var replicas: Int
    public var maxTemperature: Double?
    public var minTemperature: Double?
    public var metropolis: MetropolisSettings
    public var polish: PolishSettings
    /// T_min/T_max when `min-temperature` is auto (`cooling-ratio`).
    public var coolingRatio: Double

    /// The default of `cooling-ratio`: T_min/T_max when `min-temperature` is auto (sa's T1/T0).
    public static let autoLadderRatio = SimulatedAnnealing.autoCoolingRatio

    public init(parameters: ParameterValues) throws {
        replicas = parameters[Key.replicas]
        (maxTemperature, minTemperature) = try AnnealingRange.read(
            parameters, hot: Key.maxTemperature, cold: Key.minTemperature, optimizer: Self.name)
        metropolis = MetropolisSettings(parameters)
        polish = PolishSettings(parameters)
        coolingRatio = parameters[MetropolisParameters.coolingRatio]
    }

    /// The geometric ladder from `hot` down to `cold` with `count` rungs (just `hot` if count = 1).
    public static func ladder(hot: Double, cold: Double, count: Int) -> [Double] {
        guard count > 1 else { return [hot] }
        return (0..<count).map { k in
            k == count - 1 ? cold : hot * exp(Double(k) / Double(count - 1) * log(cold / hot))
        }
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        polish.begin(&objective)
        let f0 = objective.value(at: start)
        let scale = metropolis.stepScale(dimension: start.count)
        let schedule = metropolis.schedule(&objective, hot: maxTemperature, cold: minTemperature,
                                           autoRatio: coolingRatio, around: start, value: f0, using: &rng)
        var exchange = ReplicaExchange(
            start: start, value: f0, box: objective.domain, scale: scale,
            temperatures: Self.ladder(hot: schedule.initial, cold: schedule.final, count: replicas),
            targetAcceptance: metropolis.targetAcceptance, batchSize: metropolis.adaptationBatch, adapts: true)
        while !objective.isExhausted {
            exchange.sweep(&objective, using: &rng)
            exchange.attemptSwaps(using: &rng)
        }
        objective.report("swap-acceptance", exchange.swapAcceptance())
        return polish.finish(&objective, annealing: .budget, start: start)
    }
}

/// The state of a replica-exchange run: one `MetropolisSampler` per rung, hottest first.
struct ReplicaExchange {
    var replicas: [MetropolisSampler]
    /// Swaps proposed and accepted between rungs k and k+1 (index k).
    private(set) var swapsProposed: [Int]
    private(set) var swapsAccepted: [Int]
    /// Which pairs the next `attemptSwaps` tries: (0,1), (2,3), … when false, (1,2), … when true.
    private var oddPairs = false

    init(start: [Double], value: Double, box: Box, scale: Double, temperatures: [Double],
         targetAcceptance: Double, batchSize: Int, adapts: Bool) {
        replicas = temperatures.map {
            MetropolisSampler(start: start, value: value, box: box, scale: scale, temperature: $0,
                              targetAcceptance: targetAcceptance, batchSize: batchSize, adapts: adapts)
        }
        swapsProposed = [Int](repeating: 0, count: Swift.max(0, temperatures.count - 1))
        swapsAccepted = swapsProposed
    }

    /// The swap counters at one moment, for `swapAcceptance(since:)`.
    var swapCounts: (proposed: [Int], accepted: [Int]) { (swapsProposed, swapsAccepted) }

    /// Accepted / proposed swaps per neighbour pair since `counts` (since the start when nil),
    /// hottest pair first; NaN for a pair not tried in that time.
    func swapAcceptance(since counts: (proposed: [Int], accepted: [Int])? = nil) -> [Double] {
        swapsProposed.indices.map { k in
            let proposed = swapsProposed[k] - (counts?.proposed[k] ?? 0)
            return proposed > 0 ? Double(swapsAccepted[k] - (counts?.accepted[k] ?? 0)) / Double(proposed) : .nan
        }
    }

    var adapts: Bool {
        get { replicas.first?.adapts ?? false }
        set { for k in replicas.indices { replicas[k].adapts = newValue } }
    }

    /// One Metropolis move per replica (one evaluation each), stopping early if the budget runs out.
    mutating func sweep<L: ContinuousLandscape>(_ objective: inout Objective<L>, using rng: inout Xoshiro256) {
        for k in replicas.indices {
            if objective.isExhausted { return }
            replicas[k].step(&objective, using: &rng)
        }
    }

    /// One exchange attempt per pair of the current parity; free (energies are known).
    mutating func attemptSwaps(using rng: inout Xoshiro256) {
        let count = replicas.count
        guard count > 1 else { return }
        var k = oddPairs ? 1 : 0
        oddPairs.toggle()
        replicas.withUnsafeMutableBufferPointer { r in
            while k + 1 < count {
                let logRatio = (1 / r[k].temperature - 1 / r[k + 1].temperature) * (r[k].value - r[k + 1].value)
                swapsProposed[k] += 1
                // NaN compares false: a NaN energy never moves.
                if logRatio >= 0 || rng.nextUnit() < exp(logRatio) {
                    r[k].exchangeState(with: &r[k + 1])
                    swapsAccepted[k] += 1
                }
                k += 2
            }
        }
    }
}

extension ParallelTempering: AutomaticSettings {
    /// T_max by the auto rule when `max-temperature` is 0 (f(start) and the probes).
    public func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double? {
        guard maxTemperature == nil else { return nil }
        return metropolis.automaticTemperature(&objective, from: start, using: &rng)
    }

    /// The ladder's ends as `minimize` resolves them at T_auto = t.
    public func fixedSettings(automaticTemperature t: Double, box: Box) -> [String: String] {
        TemperatureSchedule.fixedTexts(hot: Key.maxTemperature, maxTemperature, cold: Key.minTemperature, minTemperature,
                                       autoRatio: coolingRatio, automatic: t)
    }
}
