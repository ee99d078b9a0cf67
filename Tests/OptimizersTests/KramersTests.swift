import Foundation
import Landscapes
import Testing
@testable import Optimizers

extension Tag {
    /// Statistical tests too slow for a debug build; they run in a release build (see below).
    @Tag static var release: Self
}

/// Whether this test binary was built with optimizations. SwiftPM defines DEBUG in debug builds.
let isOptimizedBuild: Bool = {
    #if DEBUG
    return false
    #else
    return true
    #endif
}()

/// V(x) = a(x² − 1)² on [−3, 3]: symmetric wells at ±1, barrier a at 0 (V(±3) = 64a: never reached).
struct SymmetricDoubleWell: ContinuousLandscape {
    var height: Double
    var dimension: Int { 1 }
    var domain: Box { Box(cube: -3, 3, dimension: 1) }
    var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [[-1], [1]]) }
    var gradCost: Double { 1 }

    func value(at x: [Double]) -> Double {
        let u = x[0] * x[0] - 1
        return height * u * u
    }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = 4 * height * x[0] * (x[0] * x[0] - 1)
        return value(at: x)
    }
}

/// The Smoluchowski mean first-passage time from x_a to x_b > x_a for the reversible diffusion with
/// generator e^{βV}∂_x(D(x) e^{−βV}∂_x), stationary density ∝ e^{−βV}, with a reflecting wall far to
/// the left (Gardiner, Handbook of Stochastic Methods, §5.2.7, with D depending on x):
///
///     τ = ∫_{x_a}^{x_b} dy e^{βV(y)}/D(y) ∫_{−∞}^{y} dz e^{−βV(z)},
///
/// by the trapezoid rule on a grid of spacing 1e-5 from z = −3 (e^{−βV(−3)} ≤ e^{−192}: the rest of
/// the tail is nothing); its relative error (~h²·max|f″/f| ≈ 1e-8) is far below anything tested.
func smoluchowskiPassageTime(height a: Double, beta: Double, diffusion D: (Double) -> Double,
                             from xa: Double, to xb: Double) -> Double {
    let lo = -3.0, h = 1e-5
    let n = Int(((xb - lo) / h).rounded())
    var inner = 0.0, outer = 0.0
    var previousWeight = exp(-beta * a * pow(lo * lo - 1, 2))
    var previousOuter = 0.0
    for i in 1...n {
        let z = lo + Double(i) * h
        let v = a * (z * z - 1) * (z * z - 1)
        let weight = exp(-beta * v)
        inner += 0.5 * h * (previousWeight + weight)
        previousWeight = weight
        let integrand = exp(beta * v) * inner / D(z)
        if z > xa + 0.5 * h { outer += 0.5 * h * (previousOuter + integrand) }
        previousOuter = integrand
    }
    return outer
}

/// `passages` passages of fixed-temperature Metropolis from the bottom of one well to the bottom of
/// the other, alternating direction (by symmetry every passage samples the same first-passage time;
/// each starts within one step beyond a bottom, a shift of O(σ) in position where V′ ≈ 0,
/// negligible against τ of tens of thousands of steps). Returns the passage times in steps.
func metropolisPassageTimes(height: Double, beta: Double, sigma: Double, passages: Int, seed: UInt64) -> [Double] {
    let well = SymmetricDoubleWell(height: height)
    var objective = plainObjective(well, budget: .infinity)
    var rng = Xoshiro256(seed: seed)
    // Proposal σ = s·w with w = 6 the box width; adaptation off: σ is frozen.
    var sampler = MetropolisSampler(start: [-1], value: 0, box: well.domain, scale: sigma / 6,
                                    temperature: 1 / beta, targetAcceptance: 0.234, batchSize: 50, adapts: false)
    var target = 1.0
    var times = [Double]()
    times.reserveCapacity(passages)
    for _ in 0..<passages {
        var steps = 0
        while true {
            sampler.step(&objective, using: &rng)
            steps += 1
            if target > 0 ? sampler.x[0] >= 1 : sampler.x[0] <= -1 { break }
        }
        times.append(Double(steps))
        target = -target
    }
    return times
}

/// Kramers/Arrhenius escape of small-step Metropolis from a double well, against the exact
/// Smoluchowski first-passage time.
///
/// Limit: with σ frozen, Metropolis with Gaussian steps ξ ~ N(0, σ²) converges as σ → 0 to the
/// overdamped Langevin diffusion with D = σ²/2 per step (drift −(σ²/2)βV′); the mean first-passage
/// time τ from x = −1 to x = +1 is then the quadrature above with D = σ²/2, the value tested.
///
/// Bias at finite σ (first order in σ): an uphill proposal (ΔV ≈ V′ξ > 0) is accepted with
/// probability e^{−βV′ξ} ≈ 1 − βV′ξ, so the mean squared accepted step is
/// σ² − β|V′|·E[|ξ|³; uphill] = σ²(1 − √(2/π)·σβ|V′|) (E[ξ³; ξ > 0] = √(2/π)σ³). Metropolis is
/// reversible with respect to e^{−βV}, so to this order it is the reversible diffusion with
/// D(x) = (σ²/2)(1 − √(2/π)·σβ|V′(x)|): the same equilibrium, a slower clock where the slope is
/// steep. τ is dominated by y near the barrier top, where e^{βV(y)} ∝ e^{−2βa y²} (variance
/// 1/(4βa)) and |V′| ≈ 4a|y|, so τ_D(x)/τ_{σ²/2} − 1 ≈ (4/π)·σ√(βa): the bias grows with σ and β.
/// At σ = 0.05, β = 3…6 this predicts 11%, 14%, 17%, 19% against the measured 9%, 9%, 13%, 17%
/// (each ± 2.5%): that is what failed a 10% bound there. The test computes the first-order bias b_β
/// from the quadrature with D(x) (its higher orders are O(b²) ≈ 0.2%).
///
/// Statistics: passage times are close to exponential (the escape is a rare event: a coefficient
/// of variation ≈ 1), so the mean of n passages has relative standard error ≈ 1/√n; the test uses
/// the measured standard error. The check |τ̂ − τ|/τ < 10% holds if b_β + 3 SE < 10%, which the
/// test asserts for each β (the budget, not a tuning).
///
/// Choice: with SE ≈ 1/√n, n ≥ 9/(0.10 − b)² passages at cost n·τ ∝ n/σ² steps; the cost is least
/// near σ = 0.016 (b = 3.2%, 4.0%, 4.6% at β = 3, 4, 5), where n = 3070 suffices; n = 3600 gives
/// SE ≈ 1.7% and b + 3 SE ≈ 9.6% at β = 5. β = 6 would add 632,000 steps per passage (more than
/// doubling the cost), so β ∈ {3, 4, 5}. Measured with these seeds: τ̂/τ = 1.051, 1.030, 1.040
/// (each ± 0.017) against the first-order 1.032, 1.040, 1.046.
///
/// Arrhenius: ln(β·τ) = const + βa + O(1/(βa)). The slope of its least-squares line over
/// β ∈ {3, 4, 5} (a = 1) estimates a; Kramers' prefactor corrections make the exact quadrature's own
/// slope 0.962a (computed below; it must be within 5% of a). The statistics give the slope a
/// standard error √(Σ_β c_β² SE(ln τ̂_β)²), c_β = (β − β̄)/Σ(β − β̄)², ≈ 0.017/√2 ≈ 0.012, and the
/// first-order bias, growing with β, shifts it by the slope difference of the D(x) and D = σ²/2
/// quadratures (≈ (b_5 − b_3)/2 ≈ 0.007). The measured slope must be within 3 SE plus that shift
/// of the quadrature's slope (measured: 0.957 ± 0.012 against 0.962).
///
/// Cost: Σ_β n·τ(β) ≈ 3600 × (69,000 + 135,000 + 285,000) ≈ 1.8e9 Metropolis steps, split into
/// chunks of 200 passages (own seeds) so both cores stay busy: 70–95 s in release on 2 cores
/// (≈ 80 ns per step), far longer in debug, so it runs only in an optimized build (or with
/// TUNNELBENCH_SLOW_TESTS=1):
///
///     swift test -c release -Xswiftc -enable-testing --filter KramersTests
@Test(.tags(.release),
      .enabled(if: isOptimizedBuild || ProcessInfo.processInfo.environment["TUNNELBENCH_SLOW_TESTS"] == "1",
               "about 1.8e9 Metropolis steps: run in release (see the doc comment)"))
func metropolisPassageTimeMatchesSmoluchowskiAndArrheniusSlopeGivesBarrier() async {
    let a = 1.0, sigma = 0.016, passages = 3600, chunk = 200
    let betas = [3.0, 4.0, 5.0]
    let chunks = passages / chunk
    let times = await withTaskGroup(of: (Int, [Double]).self) { group in
        for (i, beta) in betas.enumerated() {
            for c in 0..<chunks {
                group.addTask {
                    (i, metropolisPassageTimes(height: a, beta: beta, sigma: sigma, passages: chunk,
                                               seed: 1000 + 100 * UInt64(i) + UInt64(c)))
                }
            }
        }
        var result = [[Double]](repeating: [], count: betas.count)
        for await (i, t) in group { result[i] += t }
        return result
    }
    let measured = times.map { t -> (mean: Double, se: Double) in
        let n = Double(t.count)
        let mean = t.reduce(0, +) / n
        let variance = t.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, (variance / n).squareRoot())
    }
    var exact = [Double](), firstOrder = [Double]()
    for (i, beta) in betas.enumerated() {
        let tau = smoluchowskiPassageTime(height: a, beta: beta, diffusion: { _ in sigma * sigma / 2 }, from: -1, to: 1)
        // D(x) = (σ²/2)(1 − √(2/π)σβ|V′(x)|): the first-order acceptance deficit (doc comment).
        let tau1 = smoluchowskiPassageTime(height: a, beta: beta, diffusion: { x in
            let slope = abs(4 * a * x * (x * x - 1))
            return sigma * sigma / 2 * (1 - (2 / Double.pi).squareRoot() * sigma * beta * slope)
        }, from: -1, to: 1)
        exact.append(tau)
        firstOrder.append(tau1)
        let (mean, se) = measured[i]
        let bias = tau1 / tau - 1
        // The budget the 10% bound was derived from: first-order bias plus 3 standard errors.
        #expect(bias + 3 * se / mean < 0.10, "β = \(beta): bias \(bias), relative SE \(se / mean)")
        #expect(abs(mean - tau) / tau < 0.10,
                "β = \(beta): Metropolis τ = \(mean) ± \(se), Smoluchowski τ = \(tau), ratio \(mean / tau), first-order bias \(bias)")
    }
    // Least-squares slopes of ln(β·τ) against β, for the measured and the exact τ.
    let mb = betas.reduce(0, +) / Double(betas.count)
    let sxx = betas.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }
    func slope(_ taus: [Double]) -> Double {
        let ys = zip(betas, taus).map { log($0 * $1) }
        let my = ys.reduce(0, +) / Double(ys.count)
        return zip(betas, ys).reduce(0) { $0 + ($1.0 - mb) * ($1.1 - my) } / sxx
    }
    let measuredSlope = slope(measured.map(\.mean))
    let exactSlope = slope(exact)
    let biasShift = abs(slope(firstOrder) - exactSlope)
    // SE(ln τ̂) = SE(τ̂)/τ̂; the slope is a linear combination Σ c_β ln τ̂_β with c_β = (β − β̄)/Sxx.
    let slopeSE = zip(betas, measured).reduce(0.0) { acc, pair in
        let c = (pair.0 - mb) / sxx
        return acc + c * c * (pair.1.se / pair.1.mean) * (pair.1.se / pair.1.mean)
    }.squareRoot()
    #expect(abs(exactSlope - a) / a < 0.05, "exact slope \(exactSlope)")
    #expect(abs(measuredSlope - exactSlope) < 3 * slopeSE + biasShift,
            "slope \(measuredSlope) ± \(slopeSE), exact \(exactSlope), first-order shift \(biasShift), barrier \(a)")
    print("Kramers: τ̂ = \(measured.map(\.mean)) ± \(measured.map(\.se)), τ = \(exact), first-order τ = \(firstOrder), slope \(measuredSlope) ± \(slopeSE) (exact \(exactSlope), shift \(biasShift), a = \(a))")
}
