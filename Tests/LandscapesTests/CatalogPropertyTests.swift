import Testing
import Landscapes

/// Properties every family of the catalog must have.
@Suite struct CatalogPropertyTests {
    /// Central differences D_h = (f(x + h e_i) − f(x − h e_i)) / 2h against the analytic gradient.
    ///
    /// Error of D_h: truncation h² f'''/6 + O(h⁴), plus rounding δ/h, where δ bounds the rounding
    /// error of one evaluation. Richardson: D_2h − D_h = h² f'''/2 + O(h⁴) + rounding ≤ 3δ/(2h), so
    /// the truncation error of D_h is at most |D_2h − D_h|/3 + δ/(2h) + O(h⁴). We allow
    /// |D_2h − D_h| (three times the estimate, covering the O(h⁴) remainder) plus 3δ/h.
    /// δ = d·u·S: recursive summation of d terms of total size S = roundingScale errs by at most
    /// about d·u·S (Higham, Accuracy and Stability of Numerical Algorithms, §4.2).
    /// h = 1e-5·max(1, |x_i|) is near the optimum (u/M3)^{1/3} for O(1) third derivatives.
    @Test(arguments: LandscapeCatalog.names)
    func gradientMatchesCentralDifferences(name: String) throws {
        let d = try smallDimension(name)
        for instance in [0, 3] {
            let landscape = try makeInstance(name, dimension: d, instance: instance)
            var rng = Xoshiro256(seed: 0xC0FFEE &+ UInt64(instance))
            var gradient = [Double](repeating: 0, count: d)
            for _ in 0..<30 {
                let x = landscape.domain.uniformPoint(using: &rng)
                let f = landscape.valueAndGradient(at: x, gradient: &gradient)
                #expect(abs(f - landscape.value(at: x)) <= roundingTolerance(landscape, at: x),
                        "valueAndGradient and value disagree at \(x)")
                let delta = Double(d) * unitRoundoff * landscape.roundingScale(at: x)
                for i in 0..<d {
                    let h = 1e-5 * max(1, abs(x[i]))
                    func centralDifference(_ step: Double) -> Double {
                        var plus = x, minus = x
                        plus[i] += step
                        minus[i] -= step
                        return (landscape.value(at: plus) - landscape.value(at: minus)) / (2 * step)
                    }
                    let dh = centralDifference(h), d2h = centralDifference(2 * h)
                    let tolerance = abs(d2h - dh) + 3 * delta / h
                    #expect(abs(gradient[i] - dh) <= tolerance,
                            "\(name) instance \(instance): ∂f/∂x_\(i) = \(gradient[i]), central difference \(dh), at \(x)")
                }
            }
        }
    }

    @Test(arguments: LandscapeCatalog.names)
    func optimumValueMatchesDeclaredValue(name: String) throws {
        let d = try smallDimension(name)
        for instance in [0, 1, 2] {
            let landscape = try makeInstance(name, dimension: d, instance: instance)
            let optimum = landscape.optimum
            guard let fStar = optimum.value else { continue }
            #expect(!optimum.points.isEmpty, "\(name) declares f* without x*")
            for point in optimum.points {
                #expect(landscape.domain.contains(point), "\(name) instance \(instance): x* = \(point) outside the box")
                let f = landscape.value(at: point)
                #expect(abs(f - fStar) <= roundingTolerance(landscape, at: point),
                        "\(name) instance \(instance): f(x*) = \(f), declared f* = \(fStar)")
            }
        }
    }

    /// f ≥ f* − rounding on 2000 boundary-biased points and every corner, instance 0 and three
    /// shifted instances, in the lowest dimension ≥ 2 (where corners are sampled most densely).
    @Test(arguments: LandscapeCatalog.names)
    func valueNeverBelowOptimumOnDenseSample(name: String) throws {
        let d = try sampleDimension(name)
        for instance in [0, 1, 2, 3] {
            let landscape = try makeInstance(name, dimension: d, instance: instance)
            guard let fStar = landscape.optimum.value else { continue }
            let lowest = lowestSampledValue(landscape, seed: 0x5A3F &+ UInt64(instance), count: 2000)
            #expect(lowest.value >= fStar - roundingTolerance(landscape, at: lowest.point),
                    "\(name) instance \(instance): f = \(lowest.value) < f* = \(fStar) at \(lowest.point)")
        }
    }

    @Test(arguments: LandscapeCatalog.names)
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
        ])
    }
}

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
