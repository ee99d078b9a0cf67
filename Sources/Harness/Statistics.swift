import Foundation
import GSL

/// A proportion k/n with its exact (Clopper–Pearson) confidence interval.
public struct Proportion: Sendable, Equatable {
    public var successes: Int
    public var trials: Int
    public var lower: Double
    public var upper: Double

    /// k/n, or `nil` when n = 0.
    public var rate: Double? { trials > 0 ? Double(successes) / Double(trials) : nil }

    /// The exact two-sided interval at `confidence` (Clopper & Pearson 1934):
    /// lower = B⁻¹(α/2; k, n−k+1), upper = B⁻¹(1−α/2; k+1, n−k), with the bounds for k = 0 and k = n
    /// set to 0 and 1 directly (the Beta quantile is undefined there). Returns `nil` for n = 0.
    public init?(successes k: Int, trials n: Int, confidence: Double = 0.95) {
        precondition(k >= 0 && k <= n, "need 0 ≤ k ≤ n")
        guard n > 0 else { return nil }
        let alpha = 1 - confidence
        successes = k
        trials = n
        lower = k == 0 ? 0 : GSL.betaQuantile(alpha / 2, a: Double(k), b: Double(n - k + 1))
        upper = k == n ? 1 : GSL.betaQuantile(1 - alpha / 2, a: Double(k + 1), b: Double(n - k))
    }
}

/// Time to solution at 99% confidence: the expected cost of independent restarts until one
/// succeeds with probability 0.99, TTS99 = t̄ · max(1, ln 0.01 / ln(1 − p)). ∞ for p = 0; t̄ for
/// p ≥ 0.99 (one run already suffices).
public func timeToSolution99(meanCost: Double, probability p: Double) -> Double {
    if p <= 0 { return .infinity }
    if p >= 1 { return meanCost }
    return meanCost * max(1, log(0.01) / log(1 - p))
}

/// TTS99 with the interval implied by p's Clopper–Pearson bounds (TTS decreases in p, so the
/// upper bound of p gives the lower bound of TTS).
public struct TimeToSolution: Sendable, Equatable {
    public var value: Double
    public var lower: Double
    public var upper: Double

    public init?(meanCost: Double, proportion: Proportion?) {
        guard let proportion, let p = proportion.rate else { return nil }
        value = timeToSolution99(meanCost: meanCost, probability: p)
        lower = timeToSolution99(meanCost: meanCost, probability: proportion.upper)
        upper = timeToSolution99(meanCost: meanCost, probability: proportion.lower)
    }
}

/// COCO's average runtime: total cost of all trials divided by the number of successes
/// (∞ when there are none; `nil` for no trials).
public func averageRuntime(totalCost: Double, successes: Int, trials: Int) -> Double? {
    guard trials > 0 else { return nil }
    return successes > 0 ? totalCost / Double(successes) : .infinity
}

/// The q-quantile of `values` by linear interpolation between order statistics (type 7 of
/// Hyndman & Fan 1996, the default of R and NumPy). `nil` for an empty sample.
public func quantile(_ values: [Double], _ q: Double) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let h = Double(sorted.count - 1) * q
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
}
