/// Rosenbrock's valley (Rosenbrock 1960), in the chained d-dimensional form:
///
///     f(x) = Σ_{i=1}^{d−1} [ 100 (z_{i+1} − z_i²)² + (1 − z_i)² ],   z = x − s,
///
/// on the box [−5, 10]^d, the usual domain of the Virtual Library of Simulation Experiments
/// (Surjanovic & Bingham, sfu.ca/~ssurjano/rosen.html). f* = 0 at z = (1, …, 1), so
/// x* = (1, …, 1) + s (`exact`).
///
/// Local minima: for d = 2 and 3 the global minimum is the only stationary point that is a
/// minimum. For 4 ≤ d ≤ 7 there is exactly one more, near z = (−1, 1, …, 1)
/// (Shang & Qiu 2006, "A note on the extended Rosenbrock function", Evol. Comput. 14(1)); it
/// persists for larger d (numerically f ≈ 3.7014 at d = 4, 3.9308 at d = 5, 3.9866 at d = 10).
/// The gap between f* and that minimum is therefore at least 3.70, and the default success
/// tolerance 0.3 (a tenth of the gap, rounded down) means "in the global basin". The curved,
/// flat-bottomed valley makes gradient descent slow even where there is no trap.
///
/// This type is the raw function (s = 0); catalog instances are `Shifted` of it (Transforms.swift):
/// instance 0 has s = 0, other instances draw s (`InstanceShift`). `rotate=true` rotates
/// about x* (Transforms.swift). The function is non-negative
/// on all of R^d, so f ≥ f* on the box for every shift.
public struct Rosenbrock: RotatableLandscape {
    public let dimension: Int
    public let domain: Box

    public init(dimension: Int) {
        self.dimension = dimension
        self.domain = Box(cube: -5, 10, dimension: dimension)
    }

    public var optimum: KnownOptimum {
        KnownOptimum(value: 0, status: .exact, points: [Array(repeating: 1, count: dimension)])
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/rosenbrock`
    /// (release, default dimension, instance 1; median 247 µs / 128 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/rosenbrock/.*'`.
    public var gradCost: Double { 1.9 }

    /// The same ratio for the rotated instance (rotate=true; `Rotated` charges it), measured by the
    /// benchmark `value-vs-gradient/rosenbrock-rotated` (release, default dimension, instance 1; fastest
    /// iteration of nine runs, 2913 µs / 869 µs per 10 000 calls on 2 cores; Benchmarks/README.md):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/rosenbrock-rotated/.*'`.
    public var rotatedGradCost: Double { 3.4 }

    @inlinable
    public func value<Z: Coordinates>(at point: Z) -> Double {
        var sum = 0.0
        var i = 0
        while i + 1 < dimension {
            let z = point[i]
            let zNext = point[i + 1]
            let valley = zNext - z * z
            let slope = 1 - z
            sum += 100 * valley * valley + slope * slope
            i += 1
        }
        return sum
    }

    /// ∂f/∂z_i = −400 z_i (z_{i+1} − z_i²) − 2(1 − z_i) [for i < d]  + 200 (z_i − z_{i−1}²) [for i > 1].
    @inlinable
    public func valueAndGradient<Z: Coordinates>(at point: Z, gradient: inout [Double]) -> Double {
        var sum = 0.0
        for i in 0..<dimension { gradient[i] = 0 }
        var i = 0
        while i + 1 < dimension {
            let z = point[i]
            let zNext = point[i + 1]
            let valley = zNext - z * z
            let slope = 1 - z
            sum += 100 * valley * valley + slope * slope
            gradient[i] += -400 * z * valley - 2 * slope
            gradient[i + 1] += 200 * valley
            i += 1
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
    public static let rosenbrock = LandscapeFamily(
        name: "rosenbrock",
        summary: "Σ 100(z_{i+1} − z_i²)² + (1 − z_i)² on [−5, 10]^d; curved valley, 2nd minimum near (−1,1,…,1) for d ≥ 4; f* = 0",
        parameters: [InstanceShift.rotate.spec],
        defaultDimension: 10, dimensions: 2...1000,
        tolerances: Tolerances(success: 0.3), optimumStatus: .exact,
        highestMinimum: { d, _ in d <= 3 ? 0 : nil }  // d ≤ 3: the global minimum is the only one (above)
    ) { request in
        try InstanceShift.compose(Rosenbrock(dimension: request.dimension), request, family: "rosenbrock")
    }
}
