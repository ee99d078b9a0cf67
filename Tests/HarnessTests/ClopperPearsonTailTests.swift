import Foundation
import Testing
@testable import Harness

extension Tag {
    /// Statistical tests too slow for a debug build; they run in a release build (`.ci/run`).
    @Tag static var release: Self
}

/// Whether this test binary was built with optimizations. SwiftPM defines DEBUG in debug builds.
private let isOptimizedBuild: Bool = {
    #if DEBUG
    return false
    #else
    return true
    #endif
}()

/// The defining property of every 95% Clopper–Pearson bound for 0 ≤ k ≤ n ≤ 1000, checked with
/// binomial tails summed term by term in log space (ln n! from lgamma), independently of the
/// incomplete beta the code inverts. X ~ Binomial(n, p), α/2 = 0.025:
///
///     P(X ≥ k | p = lower) = α/2,    P(X ≤ k | p = upper) = α/2.
///
/// Each tail is monotone in p, so a bound is correct to relative η in q = min(p, 1 − p) exactly
/// when the tail crosses α/2 between q(1 − η) and q(1 + η). With η = 1e-10:
/// - the code's bound is good to ~4nε ≤ 1e-12 relative in q (GSL's prefactor has an exponent of
///   size ~n, rounded to ε; the root finder adds 4 ulp), far inside η;
/// - moving q by η moves the tail by η · |d ln T/d ln q| · T ≥ ~0.98 η T (the smallest slope is
///   at k = 1, where T ≈ nq), while the sum here is good to ~1e-11 relative: ln C(n, j) is a
///   difference of lgamma values up to ln 1000! ≈ 5912 and j ln p + (n − j) ln(1 − p) has terms up
///   to ~1e4, each rounded to ~1 ulp (≤ 2e-12 absolute in ln T), plus n roundings of the sum;
///   so the crossing is seen with a 10-fold margin.
/// Cost: ~1e6 bounds, each a root (~15 incomplete betas) and four tails of ≤ ~100 terms (the sum
/// stops once a term is e^−45 below the first: terms decrease away from k on the tail side, so
/// the n terms left add < 1000 · e^−45 ≈ 3e-17 relative): ~10 s in release on 2 cores, far
/// longer in debug, so it runs only in an optimized build (or with TUNNELBENCH_SLOW_TESTS=1):
///
///     swift test -c release -Xswiftc -enable-testing --filter ClopperPearsonTailTests
@Suite struct ClopperPearsonTailTests {
    static let eta = 1e-10
    static let tail = 0.025

    @Test(.tags(.release),
          .enabled(if: isOptimizedBuild || ProcessInfo.processInfo.environment["TUNNELBENCH_SLOW_TESTS"] == "1",
                   "about 1e6 bounds with four binomial tails each: run in release (see the doc comment)"),
          arguments: Array(1...1000))
    func everyBoundPutsTheCountInATailOfProbabilityAlphaOverTwo(n: Int) throws {
        let lnFactorial = (0...n).map { m -> Double in
            let value: Double = lgamma(Double(m) + 1)
            return value
        }
        var wrong = [String]()
        for k in 0...n {
            let p = try #require(Proportion(successes: k, trials: n))
            let rate = Double(k) / Double(n)
            if !(p.lower.isFinite && p.upper.isFinite && 0 <= p.lower && p.lower <= rate && rate <= p.upper && p.upper <= 1) {
                wrong.append("\(k)/\(n): [\(p.lower), \(p.upper)] not finite and ordered")
                continue
            }
            if k > 0 {
                let (below, above) = Self.perturbed(p.lower)
                let t0 = Self.binomialTail(k, n, below, atLeast: true, lnFactorial)
                let t1 = Self.binomialTail(k, n, above, atLeast: true, lnFactorial)
                if !(t0 < Self.tail && Self.tail < t1) {
                    wrong.append("lower(\(k)/\(n)) = \(p.lower): P(X ≥ k) = \(t0) … \(t1)")
                }
            } else if p.lower != 0 {
                wrong.append("lower(0/\(n)) = \(p.lower), not 0")
            }
            if k < n {
                let (below, above) = Self.perturbed(p.upper)
                let s0 = Self.binomialTail(k, n, below, atLeast: false, lnFactorial)
                let s1 = Self.binomialTail(k, n, above, atLeast: false, lnFactorial)
                if !(s0 > Self.tail && Self.tail > s1) {
                    wrong.append("upper(\(k)/\(n)) = \(p.upper): P(X ≤ k) = \(s0) … \(s1)")
                }
            } else if p.upper != 1 {
                wrong.append("upper(\(n)/\(n)) = \(p.upper), not 1")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) bounds wrong, e.g. \(wrong.prefix(3).joined(separator: "; "))")
    }

    /// p moved by ∓η·min(p, 1 − p), each as (ln p, ln(1 − p)) computed from the smaller of p and
    /// 1 − p, so neither loses digits to 1 − p.
    static func perturbed(_ p: Double) -> (below: (Double, Double), above: (Double, Double)) {
        if p <= 0.5 {
            let lo = p * (1 - eta), hi = p * (1 + eta)
            return ((log(lo), log1p(-lo)), (log(hi), log1p(-hi)))
        }
        let c = 1 - p  // exact for p ≥ ½ (Sterbenz)
        let cLo = c * (1 + eta), cHi = c * (1 - eta)  // larger 1 − p is smaller p
        return ((log1p(-cLo), log(cLo)), (log1p(-cHi), log(cHi)))
    }

    /// P(X ≥ k) (`atLeast`) or P(X ≤ k) for X ~ Binomial(n, p), given (ln p, ln(1 − p)): the terms
    /// from j = k outwards, each exp(ln n! − ln j! − ln (n − j)! + j ln p + (n − j) ln(1 − p)),
    /// summed relative to the first. On the tails used here j = k is the largest term of its tail
    /// (for the lower bound p < k/n puts the mode at or below k, for the upper bound at or above),
    /// and the terms decrease away from it.
    static func binomialTail(_ k: Int, _ n: Int, _ logs: (Double, Double), atLeast: Bool, _ lnFactorial: [Double]) -> Double {
        let (logP, logQ) = logs
        func logTerm(_ j: Int) -> Double {
            lnFactorial[n] - lnFactorial[j] - lnFactorial[n - j]
                + (j == 0 ? 0 : Double(j) * logP) + (j == n ? 0 : Double(n - j) * logQ)
        }
        let first = logTerm(k)
        var sum = 0.0
        for j in stride(from: k, through: atLeast ? n : 0, by: atLeast ? 1 : -1) {
            let t = logTerm(j) - first
            if t < -45 { break }
            sum += exp(t)
        }
        return exp(first) * sum
    }
}
