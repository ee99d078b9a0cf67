import Landscapes

/// Unit roundoff of Double (half the machine epsilon).
let unitRoundoff = Double.ulpOfOne / 2

/// Instance `instance` of the catalog family `name` in dimension `dimension`, default parameters.
func makeInstance(_ name: String, dimension: Int, instance: Int) throws -> any ContinuousLandscape {
    let family = try LandscapeCatalog.family(named: name)
    return try family.instance(dimension: dimension, instance: instance,
                               parameters: ParameterValues(specs: family.parameters))
}

/// A small dimension the family supports: its default capped at 5 (keeps debug tests fast).
func smallDimension(_ name: String) throws -> Int {
    let family = try LandscapeCatalog.family(named: name)
    if let implied = family.impliedDimension?(ParameterValues(specs: family.parameters)) { return implied.value }
    return min(max(min(family.defaultDimension, 5), family.dimensions.lowerBound), family.dimensions.upperBound)
}

/// The smallest supported dimension ≥ 2: where a random sample of the box is densest and reaches
/// its corners most often.
func sampleDimension(_ name: String) throws -> Int {
    let family = try LandscapeCatalog.family(named: name)
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

/// The rounding tolerance on a value, as the harness uses it (DESIGN.md invariant 1).
func roundingTolerance(_ landscape: some ContinuousLandscape, at x: [Double]) -> Double {
    1e-12 * (1 + landscape.roundingScale(at: x))
}
