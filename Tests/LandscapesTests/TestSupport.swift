import Landscapes

/// Unit roundoff of Double (half the machine epsilon).
let unitRoundoff = Double.ulpOfOne / 2

/// Every catalog family by name, then `NAME rotate=true` for each family with a `rotate` flag:
/// the registry-wide tests run over all of them, so a family that gains the flag is covered with
/// no list to edit.
let catalogVariants: [String] = LandscapeCatalog.families(of: .continuous).map(\.name) + LandscapeCatalog.families
    .filter { $0.parameters.contains { $0.name == "rotate" } }
    .map { "\($0.name) rotate=true" }

/// A variant's family name and parameter overrides: "rastrigin rotate=true" → ("rastrigin", [rotate: true]).
func variantParts(_ variant: String) -> (family: String, overrides: [String: String]) {
    let words = variant.split(separator: " ").map(String.init)
    var overrides: [String: String] = [:]
    for word in words.dropFirst() {
        let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
        overrides[pair[0]] = pair[1]
    }
    return (words[0], overrides)
}

/// The catalog family of a name or variant.
func catalogFamily(_ variant: String) throws -> LandscapeFamily {
    try LandscapeCatalog.family(named: variantParts(variant).family)
}

/// The parameters of a name or variant: the family's defaults with the variant's overrides.
func variantParameters(_ variant: String) throws -> ParameterValues {
    let (name, overrides) = variantParts(variant)
    let family = try LandscapeCatalog.family(named: name)
    return try ParameterValues(specs: family.parameters, overrides: overrides, owner: name)
}

/// Instance `instance` of the catalog family or variant `name` in dimension `dimension`, default
/// parameters apart from the variant's.
func makeInstance(_ name: String, dimension: Int, instance: Int) throws -> any ContinuousLandscape {
    try catalogFamily(name).continuousInstance(dimension: dimension, instance: instance, parameters: variantParameters(name))
}

extension LandscapeFamily {
    /// A continuous family's default d (its sizing's), for tests that only build continuous ones.
    var defaultDimension: Int {
        guard case .chosen(let d, _) = sizing else { preconditionFailure("\(name) is sized by its parameters") }
        return d
    }

    /// A continuous family's range of d.
    var dimensions: ClosedRange<Int> {
        guard case .chosen(_, let range) = sizing else { preconditionFailure("\(name) is sized by its parameters") }
        return range
    }
}

/// A small dimension the family supports: its default capped at 5 (keeps debug tests fast).
func smallDimension(_ name: String) throws -> Int {
    let family = try catalogFamily(name)
    if let implied = family.impliedDimension?(ParameterValues(specs: family.parameters)) { return implied.value }
    return min(max(min(family.defaultDimension, 5), family.dimensions.lowerBound), family.dimensions.upperBound)
}

/// The smallest supported dimension ≥ 2: where a random sample of the box is densest and reaches
/// its corners most often.
func sampleDimension(_ name: String) throws -> Int {
    let family = try catalogFamily(name)
    if let implied = family.impliedDimension?(ParameterValues(specs: family.parameters)) { return implied.value }
    return min(max(2, family.dimensions.lowerBound), family.dimensions.upperBound)
}

/// A point of the box biased towards its boundary: each coordinate is on the lower face, on the
/// upper face, within 1e-3 of the width of a face, or uniform, with probabilities 1/8, 1/8,
/// 1/4 (split evenly) and 1/2.
func boundaryBiasedPoint(in box: Box, using rng: inout Xoshiro256) -> [Double] {
    var x = [Double](repeating: 0, count: box.dimension)
    for i in 0..<box.dimension {
        let lo = box.lower[i], hi = box.upper[i], width = hi - lo
        let u = rng.nextUnit()
        switch rng.next() % 8 {
        case 0: x[i] = lo
        case 1: x[i] = hi
        case 2: x[i] = lo + 1e-3 * width * u
        case 3: x[i] = hi - 1e-3 * width * u
        default: x[i] = lo + width * u
        }
    }
    return x
}

/// Every corner of a low-dimensional box.
func corners(of box: Box) -> [[Double]] {
    let d = box.dimension
    return (0..<(1 << d)).map { mask in
        (0..<d).map { i in mask & (1 << i) != 0 ? box.upper[i] : box.lower[i] }
    }
}

/// The rounding tolerance on a value, as the harness uses it (docs/DESIGN.md invariant 1).
func roundingTolerance(_ landscape: some ContinuousLandscape, at x: [Double]) -> Double {
    1e-12 * (1 + landscape.roundingScale(at: x))
}

/// Central differences of f along every coordinate at x, each with a tolerance derived from the
/// method's errors, valid where f is C⁵ on the stencil [x − 2h e_i, x + 2h e_i] (the caller keeps
/// kinks away) and x is a multiple of h (`snapped`).
///
/// Truncation: Taylor's theorem gives D_h − f′ = h² f‴/6 + h⁴ f⁽⁵⁾/120 + … for
/// D_h = (f(x + h e_i) − f(x − h e_i))/2h, and the third central difference
/// T_h = [f(x+2h) − 2f(x+h) + 2f(x−h) − f(x−2h)]/(2h³) = f‴ + h² f⁽⁵⁾/4 + …, so the truncation error
/// of D_h is h² T_h/6 − h⁴ f⁽⁵⁾/30. With h⁴ = 2⁻⁶⁴ ≈ 5e-20 the remainder is negligible wherever the
/// tests draw points: largest near their kink margins, e.g. ackley's f⁽⁵⁾ grows like a·b·5!/r⁴,
/// ≲ 3e7 at r ≥ 0.065, teacher-student's like ‖v‖/‖w‖⁴, ≲ 1e8 at ‖w‖ ≥ 0.01: ≲ 2e-13, against
/// rounding terms δ/h ≳ 1e-10.
///
/// Rounding: each evaluation errs by at most δ = d·u·S + Σ_j k·u·m_j·|∂f/∂x_j|. Backward error
/// analysis (Higham, Accuracy and Stability of Numerical Algorithms, §1.5 and §4.2) makes the
/// computed f the exact f of arguments perturbed by at most k roundings (k = `argumentRoundings`),
/// each at most u·m_j with m_j ≥ |x_j| and ≥ any shift (`magnitudes`), followed by a recursive
/// summation of d terms of total size S = roundingScale. ∂f/∂x_j in δ are the central differences,
/// never the gradient under test. So D_h errs by ≤ δ/h, h² T_h/6 by ≤ (6δ/2h³)·h²/6 = δ/2h, and
/// forming D_h adds a few ulps of |D_h|; the steps x ± h, x ± 2h are exact (h a power of two, x a
/// multiple of h).
///
/// Tolerance: h²|T_h|/6 + 3δ/2h + 4u|D_h|.
func centralDifferences(at x: [Double], magnitudes m: [Double], value: ([Double]) -> Double,
                        roundingScale: ([Double]) -> Double) -> (derivative: [Double], tolerance: [Double]) {
    let d = x.count, h = centralDifferenceStep()
    var derivative = [Double](repeating: 0, count: d), third = derivative, summation = derivative
    for i in 0..<d {
        var stencil = [Double](repeating: 0, count: 5)  // f(x + k h e_i), k = −2…2
        for k in [-2, -1, 1, 2] {
            var y = x
            y[i] += Double(k) * h
            stencil[k + 2] = value(y)
            summation[i] = max(summation[i], Double(d) * unitRoundoff * roundingScale(y))
        }
        derivative[i] = (stencil[3] - stencil[1]) / (2 * h)
        third[i] = (stencil[4] - 2 * stencil[3] + 2 * stencil[1] - stencil[0]) / (2 * h * h * h)
    }
    let argumentRounding = (0..<d).reduce(0.0) { $0 + argumentRoundings * unitRoundoff * m[$1] * abs(derivative[$1]) }
    let tolerance = (0..<d).map { i in
        h * h * abs(third[i]) / 6 + 1.5 * (summation[i] + argumentRounding) / h + 4 * unitRoundoff * abs(derivative[i])
    }
    return (derivative, tolerance)
}

/// m_j = max(|lower_j|, |upper_j|): bounds every coordinate of the box and every shift (shifted
/// instances keep their optimum inside the box).
func magnitudes(_ box: Box) -> [Double] {
    (0..<box.dimension).map { max(abs(box.lower[$0]), abs(box.upper[$0])) }
}

/// The central-difference step: h = 2⁻¹⁶ ≈ 1.5e-5, near the optimum (u/f‴)^(1/3) for O(1)
/// derivatives. The same h for every coordinate, however large: a step growing with |x| would
/// let the h⁴ f⁽⁵⁾ remainder grow as |x|⁴ (on griewank's [−600, 600] it would reach 1e-10). A power
/// of two keeps x ± h and x ± 2h exact when x is a multiple of h and |x| < 2^36.
func centralDifferenceStep() -> Double { 0x1p-16 }

/// k of the backward-error model of one evaluation: how many roundings, each relative to the
/// coordinate's size, lie between a coordinate x_j and the argument of an elementary function.
/// Levy: (x − 1)/4, + 1, ·π, + 1 (4); rastrigin: x − s, ·2π (2); a network layer of fan-in n sums
/// n + 1 terms recursively, a backward error of at most (n + 1)u on each weight (≤ 9 for the
/// networks tested, fan-in ≤ 8); the teacher–student kernel: a dot product and norms of k ≤ 6
/// terms. 16 bounds all of them.
let argumentRoundings = 16.0

/// x moved to the nearest multiple of the central-difference step, kept inside the box.
func snapped(_ x: Double, in box: Box, coordinate i: Int) -> Double {
    let h = centralDifferenceStep()
    var y = (x / h).rounded() * h
    if y > box.upper[i] { y -= h }
    if y < box.lower[i] { y += h }
    return y
}

