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

    // x itself carries the slowest mode (hopping between the wells); batches of 4000 moves must
    // be ≥ 20τ long for the batch-means test (SamplerStatistics.swift).
    let tau = integratedAutocorrelationTime(chain)
    #expect(Double(moves / 50) >= 20 * tau, "τ = \(tau)")

    // Equiprobable bins from the exact CDF, so every bin expects 1/K.
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
    // Per-bin Student-t tests on 50 batch means, Bonferroni over the 20 bins (family-wise level
    // 0.001, ≤ 0.0015 with the residual correlation L ≥ 20τ allows).
    let test = binnedBatchMeansTest(chain, edges: edges, probabilities: [Double](repeating: 1 / Double(bins), count: bins))
    #expect(test.passes, "τ = \(tau); \(test.report)")
}

/// Exact bin probabilities of the Boltzmann density ∝ exp(−λx) on [0, 1] for `bins` equal bins:
/// (e^{−λa} − e^{−λb}) / (1 − e^{−λ}) for the bin [a, b].
func exponentialBinProbabilities(rate lambda: Double, bins: Int) -> [Double] {
    (0..<bins).map { b in
        let a = Double(b) / Double(bins), c = Double(b + 1) / Double(bins)
        return (exp(-lambda * a) - exp(-lambda * c)) / (1 - exp(-lambda))
    }
}

@Test func metropolisSamplesBoltzmannAtTheWalls() {
    // V = 2x on [0, 1] at T = 1: the density e^{−2x} is largest at the lower wall and still e^{−2}
    // of that at the upper one, and a step of 0.6 of the box folds most proposals at a wall, often
    // more than once. Reflection keeps the proposal symmetric (the periodic fold, see
    // `boxReflectionIsThePeriodicFoldThatKeepsBeadProposalsSymmetric`), so the chain is exact.
    let landscape = TiltedUnitBox(tilt: 2)
    var objective = plainObjective(landscape, budget: .infinity)
    var rng = Xoshiro256(seed: 2026)
    let start = [0.99]
    var sampler = MetropolisSampler(start: start, value: landscape.value(at: start), box: landscape.domain,
                                    scale: 0.6, temperature: 1, targetAcceptance: 0.234, batchSize: 50, adapts: false)
    for _ in 0..<2_000 { sampler.step(&objective, using: &rng) }
    let moves = 100_000
    var chain = [Double](repeating: 0, count: moves)
    for k in 0..<moves {
        sampler.step(&objective, using: &rng)
        chain[k] = sampler.x[0]
    }
    let tau = integratedAutocorrelationTime(chain)
    #expect(Double(moves / 50) >= 20 * tau, "τ = \(tau)")
    let test = binnedBatchMeansTest(chain, edges: (1..<10).map { Double($0) / 10 },
                                    probabilities: exponentialBinProbabilities(rate: 2, bins: 10))
    #expect(test.passes, "τ = \(tau); \(test.report)")
}
