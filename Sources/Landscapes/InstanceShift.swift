/// COCO-style instances: instance 0 is the textbook function; instance i > 0 translates it by a
/// seeded vector s, so every global minimizer x* moves to x* + s, drawn so that all of them land
/// uniformly inside the central 80% of the box. No method then profits from an optimum at the
/// centre or on a symmetry axis of the box.
public enum InstanceShift {
    public static func draw(_ request: InstanceRequest, minimizers: [[Double]], domain: Box) -> [Double] {
        let d = domain.dimension
        guard request.instance != 0 else { return Array(repeating: 0, count: d) }
        var rng = Xoshiro256(seed: request.seed)
        var shift = [Double](repeating: 0, count: d)
        for i in 0..<d {
            let margin = 0.1 * (domain.upper[i] - domain.lower[i])
            let lo = domain.lower[i] + margin, hi = domain.upper[i] - margin
            // s must keep every minimizer's coordinate i inside [lo, hi].
            let minX = minimizers.map { $0[i] }.min() ?? 0
            let maxX = minimizers.map { $0[i] }.max() ?? 0
            let sLo = lo - minX, sHi = hi - maxX
            shift[i] = sLo < sHi ? sLo + (sHi - sLo) * rng.nextUnit() : 0.5 * (sLo + sHi)
        }
        return shift
    }
}

extension InstanceShift {
    /// The `rotate` flag of the families whose rotated instances keep their meaning (a raw
    /// function defined on all of R^d with its minimum inside the box, a `RotatableLandscape`).
    /// Off by default, so every existing instance keeps its identity text, seeds and values.
    /// Listed in the canonical text only when set: it came after the families' other parameters,
    /// and every parameter set that existed before keeps its text (and so its CSV rows).
    public static let rotate = Parameter<Bool>(
        "rotate", default: false,
        "true: rotate each instance about x* by a seeded random orthogonal matrix before the shift (COCO): non-separable; "
            + "a gradient is charged the family's rotated cost, measured on the rotated instance (rastrigin d = 10: 2.4, against 1.9 unrotated)",
        listedAtDefault: false)

    /// Whether `request`'s family offers the `rotate` flag.
    static func offersRotation(_ request: InstanceRequest) -> Bool {
        request.parameters.has(rotate)
    }

    /// Instance `request` of the raw function `base` of a family without the `rotate` flag:
    /// `Shifted(base)` (Transforms.swift), with s drawn to keep `minimizers` (default: every x* of
    /// `base`) inside the box. A family that offers the flag calls `compose` instead, which takes
    /// only a `RotatableLandscape` (a raw function that states its rotated `gradCost`): reaching
    /// this one with the flag declared is a programming error, stopped at the family's first
    /// instance so that no rotated instance is charged the unrotated cost.
    public static func composeWithoutRotation<Base: ComposableLandscape>(
        _ base: Base, _ request: InstanceRequest, family: String, keeping minimizers: [[Double]]? = nil
    ) -> any ContinuousLandscape {
        precondition(!offersRotation(request),
                     "\(family) offers `rotate` but its raw function \(Base.self) is not a RotatableLandscape (which states rotatedGradCost)")
        return Shifted(base, by: draw(request, minimizers: minimizers ?? base.optimum.points, domain: base.domain))
    }

    /// Instance `request` of the raw function `base`, by composition (Transforms.swift):
    /// `Shifted(base)` with s drawn to keep `minimizers` (default: every x* of `base`) inside the
    /// box; when the request sets `rotate`, `Shifted(Rotated(base))`, R drawn from the instance's
    /// seed (`Rotation.haar`, seed derived with "rotation") and centred on `center` (default: the
    /// first x*; a family with several global minimizers passes their centre of symmetry), a
    /// gradient charged `base.rotatedGradCost`, and s drawn for the rotated global minimizers
    /// only: other points in `minimizers` (local minima) may leave the box once rotated. Throws if
    /// a rotated global minimizer still falls outside it.
    public static func compose<Base: RotatableLandscape>(
        _ base: Base, _ request: InstanceRequest, family: String, keeping minimizers: [[Double]]? = nil,
        rotatingAbout center: [Double]? = nil
    ) throws -> any ContinuousLandscape {
        let rotate = offersRotation(request) && request.parameters[Self.rotate]
        guard rotate, let center = center ?? base.optimum.points.first else {
            return Shifted(base, by: draw(request, minimizers: minimizers ?? base.optimum.points, domain: base.domain))
        }
        var rng = Xoshiro256(seed: Seed.derive(request.seed, "rotation"))
        let rotated = Rotated(base, rotation: Rotation.haar(dimension: base.dimension, using: &rng), about: center,
                              gradCost: base.rotatedGradCost)
        let instance = Shifted(rotated, by: draw(request, minimizers: rotated.optimum.points, domain: base.domain))
        for point in instance.optimum.points where !base.domain.contains(point) {
            throw LandscapeError.invalidParameters(
                family: family, reason: "rotated instance \(request.instance) has a global minimizer outside the box; use rotate=false")
        }
        return instance
    }
}
