import Foundation
import Landscapes
import Testing
@testable import Optimizers

/// Floating-point unit roundoff u = ε/2.
let unitRoundoff = Double.ulpOfOne / 2

@Test func gdOnQuadraticMatchesClosedForm() throws {
    let a = 3.0, eta = 0.05, x0 = 1.5, steps = 40
    let landscape = Recording(base: Quadratic1D(curvature: a))
    var objective = plainObjective(landscape, budget: Double(steps))
    let gd = try makeContinuousOptimizer("gd", overrides: ["learning-rate": "\(eta)"])
    let (reason, _) = run(gd, &objective, from: [x0], seed: 1)
    #expect(reason == .budget)
    let points = landscape.log.points
    #expect(points.count == steps)
    for (k, p) in points.enumerated() {
        let exact = x0 * pow1(1 - eta * a, k)
        // Each step rounds three times (a·x, η·g, x − η·g), each error ≤ u·|x0|, and earlier errors
        // are damped by |1 − ηa| < 1; the closed form's own evaluation adds a few u: (3k + 4)·u·|x0|.
        #expect(abs(p[0] - exact) <= Double(3 * k + 4) * unitRoundoff * abs(x0), "step \(k)")
    }
}

/// r^k by the library power, independent of the method's repeated multiplication.
func pow1(_ r: Double, _ k: Int) -> Double { Foundation.pow(r, Double(k)) }

@Test(arguments: ["gd", "momentum", "momentum+nesterov", "adam"])
func deterministicGradientMethodStopsConvergedAtExactMinimum(_ label: String) throws {
    // The documented finding: at ∇f = 0 a deterministic gradient method cannot move.
    let name = label.split(separator: "+").first.map(String.init)!
    let overrides = label.hasSuffix("+nesterov") ? ["nesterov": "true"] : [:]
    let optimizer = try makeContinuousOptimizer(name, overrides: overrides)
    var objective = plainObjective(Quadratic1D(curvature: 2), budget: 1000)
    let (reason, _) = run(optimizer, &objective, from: [0], seed: 7)
    #expect(reason == .converged)
    #expect(objective.spent == objective.gradCost)
    #expect(objective.bestPoint == [0])
}

@Test(arguments: [false, true])
func momentumOnQuadraticMatchesRecurrence(nesterov: Bool) throws {
    let a = 2.0, eta = 0.01, mu = 0.9, x0 = 1.5, steps = 60
    let landscape = Recording(base: Quadratic1D(curvature: a))
    var objective = plainObjective(landscape, budget: Double(steps))
    let optimizer = try makeContinuousOptimizer("momentum", overrides: [
        "learning-rate": "\(eta)", "momentum": "\(mu)", "nesterov": "\(nesterov)"])
    _ = run(optimizer, &objective, from: [x0], seed: 1)
    let points = landscape.log.points
    #expect(points.count == steps)
    // The recurrence, written out: heavy ball evaluates ∇f at x_k, Nesterov at x_k + μ v_k.
    var x = x0, v = 0.0
    for (k, p) in points.enumerated() {
        let evaluated = nesterov ? x + mu * v : x
        // Same operations in the same order as the update rule: agreement to a few roundings of
        // the iterate's size (|x| ≤ 2 inside the box).
        #expect(abs(p[0] - evaluated) <= 8 * unitRoundoff * 2, "step \(k)")
        v = mu * v - eta * (a * evaluated)
        x = x + v
    }
    // The trajectory stayed inside the box, so projection never acted.
    #expect(points.allSatisfy { abs($0[0]) < 2 })
}

@Test func adamFirstStepsMatchClosedForm() throws {
    let a = 2.0, x0 = 1.5
    let alpha = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8
    let landscape = Recording(base: Quadratic1D(curvature: a))
    var objective = plainObjective(landscape, budget: 4)
    _ = run(try makeContinuousOptimizer("adam"), &objective, from: [x0], seed: 1)
    let points = landscape.log.points.map { $0[0] }
    #expect(points.count == 4)

    // Step 1: m1 = (1−β1)g1, v1 = (1−β2)g1², m̂1 = m1/(1−β1) = g1, v̂1 = v1/(1−β2) = g1².
    let g1 = a * x0
    let m1 = (1 - beta1) * g1, v1 = (1 - beta2) * g1 * g1
    let x1 = x0 - alpha * (m1 / (1 - beta1)) / ((v1 / (1 - beta2)).squareRoot() + eps)
    // Step 2: bias corrections 1 − β^2.
    let g2 = a * x1
    let m2 = beta1 * m1 + (1 - beta1) * g2, v2 = beta2 * v1 + (1 - beta2) * g2 * g2
    let x2 = x1 - alpha * (m2 / (1 - beta1 * beta1)) / ((v2 / (1 - beta2 * beta2)).squareRoot() + eps)
    // Step 3: bias corrections 1 − β^3.
    let g3 = a * x2
    let m3 = beta1 * m2 + (1 - beta1) * g3, v3 = beta2 * v2 + (1 - beta2) * g3 * g3
    let x3 = x2 - alpha * (m3 / (1 - beta1 * beta1 * beta1)) / ((v3 / (1 - beta2 * beta2 * beta2)).squareRoot() + eps)

    // Each step is ≈ α·sign(g) (|m̂|/√v̂ ≈ 1 while g barely changes): about 1e-3 per step.
    #expect(abs(x1 - (x0 - alpha)) < 1e-6)
    // Per step: one rounding of x (≤ u·|x0|) plus ~20 roundings of a step of size ≤ α; three steps.
    let tolerance = 3 * (abs(x0) + 20 * alpha) * unitRoundoff * 2
    for (k, expected) in [x0, x1, x2, x3].enumerated() {
        #expect(abs(points[k] - expected) <= tolerance, "iterate \(k)")
    }
}
