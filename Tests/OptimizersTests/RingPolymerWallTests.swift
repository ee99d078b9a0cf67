import Foundation
import Landscapes
import Testing
@testable import Optimizers

// The ring polymer's moves against the exact bead marginal where the box's hard walls matter:
// the target density is exp(−S) restricted to the box (zero outside), and a move that treats a
// proposal outside the box wrongly (folding it back while accepting as if it were not folded)
// shows as a wrong weight of the outer tenths.

/// V(x) = tilt·x on [0, 1]: tilt 0 is the free ring polymer, whose bead marginal is shaped by the
/// walls alone.
struct TiltedUnitBox: ContinuousLandscape {
    var tilt: Double
    var dimension: Int { 1 }
    var domain: Box { Box(cube: 0, 1, dimension: 1) }
    var optimum: KnownOptimum { .unknown }
    var gradCost: Double { 1 }
    func value(at x: [Double]) -> Double { tilt * x[0] }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = tilt
        return value(at: x)
    }
}

/// The exact probabilities of `bins` equal-width bins of [0, 1] for one bead of the P-bead ring
/// polymer on the box, from the transfer-matrix marginal diag(K^P) (`ringMarginal`, midpoint rule).
/// The midpoint rule's error is O(h²) for the smooth integrand on [0, 1] (the walls only truncate
/// the domain); Richardson extrapolation of 200 and 400 cells, (4·p₄₀₀ − p₂₀₀)/3, removes it to
/// O(h⁴). The returned discrepancy |p₄₀₀ − p₂₀₀| (≈ 3 × the error of p₄₀₀) bounds what is left.
func wallBinProbabilities(tilt: Double, beads p: Int, temperature: Double, gamma: Double, kinetic: KineticTerm,
                          bins: Int) -> (probabilities: [Double], discrepancy: Double) {
    func probabilities(cells: Int) -> [Double] {
        let (_, density) = ringMarginal(potential: { tilt * $0 }, beads: p, temperature: temperature, gamma: gamma,
                                        kinetic: kinetic, lo: 0, hi: 1, cells: cells)
        let perBin = cells / bins, h = 1 / Double(cells)
        return (0..<bins).map { b in density[(b * perBin)..<((b + 1) * perBin)].reduce(0, +) * h }
    }
    let coarse = probabilities(cells: 200), fine = probabilities(cells: 400)
    let extrapolated = zip(fine, coarse).map { (4 * $0 - $1) / 3 }
    return (extrapolated, zip(fine, coarse).map { abs($0 - $1) }.max()!)
}

/// Which moves one round of a wall test makes.
enum WallMix: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case bead, staging2, staging3, stagingWholeRing, translationAndBead, sweep
    case relativisticBead, relativisticSweep
    var testDescription: String { rawValue }
    var kinetic: KineticTerm { self == .relativisticBead || self == .relativisticSweep ? .relativistic : .quadratic }
}

/// Runs `mix` on the P = 4 ring polymer in [0, 1] at T = 1 with link sd σ = 0.35 (Γ = σ²P/(2β);
/// for the relativistic kinetic term the Cauchy link's half-width cε is the same 0.35),
/// and returns every bead's position after every round, with τ of bead 0's series.
func wallChain(_ mix: WallMix, tilt: Double, rounds: Int, seed: UInt64) -> (samples: [Double], tau: Double, failure: Bool) {
    let p = 4, temperature = 1.0, sigma = 0.35
    let gamma = sigma * sigma * Double(p) * temperature / 2
    let landscape = TiltedUnitBox(tilt: tilt)
    var objective = plainObjective(landscape, budget: .infinity)
    var rng = Xoshiro256(seed: seed)
    // Start at the wall: every bead at 0.05, so burn-in must carry the polymer across the box.
    let start = [0.05]
    // Bead step 0.6 of the box: most proposals cross a wall, many fold more than once.
    var sampler = RingPolymerSampler(start: start, value: landscape.value(at: start), beads: p,
                                     box: landscape.domain, temperature: temperature, gamma: gamma,
                                     kinetic: mix.kinetic, beadScale: 0.6, translationScale: 0.3, stagingLength: 3, adapts: false)
    func round() {
        switch mix {
        case .bead, .relativisticBead: for _ in 0..<p { sampler.beadMove(&objective, using: &rng) }
        case .staging2: for _ in 0..<p { sampler.stagingMove(&objective, length: 2, using: &rng) }
        case .staging3: for _ in 0..<2 { sampler.stagingMove(&objective, length: 3, using: &rng) }
        case .stagingWholeRing: sampler.stagingMove(&objective, length: p, using: &rng)
        case .translationAndBead:
            for _ in 0..<p { sampler.beadMove(&objective, using: &rng) }
            sampler.translationMove(&objective, using: &rng)
        case .sweep, .relativisticSweep: sampler.sweep(&objective, using: &rng)
        }
    }
    for _ in 0..<2_000 { round() }
    var samples = [Double](), first = [Double]()
    samples.reserveCapacity(rounds * p)
    first.reserveCapacity(rounds)
    for _ in 0..<rounds {
        round()
        samples.append(contentsOf: sampler.beads)
        first.append(sampler.beads[0])
    }
    return (samples, integratedAutocorrelationTime(first), objective.failure != nil)
}

/// The wall test proper: 10 equal bins of the box, the outer tenths among them, by batch means.
func checkWallMarginal(_ mix: WallMix, tilt: Double, rounds: Int, seed: UInt64) {
    let p = 4, sigma = 0.35
    let exact = wallBinProbabilities(tilt: tilt, beads: p, temperature: 1, gamma: sigma * sigma * Double(p) / 2,
                                     kinetic: mix.kinetic, bins: 10)
    // The quadrature is exact far beyond the sampling error (standard errors here are ≳ 1e-3).
    #expect(exact.discrepancy < 1e-5, "midpoint rule: 200 vs 400 cells differ by \(exact.discrepancy)")
    let (samples, tau, failed) = wallChain(mix, tilt: tilt, rounds: rounds, seed: seed)
    #expect(!failed)
    let batches = 50
    // Batch length in rounds against τ (see SamplerStatistics.swift: L ≥ 20τ).
    #expect(Double(rounds / batches) >= 20 * tau, "\(mix): batches of \(rounds / batches) rounds, τ = \(tau)")
    let test = binnedBatchMeansTest(samples, edges: (1..<10).map { Double($0) / 10 },
                                    probabilities: exact.probabilities, batches: batches)
    let outer = test.frequencies[0] + test.frequencies[9]
    let outerExact = exact.probabilities[0] + exact.probabilities[9]
    #expect(test.passes, "\(mix): outer tenths \(outer) vs exact \(outerExact) (\(String(format: "%+.1f", 100 * (outer / outerExact - 1)))%), τ = \(tau); \(test.report)")
}

@Test(arguments: WallMix.allCases)
func ringPolymerMovesSampleExactFreeMarginalAtHardWalls(_ mix: WallMix) {
    // P = 4, σ = 0.35 of the box: the free polymer's beads feel both walls; the exact outer tenths
    // hold 0.057 each against 0.134 for the central ones. Folding the staging bridge back into
    // the box gave the outer tenths 47% (j = 2), 61% (j = 3), 68% (j = P) and, in the sweep mix,
    // 32% too much weight here (t ≥ 9); with rejection every bin passes the critical value 4.24.
    // (With piqa's step 0.1 and the staging length adapted to 4 the sweep mix gave +52%.)
    // Cost: 8 × 22 000 rounds, a few seconds in a debug build.
    checkWallMarginal(mix, tilt: 0, rounds: 20_000, seed: 7_100 + UInt64(WallMix.allCases.firstIndex(of: mix)!))
}

@Test(.tags(.release),
      .enabled(if: isOptimizedBuild || ProcessInfo.processInfo.environment["TUNNELBENCH_SLOW_TESTS"] == "1",
               "20× the debug test's chains: run in release"),
      arguments: WallMix.allCases)
func ringPolymerMovesSampleExactTiltedMarginalAtHardWallsLongRun(_ mix: WallMix) {
    // A weak potential (V = 2x: bead weight e^{−x/2} per bead at β/P = 1/4) makes the two walls
    // differ, so a wrong acceptance near one wall cannot hide behind the symmetry of the other.
    checkWallMarginal(mix, tilt: 2, rounds: 400_000, seed: 7_200 + UInt64(WallMix.allCases.firstIndex(of: mix)!))
}

@Test func boxReflectionIsThePeriodicFoldThatKeepsBeadProposalsSymmetric() {
    // A reflected Gaussian step y = fold(x + sξ) has density q(x→y) = Σ_n [φ_s(y − x + 2nW) +
    // φ_s(y + x − 2a + 2nW)] (W = b − a), symmetric in x and y, exactly when fold is the complete
    // periodic reflection: fold(v + 2W) = fold(v) and fold(2a − v) = fold(v) for every v. A single
    // mirror followed by a clamp would not be. Checked on values several widths outside the box.
    let box = Box(lower: [-0.5], upper: [1.5])
    let w = 2.0, a = -0.5
    for step in 0..<400 {
        let v = -7 + 0.0371 * Double(step)
        var x = [v], shifted = [v + 2 * w], mirrored = [2 * a - v]
        box.reflect(&x)
        box.reflect(&shifted)
        box.reflect(&mirrored)
        #expect(x[0] >= -0.5 && x[0] <= 1.5)
        #expect(abs(x[0] - shifted[0]) < 1e-12 && abs(x[0] - mirrored[0]) < 1e-12, "v = \(v)")
    }
}
