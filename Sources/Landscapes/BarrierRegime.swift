import Foundation

/// What decides, for one coordinate of a `DoubleWell`, whether a particle leaves the shallow well
/// over the barrier (thermal activation) or through it (tunnelling), for the quadratic kinetic
/// term T = Γp² (ħ = 1, so the mass is m = 1/(2Γ); `PathIntegralAnnealing`'s Γ).
///
/// In z = x − s (the well's own coordinate) one coordinate's potential is f(z) = V(z/w), with the
/// deep well at z = −w (f = 0), the barrier top at z = b·w (f = H) and the shallow well at
/// z = +w (f = Δ = αH); see `DoubleWell` for V. The quantities:
///
/// - the barrier-top curvature |f''(bw)| = c(1 − b²)/w², from V''(u) = c(3u² − 2bu − 1) at u = b
///   (closed form);
/// - the crossover temperature T_c = ħω_b/(2π) = √(2Γ|f''_b|)/(2π), ω_b = √(|f''_b|/m): above T_c
///   the escape rate is dominated by activation over the barrier, below it by tunnelling through
///   it (Grabert & Weiss, PRL 53, 1787, 1984; Hänggi, Talkner & Borkovec, RMP 62, 251, 1990);
/// - the WKB exponent of tunnelling out of the shallow well at its bottom energy Δ,
///   S = 2∫√(2m(f(z) − Δ)) dz / ħ = (2/√Γ)∫√(f(z) − Δ) dz over the classically forbidden stretch
///   [z*, w], z* in (−w, bw) the far turning point where f(z*) = Δ; computed by quadrature
///   (`forbiddenIntegral`). The tunnelling probability through the barrier goes as e^(−S);
/// - H/T, the Boltzmann exponent of activation from the deep well (H − Δ from the shallow one).
///
/// Γ enters through the free ring polymer: its rms bead spread about the centroid at temperature
/// T with P beads is r, r² = Γ(P² − 1)/(6P²T), so the Γ at which that spread equals a length ℓ is
/// Γ = 6P²ℓ²T/(P² − 1) (`gamma(spread:beads:temperature:)`).
public struct BarrierRegime: Sendable {
    public let height: Double
    public let width: Double
    public let asymmetry: Double
    /// b, the barrier top in units of w.
    public let barrierPosition: Double
    /// c, the scale of V.
    public var scale: Double { well.scale }
    /// One coordinate's well.
    let well: DoubleWell

    public init(height: Double, width: Double, asymmetry: Double) {
        well = DoubleWell(dimension: 1, height: height, width: width, asymmetry: asymmetry)
        self.height = height
        self.width = width
        self.asymmetry = asymmetry
        self.barrierPosition = well.barrierPosition
    }

    /// Δ = αH: the shallow well's bottom above the deep one.
    public var trapValue: Double { asymmetry * height }

    /// |f''| at the barrier top, in z: c(1 − b²)/w².
    public var barrierCurvature: Double {
        scale * (1 - barrierPosition * barrierPosition) / (width * width)
    }

    /// T_c = √(2Γ|f''_b|)/(2π).
    public func crossoverTemperature(gamma: Double) -> Double {
        (2 * gamma * barrierCurvature).squareRoot() / (2 * Double.pi)
    }

    /// The WKB exponent S = (2/√Γ)·∫√(f − Δ) dz over the forbidden stretch.
    public func wkbExponent(gamma: Double) -> Double {
        2 * forbiddenIntegral / gamma.squareRoot()
    }

    /// The far turning point z* in (−w, bw) where f(z*) = Δ, by bisection to machine precision
    /// (f rises monotonically from 0 at −w to H at bw).
    public var turningPoint: Double {
        var lo = -1.0, hi = barrierPosition
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            if well.potential(mid) < trapValue { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi) * width
    }

    /// ∫ √(f(z) − Δ) dz from z* to w. With z = z* + (w − z*)(1 − cos θ)/2 the square-root zero at
    /// z* and the linear zero at the shallow minimum become smooth in θ ∈ [0, π], so a 64-point
    /// Gauss–Legendre rule on θ converges to rounding (checked against an adaptive rule of
    /// another kind in the tests).
    public var forbiddenIntegral: Double {
        let a = turningPoint, b = width
        let half = 0.5 * (b - a)
        var sum = 0.0
        for (node, weight) in GaussLegendre.rule64 {
            let theta = 0.5 * Double.pi * (node + 1)
            let z = a + half * (1 - cos(theta))
            let excess = Swift.max(0, well.potential(z / width) - trapValue)
            sum += weight * excess.squareRoot() * half * sin(theta)
        }
        return 0.5 * Double.pi * sum
    }

    /// Γ at which the free ring polymer of `beads` beads at temperature T has rms spread `spread`
    /// about its centroid: 6P²ℓ²T/(P² − 1).
    public static func gamma(spread: Double, beads: Int, temperature: Double) -> Double {
        let p = Double(beads)
        return 6 * p * p * spread * spread * temperature / (p * p - 1)
    }
}

/// Gauss–Legendre quadrature on [−1, 1]: nodes and weights from Newton's method on P_n.
enum GaussLegendre {
    static let rule64: [(node: Double, weight: Double)] = rule(64)

    static func rule(_ n: Int) -> [(node: Double, weight: Double)] {
        (0..<n).map { i in
            // Tricomi's initial guess, then Newton on P_n.
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for k in 2...n {
                    let pk = ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k)
                    p0 = p1
                    p1 = pk
                }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            return (x, 2 / ((1 - x * x) * derivative * derivative))
        }
    }
}
