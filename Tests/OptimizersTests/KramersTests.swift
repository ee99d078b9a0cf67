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

/// The Smoluchowski mean first-passage time from x_a to x_b > x_a for dx = −DβV′dt + √(2D)dW with a
/// reflecting wall far to the left (Gardiner, Handbook of Stochastic Methods, §5.2.7):
///
///     τ = (1/D) ∫_{x_a}^{x_b} dy e^{βV(y)} ∫_{−∞}^{y} dz e^{−βV(z)},
///
/// by the trapezoid rule on a grid of spacing 1e-5 from z = −3 (e^{−βV(−3)} ≤ e^{−192}: the rest of
/// the tail is nothing); its relative error (~h²·max|f″/f| ≈ 1e-8) is far below the ~3% tested.
func smoluchowskiPassageTime(height a: Double, beta: Double, diffusion D: Double, from xa: Double, to xb: Double) -> Double {
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
        let integrand = exp(beta * v) * inner
        if z > xa + 0.5 * h { outer += 0.5 * h * (previousOuter + integrand) }
        previousOuter = integrand
    }
    return outer / D
}

/// Passages of fixed-temperature Metropolis from the bottom of one well to the bottom of the other,
/// alternating direction (by symmetry every passage samples the same first-passage time; each
/// starts within one step beyond a bottom, a shift of O(σ) in position where V′ ≈ 0, negligible
/// against τ of thousands of steps). Returns the mean and its standard error.
func metropolisPassageTime(height: Double, beta: Double, sigma: Double, passages: Int, seed: UInt64)
    -> (mean: Double, standardError: Double) {
    let well = SymmetricDoubleWell(height: height)
    var objective = plainObjective(well, budget: .infinity)
    var rng = Xoshiro256(seed: seed)
    // Proposal σ = s·w with w = 6 the box width; adaptation off: σ is frozen.
    var sampler = MetropolisSampler(start: [-1], value: 0, box: well.domain, scale: sigma / 6,
                                    temperature: 1 / beta, targetAcceptance: 0.234, batchSize: 50, adapts: false)
    var target = 1.0
    var steps = 0
    var sum = 0.0, sumSquares = 0.0
    for _ in 0..<passages {
        steps = 0
        while true {
            sampler.step(&objective, using: &rng)
            steps += 1
            if target > 0 ? sampler.x[0] >= 1 : sampler.x[0] <= -1 { break }
        }
        sum += Double(steps)
        sumSquares += Double(steps) * Double(steps)
        target = -target
    }
    let n = Double(passages)
    let mean = sum / n
    let variance = (sumSquares - n * mean * mean) / (n - 1)
    return (mean, (variance / n).squareRoot())
}

/// Kramers/Arrhenius escape of small-step Metropolis from a double well, against the exact
/// Smoluchowski first-passage time.
///
/// With σ frozen, Metropolis with Gaussian steps N(0, σ²) converges as σ → 0 to the overdamped
/// Langevin diffusion with D = σ²/2 per step (drift −(σ²/2)βV′): the mean first-passage time τ from
/// x = −1 to x = +1 is the quadrature above. σ = 0.05 is small against the wells (width ~1) and
/// the corrections are of order βV″σ², which where the passage time is decided (barrier top,
/// V″ = −4a, and well bottom, V″ = 8a) is 0.03–0.12 at βa ≤ 6 and enters τ through averages
/// over both signs; its size is what the 10% bound allows beyond the statistics.
///
/// Statistics: passage times are close to exponential (the escape is a rare event: a coefficient
/// of variation ≈ 1), so the mean of n = 1600 has relative standard error ≈ 1/40 = 2.5%; the test
/// uses the measured standard error. |τ̂ − τ|/τ ≤ 10% leaves 3 SE (7.5%) plus 2.5% for the
/// discretization bias.
///
/// Arrhenius: ln(β·τ) = const + βa + O(1/(βa)). The slope of its least-squares line over
/// β ∈ {3, 4, 5, 6} (a = 1) estimates a; Kramers' prefactor corrections make the exact
/// quadrature's own slope 0.968a (computed below), and the statistics add a standard error
/// √(Σ_β SE(ln τ̂)²·(β − β̄)²)/Σ(β − β̄)² ≈ 0.025/√5 ≈ 0.011. The slope must be within 3 SE of the
/// quadrature's slope, and the quadrature's slope within 5% of a (Arrhenius with exact prefactor).
///
/// Cost: Σ_β n·τ(β) ≈ 1600 × 115,000 ≈ 1.8e8 Metropolis steps: seconds in release, minutes in
/// debug, so it runs only in an optimized build (or with TUNNELBENCH_SLOW_TESTS=1):
///
///     swift test -c release -Xswiftc -enable-testing --filter KramersTests
@Test(.tags(.release),
      .enabled(if: isOptimizedBuild || ProcessInfo.processInfo.environment["TUNNELBENCH_SLOW_TESTS"] == "1",
               "about 1.8e8 Metropolis steps: run in release (see the doc comment)"))
func metropolisPassageTimeMatchesSmoluchowskiAndArrheniusSlopeGivesBarrier() async {
    let a = 1.0, sigma = 0.05, passages = 1600
    let betas = [3.0, 4.0, 5.0, 6.0]
    let measured = await withTaskGroup(of: (Int, Double, Double).self) { group in
        for (i, beta) in betas.enumerated() {
            group.addTask {
                let (mean, se) = metropolisPassageTime(height: a, beta: beta, sigma: sigma, passages: passages,
                                                       seed: 1000 + UInt64(i))
                return (i, mean, se)
            }
        }
        var result = [(mean: Double, se: Double)](repeating: (0, 0), count: betas.count)
        for await (i, mean, se) in group { result[i] = (mean, se) }
        return result
    }
    var exact = [Double]()
    for (i, beta) in betas.enumerated() {
        let tau = smoluchowskiPassageTime(height: a, beta: beta, diffusion: sigma * sigma / 2, from: -1, to: 1)
        exact.append(tau)
        let (mean, se) = measured[i]
        // The standard error is what the 10% budget was derived from: check it is as planned.
        #expect(se / mean < 0.03, "β = \(beta): relative SE \(se / mean)")
        #expect(abs(mean - tau) / tau < 0.10,
                "β = \(beta): Metropolis τ = \(mean) ± \(se), Smoluchowski τ = \(tau), ratio \(mean / tau)")
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
    // SE(ln τ̂) = SE(τ̂)/τ̂; the slope is a linear combination Σ c_β ln τ̂_β with c_β = (β − β̄)/Sxx.
    let slopeSE = zip(betas, measured).reduce(0.0) { acc, pair in
        let c = (pair.0 - mb) / sxx
        return acc + c * c * (pair.1.se / pair.1.mean) * (pair.1.se / pair.1.mean)
    }.squareRoot()
    #expect(abs(exactSlope - a) / a < 0.05, "exact slope \(exactSlope)")
    #expect(abs(measuredSlope - exactSlope) < 3 * slopeSE,
            "slope \(measuredSlope) ± \(slopeSE), exact \(exactSlope), barrier \(a)")
    print("Kramers: τ̂ = \(measured.map(\.mean)), τ = \(exact), slope \(measuredSlope) ± \(slopeSE) (exact \(exactSlope), a = \(a))")
}
