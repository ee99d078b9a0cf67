/// The sphere function, the convex sanity check of every benchmark suite (De Jong 1975, F1):
///
///     f(x) = Σ_i z_i²,   z = x − s,
///
/// on the box [−5.12, 5.12]^d. f* = 0 at z = 0 (`exact`). It is strictly convex, so it has no
/// local minimum other than the global one: every trap drawn on it is global, and an optimizer
/// that fails here is broken, not trapped. The success tolerance 1e-8 is COCO's final target
/// (Hansen et al. 2021, "COCO: a platform for comparing continuous optimizers").
///
/// This type is the raw function (s = 0); catalog instances are `Shifted` of it (Transforms.swift):
/// instance 0 has s = 0, other instances draw s (`InstanceShift`). No `rotate` flag: a rotation about x*
/// leaves |x − x*|² unchanged, so a rotated sphere is the sphere up to rounding.
public struct Sphere: ComposableLandscape {
    public let dimension: Int
    public let domain: Box

    public init(dimension: Int) {
        self.dimension = dimension
        self.domain = Box(cube: -5.12, 5.12, dimension: dimension)
    }

    public var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [Array(repeating: 0, count: dimension)]) }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/sphere`
    /// (release, default dimension, instance 1; median 152 µs / 89 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/sphere/.*'`.
    public var gradCost: Double { 1.7 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            let z = point[i]
            sum += z * z
        }
        return sum
    }

    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            let z = point[i]
            sum += z * z
            gradient[i] = 2 * z
        }
        return sum
    }

    /// |f| + d: f is a sum of d bounded terms (`ContinuousLandscape`'s default, stated for the
    /// composed instances).
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        abs(value(at: point)) + Double(dimension)
    }
}

extension LandscapeFamily {
    public static let sphere = LandscapeFamily(
        name: "sphere",
        summary: "Σz² on [−5.12, 5.12]^d; convex, no non-global minimum (sanity check); f* = 0",
        parameters: [],
        defaultDimension: 10, dimensions: 1...1000,
        tolerances: Tolerances(success: 1e-8), optimumStatus: .exact,
        highestMinimum: { _, _ in 0 }  // strictly convex: f* is the only minimum
    ) { request in
        InstanceShift.composeWithoutRotation(Sphere(dimension: request.dimension), request, family: "sphere")
    }
}
