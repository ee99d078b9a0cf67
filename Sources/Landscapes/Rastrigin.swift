import Foundation

/// Rastrigin's function (Rastrigin 1974; in d dimensions, Mühlenbein et al. 1991):
///
///     f(x) = A·d + Σ_i [ z_i² − A·cos(2π z_i) ],   z = x − s,
///
/// on the box [−5.12, 5.12]^d with A = 10. f* = 0 at z = 0 (`exact`). A regular lattice of local
/// minima sits near every integer point z ∈ Z^d inside the box, 11^d of them; the lowest
/// non-global ones (one coordinate at ±0.995) have f ≈ 0.995, so the default success tolerance
/// 0.1 identifies the global basin.
///
/// This type is the raw function (s = 0); catalog instances are `Shifted(Rastrigin)`: instance
/// 0 has s = 0, other instances draw s (`InstanceShift`). With `rotate=true` they are
/// `Shifted(Rotated(Rastrigin))`, COCO's rotated Rastrigin without its other distortions.
public struct Rastrigin: RotatableLandscape {
    public let dimension: Int
    public let amplitude: Double
    public let domain: Box

    public init(dimension: Int, amplitude: Double = 10) {
        self.dimension = dimension
        self.amplitude = amplitude
        self.domain = Box(cube: -5.12, 5.12, dimension: dimension)
    }

    public var optimum: KnownOptimum {
        KnownOptimum(value: 0, status: .exact, points: [Array(repeating: 0, count: dimension)])
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/rastrigin`
    /// (release, default dimension, instance 1; median 1972 µs / 1050 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/rastrigin/.*'`.
    public var gradCost: Double { 1.9 }

    /// The same ratio for the rotated instance (rotate=true; `Rotated` charges it), measured by the
    /// benchmark `value-vs-gradient/rastrigin-rotated` (release, default dimension, instance 1; fastest
    /// iteration of nine runs, 5213 µs / 2215 µs per 10 000 calls on 2 cores; Benchmarks/README.md):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/rastrigin-rotated/.*'`.
    public var rotatedGradCost: Double { 2.4 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        var sum = amplitude * Double(dimension)
        for i in 0..<dimension {
            let z = point[i]
            sum += z * z - amplitude * cos(2 * Double.pi * z)
        }
        return sum
    }

    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        var sum = amplitude * Double(dimension)
        let w = 2 * Double.pi
        for i in 0..<dimension {
            let z = point[i]
            sum += z * z - amplitude * cos(w * z)
            gradient[i] = 2 * z + amplitude * w * sin(w * z)
        }
        return sum
    }

    /// |f| + d: f is a sum of d bounded terms (`ContinuousLandscape`'s default, stated for the
    /// composed instances).
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        abs(value(at: point)) + Double(dimension)
    }
}

private typealias Key = Rastrigin.Key

extension Rastrigin {
    /// The family's parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let amplitude = Parameter<Double>("amplitude", default: 10, in: 0.0...1e6,
            "A, the height of the cosine ripples (textbook value 10)")
    }
}

extension LandscapeFamily {
    public static let rastrigin = LandscapeFamily(
        name: "rastrigin",
        summary: "A·d + Σ(z² − A·cos 2πz) on [−5.12, 5.12]^d; 11^d minima on a lattice; f* = 0",
        parameters: [
            Key.amplitude.spec,
            InstanceShift.rotate.spec,
        ],
        defaultDimension: 10, dimensions: 1...1000,
        tolerances: Tolerances(success: 0.1), optimumStatus: .exact
    ) { request in
        try InstanceShift.compose(Rastrigin(dimension: request.dimension, amplitude: request.parameters[Key.amplitude]),
                                  request, family: "rastrigin")
    }
}
