import Foundation
import Landscapes
import Testing
@testable import Optimizers

/// Pearson's X² of `samples` against the Boltzmann distribution exp(−V/T) on [lo, hi], in `bins`
/// equiprobable bins computed from the exact CDF (the construction of the `sa` equilibrium test).
func boltzmannChiSquare(_ samples: [Double], _ v: (Double) -> Double, temperature: Double,
                        lo: Double, hi: Double, bins: Int) -> (chiSquare: Double, expected: Double) {
    let (grid, cdf) = boltzmannCDF(v, temperature: temperature, lo: lo, hi: hi, intervals: 40_000)
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
    let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    return (chiSquare, expected)
}

@Test func everyReplicaSamplesItsBoltzmannDistributionAtFixedTemperatures() {
    let well = DoubleWell1D(height: 1, tilt: 0.25)
    // Four rungs from T = 1 (barrier ≈ T: the hot replica hops freely) down to T = 0.25 (barrier 4T,
    // the `sa` test's temperature), geometric as `pt` builds them.
    let temperatures = ParallelTempering.ladder(hot: 1, cold: 0.25, count: 4)
    var objective = plainObjective(well, budget: .infinity)
    var rng = Xoshiro256(seed: 2025)
    let start = [0.97]  // the shallow well: every rung must find its way to the right weights
    var exchange = ReplicaExchange(start: start, value: well.value(at: start), box: well.domain, scale: 0.1,
                                   temperatures: temperatures, targetAcceptance: 0.234, batchSize: 50, adapts: true)
    // Burn-in with adaptation, then freeze every step size so the chain satisfies detailed balance.
    for _ in 0..<10_000 {
        exchange.sweep(&objective, using: &rng)
        exchange.attemptSwaps(using: &rng)
    }
    exchange.adapts = false
    let sweeps = 100_000
    var chains = [[Double]](repeating: [Double](repeating: 0, count: sweeps), count: temperatures.count)
    for t in 0..<sweeps {
        exchange.sweep(&objective, using: &rng)
        exchange.attemptSwaps(using: &rng)
        for k in temperatures.indices { chains[k][t] = exchange.replicas[k].x[0] }
    }
    #expect(objective.failure == nil)
    // Swaps happen between every pair of neighbours (with ratio 1.59 between rungs, the energy
    // distributions overlap widely).
    for k in 0..<(temperatures.count - 1) {
        #expect(exchange.swapsAccepted[k] > exchange.swapsProposed[k] / 10,
                "pair \(k): \(exchange.swapsAccepted[k]) of \(exchange.swapsProposed[k]) swaps accepted")
    }
    for (k, temperature) in temperatures.enumerated() {
        // Thin by ⌈τ⌉ (lag-one correlation then ≈ e^{-2}, inflating X² by ≲ 1.3, as in the sa test).
        let tau = integratedAutocorrelationTime(chains[k])
        let stride = Int(tau.rounded(.up))
        let samples = Swift.stride(from: 0, to: sweeps, by: stride).map { chains[k][$0] }
        let (chiSquare, expected) = boltzmannChiSquare(samples, { well.value(at: [$0]) }, temperature: temperature,
                                                       lo: -2, hi: 2, bins: 20)
        #expect(expected >= 5, "rung \(k): only \(samples.count) samples after thinning by \(stride)")
        // Pearson's test at α = 0.001 per rung (family-wise ≤ 0.004 over 4 rungs), K − 1 = 19
        // degrees of freedom: χ²_{19, 0.999} = 43.82.
        #expect(chiSquare < 43.82, "rung \(k), T = \(temperature): X² = \(chiSquare), τ = \(tau), n = \(samples.count)")
    }
}

@Test func ladderIsGeometricFromHotToCold() {
    let ladder = ParallelTempering.ladder(hot: 8, cold: 1, count: 4)
    #expect(ladder.count == 4 && ladder.first == 8 && ladder.last == 1)
    for k in 1..<4 { #expect(abs(ladder[k - 1] / ladder[k] - 2) < 1e-12) }
    #expect(ParallelTempering.ladder(hot: 3, cold: 1, count: 1) == [3])
}

@Test func swapsCostNoBudget() throws {
    // R replicas and a budget that is a multiple of R: after f(start) and the temperature rule's
    // 100 charged calibration probes, every evaluation is one replica move, so the count is exact.
    let optimizer = try OptimizerCatalog.make("pt", overrides: ["replicas": "4"])
    var objective = plainObjective(DoubleWell1D(), budget: 101 + 4 * 500)
    _ = run(optimizer, &objective, from: [0.97], seed: 5)
    #expect(objective.evaluations == 1 + 4 * 500)
    #expect(objective.calibrationEvaluations == 100)
    #expect(objective.spent == 101 + 4 * 500)
}
