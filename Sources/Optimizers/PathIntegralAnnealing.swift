import Foundation
import Landscapes

/// Path-integral (simulated quantum) annealing for continuous variables (Martoňák, Santoro &
/// Tosatti, PRB 66, 094203, 2002; relativistic kinetic term: Stella, Santoro & Tosatti, PRB 73,
/// 144302, 2006): a ring polymer of P beads at temperature T (`RingPolymerSampler`) whose quantum
/// kinetic scale Γ = ħ²/2m is lowered over the budget,
///
///     Γ(p) = Γ0·(Γ1/Γ0)^p,  p = spent / budget,  Γ1 > 0,
///
/// so the springs (constant P/(4β²Γ)) stiffen and the polymer, spread over a region at the start,
/// contracts to a classical particle at temperature T. Optionally T is annealed too (geometric).
/// Each sweep makes P single-bead moves, one whole-polymer translation and (quadratic kinetic term)
/// one staging move of the free bridge; every move type adapts its step toward 0.234 acceptance.
/// Every bead evaluation costs 1 through the `Objective`, so a sweep costs at most 2P + j − 1 (a
/// translation or staging bridge that would leave the box is rejected at no cost), and
/// the incumbent is the best bead ever evaluated. All beads start at the start point.
///
/// Defaults, none tied to a landscape's units:
/// - P = 8 (`beads`): at the default budget of 2000·d evaluations each bead still gets ~100·d moves;
///   more beads resolve the path better (Trotter error ∝ 1/P²) but share the same budget.
/// - T "auto" (`temperature` = 0): sa's final temperature, T_auto/1000, where T_auto is sa's
///   initial-temperature rule (`InitialTemperature`, 100 charged proposals, χ0 = 0.8), so piqa ends
///   at the temperature sa ends at. By default (`anneal-temperature` = true) T falls geometrically
///   to it from T_auto/P, where each bead (which sees V at temperature P·T) is as mobile as sa's
///   walker at its start: thermal and quantum fluctuations are annealed together, the quantum
///   analogue of sa's hot start. `anneal-temperature` = false runs at the low fixed T throughout,
///   as in Martoňák et al. 2002.
/// - Γ0 "auto" (`initial-gamma` = 0): the free ring polymer's rms spread about its centroid per
///   coordinate, r² = Γβ(P² − 1)/(6P²) (i.e. ≈ λ²/12 with λ² = βħ²/m the thermal wavelength), equals
///   `initial-spread` = 25% of the mean box width at the first temperature, so that at the start a
///   single link can reach across a barrier between basins a quarter of the box apart at a cost of
///   order one (link action Δ²/(4Γε), ε = β/P), as sa's hot start can cross them thermally.
///
/// Why these defaults (measured with `bench --landscape double-well --landscape rastrigin
/// --landscape ackley --landscape schwefel --optimizer sa,pt,piqa --trials 50`): with a fixed low T
/// and a 5% spread, piqa escaped 0, 4, 2 and 12 of 50 double-well, Rastrigin, Ackley and Schwefel
/// traps, because a link across a barrier half the box wide then costs about e^−33 and the beads
/// are thermally frozen; with both annealed and a 25% spread it escaped 31, 49, 50 and 30 of 50
/// (sa 37, 45, 50, 38; pt 49, 50, 50, 49). Defaults that cannot leave a trap would decide the
/// tunneling question before it is asked.
/// - Γ1 "auto" (`final-gamma` = 0): Γ0·10⁻⁴·(T_end/T_start), so that spread falls 100-fold over
///   the run (to 0.05% of the box width): the polymer ends classical.
/// - initial step 0.1/√d of the box width for the bead and translation moves (as sa), staging
///   length 2 links; all three adapted toward 0.234 (Roberts, Gelman & Gilks 1997) in batches of 50.
/// - relativistic: the Cauchy link has half-width cε with ε = β/P and c = √(2Γ/ε), matched so that
///   it equals the quadratic link's standard deviation √(2Γε) at the same Γ. No staging move (its
///   bridge is not Gaussian); single-bead moves and translations sample it exactly.
public struct PathIntegralAnnealing: ContinuousOptimizer {
    public static let name = "piqa"
    public static let walkerParameter: String? = "beads"
    public static let classicalControl: String? = ParallelTempering.name
    public static let summary = "path-integral quantum annealing: ring polymer of P beads at temperature T, kinetic scale Γ0 → Γ1 over the budget; bead, translation and staging Metropolis moves"
    /// The parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let beads = Parameter<Int>("beads", default: 8, in: 2...4096,
            "P, the Trotter number; 8 leaves each bead ~100·d moves at the default budget")
            .tuning(.fixed(why: "P = R = 8 pairs piqa with pt, its equal-walker control; a tuned P would end the pairing"))
        public static let kinetic = Parameter<KineticTerm>("kinetic", default: .quadratic,
            "quadratic (Gaussian springs) or relativistic (Cauchy links, Stella, Santoro & Tosatti 2006)")
        public static let temperature = Parameter<Double>("temperature", default: 0, in: 0...1e300,
            "T (the final one when annealed); 0 = auto: sa's final temperature, cooling-ratio × T_auto (1/1000)")
            .tuning(.fixed(why: "0 = auto; tuned through cooling-ratio"))
        public static let annealTemperature = Parameter<Bool>("anneal-temperature", default: true,
            "cool T geometrically from T_auto/P (each bead as mobile as sa's start) to T, with Γ; false: fixed T")
        public static let initialTemperature = Parameter<Double>("initial-temperature", default: 0, in: 0...1e300,
            "T at the start when annealed (raised to T if below it); 0 = auto: T_auto/P", listedAtDefault: false)
            .tuning(.fixed(why: "0 = auto, T_auto/P; tuned through initial-acceptance"))
        public static let initialGamma = Parameter<Double>("initial-gamma", default: 0, in: 0...1e300,
            "Γ0 = ħ²/2m at the start; 0 = auto: free polymer spread = initial-spread of the box")
            .tuning(.fixed(why: "0 = auto, from the free polymer's spread; tuned through initial-spread"))
        public static let finalGamma = Parameter<Double>("final-gamma", default: 0, in: 0...1e300,
            "Γ1 > 0 at the end; 0 = auto: gamma-ratio·Γ0·(T_end/T_start), free spread down 100-fold at the default")
            .tuning(.fixed(why: "0 = auto; tuned through gamma-ratio"))
        public static let gammaRatio = Parameter<Double>("gamma-ratio", default: 1e-4, in: 1e-15...1,
            "Γ1/Γ0 at fixed T when final-gamma is auto (Γ1 = ratio·Γ0·T_end/T_start); 1e-4: the free spread ∝ √(Γβ) falls 100-fold",
            listedAtDefault: false)
        public static let initialSpread = Parameter<Double>("initial-spread", default: 0.25, in: 1e-9...10,
            "rms bead spread about the centroid, as a fraction of the mean box width, for the auto Γ0 (0.25: links reach across basins a quarter box apart)")
    }

    public static let parameterSpecs = [
        Key.beads.spec,
        Key.kinetic.spec,
        Key.temperature.spec,
        Key.annealTemperature.spec,
        Key.initialTemperature.spec,
        Key.initialGamma.spec,
        Key.finalGamma.spec,
        Key.initialSpread.spec,
        Key.gammaRatio.spec,
    ] + MetropolisParameters.automaticTemperature + MetropolisParameters.proposal
        + [MetropolisParameters.coolingRatio.spec] + PolishSettings.specs

    public var beads: Int
    public var kinetic: KineticTerm
    public var temperature: Double?
    public var annealTemperature: Bool
    public var initialTemperature: Double?
    public var initialGamma: Double?
    public var finalGamma: Double?
    public var initialSpread: Double
    /// Γ1/Γ0 at fixed T when `final-gamma` is auto (`gamma-ratio`).
    public var gammaRatio: Double
    public var metropolis: MetropolisSettings
    public var polish: PolishSettings
    /// Auto T as a fraction of T_auto (`cooling-ratio`).
    public var coolingRatio: Double

    /// The default of `cooling-ratio`: auto T as a fraction of T_auto (sa's auto final temperature).
    public static let autoTemperatureRatio = SimulatedAnnealing.autoCoolingRatio
    /// The default of `gamma-ratio`: auto Γ1 as a fraction of Γ0 at fixed T: the free spread ∝ √(Γβ) falls 100-fold.
    public static let autoGammaRatio = 1e-4

    public init(parameters: ParameterValues) throws {
        beads = parameters[Key.beads]
        kinetic = parameters[Key.kinetic]
        temperature = parameters.automatic(Key.temperature)
        annealTemperature = parameters[Key.annealTemperature]
        initialTemperature = parameters.automatic(Key.initialTemperature)
        (initialGamma, finalGamma) = try AnnealingRange.read(
            parameters, hot: Key.initialGamma, cold: Key.finalGamma, optimizer: Self.name, why: "annealing lowers Γ")
        initialSpread = parameters[Key.initialSpread]
        gammaRatio = parameters[Key.gammaRatio]
        metropolis = MetropolisSettings(parameters)
        polish = PolishSettings(parameters)
        coolingRatio = parameters[MetropolisParameters.coolingRatio]
    }

    /// The resolved schedule of one trial.
    public struct Schedule: Sendable, Equatable {
        public var temperature: TemperatureSchedule
        public var gamma: TemperatureSchedule
    }

    /// Resolves auto values given T_auto (called only when needed) and the box.
    func schedule(box: Box, autoTemperature: () -> Double) -> Schedule {
        let p = Double(beads)
        var tAuto: Double?
        func auto() -> Double {
            if let t = tAuto { return t }
            let t = autoTemperature()
            tAuto = t
            return t
        }
        let tEnd = temperature ?? coolingRatio * auto()
        let tStart = annealTemperature ? Swift.max(initialTemperature ?? auto() / p, tEnd) : tEnd
        let meanWidth = (0..<box.dimension).reduce(0.0) { $0 + box.upper[$1] - box.lower[$1] } / Double(box.dimension)
        let spread = initialSpread * meanWidth
        // r² = Γβ(P² − 1)/(6P²) for the free ring polymer, solved for Γ at β = 1/tStart.
        let g0 = initialGamma ?? 6 * p * p * spread * spread * tStart / (p * p - 1)
        let g1 = finalGamma ?? Swift.min(g0, gammaRatio * g0 * tEnd / tStart)
        return Schedule(temperature: TemperatureSchedule(initial: tStart, final: tEnd),
                        gamma: TemperatureSchedule(initial: Swift.max(g0, g1), final: g1))
    }

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        polish.begin(&objective)
        let f0 = objective.value(at: start)
        let step = metropolis.stepScale(dimension: start.count)
        let plan = schedule(box: objective.domain) {
            metropolis.estimateTemperature(&objective, around: start, value: f0, using: &rng)
        }
        var sampler = RingPolymerSampler(
            start: start, value: f0, beads: beads, box: objective.domain,
            temperature: plan.temperature.initial, gamma: plan.gamma.initial, kinetic: kinetic,
            beadScale: step, translationScale: step, stagingLength: 2,
            targetAcceptance: metropolis.targetAcceptance, batchSize: metropolis.adaptationBatch, adapts: true)
        while !objective.isExhausted {
            let progress = objective.spent / objective.allowance
            sampler.setParameters(temperature: plan.temperature.temperature(at: progress),
                                  gamma: plan.gamma.temperature(at: progress))
            if objective.wantsSnapshot { sampler.traceSnapshot(&objective) }
            sampler.sweep(&objective, using: &rng)
            if objective.isTracing { sampler.traceCentroid(&objective) }
        }
        if objective.wantsSnapshot { sampler.traceSnapshot(&objective) }
        return polish.finish(&objective, annealing: .budget, start: start)
    }
}

extension PathIntegralAnnealing: AutomaticSettings {
    /// Whether `schedule` asks for T_auto: for T when `temperature` is 0, for the starting T when
    /// annealed with `initial-temperature` 0.
    var needsAutomaticTemperature: Bool { temperature == nil || (annealTemperature && initialTemperature == nil) }

    /// T_auto by sa's rule (f(start) and the probes), when the schedule needs it.
    public func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double? {
        guard needsAutomaticTemperature else { return nil }
        return metropolis.automaticTemperature(&objective, from: start, using: &rng)
    }

    /// T, the starting T, Γ0 and Γ1 as `schedule` resolves them at T_auto = t on `box` (Γ0 and Γ1
    /// depend on the box through the automatic spread, and on T_auto through the temperatures;
    /// `t` is read only when `automaticTemperature` measured one).
    public func fixedSettings(automaticTemperature t: Double, box: Box) -> [String: String] {
        guard needsAutomaticTemperature || initialGamma == nil || finalGamma == nil else { return [:] }
        let plan = schedule(box: box) { t }
        var fixed = [Key.temperature.name: formatReal(plan.temperature.final),
                     Key.initialGamma.name: formatReal(plan.gamma.initial),
                     Key.finalGamma.name: formatReal(plan.gamma.final)]
        if annealTemperature { fixed[Key.initialTemperature.name] = formatReal(plan.temperature.initial) }
        return fixed
    }
}
