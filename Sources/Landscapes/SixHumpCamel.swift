/// The six-hump camel-back function (Dixon & Szegő 1978, "Towards Global Optimisation 2"):
///
///     f(x, y) = (4 − 2.1 u² + u⁴/3) u² + u v + (−4 + 4 v²) v²,   (u, v) = (x, y) − s,
///
/// in two dimensions only, on the box [−3, 3] × [−2, 2]. It has six local minima, in three
/// symmetric pairs (f(−u, −v) = f(u, v)):
///
/// | (u, v)                   | f              |
/// |--------------------------|----------------|
/// | ±(0.089842, −0.712656)   | −1.0316284535 (global) |
/// | ±(1.703607, −0.796084)   | −0.2154638     |
/// | ±(1.607105, 0.568651)    | 2.1042503      |
///
/// The two global minimizers are found once by Newton's method on ∇f = 0 from (0.09, −0.71),
/// giving f* = −1.0316284534898774 (`exact` to rounding). The gap to the next minimum is 0.8162;
/// the default success tolerance 0.08 is a tenth of it, rounded down.
///
/// The type is the raw function; catalog instances are `Shifted` of it (Transforms.swift).
/// Instance 0 has s = 0; instance i > 0 draws s with `InstanceShift` over all six minimizers, so
/// the two global ones move together and all six stay in the central 80% of the box. f is a
/// coercive polynomial whose global minimum over R² is f*, so f ≥ f* for every shift.
///
/// `rotate=true` rotates about the centre of symmetry 0, so the global minimizers stay ±Rᵀx*,
/// and draws s for those two only: the four other minima may leave the box once rotated.
public struct SixHumpCamel: RotatableLandscape {
    public let dimension = 2
    public let domain: Box

    /// One global minimizer (the other is its negation), by Newton's method on the gradient.
    public static let globalMinimizer: [Double] = {
        var u = 0.09, v = -0.71
        for _ in 0..<10 {
            let gu = 8 * u - 8.4 * u * u * u + 2 * u * u * u * u * u + v
            let gv = u - 8 * v + 16 * v * v * v
            let huu = 8 - 25.2 * u * u + 10 * u * u * u * u
            let hvv = -8 + 48 * v * v
            let huv = 1.0
            let det = huu * hvv - huv * huv
            u -= (hvv * gu - huv * gv) / det
            v -= (huu * gv - huv * gu) / det
        }
        return [u, v]
    }()

    /// The raw function at (u, v), before any shift.
    @inlinable
    public static func raw(_ u: Double, _ v: Double) -> Double {
        let u2 = u * u, v2 = v * v
        return (4 - 2.1 * u2 + u2 * u2 / 3) * u2 + u * v + (-4 + 4 * v2) * v2
    }

    /// Approximate positions of all six minima (table above), used to keep them in the box.
    public static let approximateMinimizers: [[Double]] = [
        [0.089842, -0.712656], [-0.089842, 0.712656],
        [1.703607, -0.796084], [-1.703607, 0.796084],
        [1.607105, 0.568651], [-1.607105, -0.568651],
    ]

    public init() {
        self.domain = Box(lower: [-3, -2], upper: [3, 2])
    }

    public var optimum: KnownOptimum {
        let m = SixHumpCamel.globalMinimizer
        return KnownOptimum(value: SixHumpCamel.raw(m[0], m[1]), status: .exact,
                            points: [m, [-m[0], -m[1]]])
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/six-hump-camel`
    /// (release, default dimension, instance 1; median 106 µs / 71 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/six-hump-camel/.*'`.
    public var gradCost: Double { 1.5 }

    /// The same ratio for the rotated instance (rotate=true; `Rotated` charges it), measured by the
    /// benchmark `value-vs-gradient/six-hump-camel-rotated` (release, default dimension, instance 1; fastest
    /// iteration of nine runs, 1070 µs / 421 µs per 10 000 calls on 2 cores; Benchmarks/README.md):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/six-hump-camel-rotated/.*'`.
    public var rotatedGradCost: Double { 2.5 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        SixHumpCamel.raw(point[0], point[1])
    }

    /// ∂f/∂u = 8u − 8.4u³ + 2u⁵ + v,  ∂f/∂v = u − 8v + 16v³.
    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        let u = point[0], v = point[1]
        let u2 = u * u, v2 = v * v
        gradient[0] = 8 * u - 8.4 * u2 * u + 2 * u2 * u2 * u + v
        gradient[1] = u - 8 * v + 16 * v2 * v
        return (4 - 2.1 * u2 + u2 * u2 / 3) * u2 + u * v + (-4 + 4 * v2) * v2
    }

    /// Σ|terms|: 4u² + 2.1u⁴ + u⁶/3 + |uv| + 4v² + 4v⁴.
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        let u = point[0], v = point[1]
        let u2 = u * u, v2 = v * v
        return 4 * u2 + 2.1 * u2 * u2 + u2 * u2 * u2 / 3 + abs(u * v) + 4 * v2 + 4 * v2 * v2
    }
}

extension LandscapeFamily {
    public static let sixHumpCamel = LandscapeFamily(
        name: "six-hump-camel",
        summary: "(4 − 2.1x² + x⁴/3)x² + xy + (−4 + 4y²)y² on [−3, 3]×[−2, 2]; six minima, two global; f* = −1.0316",
        parameters: [InstanceShift.rotate.spec],
        defaultDimension: 2, dimensions: 2...2,
        tolerances: Tolerances(success: 0.08), optimumStatus: .exact
    ) { request in
        let base = SixHumpCamel()
        // Rotated about the centre of symmetry 0, so that the two global minimizers ±x* stay ±Rᵀx*.
        return try InstanceShift.compose(base, request, family: "six-hump-camel", keeping: SixHumpCamel.approximateMinimizers,
                                         rotatingAbout: [0, 0])
    }
}
