import Foundation
import Landscapes
import Testing
@testable import Optimizers

/// V(x) = ½x² (ħ = m = ω = 1) on [−10, 10]: at β = 10 a bead is within 1 of 0 (⟨x²⟩ ≈ 0.5), so the
/// walls (14σ away) never matter and the unbounded oscillator's exact results apply.
struct WideHarmonic: ContinuousLandscape {
    var dimension: Int { 1 }
    var domain: Box { Box(cube: -10, 10, dimension: 1) }
    var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [[0]]) }
    var gradCost: Double { 1 }
    func value(at x: [Double]) -> Double { 0.5 * x[0] * x[0] }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = x[0]
        return value(at: x)
    }
}

/// The tilted double well of `DoubleWell1D` on [−3, 3]: V(±3) ≥ 64, so at the bead temperature
/// P·T = 4 used below the density at the walls is < e^{−16} and reflection practically never happens.
struct WideDoubleWell: ContinuousLandscape {
    var dimension: Int { 1 }
    var domain: Box { Box(cube: -3, 3, dimension: 1) }
    var optimum: KnownOptimum { .unknown }
    var gradCost: Double { 1 }
    func value(at x: [Double]) -> Double {
        let u = x[0] * x[0] - 1
        return u * u + 0.25 * x[0]
    }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = 4 * x[0] * (x[0] * x[0] - 1) + 0.25
        return value(at: x)
    }
}

/// Exact energy of the P-bead discretized path integral of the harmonic oscillator (ħ = m = ω = 1),
/// E_P = −∂ ln Z_P/∂β = (q1^P + q2^P) / ((q1^P − q2^P)(q1 + q2)), q1,2 = √(1 + α²) ± α, α = β/(2P).
/// Checked before use against a transfer-matrix computation (numpy: Z_P = Tr K^P with the
/// symmetric kernel on 1601 points of [−8, 8], E_P by a central difference in β): at β = 10 both
/// give 0.42406640182 (P = 8) and 0.47729064073 (P = 16), agreeing to 1e-10.
func harmonicRingEnergy(beta: Double, beads p: Int) -> Double {
    let a = beta / (2 * Double(p))
    let q1 = (1 + a * a).squareRoot() + a, q2 = (1 + a * a).squareRoot() - a
    let n = Double(p)
    return (pow(q1, n) + pow(q2, n)) / ((pow(q1, n) - pow(q2, n)) * (q1 + q2))
}

@Test func harmonicRingEnergyFormulaConvergesToQuantumOscillatorAsInverseSquareOfBeads() {
    let beta = 10.0
    let exact = 0.5 / tanh(beta / 2)  // (ħω/2)·coth(βħω/2)
    // The Trotter error is e(P) = a/P² + b/P⁴ + …, a series in α² = (βħω/2P)². The ratio
    // e(2P)/e(P) is therefore 1/4 up to a relative correction of order α², which bounds it here.
    var p = 8
    while p <= 256 {
        let e1 = harmonicRingEnergy(beta: beta, beads: p) - exact
        let e2 = harmonicRingEnergy(beta: beta, beads: 2 * p) - exact
        let alpha = beta / (2 * Double(p))
        #expect(e1 < 0 && e2 < 0, "the primitive discretization underestimates E here")
        #expect(abs(e2 / e1 - 0.25) <= alpha * alpha, "P = \(p): ratio \(e2 / e1)")
        p *= 2
    }
    // The leading term itself: with sinh θ = α, E_P = coth(Pθ)/(2 cosh θ), and Pθ = β/2 − βα²/12 + O(α⁴),
    // so e(P) = −(β²/16P²)·coth(β/2) + (β³/96P²)·csch²(β/2) + O(P⁻⁴). The next term of
    // (1 + α²)^{−1/2} − 1 = −α²/2 + 3α⁴/8 − … is −(3/4)α² relative to the first (the csch² part is
    // 1e-4 of the coth part at β = 10), so |e − lead| ≤ α²·|lead|.
    for p in [64, 512] {
        let e = harmonicRingEnergy(beta: beta, beads: p) - exact
        let n2 = Double(p * p), alpha = beta / (2 * Double(p))
        let s = sinh(beta / 2)
        let lead = -beta * beta / (16 * n2) / tanh(beta / 2) + beta * beta * beta / (96 * n2) / (s * s)
        #expect(abs(e - lead) <= alpha * alpha * abs(lead), "P = \(p): e = \(e), leading term \(lead)")
    }
}

/// Mean and standard error of a correlated series: σ·√(τ/n), τ the integrated autocorrelation time.
func meanAndStandardError(_ series: [Double]) -> (mean: Double, error: Double, tau: Double) {
    let n = Double(series.count)
    let mean = series.reduce(0, +) / n
    let variance = series.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    let tau = integratedAutocorrelationTime(series)
    return (mean, (variance * tau / n).squareRoot(), tau)
}

@Test(arguments: [8, 16])
func pathIntegralEnergyMatchesExactFiniteTrotterHarmonicOscillator(_ p: Int) {
    let beta = 10.0, gamma = 0.5  // βħω = 10, Γ = ħ²/2m = 1/2
    let landscape = WideHarmonic()
    var objective = plainObjective(landscape, budget: .infinity)
    var rng = Xoshiro256(seed: 8_000 + UInt64(p))
    var sampler = RingPolymerSampler(start: [0], value: 0, beads: p, box: landscape.domain,
                                     temperature: 1 / beta, gamma: gamma, beadScale: 0.02,
                                     translationScale: 0.02, stagingLength: 3)
    for _ in 0..<2_000 { sampler.sweep(&objective, using: &rng) }
    sampler.freezeAdaptation()
    let sweeps = 30_000
    var virial = [Double](repeating: 0, count: sweeps)
    var primitive = [Double](repeating: 0, count: sweeps)
    for t in 0..<sweeps {
        sampler.sweep(&objective, using: &rng)
        // Virial estimator (1/P)Σ[V + ½x·V'] = (1/P)Σx² here; its mean is −∂ ln Z_P/∂β exactly at
        // finite P (scale x = √β·y in Z_P), like the primitive estimator's.
        virial[t] = sampler.beads.reduce(0) { $0 + $1 * $1 } / Double(p)
        primitive[t] = sampler.primitiveEnergy
    }
    #expect(objective.failure == nil)
    let exact = harmonicRingEnergy(beta: beta, beads: p)
    // Each estimator's mean is normal to good approximation (n/τ ≫ 100 effective samples), so a
    // correct sampler lies within 3 standard errors with probability 0.997.
    let v = meanAndStandardError(virial)
    #expect(abs(v.mean - exact) < 3 * v.error, "virial \(v.mean) ± \(v.error) (τ \(v.tau)), exact \(exact)")
    let q = meanAndStandardError(primitive)
    #expect(abs(q.mean - exact) < 3 * q.error, "primitive \(q.mean) ± \(q.error) (τ \(q.tau)), exact \(exact)")
    // Resolution: P = 8 and 16 differ by 0.053, many standard errors, so the test tells them apart.
    #expect(v.error < 0.01)
    // With this seed: P = 8 virial 0.4234 ± 0.0030, primitive 0.4246 ± 0.0009 (exact 0.4241);
    // P = 16 virial 0.4700 ± 0.0030, primitive 0.4759 ± 0.0021 (exact 0.4773).
}

/// The exact marginal density of one bead of a P-bead ring polymer (P even) on `cells` midpoints
/// of [lo, hi], by transfer-matrix integration: with the symmetric kernel
/// K(x, x') = w(x − x')·exp(−(β/P)(V(x) + V(x'))/2), the marginal is ∝ diag(K^P), computed as
/// Σ_j A_ij A_ji with A = K^{P/2}. The midpoint rule with h = 0.025 ≤ σ/12 (σ the link scale) has
/// relative error ~(h/σ)²/24 < 1e-3, far below the sampling error tested.
func ringMarginal(potential v: (Double) -> Double, beads p: Int, temperature: Double, gamma: Double,
                  kinetic: KineticTerm, lo: Double, hi: Double, cells n: Int) -> (midpoints: [Double], density: [Double]) {
    precondition(p % 2 == 0)
    let h = (hi - lo) / Double(n)
    let x = (0..<n).map { lo + (Double($0) + 0.5) * h }
    let eps = 1 / (temperature * Double(p))
    let s2 = 2 * gamma * eps  // σ² (quadratic) = (cε)² (relativistic)
    let half = x.map { exp(-0.5 * eps * v($0)) }
    var k = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0..<n {
            let t = x[i] - x[j]
            let link = kinetic == .quadratic ? exp(-t * t / (2 * s2)) : 1 / (t * t + s2)
            k[i * n + j] = half[i] * link * half[j] * h
        }
    }
    func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<n {
                        for l in 0..<n {
                            let ail = a[i * n + l]
                            for j in 0..<n { c[i * n + j] += ail * b[l * n + j] }
                        }
                    }
                }
            }
        }
        return c
    }
    var a = k
    for _ in 1..<(p / 2) { a = multiply(a, k) }
    var density = [Double](repeating: 0, count: n)
    for i in 0..<n {
        var s = 0.0
        for j in 0..<n { s += a[i * n + j] * a[j * n + i] }
        density[i] = s
    }
    let z = density.reduce(0, +) * h
    return (x, density.map { $0 / z })
}

/// Which moves a detailed-balance test runs per round.
enum MoveMix: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case bead, staging, translationAndBead, relativisticBead, relativisticTranslationAndBead
    var testDescription: String { rawValue }
    var kinetic: KineticTerm {
        switch self {
        case .bead, .staging, .translationAndBead: return .quadratic
        case .relativisticBead, .relativisticTranslationAndBead: return .relativistic
        }
    }
}

@Test(arguments: MoveMix.allCases)
func ringPolymerMovesSampleExactBeadMarginal(_ mix: MoveMix) {
    // P = 4 beads at T = 1 with Γ = 0.2: link scale σ = √(2Γβ/P) = 0.32, free spread about the
    // centroid √(Γβ(P² − 1)/(6P²)) = 0.18, and the polymer crosses the double well's barrier
    // (≈ 1 = T) often enough for a few hundred independent samples per run.
    let p = 4, temperature = 1.0, gamma = 0.2
    let landscape = WideDoubleWell()
    var objective = plainObjective(landscape, budget: .infinity)
    var rng = Xoshiro256(seed: 4_242 + UInt64(MoveMix.allCases.firstIndex(of: mix)!))
    let start = [-1.0]
    var sampler = RingPolymerSampler(start: start, value: landscape.value(at: start), beads: p,
                                     box: landscape.domain, temperature: temperature, gamma: gamma,
                                     kinetic: mix.kinetic, beadScale: 0.05, translationScale: 0.05)
    func round() {
        switch mix {
        case .bead, .relativisticBead:
            for _ in 0..<p { sampler.beadMove(&objective, using: &rng) }
        case .staging:
            // Segments of 3 links: 2 interior beads redrawn, start bead random.
            sampler.stagingMove(&objective, length: 3, using: &rng)
        case .translationAndBead, .relativisticTranslationAndBead:
            for _ in 0..<p { sampler.beadMove(&objective, using: &rng) }
            sampler.translationMove(&objective, using: &rng)
        }
    }
    for _ in 0..<5_000 { round() }
    sampler.freezeAdaptation()
    let rounds = 200_000
    var chain = [Double](repeating: 0, count: rounds)
    for t in 0..<rounds {
        round()
        chain[t] = sampler.beads[0]
    }
    #expect(objective.failure == nil)

    // No thinning: batch means estimate each bin frequency's variance from the chain itself
    // (SamplerStatistics.swift), with batches ≥ 20τ long: 50 of them, or fewer (down to 10, with
    // the Student-t critical value for their number) when τ is long (bead moves alone cross the
    // barrier one bead at a time: τ ≈ 600 rounds).
    let tau = integratedAutocorrelationTime(chain)
    let batches = Swift.min(50, Int(Double(rounds) / (20 * tau)))
    #expect(batches >= 10, "\(mix): τ = \(tau)")

    let cells = 240
    let (mid, density) = ringMarginal(potential: { landscape.value(at: [$0]) }, beads: p,
                                      temperature: temperature, gamma: gamma, kinetic: mix.kinetic,
                                      lo: -3, hi: 3, cells: cells)
    // Equiprobable bins from the exact CDF (linear within a cell), so every bin expects 1/K.
    let h = 6.0 / Double(cells)
    var cdf = [0.0]
    for c in density { cdf.append(cdf.last! + c * h) }
    let bins = 20
    var edges = [Double]()
    var j = 0
    for b in 1..<bins {
        let q = Double(b) / Double(bins)
        while cdf[j + 1] < q { j += 1 }
        edges.append(mid[j] - h / 2 + (q - cdf[j]) / (cdf[j + 1] - cdf[j]) * h)
    }
    // Per-bin Student-t tests on the batch means, Bonferroni over the 20 bins: family-wise level
    // 0.001 (≤ 0.0015 with the residual batch correlation allowed by L ≥ 20τ). Walls never matter
    // here; RingPolymerWallTests.swift tests every move where they do.
    let test = binnedBatchMeansTest(chain, edges: edges, probabilities: [Double](repeating: 1 / Double(bins), count: bins),
                                    batches: Swift.max(batches, 2))
    #expect(test.passes, "\(mix): τ = \(tau); \(test.report)")
}

@Test func pathIntegralAnnealingChargesEveryBeadEvaluationAndStartsAllBeadsAtStart() throws {
    let landscape = Recording(base: DoubleWell1D())
    var objective = plainObjective(landscape, budget: 500)
    let optimizer = try makeContinuousOptimizer("piqa", overrides: ["beads": "4", "temperature": "0.1", "anneal-temperature": "0"])
    _ = run(optimizer, &objective, from: [0.97], seed: 5)
    // Explicit fixed T: no temperature samples (an annealed T would start from the auto rule's),
    // so every evaluation is the start or a bead.
    #expect(objective.calibrationEvaluations == 0)
    #expect(landscape.log.points.count == objective.evaluations)
    #expect(objective.spent == Double(objective.evaluations))
    #expect(objective.spent <= 500 + 1)
    #expect(landscape.log.points.first == [0.97])
    #expect(objective.bestValue == landscape.log.points.map { landscape.base.value(at: $0) }.min())
}

@Test func pathIntegralAnnealingRejectsRisingGamma() {
    #expect(throws: OptimizerError.self) {
        try makeContinuousOptimizer("piqa", overrides: ["initial-gamma": "1", "final-gamma": "2"])
    }
}

@Test func pathIntegralAnnealingAutoGammaSetsInitialSpreadAndShrinksItHundredfold() throws {
    let optimizer = try PathIntegralAnnealing(parameters: ParameterValues(
        specs: PathIntegralAnnealing.parameterSpecs, overrides: ["temperature": "0.2", "anneal-temperature": "false"],
        owner: "piqa"))
    let box = Box(cube: -5, 5, dimension: 2)
    let plan = optimizer.schedule(box: box) { Issue.record("T given: no estimate"); return 1 }
    let p = 8, beta = 5.0
    // Free ring polymer, from its normal modes rather than the closed form the schedule solves:
    // the link action Σ_k (x_{k+1} − x_k)²/(2σ²), σ² = 2Γβ/P, has ring-Laplacian eigenvalues
    // 4 sin²(πm/P); mode m ≠ 0 has variance σ²/(4 sin²(πm/P)) and the bead-minus-centroid
    // variance per coordinate is their sum over m = 1…P−1 divided by P.
    func spread(_ gamma: Double) -> Double {
        let sigma2 = 2 * gamma * beta / Double(p)
        let modes = (1..<p).reduce(0.0) { s, m in
            let x = sin(Double.pi * Double(m) / Double(p))
            return s + sigma2 / (4 * x * x)
        }
        return (modes / Double(p)).squareRoot()
    }
    let r0 = spread(plan.gamma.initial), r1 = spread(plan.gamma.final)
    // The mode sum and the closed form agree to rounding (a few ulps of each of 7 terms).
    #expect(abs(r0 - 0.25 * 10) < 1e-12 * 10)  // the default initial-spread, 25% of the box width
    #expect(abs(r1 / r0 - 0.01) < 1e-12)
    #expect(plan.temperature.initial == 0.2 && plan.temperature.final == 0.2)
}
