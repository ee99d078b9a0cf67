import Foundation

/// Ackley's function (Ackley 1987, "A connectionist machine for genetic hillclimbing"; the
/// d-dimensional form of Bäck 1996):
///
///     f(x) = −a·exp(−b·√(Σ z_i² / d)) − exp(Σ cos(c z_i) / d) + a + e,   z = x − s,
///
/// with a = 20, b = 0.2, c = 2π, on the box [−32.768, 32.768]^d. f* = 0 at z = 0 (`exact`).
/// A nearly flat outer plateau, pitted with a regular lattice of local minima near the integer
/// points, funnels into one deep central hole. The lowest non-global minima have one coordinate
/// near ±1; by numerical minimisation their value is 3.574 (d = 1), 2.580 (d = 2), 1.646 (d = 5),
/// 1.155 (d = 10). The gap shrinks with d (for d ≳ 100 that first ring flattens away), so the
/// default success tolerance 0.1 is a tenth of the gap at the default d = 10, rounded down.
///
/// The gradient of the first term is a·b·exp(−b r)·z_i/(d r) with r = √(Σz²/d); at z = 0 the
/// norm r is not differentiable (f has a cone-shaped tip there). We return 0 for that term at
/// r = 0, which is a valid subgradient and makes z = 0 a stationary point, as it is a minimum.
///
/// This type is the raw function (s = 0); catalog instances are `Shifted` of it (Transforms.swift):
/// instance 0 has s = 0, other instances draw s (`InstanceShift`). f ≥ 0 on all of R^d, so
/// `rotate=true` (f(x* + R(x − x*)), Transforms.swift) keeps f* and x*.
public struct Ackley: RotatableLandscape {
    public let dimension: Int
    public let a: Double
    public let b: Double
    public let c: Double
    public let domain: Box

    public init(dimension: Int, a: Double = 20, b: Double = 0.2, c: Double = 2 * Double.pi) {
        self.dimension = dimension
        self.a = a
        self.b = b
        self.c = c
        self.domain = Box(cube: -32.768, 32.768, dimension: dimension)
    }

    public var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [Array(repeating: 0, count: dimension)]) }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/ackley`
    /// (release, default dimension, instance 1; median 2177 µs / 1170 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/ackley/.*'`.
    public var gradCost: Double { 1.9 }

    /// The same ratio for the rotated instance (rotate=true; `Rotated` charges it), measured by the
    /// benchmark `value-vs-gradient/ackley-rotated` (release, default dimension, instance 1; fastest
    /// iteration of nine runs, 5484 µs / 2387 µs per 10 000 calls on 2 cores; Benchmarks/README.md):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/ackley-rotated/.*'`.
    public var rotatedGradCost: Double { 2.3 }

    /// Σz_i² and Σcos(c·z_i): the two sums f, ∇f and the rounding scale are built from.
    @inlinable @inline(__always)
    func sums<Z: Coordinates>(at point: Z) -> (squares: Double, cosines: Double) {
        var squares = 0.0, cosines = 0.0
        for i in 0..<dimension {
            let z = point[i]
            squares += z * z
            cosines += cos(c * z)
        }
        return (squares, cosines)
    }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        let (squares, cosines) = sums(at: point)
        let n = Double(dimension)
        return -a * exp(-b * (squares / n).squareRoot()) - exp(cosines / n) + a + M_E
    }

    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        let (squares, cosines) = sums(at: point)
        let n = Double(dimension)
        let r = (squares / n).squareRoot()
        let radial = a * exp(-b * r)
        let ripple = exp(cosines / n)
        // d/dz_i of −a·exp(−b r) = a·b·exp(−b r)·z_i/(d r); 0 at r = 0 (see the type's comment).
        let radialFactor = r > 0 ? radial * b / (n * r) : 0
        let rippleFactor = ripple * c / n
        for i in 0..<dimension {
            let z = point[i]
            gradient[i] = radialFactor * z + rippleFactor * sin(c * z)
        }
        return -radial - ripple + a + M_E
    }

    /// a + e plus the two exponential terms: f is a difference of O(a) quantities.
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        let (squares, cosines) = sums(at: point)
        let n = Double(dimension)
        return a + M_E + a * exp(-b * (squares / n).squareRoot()) + exp(cosines / n)
    }
}

private typealias Key = Ackley.Key

extension Ackley {
    /// The family's parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let a = Parameter<Double>("a", default: 20, in: 0.0...1e6,
            "depth of the central funnel (textbook value 20, Ackley 1987)")
        public static let b = Parameter<Double>("b", default: 0.2, in: 0.0...1e3,
            "radial decay rate of the funnel (textbook value 0.2)")
        public static let c = Parameter<Double>("c", default: 2 * Double.pi, in: 0.0...1e3,
            "angular frequency of the ripples (textbook value 2π: period 1)")
    }
}

extension LandscapeFamily {
    public static let ackley = LandscapeFamily(
        name: "ackley",
        summary: "−a·exp(−b·√(Σz²/d)) − exp(Σcos(cz)/d) + a + e on [−32.768, 32.768]^d; lattice of minima around a deep hole; f* = 0",
        parameters: [
            Key.a.spec,
            Key.b.spec,
            Key.c.spec,
            InstanceShift.rotate.spec,
        ],
        defaultDimension: 10, dimensions: 1...1000,
        tolerances: Tolerances(success: 0.1), optimumStatus: .exact
    ) { request in
        let p = request.parameters
        let base = Ackley(dimension: request.dimension, a: p[Key.a], b: p[Key.b], c: p[Key.c])
        return try InstanceShift.compose(base, request, family: "ackley")
    }
}
