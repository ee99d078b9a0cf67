import Foundation
import Testing
import Landscapes

/// Rotated instances (`rotate=true`, `Rotated` in Transforms.swift): the rotation, the gradient
/// mapped back through it, the optimum carried along, non-separability, and that `rotate=false`
/// leaves every instance as it was.
@Suite struct RotatedInstanceTests {
    /// RᵀR = I and RRᵀ = I to 1e-12: Householder QR keeps orthogonality to a few d·u (Higham 2002,
    /// §19.3), ≤ 40·1.1e-16·(small constant) ≪ 1e-12 for d ≤ 40.
    @Test(arguments: [1, 2, 3, 5, 10, 40])
    func haarRotationIsOrthogonalToRoundoff(dimension d: Int) {
        var rng = Xoshiro256(seed: 0x0A7A_0000 &+ UInt64(d))
        let r = Rotation.haar(dimension: d, using: &rng)
        var worst = 0.0
        for i in 0..<d {
            for j in 0..<d {
                var columns = 0.0, rows = 0.0
                for k in 0..<d {
                    columns += r[k * d + i] * r[k * d + j]
                    rows += r[i * d + k] * r[j * d + k]
                }
                let identity = i == j ? 1.0 : 0.0
                worst = max(worst, abs(columns - identity), abs(rows - identity))
            }
        }
        #expect(worst <= 1e-12, "d = \(d): ‖RᵀR − I‖_max = \(worst)")
    }

    /// The sign correction: Q·D is the Q of the unique QR factorization with a positive diagonal,
    /// which Gram–Schmidt on G's columns computes directly (each column minus its projections on
    /// the previous ones, then divided by its positive norm; done twice for stability). Same
    /// Gaussian stream, so the two must agree to rounding. Without D, columns would come out with
    /// the signs Householder picks (the first column is −sign(g₁₁)·g₁/‖g₁‖), and the test fails.
    @Test func haarRotationIsGramSchmidtOfTheGaussianMatrix() {
        let d = 6
        var rng = Xoshiro256(seed: 0x5EED_0A7A)
        let r = Rotation.haar(dimension: d, using: &rng)
        var gaussian = Xoshiro256(seed: 0x5EED_0A7A)
        let g = (0..<(d * d)).map { _ in gaussian.nextGaussian() }
        var q = [[Double]]()
        for j in 0..<d {
            var column = (0..<d).map { g[$0 * d + j] }
            for _ in 0..<2 {
                for previous in q {
                    let dot = zip(previous, column).reduce(0) { $0 + $1.0 * $1.1 }
                    column = zip(column, previous).map { $0 - dot * $1 }
                }
            }
            let length = norm(column)
            q.append(column.map { $0 / length })
        }
        for i in 0..<d {
            for j in 0..<d {
                #expect(abs(r[i * d + j] - q[j][i]) <= 1e-12, "R[\(i)][\(j)] = \(r[i * d + j]), Gram–Schmidt \(q[j][i])")
            }
        }
    }

    /// The analytic gradient of every rotated variant against central differences
    /// (`centralDifferences`, TestSupport) at points within 1e-3 of the box's width of a wall,
    /// where z = x* + R(x − x*) lies farthest from the box and each ∂f/∂x_j mixes all ∂f/∂z_i.
    @Test(arguments: rotatedVariants)
    func rotatedGradientMatchesCentralDifferencesNearBoxWalls(_ variant: String) throws {
        let d = try smallDimension(variant)
        for instance in [0, 2] {
            let landscape = try makeInstance(variant, dimension: d, instance: instance)
            let margin = kinkMargin(landscape)
            var rng = Xoshiro256(seed: 0x3A11 &+ UInt64(instance))
            var gradient = [Double](repeating: 0, count: d)
            var checked = 0
            while checked < 20 {
                var x = boundaryBiasedPoint(in: landscape.domain, using: &rng)
                // At least one coordinate on or next to a wall.
                let wall = Int(rng.next() % UInt64(d))
                let width = landscape.domain.upper[wall] - landscape.domain.lower[wall]
                x[wall] = rng.next() % 2 == 0 ? landscape.domain.lower[wall] + 1e-3 * width * rng.nextUnit()
                                               : landscape.domain.upper[wall] - 1e-3 * width * rng.nextUnit()
                for i in 0..<d { x[i] = snapped(x[i], in: landscape.domain, coordinate: i) }
                // The stencil x ± 2h e_i must stay in the box: keep 2h from the walls.
                let h = centralDifferenceStep()
                for i in 0..<d { x[i] = min(max(x[i], landscape.domain.lower[i] + 2 * h), landscape.domain.upper[i] - 2 * h) }
                guard try distanceToKinks(variant, landscape, at: x) > margin else { continue }
                let f = landscape.valueAndGradient(at: x, gradient: &gradient)
                #expect(abs(f - landscape.value(at: x)) <= roundingTolerance(landscape, at: x))
                let check = centralDifferences(at: x, magnitudes: magnitudes(landscape.domain),
                                               value: { landscape.value(at: $0) },
                                               roundingScale: { landscape.roundingScale(at: $0) })
                for i in 0..<d {
                    #expect(abs(gradient[i] - check.derivative[i]) <= check.tolerance[i],
                            "\(variant) instance \(instance): ∂f/∂x_\(i) = \(gradient[i]), central difference \(check.derivative[i]) ± \(check.tolerance[i]) at \(x)")
                }
                checked += 1
            }
        }
    }

    /// f* of a rotated instance is the unrotated family's f* (a rotation about x* moves no
    /// value), and f(x*) = f* at every declared x*, which lies in the box.
    @Test(arguments: rotatedVariants)
    func rotatedOptimumKeepsTheFamilysValue(_ variant: String) throws {
        let d = try smallDimension(variant)
        let name = variantParts(variant).family
        for instance in [0, 1, 2] {
            let rotated = try makeInstance(variant, dimension: d, instance: instance)
            let plain = try makeInstance(name, dimension: d, instance: instance)
            let fStar = try #require(rotated.optimum.value)
            #expect(fStar == plain.optimum.value, "\(variant) instance \(instance): f* = \(fStar), unrotated \(String(describing: plain.optimum.value))")
            #expect(rotated.optimum.points.count == plain.optimum.points.count)
            for point in rotated.optimum.points {
                #expect(rotated.domain.contains(point), "\(variant) instance \(instance): x* = \(point) outside the box")
                #expect(abs(rotated.value(at: point) - fStar) <= roundingTolerance(rotated, at: point),
                        "\(variant) instance \(instance): f(x*) = \(rotated.value(at: point)), f* = \(fStar)")
            }
        }
    }

    /// A separable f = Σ g_i(x_i) has zero mixed differences Δ_iΔ_j f (i ≠ j) up to the rounding
    /// of its sum, at most 4 evaluations' errors, each ≤ d·u·roundingScale + the summation; a
    /// rotated one does not: some mixed difference exceeds 10³ times that bound. For the
    /// families that are separable unrotated (rastrigin, levy, styblinski-tang, double-well).
    @Test(arguments: ["rastrigin", "levy", "styblinski-tang", "double-well"])
    func rotatedInstanceIsNotSeparable(_ name: String) throws {
        let d = 3
        let plain = try makeInstance(name, dimension: d, instance: 1)
        let rotated = try makeInstance(name + " rotate=true", dimension: d, instance: 1)
        func mixed(_ landscape: any ContinuousLandscape, at x: [Double], _ i: Int, _ j: Int, step h: Double) -> (value: Double, bound: Double) {
            var xi = x, xj = x, xij = x
            xi[i] += h; xj[j] += h; xij[i] += h; xij[j] += h
            let points = [x, xi, xj, xij]
            let bound = points.reduce(0) { $0 + 4 * Double(d) * unitRoundoff * (1 + landscape.roundingScale(at: $1)) }
            return (landscape.value(at: xij) - landscape.value(at: xi) - landscape.value(at: xj) + landscape.value(at: x), bound)
        }
        var rng = Xoshiro256(seed: 0x5E9A)
        var largestRatio = 0.0
        for _ in 0..<10 {
            let box = plain.domain
            let h = 0.05 * (box.upper[0] - box.lower[0])
            let x = (0..<d).map { box.lower[$0] + (box.upper[$0] - box.lower[$0] - h) * rng.nextUnit() }
            for i in 0..<d {
                for j in (i + 1)..<d {
                    let separable = mixed(plain, at: x, i, j, step: h)
                    #expect(abs(separable.value) <= separable.bound, "\(name): unrotated Δ_\(i)Δ_\(j) f = \(separable.value) > \(separable.bound)")
                    let turned = mixed(rotated, at: x, i, j, step: h)
                    largestRatio = max(largestRatio, abs(turned.value) / turned.bound)
                }
            }
        }
        #expect(largestRatio > 1e3, "\(name) rotated: every mixed difference within \(largestRatio)× rounding")
    }

    /// An instance is a function of its seed: building it twice gives the same rotation and
    /// shift bit for bit, different instances and the unrotated instance differ, and the rotation
    /// is the one `Rotation.haar` draws from the seed derived with "rotation".
    @Test func rotatedInstancesAreReproducibleFromTheirSeeds() throws {
        let family = LandscapeFamily.rastrigin
        let values = try ParameterValues(specs: family.parameters, overrides: ["rotate": "true"], owner: family.name)
        let first = try #require(try family.continuousInstance(dimension: 4, instance: 1, parameters: values) as? Shifted<Rotated<Rastrigin>>)
        let again = try #require(try family.continuousInstance(dimension: 4, instance: 1, parameters: values) as? Shifted<Rotated<Rastrigin>>)
        let other = try #require(try family.continuousInstance(dimension: 4, instance: 2, parameters: values) as? Shifted<Rotated<Rastrigin>>)
        let plain = try #require(try makeInstance("rastrigin", dimension: 4, instance: 1) as? Shifted<Rastrigin>)
        #expect(first.shift == again.shift && first.base.rotation == again.base.rotation)
        #expect(first.base.rotation != other.base.rotation && first.shift != other.shift)
        #expect(first.shift != plain.shift, "rotate=true names a different instance, so its shift comes from a different seed")
        let seed = Seed.derive(0, "instance", "rastrigin", "rotate=true", "d=4", "i=1")
        var rng = Xoshiro256(seed: Seed.derive(seed, "rotation"))
        #expect(first.base.rotation == Rotation.haar(dimension: 4, using: &rng))
        #expect(first.base.center == [0, 0, 0, 0], "rastrigin rotates about its raw minimizer z = 0")
    }

    /// `rotate=false` written out is the default: the identity text leaves it out, so the seeds,
    /// and every value, gradient and x*, are those recorded before rotation existed.
    @Test(arguments: rotatedVariants.map { variantParts($0).family })
    func unrotatedInstancesMatchTheRecordedDigests(_ name: String) throws {
        let family = try LandscapeCatalog.family(named: name)
        let d = family.defaultDimension
        for instance in 0...2 {
            var goldenCase = GoldenCase(family: name, dimension: d, instance: instance)
            let recorded = try #require(goldenTable[goldenCase.key])
            goldenCase.overrides = ["rotate": "false"]
            #expect(try goldenDigest(goldenCase).digest == recorded.digest, "\(name) d=\(d) i=\(instance) with rotate=false")
        }
    }

    /// Sphere is rotation-invariant (|R(x − x*)| = |x − x*|: rotating changes nothing but
    /// rounding) and Schwefel loses its meaning rotated (most of a rotated box lies where
    /// |z_i| > 500, in the boundary penalty, and its best wells, at opposite corners of the box,
    /// are no longer corners): neither offers the flag, and asking for it is refused by name.
    @Test(arguments: ["sphere", "schwefel"])
    func familiesThatCannotBeRotatedRefuseTheFlag(_ name: String) throws {
        let family = try LandscapeCatalog.family(named: name)
        #expect(!family.parameters.contains { $0.name == "rotate" })
        #expect(throws: (any Error).self) {
            try ParameterValues(specs: family.parameters, overrides: ["rotate": "true"], owner: name)
        }
    }
}

extension RotatedInstanceTests {
    /// A family that declares the `rotate` flag but composes its raw function with
    /// `composeWithoutRotation` (one that states no rotated gradient cost, not a
    /// `RotatableLandscape`) stops at its first instance, flag set or not: it can never hand out
    /// a rotated instance charged the unrotated cost.
    @Test func familyWithTheFlagButNoRotatedCostStopsAtItsFirstInstance() async {
        // Exit-test bodies capture nothing: one per flag value.
        await #expect(processExitsWith: .failure) {
            let parameters = try ParameterValues(specs: [InstanceShift.rotate.spec], overrides: ["rotate": "true"], owner: "bowl")
            _ = InstanceShift.composeWithoutRotation(Sphere(dimension: 3), InstanceRequest(dimension: 3, instance: 1, seed: 1, parameters: parameters),
                                                     family: "bowl")
        }
        await #expect(processExitsWith: .failure) {
            let parameters = ParameterValues(specs: [InstanceShift.rotate.spec])
            _ = InstanceShift.composeWithoutRotation(Sphere(dimension: 3), InstanceRequest(dimension: 3, instance: 1, seed: 1, parameters: parameters),
                                                     family: "bowl")
        }
        // The same raw function and request without the flag composes.
        let request = InstanceRequest(dimension: 3, instance: 1, seed: 1, parameters: ParameterValues(specs: []))
        #expect(InstanceShift.composeWithoutRotation(Sphere(dimension: 3), request, family: "bowl").dimension == 3)
    }
}

/// The `rotate=true` variants of the catalog.
let rotatedVariants = catalogVariants.filter { $0.contains("rotate=true") }
