import Foundation
import Testing

// Goodness-of-fit for correlated Markov chains by batch means, shared by the equilibrium tests of
// the continuous samplers (sa, pt, piqa) and the Ising samplers.
//
// Why not Pearson's X² after thinning by ⌈τ⌉: thinning leaves a lag-one correlation (≈ e^{−2} for
// exponential decay, more for slower tails), each bin count's variance is inflated by its own
// factor, and X² is then a weighted sum of χ²₁ variables with weights above 1: compared with the
// χ² quantile at α = 0.001 its real level is several times α. Batch means estimate each
// statistic's variance from the chain itself instead.
//
// The test: split the chain into B consecutive batches of L draws. A bin's frequency within batch
// b, f_b, has mean p (the exact bin probability) under the null hypothesis. When L is long
// against the integrated autocorrelation time τ, the batch frequencies are nearly independent
// and, by the Markov-chain central limit theorem, nearly normal, so
//
//     t = (f̄ − p) / (s/√B),   s² = Σ_b (f_b − f̄)² / (B − 1),
//
// is Student-t with B − 1 degrees of freedom. Over K bins (or K observables) the Bonferroni bound
// P(any |t_k| > c) ≤ Σ_k P(|t_k| > c) = α holds with c = t_{B−1}(1 − α/(2K)), whatever the
// correlation between the bins. The residual correlation ρ of neighbouring batch means is
// ≈ τ/(2L) for an exponentially decaying autocorrelation: the variance of the grand mean is then
// ≈ (1 + 2ρ)·σ_b²/B while s²/B estimates σ_b²/B, so the standard error comes out low by a
// relative ≈ ρ. Callers check L ≥ 20τ, i.e. ρ ≤ 0.025: with 10 ≤ B ≤ 50 and K ≤ 20 the true
// family-wise level is then at most 0.0015 for a nominal 0.001 (2K·P(t_{B−1} > 0.975·c): 0.0012
// at B = 10, 0.0014 at B = 50, scipy).

/// The Student-t quantile t_ν(q) for q ∈ (½, 1), by bisection on the upper tail
/// ½ − ∫₀ˣ f_ν(u) du with the density f_ν(u) = Γ((ν+1)/2)/(√(νπ) Γ(ν/2)) (1 + u²/ν)^{−(ν+1)/2}
/// integrated by Simpson's rule on 4000 intervals (error ≲ 1e-12 for x ≤ 10, far below the 1e-3
/// relative accuracy critical values need). Checked in `studentQuantileMatchesTableValues`.
func studentTQuantile(_ q: Double, degreesOfFreedom nu: Int) -> Double {
    precondition(q > 0.5 && q < 1 && nu >= 1)
    let v = Double(nu)
    let logNorm = lgamma((v + 1) / 2) - lgamma(v / 2) - 0.5 * log(v * Double.pi)
    func density(_ u: Double) -> Double { exp(logNorm - (v + 1) / 2 * log1p(u * u / v)) }
    func upperTail(_ x: Double) -> Double {
        let n = 4000
        let h = x / Double(n)
        var s = density(0) + density(x)
        for i in 1..<n { s += (i % 2 == 1 ? 4 : 2) * density(Double(i) * h) }
        return 0.5 - s * h / 3
    }
    var lo = 0.0, hi = 1.0
    while upperTail(hi) > 1 - q { hi *= 2 }
    for _ in 0..<60 {
        let mid = 0.5 * (lo + hi)
        if upperTail(mid) > 1 - q { lo = mid } else { hi = mid }
    }
    return 0.5 * (lo + hi)
}

@Test func studentQuantileMatchesTableValues() {
    // scipy.stats.t.ppf(q, ν), an independent implementation (Cephes' incomplete beta inverse).
    let table: [(q: Double, nu: Int, value: Double)] = [
        (0.975, 49, 2.0095752371292392), (1 - 0.001 / 20, 49, 4.235725936988712),
        (1 - 0.001 / 40, 49, 4.446906601340235), (1 - 0.001 / 2, 19, 3.883405852592131),
        (1 - 0.001 / 40, 99, 4.241508067407514),
    ]
    for row in table {
        let x = studentTQuantile(row.q, degreesOfFreedom: row.nu)
        #expect(abs(x - row.value) < 1e-8 * row.value, "t_\(row.nu)(\(row.q)) = \(x), table \(row.value)")
    }
}

/// Batch means of one scalar series: the mean, its standard error s/√B and the Student-t
/// statistic against `exact` (see the derivation above).
struct BatchMeansEstimate {
    var mean: Double
    var standardError: Double
    var batches: Int
    func t(against exact: Double) -> Double { (mean - exact) / standardError }
}

func batchMeansEstimate(_ xs: [Double], batches b: Int) -> BatchMeansEstimate {
    let size = xs.count / b
    precondition(size >= 1)
    let means = (0..<b).map { k in xs[(k * size)..<((k + 1) * size)].reduce(0, +) / Double(size) }
    let m = means.reduce(0, +) / Double(b)
    let v = means.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(b - 1)
    return BatchMeansEstimate(mean: m, standardError: (v / Double(b)).squareRoot(), batches: b)
}

/// The result of a binned batch-means test: per-bin frequencies and t statistics, and the
/// Bonferroni critical value at family-wise level α.
struct BinnedBatchTest {
    var frequencies: [Double]
    var probabilities: [Double]
    var t: [Double]
    var critical: Double
    var passes: Bool { t.allSatisfy { abs($0) <= critical } }
    var worst: Double { t.map(abs).max() ?? 0 }
    var report: String {
        (0..<t.count).map { "bin \($0): \(String(format: "%.4f", frequencies[$0])) vs \(String(format: "%.4f", probabilities[$0])) (t \(String(format: "%.1f", t[$0])))" }
            .joined(separator: "; ") + "; critical \(String(format: "%.2f", critical))"
    }
}

/// Tests the bin frequencies of `samples` against `probabilities` (bins delimited by the K − 1
/// increasing interior `edges`) by batch means over `batches` consecutive batches, at family-wise
/// level `alpha` over the K bins. Samples beyond the last whole batch are left out.
func binnedBatchMeansTest(_ samples: [Double], edges: [Double], probabilities: [Double], batches b: Int = 50,
                          alpha: Double = 0.001) -> BinnedBatchTest {
    let k = probabilities.count
    precondition(edges.count == k - 1 && b >= 2 && samples.count >= b)
    let size = samples.count / b
    var perBatch = [[Double]](repeating: [Double](repeating: 0, count: k), count: b)
    for (index, x) in samples[0..<(b * size)].enumerated() {
        var bin = 0
        while bin < k - 1 && x >= edges[bin] { bin += 1 }
        perBatch[index / size][bin] += 1 / Double(size)
    }
    var frequencies = [Double](), t = [Double]()
    for bin in 0..<k {
        let estimate = batchMeansEstimate(perBatch.map { $0[bin] }, batches: b)
        frequencies.append(estimate.mean)
        t.append(estimate.t(against: probabilities[bin]))
    }
    let critical = studentTQuantile(1 - alpha / (2 * Double(k)), degreesOfFreedom: b - 1)
    return BinnedBatchTest(frequencies: frequencies, probabilities: probabilities, t: t, critical: critical)
}
