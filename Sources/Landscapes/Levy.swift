import Foundation

/// Levy's function (Levy & Montalvo 1985, "The tunneling algorithm for the global minimization
/// of functions", SIAM J. Sci. Stat. Comput. 6; in the d-dimensional form of the Virtual Library
/// of Simulation Experiments, Surjanovic & Bingham, sfu.ca/~ssurjano/levy.html):
///
///     w_i = 1 + (z_i − 1)/4,   z = x − s,
///     f(x) = sin²(π w_1) + Σ_{i=1}^{d−1} (w_i − 1)² [1 + 10 sin²(π w_i + 1)]
///                        + (w_d − 1)² [1 + sin²(2π w_d)],
///
/// on the box [−10, 10]^d. f* = 0 at z = (1, …, 1), so x* = (1, …, 1) + s (`exact`). Every term
/// is non-negative, so f ≥ 0 on all of R^d. The sin² factors put ridges across a bowl, giving a
/// number of local minima exponential in d. By numerical minimisation the lowest non-global
/// minimum has f ≈ 0.97371 for d = 2 and f ≈ 0.089528 for d ≥ 3 (one interior coordinate in the
/// neighbouring trough); the default success tolerance 0.008 is a tenth of the d ≥ 3 gap,
/// rounded down.
///
/// This type is the raw function (s = 0); catalog instances are `Shifted` of it (Transforms.swift):
/// instance 0 has s = 0, other instances draw s (`InstanceShift`). f ≥ 0 on all of R^d, so
/// `rotate=true` (f(x* + R(x − x*)), Transforms.swift) keeps f* and x*.
public struct Levy: RotatableLandscape {
    public let dimension: Int
    public let domain: Box

    public init(dimension: Int) {
        self.dimension = dimension
        self.domain = Box(cube: -10, 10, dimension: dimension)
    }

    public var optimum: KnownOptimum {
        KnownOptimum(value: 0, status: .exact, points: [Array(repeating: 1, count: dimension)])
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/levy`
    /// (release, default dimension, instance 1; median 2241 µs / 1227 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/levy/.*'`.
    public var gradCost: Double { 1.8 }

    /// The same ratio for the rotated instance (rotate=true; `Rotated` charges it), measured by the
    /// benchmark `value-vs-gradient/levy-rotated` (release, default dimension, instance 1; fastest
    /// iteration of nine runs, 5607 µs / 2491 µs per 10 000 calls on 2 cores; Benchmarks/README.md):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/levy-rotated/.*'`.
    public var rotatedGradCost: Double { 2.3 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        let w1 = 1 + (point[0] - 1) / 4
        let s1 = sin(Double.pi * w1)
        var sum = s1 * s1
        for i in 0..<(dimension - 1) {
            let v = (point[i] - 1) / 4  // w_i − 1
            let s = sin(Double.pi * (1 + v) + 1)
            sum += v * v * (1 + 10 * s * s)
        }
        let v = (point[dimension - 1] - 1) / 4
        let s = sin(2 * Double.pi * (1 + v))
        sum += v * v * (1 + s * s)
        return sum
    }

    /// With v = w − 1 and dw/dz = 1/4:
    /// d/dw sin²(πw) = π sin(2πw);
    /// d/dw v²(1 + 10 sin²(πw + 1)) = 2v(1 + 10 sin²(πw + 1)) + 10π v² sin(2(πw + 1));
    /// d/dw v²(1 + sin²(2πw)) = 2v(1 + sin²(2πw)) + 2π v² sin(4πw).
    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        let pi = Double.pi
        let w1 = 1 + (point[0] - 1) / 4
        let s1 = sin(pi * w1)
        var sum = s1 * s1
        for i in 0..<dimension { gradient[i] = 0 }
        gradient[0] = pi * sin(2 * pi * w1) / 4
        for i in 0..<(dimension - 1) {
            let v = (point[i] - 1) / 4
            let phase = pi * (1 + v) + 1
            let s = sin(phase)
            sum += v * v * (1 + 10 * s * s)
            gradient[i] += (2 * v * (1 + 10 * s * s) + 10 * pi * v * v * sin(2 * phase)) / 4
        }
        let last = dimension - 1
        let v = (point[last] - 1) / 4
        let w = 1 + v
        let s = sin(2 * pi * w)
        sum += v * v * (1 + s * s)
        gradient[last] += (2 * v * (1 + s * s) + 2 * pi * v * v * sin(4 * pi * w)) / 4
        return sum
    }

    /// |f| + d: f is a sum of d bounded terms (`ContinuousLandscape`'s default, stated for the
    /// composed instances).
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        abs(value(at: point)) + Double(dimension)
    }
}

extension LandscapeFamily {
    public static let levy = LandscapeFamily(
        name: "levy",
        summary: "Levy's function (w = 1 + (z − 1)/4) on [−10, 10]^d; exponentially many minima; f* = 0",
        parameters: [InstanceShift.rotate.spec],
        defaultDimension: 10, dimensions: 1...1000,
        tolerances: Tolerances(success: 0.008), optimumStatus: .exact
    ) { request in
        try InstanceShift.compose(Levy(dimension: request.dimension), request, family: "levy")
    }
}
