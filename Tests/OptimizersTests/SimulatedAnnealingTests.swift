import Foundation
import Landscapes
import Testing
@testable import Optimizers

/// τ = 1 + 2 Σ_{t=1}^{M} ρ(t), the integrated autocorrelation time in the convention where the
/// variance of a mean of n samples is τ·σ²/n, with Sokal's automatic window: the smallest M with
/// M ≥ c·τ(M), c = 5 (Sokal 1997, "Monte Carlo methods in statistical mechanics", §3).
func integratedAutocorrelationTime(_ series: [Double], window c: Double = 5) -> Double {
    let n = series.count
    let mean = series.reduce(0, +) / Double(n)
    let d = series.map { $0 - mean }
    let c0 = d.reduce(0) { $0 + $1 * $1 } / Double(n)
    var tau = 1.0
    for t in 1..<(n / 2) {
        var s = 0.0
        for i in 0..<(n - t) { s += d[i] * d[i + t] }
        tau += 2 * s / Double(n) / c0
        if Double(t) >= c * tau { break }
    }
    return tau
}

/// The Boltzmann CDF F(x) ∝ ∫_lo^x exp(−V/T) on a uniform grid (composite trapezoid rule; with
/// 40 000 intervals its relative error is ~1e-9, far below the ~1e-2 sampling error tested).
func boltzmannCDF(_ v: (Double) -> Double, temperature: Double, lo: Double, hi: Double, intervals: Int)
    -> (grid: [Double], cdf: [Double]) {
    let h = (hi - lo) / Double(intervals)
    let grid = (0...intervals).map { lo + Double($0) * h }
    let weight = grid.map { exp(-v($0) / temperature) }
    var cdf = [Double](repeating: 0, count: intervals + 1)
    for i in 1...intervals { cdf[i] = cdf[i - 1] + 0.5 * h * (weight[i - 1] + weight[i]) }
    let z = cdf[intervals]
    return (grid, cdf.map { $0 / z })
}

/// How much the residual correlation after thinning by ⌈τ⌉ can inflate Pearson's X², so that
/// X² < c·χ²_{K−1, 1−α} is a test of level ≤ α on the thinned chain.
///
/// For a reversible chain the autocorrelation of any observable is a positive mixture of the
/// chain's modes, so every bin indicator decorrelates at least as fast as the slowest mode,
/// ρ(t) ≤ e^{−t/t₁}. The tests estimate τ on x, which is dominated by that mode (the hops between
/// wells), so τ ≈ 2t₁ and the chain thinned by s = ⌈τ⌉ has ρ(k) ≤ r^k with r = e^{−s/t₁} ≤ e^{−2}.
/// The covariance of the bin counts is then at most (1 + 2Σ_k r^k) = (1 + r)/(1 − r) times the
/// multinomial one, so X² is stochastically below c·χ²_{K−1} with c = (1 + e^{−2})/(1 − e^{−2})
/// ≈ 1.313. (Keeping the plain critical value would give a real level up to ≈ 0.02.)
let thinnedChiSquareInflation = (1 + exp(-2.0)) / (1 - exp(-2.0))

@Test func simulatedAnnealingSamplesBoltzmannAtFixedTemperature() {
    let well = DoubleWell1D(height: 1, tilt: 0.25)
    // The barrier (≈ 1) is 4T: hops between the wells are rare enough that τ ≫ 1 and frequent
    // enough that both wells are sampled in proportion within 200 000 moves.
    let temperature = 0.25
    var objective = plainObjective(well, budget: .infinity)
    var rng = Xoshiro256(seed: 2024)
    let start = [-1.0]
    var sampler = MetropolisSampler(start: start, value: well.value(at: start), box: well.domain,
                                    scale: 0.1, temperature: temperature, targetAcceptance: 0.234,
                                    batchSize: 50, adapts: true)
    // Burn-in with adaptation, then freeze the step so the chain satisfies detailed balance.
    for _ in 0..<10_000 { sampler.step(&objective, using: &rng) }
    sampler.adapts = false
    sampler.resetCounters()
    let moves = 200_000
    var chain = [Double](repeating: 0, count: moves)
    for k in 0..<moves {
        sampler.step(&objective, using: &rng)
        chain[k] = sampler.x[0]
    }
    #expect(objective.failure == nil)
    // The frozen step is near its target: over the last half of the 200 adaptation batches the
    // Robbins–Monro noise in log s has standard deviation ≈ 0.06·√(ln 2) ≈ 0.05 (gain 1/√k times the
    // batch rate's standard error √(0.234·0.766/50) ≈ 0.06), i.e. ≈ 0.015 in the acceptance rate
    // (whose slope in log s is ≈ −0.3 here); 0.05 is about 3 of those.
    #expect(abs(sampler.acceptanceRate - 0.234) < 0.05, "acceptance \(sampler.acceptanceRate)")

    // x itself carries the slowest mode (hopping between the wells). Thinning by ⌈τ⌉ leaves a
    // correlation; `thinnedChiSquareInflation` bounds what it does to X², and the critical value
    // is scaled by that bound.
    let tau = integratedAutocorrelationTime(chain)
    let stride = Int(tau.rounded(.up))
    let samples = Swift.stride(from: 0, to: moves, by: stride).map { chain[$0] }

    // Equiprobable bins from the exact CDF, so every bin expects n/K ≥ 5 samples.
    let bins = 20
    let (grid, cdf) = boltzmannCDF({ well.value(at: [$0]) }, temperature: temperature,
                                   lo: -2, hi: 2, intervals: 40_000)
    var edges = [Double]()
    var j = 0
    for b in 1..<bins {
        let q = Double(b) / Double(bins)
        while cdf[j + 1] < q { j += 1 }
        edges.append(grid[j] + (q - cdf[j]) / (cdf[j + 1] - cdf[j]) * (grid[j + 1] - grid[j]))
    }
    var counts = [Int](repeating: 0, count: bins)
    for x in samples { counts[edges.firstIndex(where: { x < $0 }) ?? bins - 1] += 1 }
    let expected = Double(samples.count) / Double(bins)
    #expect(expected >= 5, "only \(samples.count) samples after thinning by \(stride)")
    let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    // Pearson's test at level α ≤ 0.001 with K − 1 = 19 degrees of freedom: critical value
    // χ²_{19, 0.999} = 43.82 (the table value; scipy.stats.chi2.ppf(0.999, 19) = 43.8202) times the
    // inflation bound, 57.54. Comparing with the Boltzmann CDF at 1.1·T instead gives X² = 211
    // with this seed, so a 10% error in the temperature is seen.
    let critical = 43.82 * thinnedChiSquareInflation
    #expect(chiSquare < critical, "X² = \(chiSquare) ≥ \(critical), τ = \(tau), n = \(samples.count), counts \(counts)")
}

/// The same equilibrium test where the walls matter: at T = 4 the Boltzmann density at the faces
/// x = ±2 is 9–11% of its peak and the adapted step is a sizeable part of the box, so a large
/// share of proposals leaves the box and is reflected back. The reflected Gaussian proposal is
/// symmetric (q(x→y) = q(y→x), a sum over mirror images), so the chain must still sample
/// exp(−V/T) exactly; a proposal that were clipped to the faces, or mirrored about the wrong one,
/// would not. The test asserts that walls matter here: a proposal from within one step σ of a
/// face crosses it with probability ≥ Φ(−1) ≈ 15.9%, and the exact Boltzmann mass within σ of the faces
/// is at least 10%.
@Test func simulatedAnnealingSamplesBoltzmannWhereTheWallsMatter() {
    let well = DoubleWell1D(height: 1, tilt: 0.25)
    let temperature = 4.0
    var objective = plainObjective(well, budget: .infinity)
    var rng = Xoshiro256(seed: 2026)
    let start = [-1.0]
    var sampler = MetropolisSampler(start: start, value: well.value(at: start), box: well.domain,
                                    scale: 0.1, temperature: temperature, targetAcceptance: 0.234,
                                    batchSize: 50, adapts: true)
    for _ in 0..<10_000 { sampler.step(&objective, using: &rng) }
    sampler.adapts = false
    let sigma = sampler.scale * 4  // the proposal's standard deviation: scale × box width
    let (grid, cdf) = boltzmannCDF({ well.value(at: [$0]) }, temperature: temperature, lo: -2, hi: 2, intervals: 40_000)
    let nearWalls = cdf[grid.firstIndex { $0 >= -2 + sigma }!] + (1 - cdf[grid.firstIndex { $0 >= 2 - sigma }!])
    #expect(nearWalls >= 0.10, "only \(nearWalls) of the Boltzmann mass lies within σ = \(sigma) of the walls")
    let moves = 200_000
    var chain = [Double](repeating: 0, count: moves)
    for k in 0..<moves {
        sampler.step(&objective, using: &rng)
        chain[k] = sampler.x[0]
    }
    #expect(objective.failure == nil)
    let tau = integratedAutocorrelationTime(chain)
    let stride = Int(tau.rounded(.up))
    let samples = Swift.stride(from: 0, to: moves, by: stride).map { chain[$0] }
    let (chiSquare, expected) = boltzmannChiSquare(samples, { well.value(at: [$0]) }, temperature: temperature,
                                                   lo: -2, hi: 2, bins: 20)
    #expect(expected >= 5, "only \(samples.count) samples after thinning by \(stride)")
    // Level ≤ 0.001 as in the test above: χ²_{19, 0.999} = 43.82 times the thinning bound.
    let critical = 43.82 * thinnedChiSquareInflation
    #expect(chiSquare < critical, "X² = \(chiSquare) ≥ \(critical), τ = \(tau), n = \(samples.count), σ = \(sigma)")
}
