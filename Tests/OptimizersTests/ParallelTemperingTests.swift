import Foundation
import Landscapes
import Testing
@testable import Optimizers

/// The per-bin batch-means test of `samples` against the Boltzmann distribution exp(−V/T) on
/// [lo, hi], in `bins` equiprobable bins computed from the exact CDF (the construction of the `sa`
/// equilibrium test), at family-wise level `alpha` over the bins.
func boltzmannBinTest(_ samples: [Double], _ v: (Double) -> Double, temperature: Double,
                      lo: Double, hi: Double, bins: Int, alpha: Double) -> BinnedBatchTest {
    let (grid, cdf) = boltzmannCDF(v, temperature: temperature, lo: lo, hi: hi, intervals: 40_000)
    var edges = [Double]()
    var j = 0
    for b in 1..<bins {
        let q = Double(b) / Double(bins)
        while cdf[j + 1] < q { j += 1 }
        edges.append(grid[j] + (q - cdf[j]) / (cdf[j + 1] - cdf[j]) * (grid[j + 1] - grid[j]))
    }
    return binnedBatchMeansTest(samples, edges: edges, probabilities: [Double](repeating: 1 / Double(bins), count: bins),
                                alpha: alpha)
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
    // The swap counters at the start of each of 50 batches of sweeps, for the acceptance's batch means.
    var snapshots = [(proposed: [Int], accepted: [Int])]()
    for t in 0..<sweeps {
        if t % (sweeps / 50) == 0 { snapshots.append((exchange.swapsProposed, exchange.swapsAccepted)) }
        exchange.sweep(&objective, using: &rng)
        exchange.attemptSwaps(using: &rng)
        for k in temperatures.indices { chains[k][t] = exchange.replicas[k].x[0] }
    }
    snapshots.append((exchange.swapsProposed, exchange.swapsAccepted))
    #expect(objective.failure == nil)
    // Each pair's swap acceptance (what `pt` reports) against its equilibrium value, the double
    // integral ∫∫ p_k(x) p_{k+1}(y) min(1, e^{(β_k − β_{k+1})(V(x) − V(y))}) dx dy over the two rungs'
    // Boltzmann densities, by the midpoint rule on 800 × 800 cells (its error is far below the
    // tolerance); within 4.5 batch-means standard errors (family-wise α ≈ 2·10⁻⁵ over 3 pairs).
    let cells = 800, width = 4.0 / Double(cells)
    let grid = (0..<cells).map { -2 + (Double($0) + 0.5) * width }
    let energies = grid.map { well.value(at: [$0]) }
    func density(_ t: Double) -> [Double] {
        let w = energies.map { exp(-$0 / t) }
        let z = w.reduce(0, +)
        return w.map { $0 / z }
    }
    for k in 0..<(temperatures.count - 1) {
        let (p, q) = (density(temperatures[k]), density(temperatures[k + 1]))
        let dBeta = 1 / temperatures[k] - 1 / temperatures[k + 1]
        var exact = 0.0
        for i in 0..<cells { for j in 0..<cells { exact += p[i] * q[j] * min(1, exp(dBeta * (energies[i] - energies[j]))) } }
        let batches = (0..<50).map { b -> Double in
            let proposed = snapshots[b + 1].proposed[k] - snapshots[b].proposed[k]
            return Double(snapshots[b + 1].accepted[k] - snapshots[b].accepted[k]) / Double(proposed)
        }
        let mean = batches.reduce(0, +) / 50
        let se = (batches.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 49 / 50).squareRoot()
        #expect(abs(mean - exact) < 4.5 * se, "pair \(k): measured \(mean) ± \(se), equilibrium \(exact)")
        #expect(exact > 0.1, "pair \(k): the rungs' energy distributions overlap (equilibrium acceptance \(exact))")
    }
    for (k, temperature) in temperatures.enumerated() {
        // Batch means, no thinning (SamplerStatistics.swift): batches of 2000 sweeps, ≥ 20τ.
        let tau = integratedAutocorrelationTime(chains[k])
        #expect(Double(sweeps / 50) >= 20 * tau, "rung \(k): τ = \(tau)")
        // Family-wise α = 0.001 over 4 rungs × 20 bins (Bonferroni: 0.00025 per rung).
        let test = boltzmannBinTest(chains[k], { well.value(at: [$0]) }, temperature: temperature,
                                    lo: -2, hi: 2, bins: 20, alpha: 0.00025)
        #expect(test.passes, "rung \(k), T = \(temperature): τ = \(tau); \(test.report)")
    }
}

@Test func everyReplicaSamplesItsBoltzmannDistributionAtTheWalls() {
    // V = 2x on [0, 1] and rungs T = 2 … 0.5: every rung's density e^{−2x/T} is shaped by the
    // walls (reflected proposals fold there); exact bin probabilities in closed form.
    let landscape = TiltedUnitBox(tilt: 2)
    let temperatures = ParallelTempering.ladder(hot: 2, cold: 0.5, count: 3)
    var objective = plainObjective(landscape, budget: .infinity)
    var rng = Xoshiro256(seed: 2027)
    let start = [0.99]
    var exchange = ReplicaExchange(start: start, value: landscape.value(at: start), box: landscape.domain, scale: 0.6,
                                   temperatures: temperatures, targetAcceptance: 0.234, batchSize: 50, adapts: false)
    for _ in 0..<1_000 {
        exchange.sweep(&objective, using: &rng)
        exchange.attemptSwaps(using: &rng)
    }
    let sweeps = 50_000
    var chains = [[Double]](repeating: [Double](repeating: 0, count: sweeps), count: temperatures.count)
    for t in 0..<sweeps {
        exchange.sweep(&objective, using: &rng)
        exchange.attemptSwaps(using: &rng)
        for k in temperatures.indices { chains[k][t] = exchange.replicas[k].x[0] }
    }
    for (k, temperature) in temperatures.enumerated() {
        let tau = integratedAutocorrelationTime(chains[k])
        #expect(Double(sweeps / 50) >= 20 * tau, "rung \(k): τ = \(tau)")
        // Family-wise α = 0.001 over the 3 rungs.
        let test = binnedBatchMeansTest(chains[k], edges: (1..<10).map { Double($0) / 10 },
                                        probabilities: exponentialBinProbabilities(rate: 2 / temperature, bins: 10),
                                        alpha: 0.001 / 3)
        #expect(test.passes, "rung \(k), T = \(temperature): τ = \(tau); \(test.report)")
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
    let optimizer = try makeContinuousOptimizer("pt", overrides: ["replicas": "4"])
    var objective = plainObjective(DoubleWell1D(), budget: 101 + 4 * 500)
    _ = run(optimizer, &objective, from: [0.97], seed: 5)
    #expect(objective.evaluations == 1 + 4 * 500)
    #expect(objective.calibrationEvaluations == 100)
    #expect(objective.spent == 101 + 4 * 500)
}

/// On f ≡ 0 every swap has ΔE = 0 and is accepted: `pt` reports an acceptance of 1 for each of
/// its R − 1 neighbour pairs, hottest first; with R = 1 there is no pair and an empty report.
@Test func ptReportsItsSwapAcceptancePerNeighbourPair() throws {
    for (replicas, pairs) in [(8, 7), (3, 2), (1, 0)] {
        var objective = plainObjective(Flat(domain: Box(cube: -1, 1, dimension: 2)), budget: 4000)
        _ = run(try makeContinuousOptimizer("pt", overrides: ["replicas": String(replicas)]), &objective, from: [0.1, 0.2], seed: 3)
        #expect(objective.diagnostics == [Diagnostic(name: "swap-acceptance", values: [Double](repeating: 1, count: pairs))])
    }
}

/// One adaptation step, by hand: gaps (1, 1, 1) with acceptances (0.9, 0.5, 0.1), mean 0.5, gain 1
/// become (e^0.4, 1, e^−0.4) rescaled to sum 3; an unmeasured pair (NaN) keeps its gap before the
/// rescaling. The ladder built from gaps runs from T_max down to exactly T_min.
@Test func ptAdaptiveMovesGapsTowardEqualAcceptanceKeepingTheEnds() {
    let moved = AdaptiveParallelTempering.adapted(gaps: [1, 1, 1], acceptance: [0.9, 0.5, 0.1], gain: 1)
    let raw = [exp(0.4), 1, exp(-0.4)], total = raw.reduce(0, +)
    for k in 0..<3 { #expect(abs(moved[k] - 3 * raw[k] / total) < 1e-14) }
    let partial = AdaptiveParallelTempering.adapted(gaps: [1, 2], acceptance: [0.3, .nan], gain: 1)
    #expect(abs(partial[0] - 1) < 1e-15 && abs(partial[1] - 2) < 1e-15)
    let ladder = AdaptiveParallelTempering.ladder(hot: 10, cold: 0.01, gaps: [Double](repeating: log(1000) / 3, count: 3))
    #expect(ladder.count == 4 && ladder[0] == 10 && ladder[3] == 0.01)
    for (t, g) in zip(ladder, ParallelTempering.ladder(hot: 10, cold: 0.01, count: 4)) { #expect(abs(t / g - 1) < 1e-12) }
}

/// Where the geometric ladder is far from equal acceptance (the tilted double well of the
/// equilibrium test above, from T = 2 to 0.002, eight rungs: pt's acceptance dips from 0.76 to 0.57
/// where the rungs cross the barrier's temperature, a range of 0.19 when written), the adapted
/// ladder's acceptance after the burn-in spans less than half of pt's range (0.047 when written),
/// on the same budget and seed; its reported ladder keeps the ends and decreases. Without a burn-in it is pt's ladder and pt's acceptance, to the last digit.
@Test func ptAdaptiveEvensOutTheSwapAcceptanceOfAnUnevenLadder() throws {
    let well = DoubleWell1D(height: 1, tilt: 0.25)
    let settings = ["max-temperature": "2", "min-temperature": "0.002"]
    func acceptance(_ name: String, _ extra: [String: String] = [:]) throws -> (range: Double, report: [Diagnostic]) {
        var objective = plainObjective(well, budget: 200_000)
        _ = run(try makeContinuousOptimizer(name, overrides: settings.merging(extra) { $1 }), &objective, from: [0.97], seed: 12)
        let values = try #require(objective.diagnostics.first { $0.name == "swap-acceptance" }).values
        return (values.max()! - values.min()!, objective.diagnostics)
    }
    let fixed = try acceptance("pt"), adapted = try acceptance("pt-adaptive")
    #expect(fixed.range > 0.15, "pt's acceptance range \(fixed.range): the geometric ladder is not uneven here")
    #expect(adapted.range < fixed.range / 2, "pt \(fixed.range), pt-adaptive \(adapted.range)")
    let ladder = try #require(adapted.report.first { $0.name == "temperatures" }).values
    #expect(ladder.count == 8 && ladder.first == 2 && ladder.last == 0.002 && zip(ladder, ladder.dropFirst()).allSatisfy { $0 > $1 })
    let none = try acceptance("pt-adaptive", ["burn-in": "0"])
    #expect(none.report.first { $0.name == "swap-acceptance" } == fixed.report.first { $0.name == "swap-acceptance" })
}
