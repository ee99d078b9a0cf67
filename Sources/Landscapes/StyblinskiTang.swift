/// The Styblinski–Tang function (Styblinski & Tang 1990, "Experiments in nonconvex
/// optimization: stochastic approximation with function smoothing and simulated annealing",
/// Neural Networks 3):
///
///     f(x) = ½ Σ_i (z_i⁴ − 16 z_i² + 5 z_i),   z = x − s,
///
/// on the box [−5, 5]^d. Each coordinate is an asymmetric quartic double well; its stationary
/// points are the roots of 4z³ − 32z + 5 = 0: the deep well at z₋ = −2.903534027771178…, the
/// barrier top at 0.156731…, the shallow well at z₊ = 2.746802770990837…, computed once by
/// Newton's method. One coordinate's well values are m₋ = −39.16616570377142… and
/// m₊ = −25.029446655283…, so f* = d·m₋ at z = (z₋, …, z₋) (`exact`). There are 2^d local
/// minima (each coordinate in one of the two wells), with values d·m₋ + k(m₊ − m₋) for k
/// coordinates in the shallow well; the gap to the lowest non-global one is m₊ − m₋ = 14.137, and
/// the default success tolerance 1 is a fifteenth of it.
///
/// The type is the raw function; catalog instances are `Shifted` of it (Transforms.swift).
/// Instance 0 has s = 0; instance i > 0 draws s with `InstanceShift` treating both wells' corners
/// (z₋, …, z₋) and (z₊, …, z₊) as points to keep in the central 80% of the box, so every one of
/// the 2^d minima stays inside (s_i ∈ [−1.10, 1.25]). f ≥ f* on all of R^d.
///
/// `rotate=true` rotates about the global minimizer (Transforms.swift) and draws s for the
/// rotated global minimizer only: f* and x* stay exact and inside the box, but the other 2^d − 1 minima
/// are turned with them and may leave the box, so fewer traps lie inside.
public struct StyblinskiTang: RotatableLandscape {
    public let dimension: Int
    public let domain: Box

    /// A root of p(z) = 4z³ − 32z + 5 by Newton's method from `start`.
    static func wellPosition(from start: Double) -> Double {
        var z = start
        for _ in 0..<8 { z -= (4 * z * z * z - 32 * z + 5) / (12 * z * z - 32) }
        return z
    }

    /// z₋, the deep well of one coordinate.
    public static let deepWell = wellPosition(from: -3)
    /// z₊, the shallow well of one coordinate.
    public static let shallowWell = wellPosition(from: 3)
    /// ½(z⁴ − 16z² + 5z), one coordinate's term.
    @inlinable
    public static func term(_ z: Double) -> Double { 0.5 * (z * z * z * z - 16 * z * z + 5 * z) }

    public init(dimension: Int) {
        self.dimension = dimension
        self.domain = Box(cube: -5, 5, dimension: dimension)
    }

    public var optimum: KnownOptimum {
        KnownOptimum(value: Double(dimension) * StyblinskiTang.term(StyblinskiTang.deepWell),
                     status: .exact, points: [Array(repeating: StyblinskiTang.deepWell, count: dimension)])
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/styblinski-tang`
    /// (release, default dimension, instance 1; median 190 µs / 125 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/styblinski-tang/.*'`.
    public var gradCost: Double { 1.5 }

    /// The same ratio for the rotated instance (rotate=true; `Rotated` charges it), measured by the
    /// benchmark `value-vs-gradient/styblinski-tang-rotated` (release, default dimension, instance 1; fastest
    /// iteration of nine runs, 2795 µs / 843 µs per 10 000 calls on 2 cores; Benchmarks/README.md):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/styblinski-tang-rotated/.*'`.
    public var rotatedGradCost: Double { 3.3 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            let z = point[i]
            let z2 = z * z
            sum += 0.5 * (z2 * z2 - 16 * z2 + 5 * z)
        }
        return sum
    }

    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            let z = point[i]
            let z2 = z * z
            sum += 0.5 * (z2 * z2 - 16 * z2 + 5 * z)
            gradient[i] = 2 * z2 * z - 16 * z + 2.5
        }
        return sum
    }

    /// ½ Σ (z⁴ + 16z² + 5|z|): f* ≈ −39·d is a difference of terms of size ~110·d.
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            let z = point[i]
            let z2 = z * z
            sum += 0.5 * (z2 * z2 + 16 * z2 + 5 * abs(z))
        }
        return sum
    }
}

extension LandscapeFamily {
    public static let styblinskiTang = LandscapeFamily(
        name: "styblinski-tang",
        summary: "½Σ(z⁴ − 16z² + 5z) on [−5, 5]^d; 2^d minima, one asymmetric double well per coordinate; f* = −39.166·d",
        parameters: [InstanceShift.rotate.spec],
        defaultDimension: 10, dimensions: 1...1000,
        tolerances: Tolerances(success: 1), optimumStatus: .exact
    ) { request in
        let d = request.dimension
        let base = StyblinskiTang(dimension: d)
        let wells = [[Double](repeating: StyblinskiTang.deepWell, count: d),
                     [Double](repeating: StyblinskiTang.shallowWell, count: d)]
        return try InstanceShift.compose(base, request, family: "styblinski-tang", keeping: wells)
    }
}
