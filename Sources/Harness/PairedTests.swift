import Foundation

/// The exact tests on paired binary outcomes that TunnelBench uses everywhere it compares two
/// methods (or two runs) trial by trial: McNemar's test in its exact (binomial) form, and Holm's
/// step-down adjustment across a family of such tests. `bench run`'s comparisons, `bench check`
/// and `bench tunnel-map` all call these; nothing else computes a McNemar p-value.
///
/// Of n paired trials, only the discordant ones carry information: b where only the first side
/// succeeded, c where only the second did. Under "no difference" each discordant trial is a fair
/// coin, so b ~ Binomial(b + c, ½) given b + c (McNemar 1947; the exact form: Fleiss, Levin & Paik,
/// *Statistical Methods for Rates and Proportions*, 3rd ed., §13.1).
public enum PairedTests {
    /// P(X ≤ k) for X ~ Binomial(n, ½), exactly summed.
    ///
    /// The terms C(n, i)·2^−n are built by the recurrence C(n, i+1) = C(n, i)·(n − i)/(i + 1) on a
    /// mantissa whose power of two is kept apart as an integer, so nothing overflows or underflows
    /// however large n is, and no logarithm or special function is involved: the result is
    /// finite for every n ≥ 0 (it is 0 only when the true value is below the smallest Double).
    /// While C(n, i)·(n − i) < 2^53 every step is exact, so for n ≲ 50 the sum is exact. Beyond,
    /// each step rounds twice and each addition once: the relative error is at most
    /// 3(k + 1)·2^−53 (summation of positive terms).
    ///
    /// - Complexity: O(min(k, n)).
    public static func binomialHalfLowerTail(atMost k: Int, trials n: Int) -> Double {
        precondition(n >= 0, "binomialHalfLowerTail needs n ≥ 0")
        if k < 0 { return 0 }
        if k >= n { return 1 }
        // value = sum · 2^exponent; term starts at C(n, 0) = 1.
        var term = 1.0
        var sum = 1.0
        var exponent = -n
        let rescale = 0x1p-512, limit = 0x1p512
        for i in 0..<k {
            term = term * Double(n - i) / Double(i + 1)
            sum += term
            if term > limit {
                term *= rescale
                sum *= rescale
                exponent += 512
            }
        }
        return min(1, scalbn(sum, exponent))
    }

    /// Exact two-sided McNemar p-value for b trials won only by one side and c only by the
    /// other: p = min(1, 2·P(X ≤ min(b, c))), X ~ Binomial(b + c, ½). p = 1 when b + c = 0 (no
    /// discordant trial: no evidence either way). Symmetric in b and c, never NaN.
    public static func mcNemarTwoSided(_ b: Int, _ c: Int) -> Double {
        precondition(b >= 0 && c >= 0, "McNemar counts must be ≥ 0")
        guard b + c > 0 else { return 1 }
        return min(1, 2 * binomialHalfLowerTail(atMost: min(b, c), trials: b + c))
    }

    /// Exact one-sided McNemar p-value P(B ≥ b), B ~ Binomial(b + c, ½): the evidence that the
    /// side with b wins is the better one. By symmetry P(B ≥ b) = P(X ≤ c). 1 when b = 0.
    public static func mcNemarOneSided(against b: Int, favouring c: Int) -> Double {
        precondition(b >= 0 && c >= 0, "McNemar counts must be ≥ 0")
        return binomialHalfLowerTail(atMost: c, trials: b + c)
    }

    /// Holm's step-down adjustment (Holm 1979, "A simple sequentially rejective multiple test
    /// procedure", Scand. J. Statist. 6, 65–70): with p sorted ascending, adjusted
    /// p_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)). Rejecting where the adjusted value is ≤ α is
    /// Holm's procedure at level α, which controls the family-wise error rate at α for any
    /// dependence between the tests. Returns the adjusted values in the input order.
    public static func holmAdjusted(_ p: [Double]) -> [Double] {
        precondition(p.allSatisfy { $0 >= 0 && $0 <= 1 }, "Holm needs p-values in [0, 1]")
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}

/// Exact one-sided McNemar test on paired binary outcomes (`PairedTests.mcNemarOneSided`): with b
/// trials where only the baseline succeeded and c where only the current run did, the p-value for
/// "the current run is worse". (For "better", swap b and c.)
public func mcNemarOneSided(against b: Int, favouring c: Int) -> Double {
    PairedTests.mcNemarOneSided(against: b, favouring: c)
}

/// Holm's step-down adjustment (`PairedTests.holmAdjusted`).
public func holmAdjusted(_ p: [Double]) -> [Double] {
    PairedTests.holmAdjusted(p)
}
