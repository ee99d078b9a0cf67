import Foundation
import Landscapes
import Testing
@testable import Optimizers

@Suite struct DualAnnealingTests {
    /// The iterations of one cycle, from the schedule's closed form computed here: the first i with
    /// T0·(2^(qv−1) − 1)/((i + 2)^(qv−1) − 1) < ratio·T0 (1,246 at scipy's defaults).
    static func cycleLength(qv: Double = 2.62, ratio: Double = 2e-5) -> Int {
        var i = 0
        while (pow(2, qv - 1) - 1) / (pow(Double(i) + 2, qv - 1) - 1) >= ratio { i += 1 }
        return i
    }

    /// Without local searches an iteration is exactly 2d evaluations and a reanneal one more, so
    /// `maxiter` = N costs 1 + 2d·N evaluations up to the first cycle's end and 2d + 1 more for the
    /// first iteration after it; the run stops "converged" there, as scipy's does.
    @Test func maxiterCountsIterationsAndTheReannealComesWhereTheScheduleSays() throws {
        let d = 2, n = Self.cycleLength()
        #expect(n == 1246)
        let box = Box(cube: -1, 1, dimension: d)
        for (maxiter, expected) in [(1, 1 + 2 * d), (n, 1 + 2 * d * n), (n + 1, 1 + 2 * d * n + 1 + 2 * d)] {
            var objective = plainObjective(Flat(domain: box), budget: 1e9)
            let optimizer = try makeContinuousOptimizer("dual-annealing", overrides: ["maxiter": String(maxiter), "local-search": "false"])
            let (reason, _) = run(optimizer, &objective, from: [0.5, -0.5], seed: 1)
            #expect(reason == .converged)
            #expect(objective.evaluations == expected, "maxiter \(maxiter)")
        }
    }

    /// On f ≡ 0 every visit is accepted (Δf = 0 gives p = 1), so each visit starts from the one
    /// before: in every iteration the first d visits move every coordinate and the next d only
    /// coordinate j − d; every point is inside the box, even with a box far narrower than the
    /// steps (they are folded back), and the start is the first evaluation.
    @Test func visitsMoveAllCoordinatesThenOneEachAndStayInTheBox() throws {
        let d = 3
        let box = Box(lower: [-1e-3, 5, -7], upper: [1e-3, 5.5, 100])
        let landscape = Recording(base: Flat(domain: box))
        var objective = plainObjective(landscape, budget: Double(1 + 2 * d * 50))
        let start = [0, 5.25, 0]
        _ = run(try makeContinuousOptimizer("dual-annealing", overrides: ["local-search": "false"]), &objective,
                from: start, seed: 7)
        let points = landscape.log.points
        #expect(points.count == 1 + 2 * d * 50 && points[0] == start)
        for p in points { #expect(Box.encloses(p, lower: box.lower, upper: box.upper), "\(p)") }
        for (k, p) in points.enumerated().dropFirst() {
            let j = (k - 1) % (2 * d)
            let changed = (0..<d).filter { p[$0] != points[k - 1][$0] }
            if j < d { #expect(changed == Array(0..<d), "point \(k)") } else { #expect(changed == [j - d], "point \(k)") }
        }
    }

    /// At qv = 2 the visiting distribution is Cauchy with scale T (Tsallis & Stariolo's g_q at
    /// q = 2, D = 1): P(|Δ| < T) = 1/2 and P(|Δ| < 3T) = (2/π)·atan 3. 40,000 draws put each
    /// fraction within 5 standard errors (√(p(1 − p)/n) ≤ 0.0025).
    @Test func atQvTwoAVisitIsCauchyWithScaleT() throws {
        let optimizer = try #require(try makeContinuousOptimizer("dual-annealing", overrides: ["visit": "2"]) as? DualAnnealing)
        let chain = DualAnnealing.Chain(optimizer, box: Box(cube: -1, 1, dimension: 1), dimension: 1)
        var rng = Xoshiro256(seed: 5)
        let t = 3.7, n = 40_000
        var within1 = 0, within3 = 0
        for _ in 0..<n {
            let step = Swift.abs(chain.step(scale: chain.scale(temperature: t), using: &rng))
            if step < t { within1 += 1 }
            if step < 3 * t { within3 += 1 }
        }
        for (count, p) in [(within1, 0.5), (within3, 2 / Double.pi * atan(3.0))] {
            let se = (p * (1 - p) / Double(n)).squareRoot()
            #expect(Swift.abs(Double(count) / Double(n) - p) < 5 * se, "\(count) of \(n), expected \(p)")
        }
    }

    /// scipy's forward differences: f(x), then x + 10^−8·e_j for each j, stepping back at the upper
    /// wall; d + 1 evaluations of cost 1 and no gradient call; on the bowl (curvature 2) the
    /// forward difference of each component is 2(x_j − c_j) plus the step taken.
    @Test func forwardDifferencesProbeAsScipyAndChargeDPlusOne() {
        let box = Box(cube: -2, 2, dimension: 3)
        let bowl = Recording(base: Bowl(domain: box, centre: [0.5, -1, 1]))
        var objective = plainObjective(bowl, budget: 100)
        var gradient = [0.0, 0, 0], probe = [0.0, 0, 0]
        let x = [0.25, 2, -1]
        let f = BoundedLBFGS.evaluate(&objective, at: x, gradient: &gradient, mode: .forwardDifferences, probe: &probe,
                                      lower: box.lower, upper: box.upper)
        #expect(f == bowl.base.value(at: x))
        #expect(objective.spent == 4 && objective.gradientEvaluations == 0)
        let h = 1e-8
        #expect(bowl.log.points == [x, [0.25 + h, 2, -1], [0.25, 2 - h, -1], [0.25, 2, -1 + h]])
        // (f(x + s·e_j) − f(x))/s = 2(x_j − c_j) + s for a step s (the step actually taken,
        // (x_j + s) − x_j); the rounding of f's difference adds at most ~ε·f/h ≈ 10^−7.
        let exact = [2 * (0.25 - 0.5), 2 * (2.0 + 1), 2 * (-1.0 - 1)]
        let steps = [(0.25 + h) - 0.25, (2 - h) - 2, (-1 + h) - (-1)]
        for j in 0..<3 { #expect(Swift.abs(gradient[j] - (exact[j] + steps[j])) < 1e-6, "component \(j)") }
    }

    /// A bowl off the start is found to L-BFGS-B's precision in both gradient modes; the
    /// finite-difference mode never calls the gradient; the same seed repeats the run.
    @Test(arguments: ["analytic", "finite-difference"])
    func theBowlsMinimumIsFoundAndRunsRepeat(mode: String) throws {
        let box = Box(cube: -5, 5, dimension: 4)
        let bowl = Bowl(domain: box, centre: [1.25, -3.5, 0.1, 4.75])
        func once() throws -> (Double, Double, Int) {
            var objective = plainObjective(bowl, budget: 3000)
            _ = run(try makeContinuousOptimizer("dual-annealing", overrides: ["local-gradient": mode]), &objective,
                    from: [-4, 4, -4, 4], seed: 11)
            #expect(objective.failure == nil && objective.spent <= objective.spendingLimit)
            return (objective.bestValue, objective.spent, objective.gradientEvaluations)
        }
        let first = try once(), second = try once()
        #expect(first.0 <= 1e-9, "best \(first.0)")
        #expect(first == second)
        #expect((first.2 == 0) == (mode == "finite-difference"))
    }

    @Test(arguments: [["visit": "3"], ["visit": "1"], ["restart-temp-ratio": "0"], ["restart-temp-ratio": "1"]])
    func parametersOutsideScipysOpenRangesAreRefused(overrides: [String: String]) {
        #expect(throws: OptimizerError.self) { _ = try makeContinuousOptimizer("dual-annealing", overrides: overrides) }
    }
}
