import Landscapes
import Testing
@testable import Optimizers

/// f(x) = ½xᵀAx − bᵀx on a box, A symmetric positive definite.
struct BoxedQuadratic: ContinuousLandscape {
    var a: [[Double]]
    var b: [Double]
    var domain: Box
    var dimension: Int { b.count }
    var optimum: KnownOptimum { .unknown }
    var gradCost: Double { 1 }

    func value(at x: [Double]) -> Double {
        var f = 0.0
        for i in 0..<dimension {
            var ax = 0.0
            for j in 0..<dimension { ax += a[i][j] * x[j] }
            f += 0.5 * x[i] * ax - b[i] * x[i]
        }
        return f
    }
    func gradient(at x: [Double]) -> [Double] {
        (0..<dimension).map { i in (0..<dimension).reduce(-b[i]) { $0 + a[i][$1] * x[$1] } }
    }
    func valueAndGradient(at x: [Double], gradient g: inout [Double]) -> Double {
        let grad = gradient(at: x)
        for i in 0..<dimension { g[i] = grad[i] }
        return value(at: x)
    }
}

/// Rosenbrock's chained valley on an arbitrary box.
struct BoxedRosenbrock: ContinuousLandscape {
    var domain: Box
    var dimension: Int { domain.dimension }
    var optimum: KnownOptimum { .unknown }
    var gradCost: Double { 1 }
    func value(at x: [Double]) -> Double {
        var g = [Double](repeating: 0, count: dimension)
        return valueAndGradient(at: x, gradient: &g)
    }
    func valueAndGradient(at x: [Double], gradient g: inout [Double]) -> Double {
        var f = 0.0
        for i in 0..<dimension { g[i] = 0 }
        for i in 0..<(dimension - 1) {
            let u = x[i + 1] - x[i] * x[i], v = 1 - x[i]
            f += 100 * u * u + v * v
            g[i] += -400 * x[i] * u - 2 * v
            g[i + 1] += 200 * u
        }
        return f
    }
}

/// Solves M·v = r by Gaussian elimination with partial pivoting (the test's own solver).
private func solve(_ m: [[Double]], _ r: [Double]) -> [Double] {
    var a = m, v = r
    let k = v.count
    for c in 0..<k {
        let p = (c..<k).max { abs(a[$0][c]) < abs(a[$1][c]) }!
        a.swapAt(c, p); v.swapAt(c, p)
        for i in (c + 1)..<max(k, c + 1) {
            let f = a[i][c] / a[c][c]
            for j in c..<k { a[i][j] -= f * a[c][j] }
            v[i] -= f * v[c]
        }
    }
    for i in stride(from: k - 1, through: 0, by: -1) {
        var s = v[i]
        for j in (i + 1)..<max(k, i + 1) { s -= a[i][j] * v[j] }
        v[i] = s / a[i][i]
    }
    return v
}

/// The exact minimizer of a strictly convex box QP by enumerating the 3^n active sets: for each
/// assignment (free, at lower, at upper) solve the free block, and keep the one point that is
/// feasible and satisfies the KKT signs (unique, by strict convexity).
private func exactBoxQPMinimizer(_ q: BoxedQuadratic) -> (x: [Double], active: [Int]) {
    let n = q.dimension
    var best: ([Double], [Int])?
    var count = 1
    for _ in 0..<n { count *= 3 }
    for code in 0..<count {
        var c = code
        var kind = [Int](repeating: 0, count: n)
        for i in 0..<n { kind[i] = c % 3; c /= 3 }
        var x = (0..<n).map { kind[$0] == 1 ? q.domain.lower[$0] : kind[$0] == 2 ? q.domain.upper[$0] : 0 }
        let free = (0..<n).filter { kind[$0] == 0 }
        if !free.isEmpty {
            let m = free.map { i in free.map { j in q.a[i][j] } }
            let r = free.map { i in q.b[i] - (0..<n).filter { kind[$0] != 0 }.reduce(0.0) { $0 + q.a[i][$1] * x[$1] } }
            let xf = solve(m, r)
            for (k, i) in free.enumerated() { x[i] = xf[k] }
        }
        guard free.allSatisfy({ x[$0] > q.domain.lower[$0] && x[$0] < q.domain.upper[$0] }) else { continue }
        let g = q.gradient(at: x)
        // Multipliers: at a lower bound ∂f/∂x_i ≥ 0, at an upper bound ≤ 0.
        guard (0..<n).allSatisfy({ kind[$0] == 1 ? g[$0] >= 0 : kind[$0] == 2 ? g[$0] <= 0 : true }) else { continue }
        best = (x, kind)
    }
    return best!
}

/// The projected-gradient residual x − Π(x − ∇f(x)), by the test's own arithmetic.
private func residual(_ x: [Double], _ g: [Double], _ box: Box) -> [Double] {
    (0..<x.count).map { x[$0] - min(max(x[$0] - g[$0], box.lower[$0]), box.upper[$0]) }
}

/// A 5-D quadratic with coupling, whose unconstrained minimizer A⁻¹b = (3, −2, 0.5, 2.5, −0.3)
/// lies outside the box in three coordinates.
private func coupledQuadratic() -> BoxedQuadratic {
    let a: [[Double]] = [
        [4, 1, 0, 0.5, 0],
        [1, 3, 0.5, 0, 0],
        [0, 0.5, 2, 0.3, 0.2],
        [0.5, 0, 0.3, 5, 1],
        [0, 0, 0.2, 1, 1.5],
    ]
    let xUnconstrained: [Double] = [3, -2, 0.5, 2.5, -0.3]
    let b = (0..<5).map { i in (0..<5).reduce(0.0) { $0 + a[i][$1] * xUnconstrained[$1] } }
    return BoxedQuadratic(a: a, b: b, domain: Box(lower: [-1, -1, -1, -1, -1], upper: [1, 1, 1, 1, 1]))
}

@Test func boundedLBFGSFindsTheExactMinimizerOfABoxedQuadraticWithActiveBounds() {
    let q = coupledQuadratic()
    let (xStar, active) = exactBoxQPMinimizer(q)
    // The enumeration must have found a case with bounds active, or the test would be vacuous.
    #expect(active.contains { $0 != 0 })
    var objective = plainObjective(q, budget: 10_000)
    var x = [0.0, 0.0, 0.0, 0.0, 0.0]
    var lbfgs = BoundedLBFGS(box: q.domain)
    let result = lbfgs.minimize(&objective, from: &x)
    #expect(result.outcome == .converged)
    #expect(objective.failure == nil)
    // The coordinates active at x* (all with non-zero multipliers here) sit exactly on their bound:
    // L-BFGS-B holds a variable at the bound the Cauchy step reached.
    let g = q.gradient(at: x)
    for i in 0..<5 where active[i] != 0 {
        #expect(abs(g[i]) > 1e-3, "degenerate multiplier at \(i)")
        #expect(x[i] == (active[i] == 1 ? q.domain.lower[i] : q.domain.upper[i]), "x[\(i)] = \(x[i])")
    }
    // KKT at the returned point, computed here: the residual ‖x − Π(x − ∇f)‖_∞ is what the method
    // drives below gtol = 1e-5 (or it stopped on the relative reduction 2.2e-9 of f).
    let r = residual(x, g, q.domain)
    let rNorm = r.map(abs).max()!
    // For a μ-strongly convex f with L-Lipschitz gradient, ‖x − x*‖ ≤ ((1 + L)/μ)·‖r(x)‖₂
    // (from the projection inequality at x − ∇f(x) and the optimality of x*). Gershgorin's discs
    // [4 ± 1.5], [3 ± 1.5], [2 ± 1.0], [5 ± 1.8], [1.5 ± 1.2] put λ(A) in [0.3, 6.8], so the
    // constant is ≤ (1 + 6.8)/0.3 = 26, and ‖r‖₂ ≤ √5·‖r‖_∞.
    #expect(rNorm <= 1e-5, "residual \(rNorm)")
    let distance = (0..<5).map { (x[$0] - xStar[$0]) * (x[$0] - xStar[$0]) }.reduce(0, +).squareRoot()
    #expect(distance <= 26 * 5.0.squareRoot() * rNorm + 1e-12, "‖x − x*‖ = \(distance), x = \(x), x* = \(xStar)")
}

@Test func boundedLBFGSConvergesToRosenbrocksMinimumInsideTheBox() {
    // Interior minimum (1, 1, 1, 1) of the chained valley on [−2, 2]^4, from the usual (−1.2, 1, …).
    // ftol = 0 leaves the projected-gradient test (gtol = 1e-5) as the stop that means converged.
    let f = BoxedRosenbrock(domain: Box(cube: -2, 2, dimension: 4))
    var objective = plainObjective(f, budget: 10_000)
    var x = [-1.2, 1, -1.2, 1]
    var lbfgs = BoundedLBFGS(box: f.domain, settings: .init(ftol: 0))
    let result = lbfgs.minimize(&objective, from: &x)
    #expect(result.outcome == .converged)
    var g = [0.0, 0, 0, 0]
    _ = f.valueAndGradient(at: x, gradient: &g)
    let gNorm = g.map(abs).max()!
    #expect(gNorm <= 1e-5)
    // Near x* ∇f ≈ H·δ with λ_min(H(x*)) = 0.4930 (d = 4, numpy's eigvalsh of the closed-form
    // Hessian), so ‖δ‖ ≤ ‖∇f‖₂/λ_min ≤ 2·gNorm/0.493; doubled for H's change over that δ.
    for i in 0..<4 { #expect(abs(x[i] - 1) <= 2 * 2 * gNorm / 0.493 + 1e-12, "x = \(x)") }
}

@Test func boundedLBFGSStopsOnTheFaceWhenTheBoxCutsRosenbrocksValley() {
    // On x0 ≤ 0.5 the constrained minimizer of 100(x1 − x0²)² + (1 − x0)² is (0.5, 0.25), f = 0.25:
    // for fixed x0 the best x1 is x0², leaving (1 − x0)², decreasing up to the face x0 = 0.5, where
    // ∂f/∂x0 = −1 < 0 points out of the box (a KKT point with multiplier 1).
    let f = BoxedRosenbrock(domain: Box(lower: [-2, -2], upper: [0.5, 2]))
    var objective = plainObjective(f, budget: 10_000)
    var x = [-1.2, 1.0]
    var lbfgs = BoundedLBFGS(box: f.domain, settings: .init(ftol: 0))
    let result = lbfgs.minimize(&objective, from: &x)
    #expect(result.outcome == .converged)
    #expect(x[0] == 0.5)
    // Along the face f = 100(x1 − 0.25)² + 0.25 has curvature 200: |∂f/∂x1| ≤ 1e-5 (the stop)
    // gives |x1 − 0.25| ≤ 5e-8.
    var g = [0.0, 0]
    _ = f.valueAndGradient(at: x, gradient: &g)
    #expect(abs(g[1]) <= 1e-5)
    #expect(abs(x[1] - 0.25) <= 5e-8 + 1e-15, "x = \(x)")
}

@Test(arguments: [0, 1, 2])
func boundedLBFGSNeverEvaluatesOutsideTheBox(_ which: Int) {
    // Problems whose unconstrained steps leave the box: a slope pushing into a corner, a quadratic
    // centred far outside, and Rosenbrock cut by a face. Every point asked for is recorded.
    func check<L: ContinuousLandscape>(_ landscape: Recording<L>, from start: [Double]) {
        var objective = plainObjective(landscape, budget: 2000)
        var x = start
        var lbfgs = BoundedLBFGS(box: landscape.domain)
        _ = lbfgs.minimize(&objective, from: &x)
        #expect(objective.failure == nil)
        #expect(!landscape.log.points.isEmpty)
        for point in landscape.log.points { #expect(landscape.domain.contains(point), "\(point)") }
        #expect(landscape.domain.contains(x))
    }
    switch which {
    case 0: check(Recording(base: Slope2D()), from: [2.5, 0.25])
    case 1:
        let a: [[Double]] = [[2, 0.5, 0], [0.5, 1, 0.3], [0, 0.3, 3]]
        check(Recording(base: BoxedQuadratic(a: a, b: [40, -35, 60], domain: Box(cube: -1, 1, dimension: 3))),
              from: [0.9, -0.9, 0.1])
    default: check(Recording(base: BoxedRosenbrock(domain: Box(lower: [-2, -2], upper: [0.5, 0.1]))), from: [-1.2, 1])
    }
}

@Test func boundedLBFGSClampsAStartOutsideTheBoxBeforeEvaluating() {
    // scipy's L-BFGS-B clips x0 into the bounds; the first point evaluated is that projection.
    let landscape = Recording(base: Slope2D())
    var objective = plainObjective(landscape, budget: 100)
    var x = [7.0, -3.0]
    var lbfgs = BoundedLBFGS(box: landscape.domain)
    _ = lbfgs.minimize(&objective, from: &x)
    #expect(landscape.log.points.first == [3, 0])
    #expect(objective.failure == nil)
    // The slope's minimum is the lower corner (−1, 0), reached exactly by the Cauchy step.
    #expect(x == [-1, 0])
}

@Test func boundedLBFGSStopsAtTheBudget() {
    // A budget of 7 calls on Rosenbrock (which needs dozens): the run ends with .budget and
    // overshoots by less than one call, as the Objective's contract allows.
    let f = BoxedRosenbrock(domain: Box(cube: -2, 2, dimension: 4))
    var objective = plainObjective(f, budget: 7 * 1.5, gradCost: 1.5)
    var x = [-1.2, 1, -1.2, 1]
    var lbfgs = BoundedLBFGS(box: f.domain)
    let result = lbfgs.minimize(&objective, from: &x)
    #expect(result.outcome == .budget)
    #expect(objective.gradientEvaluations == 7)
    #expect(objective.evaluations == 0)
}

@Test func moreThuenteLineSearchEndsAtAStrongWolfePoint() {
    // φ(t) = (t − 2)⁴ − 3t from φ'(0) = −35: the search must return a step with
    // φ(t) ≤ φ(0) + 1e-3·t·φ'(0) and |φ'(t)| ≤ 0.9·|φ'(0)|, checked here by direct evaluation.
    func phi(_ t: Double) -> Double { (t - 2) * (t - 2) * (t - 2) * (t - 2) - 3 * t }
    func dphi(_ t: Double) -> Double { 4 * (t - 2) * (t - 2) * (t - 2) - 3 }
    for first in [0.01, 1.0, 10.0] {
        var search = LineSearch(ftol: 1e-3, gtol: 0.9, xtol: 0.1, stepMin: 0, stepMax: 100)
        var t = first
        var task = search.start(step: t, value: phi(0), slope: dphi(0))
        var count = 0
        while task == .evaluate && count < 50 {
            task = search.next(step: &t, value: phi(t), slope: dphi(t))
            count += 1
        }
        #expect(task == .converged, "from \(first)")
        #expect(phi(t) <= phi(0) + 1e-3 * t * dphi(0))
        #expect(abs(dphi(t)) <= 0.9 * abs(dphi(0)))
    }
}

@Test(arguments: [
    // (box, start, iterations, calls, f) from scipy 1.17.1's L-BFGS-B (its C port of the reference
    // code): `minimize(lambda x: (rosen(x), rosen_der(x)), x0, jac=True, method="L-BFGS-B",
    // bounds=...)`; nit, nfev, fun. The same algorithm must take the same iterations.
    (Box(cube: -2, 2, dimension: 4), [-1.2, 1, -1.2, 1], 38, 48, 7.89286537902112e-11),
    (Box(lower: [-2, -2], upper: [0.5, 2]), [-1.2, 1], 20, 30, 0.25),
    (Box(cube: -2, 2, dimension: 10), [-1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1, -1.2, 1], 62, 76, 3.974976133413855e-10),
])
func boundedLBFGSTakesTheIterationsOfTheReferenceImplementation(_ box: Box, _ start: [Double], _ iterations: Int,
                                                                _ calls: Int, _ value: Double) {
    let f = BoxedRosenbrock(domain: box)
    var objective = plainObjective(f, budget: 100_000)
    var x = start
    var lbfgs = BoundedLBFGS(box: box)
    let result = lbfgs.minimize(&objective, from: &x)
    #expect(result.outcome == .converged)
    #expect(result.iterations == iterations)
    #expect(result.evaluations == calls)
    #expect(objective.gradientEvaluations == calls)
    // The counts are the sharp check: one different decision in any line search or stopping test
    // changes them. With the same decisions the iterates still differ by rounding (LU here, the
    // reference's Cholesky-based factors, amplified over tens of iterations), so f is compared
    // at the method's own resolution: its stopping rule treats values within
    // ftol·max(|f|, 1) = 2.2e-9 of each other as no progress.
    #expect(abs(result.value - value) <= 1e7 * Double.ulpOfOne * max(abs(value), 1))
}

/// Ackley's instance 1 in d = 10 (the shift the `ackley` family draws; the same vector is in
/// scripts/validate-basinhopping.py).
private let ackleyInstanceOneShift = [
    10.864929422414438, -20.06393669441841, -11.90106600235667, -7.353802395846959,
    -15.841174371475175, 10.58851766856564, -12.053124281762843, -19.107700405155335,
    5.295285485178692, 3.36497906507401,
]

@Test(arguments: [
    // (start, iterations, calls, f) from scipy 1.17.1's L-BFGS-B on the same function with its
    // analytic gradient and bounds [−32.768, 32.768]^10 (CountedAckley in
    // scripts/validate-basinhopping.py; starts uniform in the box and within ±3 of the optimum).
    ([0.7747419963560276, 29.521588802416495, -23.320355620806083, 29.402690167586414, -12.331813961040826, -5.024877840133282, 21.47631718861647, -5.950725398910645, 3.2501719153416246, -30.96188595450227],
     13, 18, 19.893285944762173),
    ([16.614235090112125, 2.4997601751386185, -11.158702227515498, 18.90246350788391, -12.897823667542756, -3.0475623149960214, -23.983443329209813, -6.349587320200939, -19.434357347047857, -15.57703292080295],
     9, 13, 19.272647448295544),
    ([8.768078404941502, -20.17066236522239, -9.53277082917963, -7.817500954174335, -15.304161998970887, 7.735461733525819, -11.01236495884521, -16.5931686873524, 7.256237462519018, 5.678100665333691],
     16, 22, 4.029776266590197),
    ([9.406134225777054, -22.624796260072614, -13.35424728837625, -5.77503120058264, -14.653812947376686, 8.360556942468657, -12.795693273194278, -19.582172037450558, 6.285190963350456, 3.1005528433365033],
     22, 29, 3.027108422991255),
    ([12.414764594437347, -20.905215135462747, -11.051984465323049, -8.067913160088434, -16.552216775635657, 10.611335369732817, -14.95278735195058, -19.146271045494956, 8.12487596586002, 2.077770437787481],
     13, 24, 5.5624794660477725),
])
func boundedLBFGSTakesTheReferenceIterationsOnAckley(_ start: [Double], _ iterations: Int, _ calls: Int, _ value: Double) {
    let f = Shifted(Ackley(dimension: 10), by: ackleyInstanceOneShift)
    var objective = plainObjective(f, budget: 100_000)
    var x = start
    var lbfgs = BoundedLBFGS(box: f.domain)
    let result = lbfgs.minimize(&objective, from: &x)
    #expect(result.outcome == .converged)
    #expect(result.iterations == iterations)
    #expect(result.evaluations == calls)
    // As for Rosenbrock: f compared at the method's own resolution ftol·max(|f|, 1).
    #expect(abs(result.value - value) <= 1e7 * Double.ulpOfOne * max(abs(value), 1))
}
