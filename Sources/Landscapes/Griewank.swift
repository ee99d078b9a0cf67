import Foundation

/// Griewank's function (Griewank 1981, "Generalized descent for global optimization", JOTA 34):
///
///     f(x) = 1 + Σ_i z_i²/4000 − Π_i cos(z_i/√i),   z = x − s,  i = 1…d,
///
/// on the box [−600, 600]^d. f* = 0 at z = 0 (`exact`). A wide, shallow bowl carries a product
/// of cosines that creates an enormous number of local minima (exponential in d; Locatelli 2003,
/// "A note on the Griewank test function", J. Global Optim. 25). The lowest non-global ones sit
/// near z_1 = ±2π with the other coordinates 0, value 0.0098647 (numerical minimisation, any
/// d ≥ 1); the default success tolerance 9e-4 is a tenth of that gap, rounded down.
///
/// The gradient needs Π_{j≠i} cos(z_j/√j). Dividing the full product by cos(z_i/√i) fails where
/// that cosine is 0, so we form prefix products in a forward pass and suffix products in a
/// backward pass instead (no division, no allocation: the prefix lives in `gradient`).
///
/// This type is the raw function (s = 0); catalog instances are `Shifted` of it (Transforms.swift):
/// instance 0 has s = 0, other instances draw s (`InstanceShift`). f ≥ 0 on all of R^d, so
/// `rotate=true` (f(x* + R(x − x*)), Transforms.swift) keeps f* and x*.
public struct Griewank: RotatableLandscape {
    public let dimension: Int
    public let domain: Box

    public init(dimension: Int) {
        self.dimension = dimension
        self.domain = Box(cube: -600, 600, dimension: dimension)
    }

    public var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [Array(repeating: 0, count: dimension)]) }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/griewank`
    /// (release, default dimension, instance 1; median 3719 µs / 1253 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/griewank/.*'`.
    public var gradCost: Double { 3.0 }

    /// The same ratio for the rotated instance (rotate=true; `Rotated` charges it), measured by the
    /// benchmark `value-vs-gradient/griewank-rotated` (release, default dimension, instance 1; fastest
    /// iteration of nine runs, 7822 µs / 2782 µs per 10 000 calls on 2 cores; Benchmarks/README.md):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/griewank-rotated/.*'`.
    public var rotatedGradCost: Double { 2.8 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        var squares = 0.0, product = 1.0
        for i in 0..<dimension {
            let z = point[i]
            squares += z * z
            product *= cos(z / Double(i + 1).squareRoot())
        }
        return 1 + squares / 4000 - product
    }

    /// ∂f/∂z_i = z_i/2000 + sin(z_i/√i)/√i · Π_{j≠i} cos(z_j/√j).
    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        var squares = 0.0, prefix = 1.0
        for i in 0..<dimension {
            let z = point[i]
            squares += z * z
            gradient[i] = prefix  // Π_{j<i} cos(z_j/√j)
            prefix *= cos(z / Double(i + 1).squareRoot())
        }
        var suffix = 1.0  // Π_{j>i} cos(z_j/√j)
        var i = dimension - 1
        while i >= 0 {
            let z = point[i]
            let root = Double(i + 1).squareRoot()
            let u = z / root
            gradient[i] = z / 2000 + sin(u) / root * gradient[i] * suffix
            suffix *= cos(u)
            i -= 1
        }
        return 1 + squares / 4000 - prefix
    }

    /// |f| + d: f is a sum of d bounded terms (`ContinuousLandscape`'s default, stated for the
    /// composed instances).
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        abs(value(at: point)) + Double(dimension)
    }
}

extension LandscapeFamily {
    public static let griewank = LandscapeFamily(
        name: "griewank",
        summary: "1 + Σz²/4000 − Π cos(z_i/√i) on [−600, 600]^d; exponentially many shallow minima; f* = 0",
        parameters: [InstanceShift.rotate.spec],
        defaultDimension: 10, dimensions: 1...1000,
        tolerances: Tolerances(success: 9e-4), optimumStatus: .exact
    ) { request in
        try InstanceShift.compose(Griewank(dimension: request.dimension), request, family: "griewank")
    }
}
