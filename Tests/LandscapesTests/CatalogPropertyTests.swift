import Testing
import Landscapes

/// Properties every family of the catalog must have.
@Suite struct CatalogPropertyTests {
    /// The analytic gradient against central differences (`centralDifferences`, whose tolerance is
    /// derived from the truncation and rounding errors), at points whose whole stencil
    /// [x − 2h e_i, x + 2h e_i] lies where f is smooth: a kink inside the stencil would make the
    /// truncation term, and so the tolerance, blow up and hide a wrong gradient. Every point lies
    /// farther than `kinkMargin` (≫ 2h) from its family's non-smooth set (`distanceToKinks`), by
    /// construction, and the test asserts it. It also asserts that it can fail: each
    /// coordinate's tolerance is below 1% of |∂f/∂x_i| at some point (a tolerance that exceeds the
    /// derivative everywhere would accept any gradient). Points: uniform in the box and, for
    /// families with their own initialization (mlp, teacher-student), half of them from it, where
    /// a network is not saturated and its first layer's derivatives are not negligible. Like every
    /// test here, it runs over each family and each `rotate=true` variant (`catalogVariants`).
    @Test(arguments: catalogVariants)
    func gradientMatchesCentralDifferences(name: String) throws {
        let d = try smallDimension(name)
        let family = try catalogFamily(name)
        let parameters = try variantParameters(name)
        for instance in [0, 3] {
            let landscape = try makeInstance(name, dimension: d, instance: instance)
            let margin = kinkMargin(landscape)
            var rng = Xoshiro256(seed: 0xC0FFEE &+ UInt64(instance))
            var gradient = [Double](repeating: 0, count: d)
            var resolvable = [Bool](repeating: false, count: d)
            var points = [[Double]]()
            while points.count < 30 {
                var x = landscape.domain.uniformPoint(using: &rng)
                if points.count >= 15, let initialization = family.initialization {
                    x = initialization(d, parameters, &rng)
                }
                for i in 0..<d { x[i] = snapped(x[i], in: landscape.domain, coordinate: i) }
                #expect(4 * centralDifferenceStep() < margin, "\(name): the stencil ±2h reaches the kink margin \(margin)")
                guard try distanceToKinks(name, landscape, at: x) > margin else { continue }
                points.append(x)
            }
            for x in points {
                let f = landscape.valueAndGradient(at: x, gradient: &gradient)
                #expect(abs(f - landscape.value(at: x)) <= roundingTolerance(landscape, at: x),
                        "valueAndGradient and value disagree at \(x)")
                let check = centralDifferences(at: x, magnitudes: magnitudes(landscape.domain),
                                               value: { landscape.value(at: $0) },
                                               roundingScale: { landscape.roundingScale(at: $0) })
                for i in 0..<d {
                    let (difference, tolerance) = (check.derivative[i], check.tolerance[i])
                    #expect(abs(gradient[i] - difference) <= tolerance,
                            "\(name) instance \(instance): ∂f/∂x_\(i) = \(gradient[i]), central difference \(difference) ± \(tolerance), at \(x)")
                    if tolerance <= 0.01 * abs(gradient[i]) { resolvable[i] = true }
                }
            }
            let blind = (0..<d).filter { !resolvable[$0] }
            #expect(blind.isEmpty, "\(name) instance \(instance): the check cannot see a 1% error in ∂f/∂x_i for i in \(blind)")
        }
    }

    @Test(arguments: catalogVariants)
    func optimumValueMatchesDeclaredValue(name: String) throws {
        let d = try smallDimension(name)
        for instance in [0, 1, 2] {
            let landscape = try makeInstance(name, dimension: d, instance: instance)
            let optimum = landscape.optimum
            guard let fStar = optimum.value else {
                // Only a family that declares f* unknown may skip: it must then declare no x*.
                #expect(unknownOptimumFamilies.contains(variantParts(name).family), "\(name) instance \(instance) declares no f*")
                #expect(optimum.status == .unknown && optimum.points.isEmpty)
                continue
            }
            #expect(!unknownOptimumFamilies.contains(variantParts(name).family), "\(name) declares f* = \(fStar) though listed as unknown")
            #expect(!optimum.points.isEmpty, "\(name) declares f* without x*")
            for point in optimum.points {
                #expect(landscape.domain.contains(point), "\(name) instance \(instance): x* = \(point) outside the box")
                let f = landscape.value(at: point)
                #expect(abs(f - fStar) <= roundingTolerance(landscape, at: point),
                        "\(name) instance \(instance): f(x*) = \(f), declared f* = \(fStar)")
            }
        }
    }

    /// f ≥ a known lower bound − rounding on 2000 boundary-biased points and every corner,
    /// instance 0 and three shifted instances, in the lowest dimension ≥ 2 (where corners are
    /// sampled most densely). The bound is f* where the family declares it; for a family whose
    /// f* is unknown it is a bound that follows from its formula (`lowerBoundWithoutOptimum`), so
    /// no family passes without being checked.
    @Test(arguments: catalogVariants)
    func valueNeverBelowOptimumOnDenseSample(name: String) throws {
        let d = try sampleDimension(name)
        for instance in [0, 1, 2, 3] {
            let landscape = try makeInstance(name, dimension: d, instance: instance)
            let bound = try #require(landscape.optimum.value ?? lowerBoundWithoutOptimum[variantParts(name).family],
                                     "\(name) declares no f* and the test states no lower bound for it")
            let lowest = lowestSampledValue(landscape, seed: 0x5A3F &+ UInt64(instance), count: 2000)
            #expect(lowest.value >= bound - roundingTolerance(landscape, at: lowest.point),
                    "\(name) instance \(instance): f = \(lowest.value) < \(bound) at \(lowest.point)")
        }
    }

    @Test(arguments: catalogVariants)
    func instancesAreDeterministicAndDistinct(name: String) throws {
        let d = try smallDimension(name)
        let zero = try makeInstance(name, dimension: d, instance: 0)
        let one = try makeInstance(name, dimension: d, instance: 1)
        let oneAgain = try makeInstance(name, dimension: d, instance: 1)
        let two = try makeInstance(name, dimension: d, instance: 2)
        var rng = Xoshiro256(seed: 77)
        var differs01 = false, differs12 = false, differs02 = false
        for _ in 0..<20 {
            let x = zero.domain.uniformPoint(using: &rng)
            let f0 = zero.value(at: x), f1 = one.value(at: x), f2 = two.value(at: x)
            #expect(f1 == oneAgain.value(at: x), "\(name): instance 1 built twice gives different values at \(x)")
            differs01 = differs01 || f0 != f1
            differs12 = differs12 || f1 != f2
            differs02 = differs02 || f0 != f2
        }
        #expect(differs01 && differs12 && differs02, "\(name): instances 0, 1, 2 are not all distinct")
        #expect(one.optimum == oneAgain.optimum)
    }

    @Test func catalogListsFamiliesInDocumentedOrder() {
        #expect(LandscapeCatalog.names == [
            "sphere", "rosenbrock", "rastrigin", "ackley", "griewank", "schwefel", "levy",
            "styblinski-tang", "six-hump-camel", "double-well", "gaussian-mixture", "teacher-student", "mlp",
            "sk", "ea2d", "ea3d", "regular", "ferro-ring", "weak-strong", "planted", "planted-regular", "ising-file",
        ])
        #expect(Set(LandscapeCatalog.names).count == LandscapeCatalog.families.count)
    }
}

/// Families whose f* is unknown (their instances declare status `unknown` and no x*).
let unknownOptimumFamilies: Set<String> = ["mlp"]

/// A lower bound on f for the families whose f* is unknown, from their formulas: mlp's loss is a
/// mean of cross-entropies log Σ_c e^{z_c} − z_y ≥ 0 (log Σ e^{z_c} ≥ max_c z_c ≥ z_y) or of
/// squared errors ≥ 0.
let lowerBoundWithoutOptimum: [String: Double] = ["mlp": 0]

/// The lowest value over `count` boundary-biased random points and all corners (d ≤ 10).
func lowestSampledValue(_ landscape: some ContinuousLandscape, seed: UInt64, count: Int) -> (value: Double, point: [Double]) {
    var rng = Xoshiro256(seed: seed)
    var best = (value: Double.infinity, point: [Double]())
    var points = landscape.dimension <= 10 ? corners(of: landscape.domain) : []
    for _ in 0..<count { points.append(boundaryBiasedPoint(in: landscape.domain, using: &rng)) }
    for x in points {
        let f = landscape.value(at: x)
        if f < best.value { best = (f, x) }
    }
    return best
}

/// How far gradient-check points stay from a family's non-smooth set: 1e-3 of the box's
/// narrowest side, at least 4·2h for every coordinate the box holds (the check asserts it).
func kinkMargin(_ landscape: some ContinuousLandscape) -> Double {
    1e-3 * (0..<landscape.dimension).map { landscape.domain.upper[$0] - landscape.domain.lower[$0] }.min()!
}

/// The distance from x to the set where the family's f is not C⁵ (∞ for families smooth on the
/// whole box), stated from each family's formula, not from its code. Every catalog family must
/// be listed: a new family has to say where its kinks are.
func distanceToKinks(_ name: String, _ landscape: any ContinuousLandscape, at x: [Double]) throws -> Double {
    switch variantParts(name).family {
    case "sphere", "rosenbrock", "rastrigin", "griewank", "levy", "styblinski-tang", "six-hump-camel",
         "double-well", "gaussian-mixture":
        // Polynomials, cosines, sines and exponentials of polynomials: C^∞ everywhere.
        return .infinity
    case "ackley":
        // √(Σ z_i²/d) is not differentiable at z = 0, i.e. at x = x*, shifted or rotated (a
        // rotation keeps distances): the distance to x*.
        let center = try #require(landscape.optimum.points.first)
        return norm((0..<x.count).map { x[$0] - center[$0] })
    case "schwefel":
        // z sin √|z| has unbounded higher derivatives at z = 0; the penalty max(0, |z| − 500)²
        // has a jump in its second derivative at |z| = 500.
        let schwefel = try #require(landscape as? Shifted<Schwefel>)
        return zip(x, schwefel.shift).map { let z = abs($0.0 - $0.1); return min(z, abs(z - 500)) }.min()!
    case "teacher-student":
        // The arc-cosine kernel f(w, v) = ‖w‖‖v‖(sin θ + (π − θ) cos θ)/2π is not differentiable
        // at w = 0 and has a jump in its third derivative where w is parallel or antiparallel to
        // v (it behaves like π − πθ²/2 + θ³/3 and like (π − θ)³/3): the distance of each student
        // unit from 0 and from the line through every other student or teacher unit.
        let network = try #require(landscape as? TeacherStudent)
        let k = network.teacherUnits, n = network.studentUnits
        let students = (0..<n).map { Array(x[($0 * k)..<(($0 + 1) * k)]) }
        let teachers = (0..<k).map { Array(network.teacher[($0 * k)..<(($0 + 1) * k)]) }
        var distance = Double.infinity
        for (i, w) in students.enumerated() {
            distance = min(distance, norm(w))
            for (j, u) in (students + teachers).enumerated() where j != i {
                let along = zip(w, u).reduce(0) { $0 + $1.0 * $1.1 } / zip(u, u).reduce(0) { $0 + $1.0 * $1.1 }
                distance = min(distance, norm(zip(w, u).map { $0.0 - along * $0.1 }))
            }
        }
        return distance
    case "mlp":
        // Smooth for tanh (the catalog's default); ReLU kinks are checked in MultilayerPerceptronTests.
        let network = try #require(landscape as? MultilayerPerceptron)
        try #require(network.activation == .tanh, "the catalog instance of mlp is expected to use tanh")
        return .infinity
    default:
        Issue.record("\(name): no non-smooth set stated for this family in distanceToKinks")
        return .infinity
    }
}

func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
