import Foundation
import Landscapes

/// One Metropolis random walk at temperature T over a box, the move that simulated annealing,
/// parallel tempering and path-integral annealing share.
///
/// A move proposes y = reflect(x + s·w∘ξ), ξ ~ N(0, I), where w_i is the box's width along
/// coordinate i (so the walk is scaled per coordinate) and s the adapted step scale; reflection at
/// the box's faces (`Box.reflect`) keeps the proposal symmetric, q(x→y) = q(y→x). It accepts with
/// probability min(1, exp(−(f(y) − f(x))/T)) (Metropolis et al. 1953), so at fixed T and fixed s
/// the chain's stationary density is the Boltzmann density ∝ exp(−f/T) restricted to the box.
/// T = 0 accepts only moves that do not go uphill.
///
/// Step-size adaptation (when `adapts`): after every batch of `batchSize` moves,
///
///     log s ← log s + (a_batch − a*) / √k,   k = number of batches so far,
///
/// a Robbins–Monro-type update (Robbins & Monro 1951) of log s toward the target acceptance rate
/// a* (for adaptive MCMC see Andrieu & Thoms 2008). The slowly decreasing gain lets s follow a
/// cooling schedule; s is kept in [1e-12, 1]. Adaptation breaks detailed balance, so equilibrium
/// sampling freezes it (`adapts = false`) after burn-in.
///
/// Each move costs one value evaluation, charged by the `Objective`. Nothing is allocated per move.
public struct MetropolisSampler {
    /// The current state and its value.
    public private(set) var x: [Double]
    public private(set) var value: Double
    /// s: proposal standard deviation along coordinate i is s·w_i.
    public private(set) var scale: Double
    public var temperature: Double
    public var adapts: Bool
    public let targetAcceptance: Double
    public let batchSize: Int
    /// Moves proposed and accepted since the start (or the last `resetCounters`).
    public private(set) var proposed = 0
    public private(set) var accepted = 0

    let box: Box
    let widths: [Double]
    var proposal: [Double]
    var batchProposed = 0
    var batchAccepted = 0
    var batches = 0

    public static let minimumScale = 1e-12
    public static let maximumScale = 1.0

    /// - Parameters:
    ///   - start: a point inside `box`; `value` is f(start), already evaluated by the caller.
    public init(start: [Double], value: Double, box: Box, scale: Double, temperature: Double,
                targetAcceptance: Double, batchSize: Int, adapts: Bool = true) {
        precondition(batchSize >= 1, "batch size must be positive")
        // Own buffers, so no write in `step` ever copies storage shared with the caller.
        self.x = start.map { $0 }
        self.value = value
        self.scale = Swift.min(Swift.max(scale, Self.minimumScale), Self.maximumScale)
        self.temperature = temperature
        self.adapts = adapts
        self.targetAcceptance = targetAcceptance
        self.batchSize = batchSize
        self.box = box
        self.widths = (0..<box.dimension).map { box.upper[$0] - box.lower[$0] }
        self.proposal = [Double](repeating: 0, count: start.count)
    }

    /// The fraction of proposals accepted so far.
    public var acceptanceRate: Double { proposed == 0 ? 0 : Double(accepted) / Double(proposed) }

    public mutating func resetCounters() {
        proposed = 0
        accepted = 0
    }

    /// Exchanges the current state (x and its value) with `other`'s, keeping each sampler's
    /// temperature, step scale and adaptation state: a replica-exchange swap. Swaps storage, so
    /// nothing is copied or allocated.
    public mutating func exchangeState(with other: inout MetropolisSampler) {
        swap(&x, &other.x)
        swap(&value, &other.value)
    }

    /// One proposal and Metropolis decision; returns whether it was accepted. A non-finite
    /// proposal value is rejected (the objective has then recorded the failure and is exhausted).
    @discardableResult
    public mutating func step<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, using rng: inout Xoshiro256
    ) -> Bool {
        for i in 0..<x.count { proposal[i] = x[i] + scale * widths[i] * rng.nextGaussian() }
        box.reflect(&proposal)
        let candidate = objective.value(at: proposal)
        let delta = candidate - value
        // NaN compares false in both tests, so a NaN is rejected.
        let accept = delta <= 0 || (temperature > 0 && rng.nextUnit() < exp(-delta / temperature))
        if accept {
            swap(&x, &proposal)
            value = candidate
            accepted += 1
            batchAccepted += 1
        }
        proposed += 1
        batchProposed += 1
        objective.traceState(x, value: value)
        if batchProposed == batchSize {
            if adapts {
                batches += 1
                let rate = Double(batchAccepted) / Double(batchSize)
                let logScale = log(scale) + (rate - targetAcceptance) / Double(batches).squareRoot()
                scale = Swift.min(Swift.max(exp(logScale), Self.minimumScale), Self.maximumScale)
            }
            batchProposed = 0
            batchAccepted = 0
        }
        return accept
    }
}

/// The classic rule for a landscape-agnostic initial temperature (Kirkpatrick 1984, J. Stat. Phys.
/// 34, 975; the form below is the one analysed by Ben-Ameur 2004, Comput. Optim. Appl. 29, 369):
/// sample random-walk proposals around the start, average the uphill differences ΔE⁺, and set
///
///     T0 = −⟨ΔE⁺⟩ / ln χ0,
///
/// so that an average uphill move is accepted with probability χ0 (0.8 in Kirkpatrick 1984;
/// Johnson et al. 1989 use the same acceptance criterion with 0.4). By Jensen's inequality the
/// mean acceptance of the sampled uphill moves is then at least χ0.
public enum InitialTemperature {
    /// Draws `samples` proposals y = reflect(x + s·w∘ξ) around `start` and returns T0. Each is a
    /// calibration probe (`Objective.calibrationValue(at:)`): charged 1 to the budget and counted
    /// in its own column, it never updates the incumbent or a hitting time, so no figure can come
    /// from probing. It stops early if the budget runs out. If no proposal went uphill,
    /// it uses the mean |ΔE| instead; if every difference was 0 (a flat neighbourhood, where the
    /// temperature does not matter to Metropolis), it returns 1.
    public static func estimate<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, around start: [Double], value: Double, scale: Double,
        samples: Int, acceptance chi0: Double, using rng: inout Xoshiro256
    ) -> Double {
        let box = objective.domain
        var y = start
        var uphillSum = 0.0, uphillCount = 0
        var absSum = 0.0, finiteCount = 0
        for _ in 0..<samples {
            if objective.isExhausted { break }
            for i in 0..<y.count {
                y[i] = start[i] + scale * (box.upper[i] - box.lower[i]) * rng.nextGaussian()
            }
            box.reflect(&y)
            let delta = objective.calibrationValue(at: y) - value
            guard delta.isFinite else { continue }
            finiteCount += 1
            absSum += abs(delta)
            if delta > 0 {
                uphillSum += delta
                uphillCount += 1
            }
        }
        let typical: Double
        if uphillCount > 0 {
            typical = uphillSum / Double(uphillCount)
        } else if finiteCount > 0 && absSum > 0 {
            typical = absSum / Double(finiteCount)
        } else {
            return 1
        }
        return -typical / log(chi0)
    }
}

/// The parameters every Metropolis-based optimizer shares (sa, pt, piqa, gsl-siman, sgd's
/// temperature rule), defined once so that their defaults and documentation cannot drift apart.
public enum MetropolisParameters {
    /// χ0 for the automatic starting temperature.
    public static let initialAcceptance = Parameter<Double>("initial-acceptance", default: 0.8, in: 1e-6...0.999999,
        "χ0 for the auto starting temperature: an average uphill move is accepted with this probability; 0.8 as in Kirkpatrick 1984")
    /// The number of charged proposals of the automatic starting temperature.
    public static let temperatureSamples = Parameter<Int>("temperature-samples", default: 100, in: 1...1_000_000,
        "proposals sampled (and charged) for the auto starting temperature; 100 give ⟨ΔE⁺⟩ to ~10% when ΔE⁺ spreads about as much as its mean")
    /// The random walk's initial proposal scale.
    public static let initialStep = Parameter<Double>("initial-step", default: 0.1, in: 1e-12...1,
        "initial proposal scale s√d as a fraction of the box width; 0.1, then adapted")
    /// The acceptance rate the proposal scale adapts toward.
    public static let targetAcceptance = Parameter<Double>("target-acceptance", default: 0.234, in: 1e-6...0.999999,
        "acceptance rate the step adapts toward; 0.234 (Roberts, Gelman & Gilks 1997)")
    /// Moves per update of the proposal scale.
    public static let adaptationBatch = Parameter<Int>("adaptation-batch", default: 50, in: 1...1_000_000,
        "moves per step-size update; 50 gives the batch rate a standard error ≤ 0.071")

    /// The cold end of an annealing schedule or a ladder when it is automatic, as a fraction of
    /// the hot end (sa's T1/T0, pt's T_min/T_max, gsl-siman's and sgd's T1/T0, piqa's final T over
    /// sa's T0).
    public static let coolingRatio = Parameter<Double>("cooling-ratio", default: 1e-3, in: 1e-15...1,
        "the automatic cold end as a fraction of the hot one (T1/T0); 1e-3, so a run ends as a quench (a convention of this benchmark)",
        listedAtDefault: false)
        .tuning(.log(1e-7...1e-1, why: "wider than ÷ 10 below the default: the cold end sets how precisely a run ends, "
            + "and success tolerances span several decades of it; 0.1 barely cools"))

    /// χ0 and the number of charged proposals of the automatic starting temperature.
    public static let automaticTemperature = [initialAcceptance.spec, temperatureSamples.spec]

    /// The random-walk proposal: initial scale, target acceptance and adaptation batch.
    public static let proposal = [initialStep.spec, targetAcceptance.spec, adaptationBatch.spec]
}

/// Two settings an annealing run moves between, a hot and a cold one (temperatures, or Γ), each
/// 0 for "automatic". Read once here, for every method that has such a pair, so that an explicit
/// pair the wrong way round is refused by one rule with one message.
public enum AnnealingRange {
    /// (hot, cold), nil where automatic. Throws when both are set and `cold` is above `hot` (or,
    /// with `strictly`, not below it); `why` ends the message.
    public static func read(_ parameters: ParameterValues, hot: Parameter<Double>, cold: Parameter<Double>,
                            optimizer: String, strictly: Bool = false, why: String? = nil) throws -> (hot: Double?, cold: Double?) {
        let high = parameters.automatic(hot), low = parameters.automatic(cold)
        if let h = high, let c = low, strictly ? c >= h : c > h {
            throw OptimizerError.invalidParameters(
                optimizer: optimizer,
                reason: "\(cold.name) \(formatReal(c)) is \(strictly ? "not below" : "above") \(hot.name) \(formatReal(h))"
                    + (why.map { "; " + $0 } ?? ""))
        }
        return (high, low)
    }
}

/// The values of `MetropolisParameters` as an optimizer holds them.
public struct MetropolisSettings: Sendable, Equatable {
    public var initialAcceptance: Double
    public var temperatureSamples: Int
    public var initialStep: Double
    public var targetAcceptance: Double
    public var adaptationBatch: Int

    public init(_ parameters: ParameterValues) {
        initialAcceptance = parameters[MetropolisParameters.initialAcceptance]
        temperatureSamples = parameters[MetropolisParameters.temperatureSamples]
        initialStep = parameters[MetropolisParameters.initialStep]
        targetAcceptance = parameters[MetropolisParameters.targetAcceptance]
        adaptationBatch = parameters[MetropolisParameters.adaptationBatch]
    }

    /// The initial proposal scale s = initial-step/√d, a fraction of each box side, so that a first
    /// proposal has a length of about initial-step of the box's width whatever d is.
    public func stepScale(dimension: Int) -> Double { initialStep / Double(dimension).squareRoot() }

    /// The temperatures a run moves between, hot to cold, each automatic end resolved
    /// (`TemperatureSchedule.make`; an automatic hot end is estimated around `start`, whose value
    /// is `value`, by `estimateTemperature`).
    public func schedule<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, hot: Double?, cold: Double?, autoRatio: Double,
        around start: [Double], value: Double, using rng: inout Xoshiro256
    ) -> TemperatureSchedule {
        TemperatureSchedule.make(initial: hot, final: cold, autoRatio: autoRatio) {
            estimateTemperature(&objective, around: start, value: value, using: &rng)
        }
    }

    /// The automatic temperature from `start` alone, for a calibration made outside a trial:
    /// f(start), then `estimateTemperature`.
    public func automaticTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> Double {
        estimateTemperature(&objective, around: start, value: objective.value(at: start), using: &rng)
    }

    /// The automatic starting temperature (`InitialTemperature`), from `temperature-samples`
    /// charged proposals of the initial scale around `start`.
    public func estimateTemperature<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, around start: [Double], value: Double, using rng: inout Xoshiro256
    ) -> Double {
        InitialTemperature.estimate(&objective, around: start, value: value, scale: stepScale(dimension: start.count),
                                    samples: temperatureSamples, acceptance: initialAcceptance, using: &rng)
    }
}
