import Foundation
import Landscapes
import Testing

/// The barrier physics of a double well, each quantity against an independent computation: a
/// finite difference for the curvature, a double-exponential (tanh–sinh) quadrature on the
/// original variable for the WKB integral, the ring Laplacian's spectrum for the free polymer.
@Suite struct BarrierRegimeTests {
    static let cases: [(height: Double, width: Double, asymmetry: Double)] = [
        (1, 1, 0.1), (8, 0.25, 0.1), (0.5, 2, 0.3), (3, 0.7, 0.001), (2, 1.5, 0.9),
    ]

    /// ∫_a^b g by tanh–sinh: x = m + h·tanh((π/2) sinh t), which crowds nodes double-exponentially
    /// at both ends, so a square-root end point costs nothing; step 1/64 over |t| ≤ 4.
    static func tanhSinh(_ a: Double, _ b: Double, _ g: (Double) -> Double) -> Double {
        let m = 0.5 * (a + b), h = 0.5 * (b - a), step = 1.0 / 64
        var sum = 0.0
        for k in -256...256 {
            let t = Double(k) * step
            let u = 0.5 * Double.pi * sinh(t)
            let x = m + h * tanh(u)
            guard x > a && x < b else { continue }
            let weight = 0.5 * Double.pi * cosh(t) / (cosh(u) * cosh(u))
            sum += weight * g(x)
        }
        return sum * h * step
    }

    @Test(arguments: 0..<cases.count)
    func curvatureMatchesASecondDifference(_ index: Int) {
        let c = Self.cases[index]
        let regime = BarrierRegime(height: c.height, width: c.width, asymmetry: c.asymmetry)
        let well = DoubleWell(dimension: 1, height: c.height, width: c.width, asymmetry: c.asymmetry)
        let top = regime.barrierPosition * c.width, h = 1e-4 * c.width
        let f = { (z: Double) in well.potential(z / c.width) }
        let second = (f(top + h) - 2 * f(top) + f(top - h)) / (h * h)
        // V is a quartic: the central difference's error is (h²/12)·f'''' exactly, f'''' = 6c/w⁴.
        let truncation = h * h / 12 * 6 * regime.scale / pow(c.width, 4)
        let rounding = 4 * Double.ulpOfOne * c.height / (h * h)
        #expect(abs(-second - regime.barrierCurvature) <= truncation + rounding + 1e-12 * regime.barrierCurvature)
        // The barrier top is a maximum of height H.
        #expect(abs(f(top) - c.height) <= 1e-12 * c.height)
    }

    @Test(arguments: 0..<cases.count)
    func forbiddenIntegralMatchesTanhSinhOnTheOriginalVariable(_ index: Int) {
        let c = Self.cases[index]
        let regime = BarrierRegime(height: c.height, width: c.width, asymmetry: c.asymmetry)
        let well = DoubleWell(dimension: 1, height: c.height, width: c.width, asymmetry: c.asymmetry)
        let zStar = regime.turningPoint
        #expect(zStar > -c.width && zStar < regime.barrierPosition * c.width)
        #expect(abs(well.potential(zStar / c.width) - regime.trapValue) <= 1e-12 * c.height)
        let reference = Self.tanhSinh(zStar, c.width) { z in
            max(0, well.potential(z / c.width) - regime.trapValue).squareRoot()
        }
        #expect(abs(regime.forbiddenIntegral - reference) <= 1e-9 * reference, "\(regime.forbiddenIntegral) vs \(reference)")
    }

    /// f = H·g(z/w) with g fixed by α: ∫√(f − Δ) dz = w√H·∫√(g − α) du, so S ∝ w√(H/Γ) exactly.
    @Test func exponentScalesAsWidthTimesRootHeightOverRootGamma() {
        let unit = BarrierRegime(height: 1, width: 1, asymmetry: 0.1)
        let scaled = BarrierRegime(height: 4, width: 2.5, asymmetry: 0.1)
        let ratio = scaled.wkbExponent(gamma: 9) / unit.wkbExponent(gamma: 1)
        #expect(abs(ratio - 2.5 * 2 / 3) <= 1e-12)
        // T_c ∝ √(Γ H)/w.
        let crossover = scaled.crossoverTemperature(gamma: 9) / unit.crossoverTemperature(gamma: 1)
        #expect(abs(crossover - 3 * 2 / 2.5) <= 1e-12)
    }

    /// The free ring polymer's links are Gaussian with variance 2Γβ/P per coordinate, so on the
    /// P − 1 non-zero modes of the ring Laplacian (eigenvalues 4 sin²(πj/P)) the mean squared
    /// distance of a bead from the centroid is (2Γβ/P²)·Σ_j 1/(4 sin²(πj/P)).
    @Test(arguments: [2, 3, 8, 16, 101])
    func gammaGivesTheFreePolymerSpreadFromTheRingSpectrum(beads: Int) {
        let temperature = 0.37, spread = 0.8
        let gamma = BarrierRegime.gamma(spread: spread, beads: beads, temperature: temperature)
        let p = Double(beads)
        let modes = (1..<beads).reduce(0.0) { sum, j in
            let s = sin(Double.pi * Double(j) / p)
            return sum + 1 / (4 * s * s)
        }
        let r2 = 2 * gamma / temperature / (p * p) * modes
        #expect(abs(r2.squareRoot() - spread) <= 1e-12 * spread)
    }
}
