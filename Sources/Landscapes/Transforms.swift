import Foundation

// Instances by composition, as COCO builds its problems (Hansen et al. 2009, "Real-parameter
// black-box optimization benchmarking: noiseless functions definitions"; Hansen et al. 2021,
// "COCO: a platform for comparing continuous optimizers"): a family writes its raw function f(z)
// once, and an instance is that function seen through small transforms of the argument,
//
//     Shifted:   z = x − s               (every family: instance i > 0 moves x* to x* + s)
//     Rotated:   z = c + R(y − c)        (families with a `rotate` flag: non-separable instances)
//
// composed as Shifted(Rotated(f)) when both apply: f(c + R(x − s − c)).
//
// Adding a shifted family:
// 1. Write the raw function as a `ComposableLandscape`: `value`, `valueAndGradient` and
//    `roundingScale` (|f| + d where that bounds the rounding), each once, generic over
//    `Coordinates`, reading z[i] and never an instance shift; `optimum` is the unshifted x*:
//
//        public struct Bowl: ComposableLandscape {
//            public func value<Z: Coordinates>(at point: Z) -> Double {
//                var sum = 0.0
//                for i in 0..<dimension { sum += point[i] * point[i] }
//                return sum
//            }
//            …
//        }
//
// 2. In the family's `make`, return
//    `InstanceShift.composeWithoutRotation(Bowl(…), request, family: "bowl")` (pass `keeping:` to
//    keep more points than x* in the box, e.g. every well of a double-well family). A family whose
//    rotated instances stay meaningful (f defined, with f ≥ f*, on all of R^d) adds
//    `InstanceShift.rotate` to its parameters, makes its raw function a
//    `RotatableLandscape`, which states `rotatedGradCost` beside `gradCost`, measured the same way
//    (the GradientCost benchmark registers `F-rotated` for every family with the flag), and returns
//    `try InstanceShift.compose(Bowl(…), request, family: "bowl")`: `compose` takes only a
//    `RotatableLandscape`, reads the flag and hands that cost to `Rotated`. A family that declares
//    the flag but calls `composeWithoutRotation` stops at its first instance (a precondition), so
//    no rotated instance can be charged the unrotated cost.
// 3. The catalog-wide tests (CatalogPropertyTests) iterate over every family and every
//    `rotate=true` variant; `distanceToKinks` there asks where the new function is not smooth.
//
// Neither `ContinuousLandscape` nor `Objective` changed for this: the transforms are ordinary
// conformers, and their work buffers live on the stack of each call.

/// Read access to the d coordinates a raw function is evaluated at: a point, or a point seen
/// through a transform. Raw functions are generic over it, so each call site is specialized.
public protocol Coordinates {
    var count: Int { get }
    subscript(i: Int) -> Double { get }
}

extension Array: Coordinates where Element == Double {}

/// z_i = a_i − b_i, computed when read: the argument a transform hands its base.
///
/// Why one concrete type and not a view per transform: the harness calls a landscape through an
/// existential (`any ContinuousLandscape`, opened once per trial), so a generic wrapper's methods
/// run unspecialized and reach the base through its witness table. A witness whose requirement
/// names a concrete view is the base's loop specialized for that view; a requirement generic over
/// the view would run the base's loop unspecialized, one witness call per coordinate. a − b covers
/// both transforms: `Shifted` passes (x, s), `Rotated` passes (R(y − c), −c), and u − (−c) is
/// u + c exactly.
///
/// The buffers are borrowed for the duration of one call (`withUnsafeBufferPointer`), so building
/// the view retains nothing and allocates nothing.
public struct CoordinateDifference: Coordinates {
    public let minuend: UnsafeBufferPointer<Double>
    public let subtrahend: UnsafeBufferPointer<Double>

    @inlinable
    public init(_ minuend: UnsafeBufferPointer<Double>, minus subtrahend: UnsafeBufferPointer<Double>) {
        self.minuend = minuend
        self.subtrahend = subtrahend
    }

    @inlinable public var count: Int { minuend.count }

    @inlinable
    public subscript(i: Int) -> Double { minuend[i] - subtrahend[i] }
}

/// A raw function that transforms can be composed with: its value, gradient and rounding scale
/// are available at a `CoordinateDifference` as well as at a point. A conformer writes each of them
/// once, generic over `Coordinates`; that one generic method witnesses both requirements.
///
/// The gradient is ∇f at z, written into `gradient` (d elements); a transform maps it back to x.
///
/// The `minus` forms (f at x − s) are what `Shifted` calls. Their defaults below borrow x and s
/// and call the view forms; being defaults of a concrete conformer, they are compiled for it, so
/// the unspecialized generic code of a transform (the harness holds landscapes as existentials)
/// makes one witness call per evaluation and never builds closures or looks up generic metadata.
public protocol ComposableLandscape: ContinuousLandscape {
    func value(at z: CoordinateDifference) -> Double
    func valueAndGradient(at z: CoordinateDifference, gradient: inout [Double]) -> Double
    func roundingScale(at z: CoordinateDifference) -> Double

    /// f(x − s).
    func value(at x: [Double], minus s: [Double]) -> Double
    /// f(x − s), writing ∇f(x − s) into `gradient`.
    func valueAndGradient(at x: [Double], minus s: [Double], gradient: inout [Double]) -> Double
    /// The rounding scale at x − s.
    func roundingScale(at x: [Double], minus s: [Double]) -> Double
}

extension ComposableLandscape {
    /// The conformer's rounding scale at the view x − 0 = x. Here because a generic method of the
    /// conformer loses, as a witness and in overload resolution, to `ContinuousLandscape`'s
    /// non-generic default: the conformer's own `roundingScale<Z>` would never be called at a
    /// point. For the same reason there is no default for the view form: every conformer states
    /// its scale (|f| + d where that bounds the rounding). Not a hot path.
    public func roundingScale(at x: [Double]) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: x.count) { zeros in
            zeros.initialize(repeating: 0)
            return x.withUnsafeBufferPointer { x in roundingScale(at: CoordinateDifference(x, minus: UnsafeBufferPointer(zeros))) }
        }
    }

    @inlinable
    public func value(at x: [Double], minus s: [Double]) -> Double {
        precondition(x.count == dimension && s.count == dimension, "point or shift is not \(dimension)-dimensional")
        return x.withUnsafeBufferPointer { x in
            s.withUnsafeBufferPointer { s in value(at: CoordinateDifference(x, minus: s)) }
        }
    }

    @inlinable
    public func valueAndGradient(at x: [Double], minus s: [Double], gradient: inout [Double]) -> Double {
        precondition(x.count == dimension && s.count == dimension && gradient.count == dimension,
                     "point, shift or gradient is not \(dimension)-dimensional")
        return x.withUnsafeBufferPointer { x in
            s.withUnsafeBufferPointer { s in valueAndGradient(at: CoordinateDifference(x, minus: s), gradient: &gradient) }
        }
    }

    @inlinable
    public func roundingScale(at x: [Double], minus s: [Double]) -> Double {
        precondition(x.count == dimension && s.count == dimension, "point or shift is not \(dimension)-dimensional")
        return x.withUnsafeBufferPointer { x in
            s.withUnsafeBufferPointer { s in roundingScale(at: CoordinateDifference(x, minus: s)) }
        }
    }
}

/// A raw function whose rotated instances keep their meaning (f defined, with f ≥ f*, on all of
/// R^d): a family with the `rotate` flag. It states what a gradient of its rotated instance costs,
/// which differs from `gradCost`: `Rotated` adds one d × d matrix–vector product to a value and two
/// to a gradient (R(y − c), then Rᵀ∇f), so the ratio moves towards what the rotation adds to a
/// gradient over what it adds to a value: at least 2 by operation count, 2.7 to 3.9 measured at
/// the families' default dimensions (Benchmarks/README.md). Every rotatable family's ratio rises
/// but griewank's, whose own (3.0) lies above it: it falls (2.8).
public protocol RotatableLandscape: ComposableLandscape {
    /// `gradCost` of the rotated instance (rotate=true): (value+gradient time)/(value time) of
    /// `Rotated(self)`, measured like `gradCost` at the family's default dimension by the benchmark
    /// `value-vs-gradient/F-rotated`. Like `gradCost` it is one number per family: the rotation's
    /// share of the time (d² against the base's d) grows with d.
    var rotatedGradCost: Double { get }
}

/// An instance shift: f(x − s) for a raw function f. Its minimizers are x* + s for every
/// minimizer x* of f, its f* is f's, and it keeps f's box (the shift is drawn so that the
/// minimizers stay inside it, `InstanceShift.draw`).
///
/// Evaluation: value, gradient and rounding scale hand the base x and s (`value(at:minus:)`),
/// which it reads as a `CoordinateDifference`, so the base computes z_i = x_i − s_i as it reads coordinate i: the same subtraction, in the
/// same order, as a family that subtracts its own shift, hence the same bits; and ∂f/∂x = ∂f/∂z,
/// so the base writes the gradient directly. Nothing is allocated and nothing is mutated: an
/// instance may be shared by every worker thread.
///
/// Forwarded unchanged: `gradCost`, `evaluationWork`, `domain`, `dimension`. Only for analytic
/// functions: a base that is a training loss (`dataCount` > 0) is refused, since minibatches and
/// accuracy would need their own forwarding.
public struct Shifted<Base: ComposableLandscape>: ContinuousLandscape {
    public let base: Base
    /// s, one entry per coordinate.
    public let shift: [Double]

    public init(_ base: Base, by shift: [Double]) {
        precondition(shift.count == base.dimension, "shift has \(shift.count) coordinates, the landscape \(base.dimension)")
        precondition(base.dataCount == 0, "Shifted forwards no minibatches")
        self.base = base
        self.shift = shift
    }

    @inlinable public var dimension: Int { base.dimension }
    @inlinable public var domain: Box { base.domain }
    @inlinable public var gradCost: Double { base.gradCost }
    @inlinable public var evaluationWork: Double { base.evaluationWork }

    /// f* of the base, at x* + s for each of its minimizers x*.
    public var optimum: KnownOptimum {
        var optimum = base.optimum
        optimum.points = optimum.points.map { point in (0..<point.count).map { point[$0] + shift[$0] } }
        return optimum
    }

    @inlinable
    public func value(at x: [Double]) -> Double {
        base.value(at: x, minus: shift)
    }

    @inlinable
    public func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        base.valueAndGradient(at: x, minus: shift, gradient: &gradient)
    }

    @inlinable
    public func roundingScale(at x: [Double]) -> Double {
        base.roundingScale(at: x, minus: shift)
    }
}

/// A rotation of the argument about a centre c: f(c + R(y − c)) for a raw function f and an
/// orthogonal matrix R (COCO's rotated problems, Hansen et al. 2009). It maps every minimizer x*
/// of f to c + Rᵀ(x* − c) and keeps f*; with c = x* (what `InstanceShift.compose` uses) the
/// global minimizer stays where it was. The box is f's: z = c + R(y − c) may leave it, so the
/// base must be defined (and keep f ≥ f*) on all of R^d, as every rotatable family is.
///
/// A separable f (a sum of one-coordinate terms) becomes non-separable: its lattice of local
/// minima is turned off the coordinate axes, so a method cannot solve it one coordinate at a time.
///
/// Work buffer: z needs d numbers, and the gradient Rᵀ∇f(z) another d. An instance is shared by
/// the worker threads, so they cannot live in the instance; each call takes them from
/// `withUnsafeTemporaryAllocation`, which puts them on the caller's stack (the standard library
/// falls back to the heap only when the stack cannot hold them, far beyond d = 1000). Per call:
/// no heap allocation, no shared mutable state; cost d² multiply-adds for z and d² for the
/// gradient, on top of the base's.
///
/// Cost: the rotation changes the ratio of value+gradient time to value time, so `gradCost` is
/// not the base's but the one passed in, which `InstanceShift.compose` takes from the family's
/// `RotatableLandscape.rotatedGradCost`, measured per family by the GradientCost benchmark
/// (`value-vs-gradient/F-rotated`; Benchmarks/README.md). `evaluationWork` adds the 2d²
/// multiply-adds.
public struct Rotated<Base: ComposableLandscape>: ComposableLandscape {
    public let base: Base
    @usableFromInline let map: RotationMap
    /// What one value+gradient call of this rotated function costs, in value calls of it.
    public let gradCost: Double

    /// `gradCost` is required: the base's own does not hold for the rotated function (the
    /// rotation's two matrix–vector products per gradient against one per value).
    public init(_ base: Base, rotation: [Double], about center: [Double], gradCost: Double) {
        let d = base.dimension
        precondition(rotation.count == d * d && center.count == d, "rotation must be d × d and the centre d-dimensional")
        precondition(base.dataCount == 0, "Rotated forwards no minibatches")
        precondition(gradCost.isFinite && gradCost > 0, "gradCost must be a finite number > 0")
        self.base = base
        self.map = RotationMap(rotation: rotation, center: center)
        self.gradCost = gradCost
    }

    /// R, row-major: R[i·d + j].
    public var rotation: [Double] { map.rotation }
    /// c, in the base's coordinates.
    public var center: [Double] { map.center }

    @inlinable public var dimension: Int { base.dimension }
    @inlinable public var domain: Box { base.domain }
    public var evaluationWork: Double { base.evaluationWork + 2 * Double(dimension * dimension) }

    /// f* of the base, at c + Rᵀ(x* − c) for each of its minimizers x*.
    public var optimum: KnownOptimum {
        var optimum = base.optimum
        optimum.points = optimum.points.map { map.preimage(of: $0) }
        return optimum
    }

    @inlinable
    public func value(at y: CoordinateDifference) -> Double {
        map.value(at: y) { base.value(at: $0) }
    }

    /// ∂f/∂y_j = Σ_i R_ij ∂f/∂z_i: the base writes ∇f(z) into `gradient`, which is then replaced by Rᵀ∇f(z).
    @inlinable
    public func valueAndGradient(at y: CoordinateDifference, gradient: inout [Double]) -> Double {
        map.valueAndGradient(at: y, gradient: &gradient) { base.valueAndGradient(at: $0, gradient: &$1) }
    }

    /// The base's scale at z plus what rounding z itself can do: Σ_i |∂f/∂z_i| (|z_i| + Σ_j
    /// |R_ij (y_j − c_j)|), the first-order effect of an error of one ulp in each term that forms
    /// z_i. Not a hot path (the harness calls it once per trial): it allocates the gradient.
    public func roundingScale(at y: CoordinateDifference) -> Double {
        let d = dimension
        var gradient = [Double](repeating: 0, count: d)
        let rotation = map.rotation, center = map.center
        return map.value(at: y) { z in
            _ = base.valueAndGradient(at: z, gradient: &gradient)
            var extra = 0.0
            for i in 0..<d {
                var terms = abs(z[i])
                for j in 0..<d { terms += abs(rotation[i * d + j] * (y[j] - center[j])) }
                extra += abs(gradient[i]) * terms
            }
            return base.roundingScale(at: z) + extra
        }
    }

    @inlinable
    public func value(at x: [Double]) -> Double {
        map.viewing(x) { value(at: $0) }
    }

    @inlinable
    public func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        map.viewing(x) { valueAndGradient(at: $0, gradient: &gradient) }
    }

    public func roundingScale(at x: [Double]) -> Double {
        map.viewing(x) { roundingScale(at: $0) }
    }
}

/// The part of `Rotated` that does not depend on the base: R, c and the work buffers. A concrete
/// type, so that its loops are compiled once, specialized, even where `Rotated<Base>` runs as
/// unspecialized generic code (through an existential); the base is reached through one closure.
public struct RotationMap: Sendable {
    public let rotation: [Double]
    public let center: [Double]
    @usableFromInline let negatedCenter: [Double]
    @usableFromInline let zeros: [Double]

    public init(rotation: [Double], center: [Double]) {
        self.rotation = rotation
        self.center = center
        self.negatedCenter = center.map { -$0 }
        self.zeros = [Double](repeating: 0, count: center.count)
    }

    @inlinable public var dimension: Int { center.count }

    /// c + Rᵀ(p − c): where a minimizer p of the base lies for the rotated function.
    public func preimage(of point: [Double]) -> [Double] {
        let d = dimension
        var image = center
        for j in 0..<d {
            var sum = 0.0
            for i in 0..<d { sum += rotation[i * d + j] * (point[i] - center[i]) }
            image[j] += sum
        }
        return image
    }

    /// `body` at z = u − (−c), u = R(y − c), with u and y − c in a stack buffer of 2d numbers;
    /// `body` also gets the buffer's second half, free once z is formed.
    @inlinable
    func withRotated(_ y: CoordinateDifference,
                     _ body: (CoordinateDifference, UnsafeMutableBufferPointer<Double>) -> Double) -> Double {
        let d = dimension
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * d) { buffer -> Double in
            let u = UnsafeMutableBufferPointer(rebasing: buffer[0..<d])
            let w = UnsafeMutableBufferPointer(rebasing: buffer[d..<(2 * d)])
            center.withUnsafeBufferPointer { c in
                for j in 0..<d { w[j] = y[j] - c[j] }
            }
            rotation.withUnsafeBufferPointer { r in
                for i in 0..<d {
                    var sum = 0.0
                    let row = i * d
                    for j in 0..<d { sum += r[row + j] * w[j] }
                    u[i] = sum
                }
            }
            return negatedCenter.withUnsafeBufferPointer { minusC in
                body(CoordinateDifference(UnsafeBufferPointer(u), minus: minusC), w)
            }
        }
    }

    /// f(z) for f = `body`.
    @inlinable
    public func value(at y: CoordinateDifference, _ body: (CoordinateDifference) -> Double) -> Double {
        withRotated(y) { z, _ in body(z) }
    }

    /// f(z) for f = `body`, which writes ∇f(z) into `gradient`; replaced here by Rᵀ∇f(z).
    @inlinable
    public func valueAndGradient(at y: CoordinateDifference, gradient: inout [Double],
                                 _ body: (CoordinateDifference, inout [Double]) -> Double) -> Double {
        let d = dimension
        return withRotated(y) { z, spare in
            let f = body(z, &gradient)
            rotation.withUnsafeBufferPointer { r in
                for j in 0..<d { spare[j] = 0 }
                for i in 0..<d {
                    let g = gradient[i], row = i * d
                    for j in 0..<d { spare[j] += r[row + j] * g }
                }
            }
            for j in 0..<d { gradient[j] = spare[j] }
            return f
        }
    }

    /// x as the view x − 0, whose coordinates are x's exactly.
    @inlinable
    public func viewing(_ x: [Double], _ body: (CoordinateDifference) -> Double) -> Double {
        precondition(x.count == dimension, "point has \(x.count) coordinates, the landscape \(dimension)")
        return x.withUnsafeBufferPointer { x in zeros.withUnsafeBufferPointer { body(CoordinateDifference(x, minus: $0)) } }
    }
}

/// Haar-distributed orthogonal matrices (the uniform distribution on O(d)).
public enum Rotation {
    /// Q·D from the QR factorization G = QR of a d × d matrix G of independent standard normal
    /// entries (drawn row by row from `rng`), with D = diag(sign R_kk). Q alone is not uniform: the
    /// factorization fixes Q only up to the signs of its columns, and Householder QR picks them by
    /// the data; D makes R's diagonal positive, which makes the factorization unique and Q·D
    /// Haar-distributed (Mezzadri 2007, "How to generate random matrices from the classical
    /// compact groups", Notices AMS 54). Householder reflections keep QᵀQ = I to a few d·u,
    /// whatever G's conditioning (Higham 2002, §19.3). Row-major; det may be −1 (a reflection),
    /// as in O(d). O(d³) work, once per instance.
    public static func haar(dimension d: Int, using rng: inout some RandomNumberGenerator) -> [Double] {
        var a = (0..<(d * d)).map { _ in rng.nextGaussian() }
        var q = [Double](repeating: 0, count: d * d)
        for i in 0..<d { q[i * d + i] = 1 }
        var signs = [Double](repeating: 1, count: d)
        var v = [Double](repeating: 0, count: d)
        for k in 0..<d {
            var norm2 = 0.0
            for i in k..<d { norm2 += a[i * d + k] * a[i * d + k] }
            let norm = norm2.squareRoot()
            // H_k maps the column's tail to α e_k; α of sign opposite to the leading entry avoids
            // cancellation in v = x − α e_k. R_kk = α.
            let alpha = a[k * d + k] >= 0 ? -norm : norm
            signs[k] = alpha < 0 ? -1 : 1
            for i in k..<d { v[i] = a[i * d + k] }
            v[k] -= alpha
            var vv = 0.0
            for i in k..<d { vv += v[i] * v[i] }
            guard vv > 0 else { continue }
            for j in k..<d {  // A ← H_k A
                var dot = 0.0
                for i in k..<d { dot += v[i] * a[i * d + j] }
                let factor = 2 * dot / vv
                for i in k..<d { a[i * d + j] -= factor * v[i] }
            }
            for i in 0..<d {  // Q ← Q H_k, so that Q = H_0 H_1 ⋯ H_{d−1} and G = QR
                var dot = 0.0
                for l in k..<d { dot += q[i * d + l] * v[l] }
                let factor = 2 * dot / vv
                for l in k..<d { q[i * d + l] -= factor * v[l] }
            }
        }
        for i in 0..<d { for j in 0..<d { q[i * d + j] *= signs[j] } }
        return q
    }
}
