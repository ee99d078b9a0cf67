import Foundation
import GSL
import Landscapes

/// A proportion k/n with its exact (Clopper–Pearson) confidence interval.
public struct Proportion: Sendable, Equatable {
    public var successes: Int
    public var trials: Int
    public var lower: Double
    public var upper: Double

    /// k/n, or `nil` when n = 0.
    public var rate: Double? { trials > 0 ? Double(successes) / Double(trials) : nil }

    /// The exact two-sided interval at `confidence` (Clopper & Pearson 1934). With X ~ Binomial(n, p)
    /// and α = 1 − confidence, the bounds are the p at which the observed count sits in a tail of
    /// probability α/2:
    ///
    ///     P(X ≥ k | p = lower) = α/2   (lower = 0 for k = 0),
    ///     P(X ≤ k | p = upper) = α/2   (upper = 1 for k = n),
    ///
    /// i.e. lower = B⁻¹(α/2; k, n−k+1) and upper = B⁻¹(1−α/2; k+1, n−k) for the Beta quantile B⁻¹.
    /// They are found by bracketed root finding on the Beta distribution function (see
    /// `ClopperPearson`), which cannot fail to converge; both are checked finite and ordered,
    /// 0 ≤ lower ≤ k/n ≤ upper ≤ 1. Returns `nil` for n = 0.
    ///
    /// - Precondition: 0 ≤ k ≤ n and 0 < confidence < 1.
    public init?(successes k: Int, trials n: Int, confidence: Double = 0.95) {
        precondition(k >= 0 && k <= n, "need 0 ≤ k ≤ n")
        precondition(confidence > 0 && confidence < 1, "need 0 < confidence < 1")
        guard n > 0 else { return nil }
        let tail = (1 - confidence) / 2
        successes = k
        trials = n
        lower = k == 0 ? 0 : ClopperPearson.lowerBound(successes: k, trials: n, tail: tail).value
        // upper(k, n) = 1 − lower(n − k, n): the same bound for the count of failures.
        upper = k == n ? 1 : ClopperPearson.lowerBound(successes: n - k, trials: n, tail: tail).complement
        let rate = Double(k) / Double(n)
        precondition(lower.isFinite && upper.isFinite && 0 <= lower && lower <= rate && rate <= upper && upper <= 1,
                     "Clopper–Pearson bounds [\(lower), \(upper)] for \(k)/\(n) are not finite and ordered")
    }
}

/// Exact binomial confidence bounds by root finding, the computation behind `Proportion`.
enum ClopperPearson {
    /// The lower bound p for k ≥ 1 successes in n trials: the root of P(X ≥ k | p) = `tail`, with
    /// its complement 1 − p. Whichever of p and 1 − p is at most ½ is the one solved for, so it keeps
    /// its full relative precision (an upper bound of 0.0018 is then good to ~1e-15 relative, not
    /// only to 1e-16 absolute); the other is 1 minus it.
    ///
    /// P(X ≥ k | p) = I_p(k, n − k + 1), the regularized incomplete beta (GSL's continued fraction).
    /// The root lies strictly inside (0, k/n): at p = 0 the tail is 0, and at p = k/n it is at
    /// least ½ (k is then the mean, and a binomial with an integer mean has it as its median,
    /// Kaas & Buhrman 1980), so the bracket holds for any tail < ½. Brent–Dekker's method keeps a
    /// sign-changing bracket at every step and stops when it is 4 ulp wide.
    ///
    /// - Precondition: 1 ≤ k ≤ n and 0 < tail < ½.
    static func lowerBound(successes k: Int, trials n: Int, tail: Double) -> (value: Double, complement: Double) {
        precondition(k >= 1 && k <= n && tail > 0 && tail < 0.5, "need 1 ≤ k ≤ n and 0 < tail < 1/2")
        let a = Double(k), b = Double(n - k + 1)
        if 2 * k <= n {
            // p ≤ k/n ≤ ½: solve I_p(k, n − k + 1) = tail for p (increasing in p).
            let p = brentRoot(from: 0, to: Double(k) / Double(n)) { p in
                tailAtLeast(k, n, p: p, q: 1 - p, gsl: GSL.betaCDF(p, a: a, b: b)) - tail
            }
            return (p, 1 - p)
        } else {
            // p > ½: solve for q = 1 − p. P(X ≥ k | p = 1 − q) = 1 − I_q(n − k + 1, k), GSL's Q
            // (no 1 − P cancellation); tail − that is increasing in q.
            let q = brentRoot(from: Double(n - k) / Double(n), to: 1) { q in
                tail - tailAtLeast(k, n, p: 1 - q, q: q, gsl: GSL.betaUpperTail(q, a: b, b: a))
            }
            return (1 - q, q)
        }
    }

    /// P(X ≥ k | p) as GSL gave it, or, when GSL's continued fraction did not converge (it then
    /// returns NaN), by summing the binomial terms.
    static func tailAtLeast(_ k: Int, _ n: Int, p: Double, q: Double, gsl: Double) -> Double {
        gsl.isFinite ? gsl : binomialTailAtLeast(k, n, logP: log(p), logQ: log(q))
    }

    /// P(X ≥ k) for X ~ Binomial(n, p), given ln p and ln(1 − p), as Σ_{j ≥ k} exp(ln C(n, j) +
    /// j ln p + (n − j) ln(1 − p)) summed relative to its largest term, so no term underflows
    /// before it matters. O(n − k); the fallback when the continued fraction fails.
    static func binomialTailAtLeast(_ k: Int, _ n: Int, logP: Double, logQ: Double) -> Double {
        guard k > 0 else { return 1 }
        guard k <= n else { return 0 }
        func logFactorial(_ m: Int) -> Double {
            let value: Double = lgamma(Double(m) + 1)
            return value
        }
        let lnN = logFactorial(n)
        func logTerm(_ j: Int) -> Double {
            let choose = lnN - logFactorial(j) - logFactorial(n - j)
            // 0 · ln 0 = 0: the j = 0 and j = n terms at p = 0 or 1.
            return choose + (j == 0 ? 0 : Double(j) * logP) + (j == n ? 0 : Double(n - j) * logQ)
        }
        let logs = (k...n).map(logTerm)
        guard let top = logs.max(), top > -.infinity else { return 0 }
        return exp(top) * logs.reduce(0) { $0 + exp($1 - top) }
    }

    /// A root of `f` in [lo, hi], where f(lo) ≤ 0 ≤ f(hi), by Brent–Dekker's method (Brent 1973,
    /// "Algorithms for Minimization without Derivatives", ch. 4): inverse quadratic or secant steps
    /// when they stay well inside the bracket, bisection otherwise, so the bracket always shrinks
    /// and it converges in at most about the square of bisection's step count. It stops when the
    /// bracket is at most 4 ulp of the root wide (tolerance 2ε|b| on each side). A NaN from `f`
    /// counts as positive, which keeps the bracket valid.
    static func brentRoot(from lo: Double, to hi: Double, _ f: (Double) -> Double) -> Double {
        var a = lo, b = hi
        var fa = f(a), fb = f(b)
        if fa.isNaN { fa = 1 }
        if fb.isNaN { fb = 1 }
        precondition(fa <= 0 && fb >= 0, "brentRoot needs f(lo) ≤ 0 ≤ f(hi)")
        if fa == 0 { return a }
        var c = a, fc = fa
        var d = b - a, e = d
        for _ in 0..<10_000 {
            if (fb > 0) == (fc > 0) {
                c = a; fc = fa; d = b - a; e = d
            }
            if abs(fc) < abs(fb) {
                a = b; b = c; c = a
                fa = fb; fb = fc; fc = fa
            }
            let tolerance = 2 * Double.ulpOfOne * abs(b) + 0.5 * Double.leastNormalMagnitude
            let half = 0.5 * (c - b)
            if abs(half) <= tolerance || fb == 0 { return b }
            if abs(e) >= tolerance && abs(fa) > abs(fb) {
                let s = fb / fa
                var p: Double, q: Double
                if a == c {
                    p = 2 * half * s
                    q = 1 - s
                } else {
                    let r0 = fa / fc, r1 = fb / fc
                    p = s * (2 * half * r0 * (r0 - r1) - (b - a) * (r1 - 1))
                    q = (r0 - 1) * (r1 - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * half * q - abs(tolerance * q), abs(e * q)) {
                    e = d; d = p / q
                } else {
                    d = half; e = d
                }
            } else {
                d = half; e = d
            }
            a = b; fa = fb
            b += abs(d) > tolerance ? d : (half > 0 ? tolerance : -tolerance)
            fb = f(b)
            if fb.isNaN { fb = 1 }
        }
        return b
    }
}

/// Time to solution at 99%: the cost at which the chance of at least one success among independent
/// runs reaches 99%. A run succeeds with probability p and costs t̄ on average; R runs succeed at
/// least once with probability 1 − (1 − p)^R, which reaches 0.99 at R = ln 0.01 / ln(1 − p), and at
/// least one whole run is made:
///
///     TTS99 = t̄ · max(1, ln 0.01 / ln(1 − p)).
///
/// It is a cost to reach a 99% chance, not the expected cost until a success (that is t̄/p).
/// ∞ for p = 0; t̄ for p ≥ 0.99 (one run already suffices). A NaN p or t̄ gives NaN, never a number.
///
/// - Precondition: p is NaN or in [0, 1]; t̄ is NaN or ≥ 0.
public func timeToSolution99(meanCost: Double, probability p: Double) -> Double {
    if p.isNaN || meanCost.isNaN { return .nan }
    precondition(p >= 0 && p <= 1 && meanCost >= 0, "TTS99 needs 0 ≤ p ≤ 1 and a mean cost ≥ 0")
    if p == 0 { return .infinity }
    if p == 1 { return meanCost }
    let runs = log(0.01) / log1p(-p)
    return meanCost * (runs > 1 ? runs : 1)
}

/// TTS99 with the interval implied by p's Clopper–Pearson bounds (TTS decreases in p, so the
/// upper bound of p gives the lower bound of TTS). Bounds may be ∞ (a rate bound of 0); a NaN
/// anywhere stays NaN in all three numbers it touches.
public struct TimeToSolution: Sendable, Equatable {
    public var value: Double
    public var lower: Double
    public var upper: Double

    public init?(meanCost: Double, proportion: Proportion?) {
        guard let proportion, let p = proportion.rate else { return nil }
        value = timeToSolution99(meanCost: meanCost, probability: p)
        lower = timeToSolution99(meanCost: meanCost, probability: proportion.upper)
        upper = timeToSolution99(meanCost: meanCost, probability: proportion.lower)
        precondition(value.isNaN || lower.isNaN || upper.isNaN || (lower <= value && value <= upper),
                     "TTS99 interval [\(lower), \(upper)] does not contain \(value)")
    }
}

/// COCO's average runtime (aRT; Hansen et al. 2021, "COCO: a platform for comparing continuous
/// optimizers in a black-box setting", and the ERT of Hansen, Auger, Ros, Finck & Pošík 2010): the
/// cost spent per success when unsuccessful trials are restarted,
///
///     aRT = (Σ over successful trials of the cost up to their first success
///            + Σ over unsuccessful trials of all they spent) / number of successes,
///
/// ∞ when no trial succeeded. A trial's `cost` is therefore its hitting cost when it succeeded
/// and its whole spend otherwise.
///
/// The interval is a percentile bootstrap over trials: `resamples` resamples of the n trials drawn
/// with replacement, the aRT of each, and their 2.5% and 97.5% quantiles (type 7, as `quantile`).
/// A resample without a success has aRT = ∞ and is ranked above every finite one, so the upper
/// bound is ∞ when more than about 2.5% of resamples have no success, and both bounds are ∞ when
/// no trial succeeded. The resampling generator is xoshiro256** with a fixed seed (`seed`), so the
/// interval is deterministic, and any two rows with the same number of trials draw the same
/// resampled trial indices (a paired bootstrap, since trial i has the same start everywhere).
public struct AverageRuntime: Sendable, Equatable {
    public var value: Double
    public var lower: Double
    public var upper: Double

    /// Bootstrap resamples per interval.
    public static let resamples = 2000
    /// The fixed seed of the resampling generator.
    public static let seed: UInt64 = 0x0A27_B007_5EED
    /// Coverage of the interval.
    public static let confidence = 0.95

    /// `cost[i]`: trial i's cost to its first success if it succeeded, else all it spent;
    /// `succeeded[i]` whether it did. `nil` for no trials.
    ///
    /// - Complexity: O(`resamples` · n).
    public init?(cost: [Double], succeeded: [Bool]) {
        precondition(cost.count == succeeded.count, "one cost per trial")
        let n = cost.count
        guard n > 0 else { return nil }
        value = averageRuntime(cost: cost, succeeded: succeeded)
        var rng = Xoshiro256(seed: Self.seed)
        var samples = [Double]()
        samples.reserveCapacity(Self.resamples)
        for _ in 0..<Self.resamples {
            var total = 0.0, successes = 0
            for _ in 0..<n {
                // A uniform index in 0..<n by multiply-shift (Lemire 2019); its bias, ≤ n/2⁶⁴, is nil here.
                let i = Int(rng.next().multipliedFullWidth(by: UInt64(n)).high)
                total += cost[i]
                if succeeded[i] { successes += 1 }
            }
            samples.append(successes > 0 ? total / Double(successes) : .infinity)
        }
        let tail = (1 - Self.confidence) / 2
        lower = quantile(samples, tail)!
        upper = quantile(samples, 1 - tail)!
    }
}

/// COCO's aRT of trials with the given costs (see `AverageRuntime`): Σ cost / number succeeded,
/// ∞ when none succeeded. NaN if any cost is NaN.
public func averageRuntime(cost: [Double], succeeded: [Bool]) -> Double {
    precondition(cost.count == succeeded.count, "one cost per trial")
    let successes = succeeded.filter { $0 }.count
    let total = cost.reduce(0, +)
    if total.isNaN { return .nan }
    return successes > 0 ? total / Double(successes) : .infinity
}

/// The q-quantile of `values` by linear interpolation between order statistics (type 7 of
/// Hyndman & Fan 1996, the default of R and NumPy). `nil` for an empty sample; NaN if any value is
/// NaN (a NaN has no rank). Infinite values are ranked like any other: interpolating towards ±∞
/// gives ±∞, and an order statistic hit exactly is returned as it is.
public func quantile(_ values: [Double], _ q: Double) -> Double? {
    guard !values.isEmpty else { return nil }
    if values.contains(where: \.isNaN) { return .nan }
    return quantile(sorted: values.sorted(), q)
}

/// `quantile` of a non-empty sample already sorted in increasing order, with no NaN in it.
func quantile(sorted: [Double], _ q: Double) -> Double {
    let h = Double(sorted.count - 1) * q
    let lo = Int(h.rounded(.down))
    let hi = min(lo + 1, sorted.count - 1)
    let fraction = h - Double(lo)
    if fraction == 0 || sorted[lo] == sorted[hi] { return sorted[lo] }
    if sorted[hi] == .infinity { return .infinity }
    if sorted[lo] == -.infinity { return -.infinity }
    return sorted[lo] + fraction * (sorted[hi] - sorted[lo])
}
