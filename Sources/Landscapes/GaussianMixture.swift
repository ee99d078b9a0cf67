import Foundation

/// A random landscape of Gaussian wells in a weak quadratic bowl:
///
///     f(x) = ½ λ |x − c|² − Σ_{k<K} A_k exp(−|x − μ_k|² / (2 σ_k²)),
///
/// on the box [−5, 5]^d, with the bowl centred at the box centre c = 0. The instance seed
/// (`Xoshiro256(seed: request.seed)`) draws, well by well, the centre μ_k uniformly in the central
/// 80% of the box ([−4, 4]^d), then the depth A_k uniformly in [depth-min, depth-max] and the
/// width σ_k uniformly in [width-min, width-max]. Every instance, 0 included, is such a draw.
///
/// Local minima: up to K from the wells (overlapping wells merge or shift, shallow wells on a
/// neighbour's slope may vanish) plus possibly one near c from the bowl. No closed form gives f*:
/// it is `best-known`, the lowest value the reference quench (`ReferenceQuench()` defaults)
/// reaches from every well centre μ_k and from c, and x* is that end point. Far from all wells
/// f ≈ ½λ|x|² ≥ 0 > f*, since every well has depth ≥ depth-min > 0.
///
/// Default dimension 2: with K = 8 wells of width 0.5–1.5 in [−5, 5]² the wells overlap often
/// enough to merge and shift minima (so f* is not simply −max A_k), and the best-known value can
/// be checked against a dense sample. Success tolerance 1e-3, a small value: the depths are drawn
/// from a continuum, so two minima within 1e-3 of each other are rare (probability about
/// K²·1e-3/(depth range) per instance) but possible.
public struct GaussianMixture: ContinuousLandscape {
    public let dimension: Int
    public let confinement: Double
    /// μ, row k holding well k's centre (K·d values).
    public let centres: [Double]
    public let depths: [Double]
    public let widths: [Double]
    /// 1/σ_k², precomputed.
    @usableFromInline let inverseVariances: [Double]
    public let domain: Box
    public private(set) var optimum: KnownOptimum = .unknown

    public var wellCount: Int { depths.count }

    /// The most wells × dimension the family builds: 1000 (and K ≤ 100). Building an instance
    /// quenches from every one of the K centres at K·d work per evaluation, so the setup grows as
    /// K²·d.
    public static let maximumWork = 1000

    /// K·d: every well's distance to x.
    public var evaluationWork: Double { Double(max(1, depths.count)) * Double(dimension) }

    public init(dimension: Int, confinement: Double, centres: [Double], depths: [Double], widths: [Double]) {
        precondition(centres.count == depths.count * dimension && widths.count == depths.count)
        self.dimension = dimension
        self.confinement = confinement
        self.centres = centres
        self.depths = depths
        self.widths = widths
        self.inverseVariances = widths.map { 1 / ($0 * $0) }
        self.domain = Box(cube: -5, 5, dimension: dimension)
        self.optimum = bestKnownOptimum()
    }

    /// Draws an instance from `rng` (see the type's comment for the order of draws).
    public init(dimension: Int, wells: Int, depthRange: ClosedRange<Double>, widthRange: ClosedRange<Double>,
                confinement: Double, using rng: inout Xoshiro256) {
        var centres = [Double](), depths = [Double](), widths = [Double]()
        for _ in 0..<wells {
            for _ in 0..<dimension { centres.append(-4 + 8 * rng.nextUnit()) }
            depths.append(depthRange.lowerBound + (depthRange.upperBound - depthRange.lowerBound) * rng.nextUnit())
            widths.append(widthRange.lowerBound + (widthRange.upperBound - widthRange.lowerBound) * rng.nextUnit())
        }
        self.init(dimension: dimension, confinement: confinement, centres: centres, depths: depths, widths: widths)
    }

    /// The reference quench from every well centre and from c = 0; the lowest end point. The K + 1
    /// quenches share one setup limit (`ReferenceQuench.defaultWorkLimit`), split evenly.
    private func bestKnownOptimum() -> KnownOptimum {
        let quench = ReferenceQuench(workLimit: ReferenceQuench.defaultWorkLimit / Double(wellCount + 1))
        var best: ReferenceQuench.Result? = nil
        for k in 0...wellCount {
            let start = k < wellCount ? Array(centres[(k * dimension)..<((k + 1) * dimension)])
                                      : [Double](repeating: 0, count: dimension)
            let result = quench.run(self, from: start)
            if result.value < (best?.value ?? .infinity) { best = result }
        }
        guard let best else { return .unknown }
        return KnownOptimum(value: best.value, status: .bestKnown, points: [best.point],
                            source: "lowest end point of the reference quench started at each of the \(wellCount) well centres and at the bowl centre")
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/gaussian-mixture`
    /// (release, default dimension, instance 1; median 875 µs / 568 µs per 10 000 calls on 2 cores):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/gaussian-mixture/.*'`.
    public var gradCost: Double { 1.5 }

    @inlinable
    public func value(at x: [Double]) -> Double { bowlPlusWells(at: x, wellSign: -1) }

    /// ½λ|x|² + s·Σ_k A_k e_k, accumulated in one fixed order: s = −1 gives f, s = +1 the sizes of
    /// its cancelling terms (`roundingScale`). Adding −t is exactly subtracting t, so f is the same
    /// to the last bit either way.
    @inlinable
    func bowlPlusWells(at x: [Double], wellSign: Double) -> Double {
        var bowl = 0.0
        for i in 0..<dimension { bowl += x[i] * x[i] }
        var sum = 0.5 * confinement * bowl
        for k in 0..<depths.count {
            var r2 = 0.0
            for i in 0..<dimension {
                let delta = x[i] - centres[k * dimension + i]
                r2 += delta * delta
            }
            sum += wellSign * (depths[k] * exp(-0.5 * r2 * inverseVariances[k]))
        }
        return sum
    }

    /// ∂f/∂x_i = λ x_i + Σ_k A_k e_k (x_i − μ_ki)/σ_k², with e_k the k-th exponential.
    @inlinable
    public func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        var bowl = 0.0
        for i in 0..<dimension {
            bowl += x[i] * x[i]
            gradient[i] = confinement * x[i]
        }
        var sum = 0.5 * confinement * bowl
        for k in 0..<depths.count {
            var r2 = 0.0
            for i in 0..<dimension {
                let delta = x[i] - centres[k * dimension + i]
                r2 += delta * delta
            }
            let term = depths[k] * exp(-0.5 * r2 * inverseVariances[k])
            sum -= term
            let factor = term * inverseVariances[k]
            for i in 0..<dimension {
                gradient[i] += factor * (x[i] - centres[k * dimension + i])
            }
        }
        return sum
    }

    /// ½λ|x|² + Σ_k A_k e_k: the sizes of the cancelling terms.
    public func roundingScale(at x: [Double]) -> Double { bowlPlusWells(at: x, wellSign: 1) }
}

private typealias Key = GaussianMixture.Key

extension GaussianMixture {
    /// The family's parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let wells = Parameter<Int>("wells", default: 8, in: 1...100,
            "K, the number of Gaussian wells (8: several overlapping wells in 2-D; at most 100, K·d at most 1000)")
        public static let depthMin = Parameter<Double>("depth-min", default: 1, in: 1e-6...1e6,
            "lowest well depth A_k (1: unit scale)")
        public static let depthMax = Parameter<Double>("depth-max", default: 3, in: 1e-6...1e6,
            "highest well depth A_k (3: depths differ by O(1) between wells)")
        public static let widthMin = Parameter<Double>("width-min", default: 0.5, in: 1e-3...1e3,
            "narrowest well width σ_k (0.5: a twentieth of the box)")
        public static let widthMax = Parameter<Double>("width-max", default: 1.5, in: 1e-3...1e3,
            "widest well width σ_k (1.5: wide wells merge with neighbours)")
        public static let confinement = Parameter<Double>("confinement", default: 0.05, in: 0.0...1e3,
            "λ, curvature of the bowl (0.05: the bowl adds at most 1.25 per coordinate at the faces, less than a well)")
    }
}

extension LandscapeFamily {
    public static let gaussianMixture = LandscapeFamily(
        name: "gaussian-mixture",
        summary: "½λ|x|² − Σ_k A_k exp(−|x − μ_k|²/2σ_k²) on [−5, 5]^d; K random wells; f* best-known by quench from every centre; K ≤ 100, K·d ≤ 1000",
        parameters: [
            Key.wells.spec,
            Key.depthMin.spec,
            Key.depthMax.spec,
            Key.widthMin.spec,
            Key.widthMax.spec,
            Key.confinement.spec,
        ],
        defaultDimension: 2, dimensions: 1...100,
        tolerances: Tolerances(success: 1e-3), optimumStatus: .bestKnown
    ) { request in
        let p = request.parameters
        guard p[Key.depthMin] <= p[Key.depthMax] else {
            throw LandscapeError.invalidParameters(family: "gaussian-mixture", reason: "depth-min must not exceed depth-max")
        }
        guard p[Key.widthMin] <= p[Key.widthMax] else {
            throw LandscapeError.invalidParameters(family: "gaussian-mixture", reason: "width-min must not exceed width-max")
        }
        guard p[Key.wells] * request.dimension <= GaussianMixture.maximumWork else {
            throw LandscapeError.invalidParameters(
                family: "gaussian-mixture", reason: "wells × dimension = \(p[Key.wells]) × \(request.dimension) "
                    + "is above the limit of \(GaussianMixture.maximumWork)")
        }
        var rng = Xoshiro256(seed: request.seed)
        return GaussianMixture(dimension: request.dimension, wells: p[Key.wells],
                               depthRange: p[Key.depthMin]...p[Key.depthMax], widthRange: p[Key.widthMin]...p[Key.widthMax],
                               confinement: p[Key.confinement], using: &rng)
    }
}
