/// A separable sum of tunable asymmetric double wells: the testbed whose barrier height, barrier
/// width and well asymmetry are parameters that mean exactly what they say.
///
///     f(x) = Σ_i V(z_i / w),   z = x − s,
///     V(u) = c (u + 1)² [ u²/4 − (b/3 + 1/2) u + 1/4 + 2b/3 ],
///     V'(u) = c (u² − 1)(u − b),
///
/// so the stationary points of V are exactly u = −1 (deep well), u = b (barrier top) and u = +1
/// (shallow well), for any b in [0, 1); in z they are −w, b·w and +w, whatever the parameters.
/// Integrating V' gives
///
///     V(−1) = 0,   V(+1) = Δ = 4bc/3,   V(b) = H = c (1 + b)³ (3 − b) / 12,
///
/// and the bracket is positive for 0 < b < 3 (discriminant b(b − 3)/9 < 0), so V ≥ 0 with
/// equality only at u = −1. Parameters (all exact, not approximate):
/// - `height` H: the barrier height seen from the deep well, V(b) − V(−1). Seen from the shallow
///   well the barrier is H − Δ = c (1 − b)³ (3 + b) / 12.
/// - `width` w: half the distance between the two wells (they sit at z = ±w).
/// - `asymmetry` α = Δ / H: how much higher the shallow well is, as a fraction of H (default 0.1).
///   Given α, b solves α = 16b / ((1 + b)³ (3 − b)) (increasing in b: its derivative is
///   proportional to 3(1 − b)²), found once by bisection to machine precision; then
///   c = 12H / ((1 + b)³ (3 − b)). α = 0 would make both wells global, so α ≥ 0.001.
/// Curvatures at the wells: V''(∓1) = 2c(1 ± b), i.e. f'' = 2c(1 ± b)/w² in z.
///
/// f* = 0 at z = (−w, …, −w) (`exact`). There are 2^d local minima (each coordinate in one of
/// its two wells), with values kΔ for k coordinates in the shallow well; the gap is Δ = αH, and
/// the default success tolerance 0.01 is a tenth of it at the defaults (H = 1, α = 0.1). For
/// other parameters set the success tolerance below αH.
///
/// Box [−2w, 2w]^d by default: both wells and the barrier well inside. The `bound` parameter B > 0
/// fixes the box at [−B, B]^d instead (B ≥ 1.25w), so that a sweep over w changes the barrier's
/// width in absolute units rather than rescaling the whole problem: optimizers that calibrate
/// their steps to the box would otherwise see the same landscape at every w. The type is the raw
/// function; catalog instances are `Shifted` of it (Transforms.swift). Instance 0 has s = 0;
/// instance i > 0 draws s with `InstanceShift` over both wells' corners, so all 2^d minima stay
/// inside the central 80% of the box (|s_i| ≤ 0.6w with the default box).
///
/// `rotate=true` rotates about the global minimizer (Transforms.swift) and draws s for the
/// rotated global minimizer only: f* and x* stay exact and inside the box, but the other 2^d − 1 minima
/// are turned with them and may leave the box, so fewer traps lie inside.
public struct DoubleWell: RotatableLandscape {
    public let dimension: Int
    public let height: Double
    public let width: Double
    public let asymmetry: Double
    /// b, the barrier top in units of w.
    public let barrierPosition: Double
    /// c, the overall scale of V.
    public let scale: Double
    public let domain: Box

    /// b such that 16b / ((1 + b)³ (3 − b)) = α, by bisection on [0, 1].
    public static func barrierPosition(asymmetry alpha: Double) -> Double {
        var lo = 0.0, hi = 1.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }
            let onePlus = 1 + mid
            let ratio = 16 * mid / (onePlus * onePlus * onePlus * (3 - mid))
            if ratio < alpha { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// `bound` B > 0 gives the box [−B, B]^d; `nil` gives [−2w, 2w]^d.
    public init(dimension: Int, height: Double = 1, width: Double = 1, asymmetry: Double = 0.1, bound: Double? = nil) {
        self.dimension = dimension
        self.height = height
        self.width = width
        self.asymmetry = asymmetry
        let b = DoubleWell.barrierPosition(asymmetry: asymmetry)
        self.barrierPosition = b
        self.scale = 12 * height / ((1 + b) * (1 + b) * (1 + b) * (3 - b))
        let half = bound ?? 2 * width
        self.domain = Box(cube: -half, half, dimension: dimension)
    }

    /// V(u), one coordinate's well in units u = z/w.
    @inlinable
    public func potential(_ u: Double) -> Double {
        let b = barrierPosition
        let left = u + 1
        return scale * left * left * (0.25 * u * u - (b / 3 + 0.5) * u + 0.25 + 2 * b / 3)
    }

    public var optimum: KnownOptimum {
        KnownOptimum(value: 0, status: .exact, points: [Array(repeating: -width, count: dimension)])
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/double-well`
    /// (release, default dimension, instance 1; median 187 µs / 132 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/double-well/.*'`.
    public var gradCost: Double { 1.4 }

    /// The same ratio for the rotated instance (rotate=true; `Rotated` charges it), measured by the
    /// benchmark `value-vs-gradient/double-well-rotated` (release, default dimension, instance 1; fastest
    /// iteration of nine runs, 1621 µs / 548 µs per 10 000 calls on 2 cores; Benchmarks/README.md):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/double-well-rotated/.*'`.
    public var rotatedGradCost: Double { 3.0 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            sum += potential((point[i]) / width)
        }
        return sum
    }

    /// ∂f/∂x_i = V'(u_i)/w = c (u_i² − 1)(u_i − b)/w.
    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        var sum = 0.0
        for i in 0..<dimension {
            let u = (point[i]) / width
            sum += potential(u)
            gradient[i] = scale * (u * u - 1) * (u - barrierPosition) / width
        }
        return sum
    }

    /// Σ c (u + 1)² (u²/4 + (b/3 + 1/2)|u| + 1/4 + 2b/3): the bracket's terms in absolute value.
    public func roundingScale<Z: Coordinates>(at point: Z) -> Double {
        let b = barrierPosition
        var sum = 0.0
        for i in 0..<dimension {
            let u = (point[i]) / width
            sum += scale * (u + 1) * (u + 1) * (0.25 * u * u + (b / 3 + 0.5) * abs(u) + 0.25 + 2 * b / 3)
        }
        return sum
    }
}

private typealias Key = DoubleWell.Key

extension DoubleWell {
    /// The family's parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let height = Parameter<Double>("height", default: 1, in: 1e-6...1e6,
            "H, barrier height seen from the deep well (1: a unit barrier)")
        public static let width = Parameter<Double>("width", default: 1, in: 1e-6...1e6,
            "w, half the distance between the wells, which sit at ±w (1: unit spacing)")
        public static let asymmetry = Parameter<Double>("asymmetry", default: 0.1, in: 0.001...0.99,
            "α: the shallow well lies αH above the deep one (0.1: a trap a tenth of the barrier shallower)")
        public static let bound = Parameter<Double>("bound", default: 0, in: 0...1e6,
            "B: box [−B, B]^d, B ≥ 1.25w; 0 = [−2w, 2w]^d, which rescales the box with w")
    }
}

extension LandscapeFamily {
    public static let doubleWell = LandscapeFamily(
        name: "double-well",
        summary: "Σ V(z/w), V an asymmetric double well with exact barrier H, wells at ±w, shallow well αH higher; 2^d minima; f* = 0",
        parameters: [
            Key.height.spec,
            Key.width.spec,
            Key.asymmetry.spec,
            Key.bound.spec,
            InstanceShift.rotate.spec,
        ],
        defaultDimension: 5, dimensions: 1...1000,
        tolerances: Tolerances(success: 0.01), optimumStatus: .exact,
        highestMinimum: { d, p in Double(d) * p[Key.asymmetry] * p[Key.height] }  // every coordinate in its shallow well: dαH
    ) { request in
        let p = request.parameters
        let d = request.dimension
        let bound = p.automatic(Key.bound)
        if let bound, bound < 1.25 * p[Key.width] {
            throw LandscapeError.invalidParameters(
                family: "double-well",
                reason: "bound \(formatReal(bound)) must be at least 1.25 × width (\(formatReal(1.25 * p[Key.width]))) to hold both wells")
        }
        let base = DoubleWell(dimension: d, height: p[Key.height], width: p[Key.width], asymmetry: p[Key.asymmetry], bound: bound)
        let wells = [[Double](repeating: -base.width, count: d), [Double](repeating: base.width, count: d)]
        return try InstanceShift.compose(base, request, family: "double-well", keeping: wells)
    }
}
