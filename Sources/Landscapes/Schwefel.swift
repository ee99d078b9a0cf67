import Foundation

/// Schwefel's function (Schwefel 1981, "Numerical Optimization of Computer Models", problem 2.26;
/// the offset form of the Virtual Library of Simulation Experiments, sfu.ca/~ssurjano/schwef.html):
///
///     f(x) = Σ_i [ c − z_i sin(√|z_i|) ] + λ Σ_i max(0, |z_i| − 500)²,   z = x − s,
///
/// on the box [−500, 500]^d, where c = max_{0≤t≤500} t sin √t = 418.98288727243374…, attained at
/// t* = 420.96874635998…; both are computed once by Newton's method on d/du(u² sin u) =
/// 2 sin u + u cos u = 0 (u = √t), so f* = 0 to rounding at z = (t*, …, t*), x* = t* + s
/// (`exact`).
///
/// Each coordinate has a row of wells whose depth grows towards the faces; the best one is next
/// to the face at +500 and the second best at z ≈ −302.52, far away, with f − f* ≈ 118.44
/// (numerical minimisation). The 1-D wells combine into a product lattice of local minima (8 per
/// coordinate in the box, 8^d in all). The default success tolerance 10 is a tenth of the 118.44
/// gap, rounded down.
///
/// Boundary penalty: f keeps dropping outside [−500, 500] (the wells keep deepening), so a
/// shifted instance, whose z = x − s reaches beyond ±500 near a face, would dip below f*. The
/// term λ·max(0, |z_i| − 500)² with λ = 1 (COCO's f20 uses a penalty of the same shape, Hansen et
/// al. 2009, BBOB function definitions) restores f ≥ f* on all of R^d: for 500 < |z| < 510,
/// sin √|z| ∈ [−0.55, −0.36], so |z sin √|z|| < 281 < c; for |z| − 500 = t ≥ 9.52,
/// c − |z| + t² = t² − t − 81.02 ≥ 0. Inside [−500, 500]^d (all of instance 0) it is zero.
///
/// This type is the raw function (s = 0); catalog instances are `Shifted` of it (Transforms.swift):
/// instance 0 has s = 0, other instances draw s (`InstanceShift`).
///
/// No `rotate` flag: rotated, most of the box would map to |z_i| > 500, into the boundary penalty,
/// and the deceptive structure (the best wells at opposite corners of the box) would be gone.
public struct Schwefel: ComposableLandscape {
    public let dimension: Int
    /// λ of the boundary penalty (1 in every catalog instance; 0 only to show why it is there).
    public let penaltyWeight: Double
    public let domain: Box

    /// (t*, c): the maximiser and maximum of t sin √t on [0, 500], by Newton's method in u = √t on
    /// h(u) = 2 sin u + u cos u, h'(u) = 3 cos u − u sin u, from u = 20.5 (quadratic convergence;
    /// 8 steps are far more than machine precision needs).
    public static let peak: (position: Double, value: Double) = {
        var u = 20.5
        for _ in 0..<8 {
            let h = 2 * sin(u) + u * cos(u)
            let dh = 3 * cos(u) - u * sin(u)
            u -= h / dh
        }
        return (u * u, u * u * sin(u))
    }()

    public init(dimension: Int, penaltyWeight: Double = 1) {
        self.dimension = dimension
        self.penaltyWeight = penaltyWeight
        self.domain = Box(cube: -500, 500, dimension: dimension)
    }

    public var optimum: KnownOptimum {
        KnownOptimum(value: 0, status: .exact, points: [Array(repeating: Schwefel.peak.position, count: dimension)])
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/schwefel`
    /// (release, default dimension, instance 1; median 2263 µs / 1260 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/schwefel/.*'`.
    public var gradCost: Double { 1.8 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        let c = Schwefel.peak.value
        var sum = 0.0
        for i in 0..<dimension {
            let z = point[i]
            let excess = max(0, abs(z) - 500)
            sum += c - z * sin(abs(z).squareRoot()) + penaltyWeight * excess * excess
        }
        return sum
    }

    /// d/dz [z sin √|z|] = sin √|z| + (√|z|/2) cos √|z| (finite at z = 0);
    /// d/dz [λ max(0, |z| − 500)²] = 2λ (|z| − 500) sign z outside [−500, 500].
    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        let c = Schwefel.peak.value
        var sum = 0.0
        for i in 0..<dimension {
            let z = point[i]
            let root = abs(z).squareRoot()
            let s = sin(root)
            let excess = max(0, abs(z) - 500)
            sum += c - z * s + penaltyWeight * excess * excess
            let penaltySlope = z < 0 ? -2 * penaltyWeight * excess : 2 * penaltyWeight * excess
            gradient[i] = -(s + 0.5 * root * cos(root)) + penaltySlope
        }
        return sum
    }

    /// Σ (c + |z sin √|z|| + penalty): f* = 0 is a difference of terms of size ~419·d.
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        let c = Schwefel.peak.value
        var sum = 0.0
        for i in 0..<dimension {
            let z = point[i]
            let excess = max(0, abs(z) - 500)
            sum += c + abs(z * sin(abs(z).squareRoot())) + penaltyWeight * excess * excess
        }
        return sum
    }
}

extension LandscapeFamily {
    public static let schwefel = LandscapeFamily(
        name: "schwefel",
        summary: "418.98·d − Σ z sin √|z| (+ boundary penalty) on [−500, 500]^d; deceptive: best wells far apart; f* = 0",
        parameters: [],
        defaultDimension: 10, dimensions: 1...1000,
        tolerances: Tolerances(success: 10), optimumStatus: .exact
    ) { request in
        InstanceShift.composeWithoutRotation(Schwefel(dimension: request.dimension), request, family: "schwefel")
    }
}
