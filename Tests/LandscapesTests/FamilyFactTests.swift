import Foundation
import Testing
import Landscapes

/// Facts particular to one family: constants, minima, barrier heights.
@Suite struct FamilyFactTests {
    @Test func schwefelConstantIsTheMaximumOfTSinSqrtT() {
        let (position, value) = Schwefel.peak
        // Literals from an independent evaluation; Newton converges quadratically, so the computed
        // maximiser is exact to a few ulp of 420.97 (~1e-13), and the maximum, being stationary
        // there, to rounding of t sin √t (~1e-13).
        #expect(abs(position - 420.9687463599821) <= 1e-11)
        #expect(abs(value - 418.98288727243374) <= 1e-11)
        // No grid point of [0, 500] beats it (up to the rounding of t sin √t, ~500u).
        for k in 0...100_000 {
            let t = 500 * Double(k) / 100_000
            #expect(t * sin(t.squareRoot()) <= value + 1e-12, "t sin √t exceeds c at t = \(t)")
        }
    }

    /// A shifted instance's z = x − s leaves [−500, 500] near a face, where the unpenalised
    /// function keeps falling: the same dense sample that `valueNeverBelowOptimumOnDenseSample`
    /// uses must catch that, so the penalty is what keeps that test green.
    @Test func shiftedSchwefelWithoutPenaltyDipsBelowOptimum() throws {
        var dips = 0
        for instance in [1, 2, 3] {
            let penalised = try #require(try makeInstance("schwefel", dimension: 2, instance: instance) as? Shifted<Schwefel>)
            let bare = Shifted(Schwefel(dimension: 2, penaltyWeight: 0), by: penalised.shift)
            let lowest = lowestSampledValue(bare, seed: 0x5A3F &+ UInt64(instance), count: 2000)
            if lowest.value < -roundingTolerance(bare, at: lowest.point) { dips += 1 }
        }
        #expect(dips > 0, "the dense sample would not notice a missing boundary penalty")
    }

    @Test func styblinskiTangWellsAreTheRootsOfTheCubic() {
        let deep = StyblinskiTang.deepWell, shallow = StyblinskiTang.shallowWell
        // p(z) = 4z³ − 32z + 5 at a double-precision root: rounding of terms of size ~200, ~1e-13.
        for z in [deep, shallow] {
            #expect(abs(4 * z * z * z - 32 * z + 5) <= 1e-12)
        }
        #expect(abs(deep - -2.903534027771178) <= 1e-14)
        #expect(abs(shallow - 2.746802770990838) <= 1e-14)
        #expect(abs(StyblinskiTang.term(deep) - -39.16616570377142) <= 1e-13)
        // Every one of the 2^d minima is in the box and is a quench fixed point; d = 3.
        let landscape = Shifted(StyblinskiTang(dimension: 3), by: [0.3, -0.7, 1.1])
        for mask in 0..<8 {
            let point = (0..<3).map { (mask & (1 << $0) != 0 ? shallow : deep) + landscape.shift[$0] }
            #expect(landscape.domain.contains(point))
            let result = ReferenceQuench().run(landscape, from: point)
            let k = Double(mask.nonzeroBitCount)
            let expected = 3 * StyblinskiTang.term(deep) + k * (StyblinskiTang.term(shallow) - StyblinskiTang.term(deep))
            #expect(result.converged && abs(result.value - expected) <= 1e-12 * (1 + landscape.roundingScale(at: point)))
        }
    }

    /// Quench from a 25 × 17 grid of starts (offset so that none lies on a symmetry line, where
    /// the flow could end on a saddle) finds exactly the six tabulated minima. Positions: the
    /// quench stops at |∇f| ≤ 1e-5, within |∇f|/λ_min(Hessian) ≤ 1e-5/7.8 ≈ 1.3e-6 of the minimum
    /// (λ_min ≥ 7.8 at all six), and the table has 6 decimals (±5e-7): 3e-6 allowed. Values: the
    /// table's 7 to 10 digits plus |∇f|²/(2λ_min) < 1e-11.
    @Test func sixHumpCamelHasSixMinimaWithTabulatedValues() {
        let camel = SixHumpCamel()
        let table: [(point: [Double], value: Double, digits: Double)] = [
            ([0.089842, -0.712656], -1.0316284535, 5e-11), ([-0.089842, 0.712656], -1.0316284535, 5e-11),
            ([1.703607, -0.796084], -0.2154638, 5e-8), ([-1.703607, 0.796084], -0.2154638, 5e-8),
            ([1.607105, 0.568651], 2.1042503, 5e-8), ([-1.607105, -0.568651], 2.1042503, 5e-8),
        ]
        var found: [(point: [Double], value: Double)] = []
        let quench = ReferenceQuench()
        for i in 0..<25 {
            for j in 0..<17 {
                let start = [-2.9 + 0.24 * Double(i) + 0.0137, -1.9 + 0.24 * Double(j) + 0.0071]
                let result = quench.run(camel, from: start)
                #expect(result.converged)
                if !found.contains(where: { hypot($0.point[0] - result.point[0], $0.point[1] - result.point[1]) < 1e-3 }) {
                    found.append((result.point, result.value))
                }
            }
        }
        #expect(found.count == 6, "found \(found.count) distinct end points: \(found)")
        for entry in table {
            let match = found.first { hypot($0.point[0] - entry.point[0], $0.point[1] - entry.point[1]) < 3e-6 }
            #expect(match != nil, "no quench ended at \(entry.point)")
            if let match { #expect(abs(match.value - entry.value) <= entry.digits + 1e-11) }
        }
        // f* from Newton agrees with the literal to rounding, and ∇f vanishes there.
        let m = SixHumpCamel.globalMinimizer
        #expect(abs(SixHumpCamel.raw(m[0], m[1]) - -1.0316284534898774) <= 8 * unitRoundoff * camel.roundingScale(at: m))
        var gradient = [0.0, 0.0]
        _ = camel.valueAndGradient(at: m, gradient: &gradient)
        #expect(hypot(gradient[0], gradient[1]) <= 1e-14)
    }

    @Test(arguments: [(1.0, 1.0, 0.1), (5.0, 0.3, 0.5), (0.2, 2.0, 0.01), (1.0, 1.0, 0.9)])
    func doubleWellMinimaAndBarrierMatchParameters(height: Double, width: Double, asymmetry: Double) {
        let well = DoubleWell(dimension: 1, height: height, width: width, asymmetry: asymmetry)
        let b = well.barrierPosition
        // Relative rounding of V, a product of O(1) factors scaled by c ~ H: a few u.
        let tolerance = 16 * unitRoundoff * height
        #expect(abs(well.value(at: [-width])) <= tolerance, "deep well not at −w with value 0")
        #expect(abs(well.value(at: [width]) - asymmetry * height) <= tolerance, "shallow well not αH above the deep one")
        #expect(abs(well.value(at: [b * width]) - height) <= tolerance, "barrier top not H above the deep well")
        var gradient = [0.0]
        for u in [-1, b, 1] {
            _ = well.valueAndGradient(at: [u * width], gradient: &gradient)
            #expect(abs(gradient[0]) <= tolerance / width, "V' ≠ 0 at u = \(u)")
        }
        // The barrier top is the maximum of V between the wells (grid spacing 2w/10⁴; V'' bounded
        // by ~12c/w², so the grid misses the maximum by at most ~c(10⁻⁴)² ≪ tolerance + 1e-7 H).
        var highest = -Double.infinity
        for k in 0...10_000 {
            highest = max(highest, well.value(at: [width * (-1 + 2 * Double(k) / 10_000)]))
        }
        #expect(highest <= height + tolerance && highest >= height * (1 - 1e-7))
        // Nothing in the box is below the deep well.
        for k in 0...1000 {
            #expect(well.value(at: [width * (-2 + 4 * Double(k) / 1000)]) >= -tolerance)
        }
    }

    @Test func doubleWellFamilyParametersReachTheInstance() throws {
        let family = LandscapeFamily.doubleWell
        let values = try ParameterValues(specs: family.parameters,
                                         overrides: ["height": "3", "width": "0.5", "asymmetry": "0.2"], owner: family.name)
        let landscape = try #require(try family.continuousInstance(dimension: 4, instance: 2, parameters: values) as? Shifted<DoubleWell>)
        #expect(landscape.base.height == 3 && landscape.base.width == 0.5 && landscape.base.asymmetry == 0.2)
        // Every one of the 2^4 minima lies inside the box of the shifted instance.
        for mask in 0..<16 {
            let point = (0..<4).map { (mask & (1 << $0) != 0 ? 0.5 : -0.5) + landscape.shift[$0] }
            #expect(landscape.domain.contains(point))
            #expect(abs(landscape.value(at: point) - Double(mask.nonzeroBitCount) * 0.6) <= 1e-13)
        }
    }

    /// The best-known value (quench from every well centre and from c) is at most every value of
    /// a 201 × 201 grid of the box, for three instances in d = 2.
    @Test func gaussianMixtureBestKnownIsBelowDenseSample() throws {
        for instance in [0, 1, 2] {
            let landscape = try makeInstance("gaussian-mixture", dimension: 2, instance: instance)
            let optimum = landscape.optimum
            #expect(optimum.status == .bestKnown && optimum.source != nil)
            let fStar = try #require(optimum.value)
            var lowest = Double.infinity
            for i in 0...200 {
                for j in 0...200 {
                    lowest = min(lowest, landscape.value(at: [-5 + 0.05 * Double(i), -5 + 0.05 * Double(j)]))
                }
            }
            #expect(fStar <= lowest + 1e-12 * (1 + abs(lowest)), "instance \(instance): grid reaches \(lowest) < f* = \(fStar)")
        }
    }

    /// The success tolerance ε is at most a tenth of the gap between f* and the next-lowest
    /// minimum, so f ≤ f* + ε means the global basin: the quench from a start near that minimum
    /// (default dimension unless noted) ends at least 10ε above f*.
    static let nextMinimumStarts: [(String, [Double])] = [
        ("rosenbrock", [-1.0] + [Double](repeating: 1, count: 3)),
        ("ackley", [0.9] + [Double](repeating: 0, count: 9)),
        ("griewank", [2 * Double.pi] + [Double](repeating: 0, count: 9)),
        ("schwefel", [-302.5] + [Double](repeating: 420.9687, count: 9)),
        ("styblinski-tang", [2.75] + [Double](repeating: -2.9, count: 9)),
        ("six-hump-camel", [1.7, -0.8]),
        ("double-well", [1.0] + [Double](repeating: -1, count: 4)),
    ]

    @Test(arguments: nextMinimumStarts)
    func successToleranceIsAtMostATenthOfTheGap(name: String, start: [Double]) throws {
        let family = try LandscapeCatalog.family(named: name)
        let landscape = try makeInstance(name, dimension: start.count, instance: 0)
        let fStar = try #require(landscape.optimum.value)
        let result = ReferenceQuench().run(landscape, from: start)
        #expect(result.converged)
        #expect(result.value - fStar >= 10 * family.tolerances.success * (1 - 1e-9),
                "\(name): next minimum only \(result.value - fStar) above f*, ε = \(family.tolerances.success)")
    }
}
