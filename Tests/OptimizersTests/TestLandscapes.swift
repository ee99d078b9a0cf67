import Testing
import Landscapes
@testable import Optimizers

/// f(x) = ½·a·x² on [−2, 2]: the closed forms of the gradient methods live here.
struct Quadratic1D: ContinuousLandscape {
    var curvature: Double
    var dimension: Int { 1 }
    var domain: Box { Box(cube: -2, 2, dimension: 1) }
    var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [[0]]) }
    var gradCost: Double { 1 }

    func value(at x: [Double]) -> Double { 0.5 * curvature * x[0] * x[0] }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = curvature * x[0]
        return value(at: x)
    }
}

/// V(x) = a(x² − 1)² + t·x on [−2, 2]: two wells near ±1 separated by a barrier of height ≈ a at 0;
/// the tilt t > 0 makes the well near −1 the global one.
struct DoubleWell1D: ContinuousLandscape {
    var height: Double = 1
    var tilt: Double = 0.25
    var dimension: Int { 1 }
    var domain: Box { Box(cube: -2, 2, dimension: 1) }
    var optimum: KnownOptimum { .unknown }
    var gradCost: Double { 1 }

    func value(at x: [Double]) -> Double {
        let u = x[0] * x[0] - 1
        return height * u * u + tilt * x[0]
    }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = 4 * height * x[0] * (x[0] * x[0] - 1) + tilt
        return value(at: x)
    }
}

/// f(x) = x0 + 2·x1 on a box with lower corner (−1, 0): its minimum is that corner, so every
/// downhill step pushes against the box's faces.
struct Slope2D: ContinuousLandscape {
    var dimension: Int { 2 }
    var domain: Box { Box(lower: [-1, 0], upper: [3, 0.5]) }
    var optimum: KnownOptimum { KnownOptimum(value: -1, status: .exact, points: [[-1, 0]]) }
    var gradCost: Double { 1 }

    func value(at x: [Double]) -> Double { x[0] + 2 * x[1] }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = 1
        gradient[1] = 2
        return value(at: x)
    }
}

/// f(x) = Σ (x_i − c_i)², minimum 0 at c, inside the box; a gradient costs 2.
struct Bowl: ContinuousLandscape {
    var domain: Box
    var centre: [Double]
    var dimension: Int { domain.dimension }
    var optimum: KnownOptimum { KnownOptimum(value: 0, status: .exact, points: [centre]) }
    var gradCost: Double { 2 }
    func value(at x: [Double]) -> Double { zip(x, centre).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        for i in 0..<x.count { gradient[i] = 2 * (x[i] - centre[i]) }
        return value(at: x)
    }
}

/// Every point a landscape is asked about, in order (tests read an optimizer's iterates from it).
final class PointLog: @unchecked Sendable {
    var points: [[Double]] = []
}

struct Recording<Base: ContinuousLandscape>: ContinuousLandscape {
    var base: Base
    let log = PointLog()
    var dimension: Int { base.dimension }
    var domain: Box { base.domain }
    var optimum: KnownOptimum { base.optimum }
    var gradCost: Double { base.gradCost }

    func value(at x: [Double]) -> Double {
        log.points.append(x)
        return base.value(at: x)
    }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        log.points.append(x)
        return base.valueAndGradient(at: x, gradient: &gradient)
    }
}

/// An objective with no escape or success threshold of interest.
func plainObjective<L: ContinuousLandscape>(_ landscape: L, budget: Double, gradCost: Double? = nil) -> Objective<L> {
    Objective(landscape: landscape, budget: budget, gradCost: gradCost,
              escapeThreshold: -.infinity, successThreshold: nil)
}

/// Runs `optimizer` (an existential, opened here once) on `objective`.
func run<L: ContinuousLandscape>(
    _ optimizer: any ContinuousOptimizer, _ objective: inout Objective<L>, from start: [Double], seed: UInt64
) -> (StopReason, Xoshiro256) {
    var rng = Xoshiro256(seed: seed)
    let reason = optimizer.minimize(&objective, from: start, using: &rng)
    return (reason, rng)
}

/// The discrete optimizer `name` from the one registry, as the spin type the tests drive directly.
func makeSpinOptimizer(_ name: String, overrides: [String: String] = [:]) throws -> any SpinOptimizer {
    let optimizer = try OptimizerCatalog.make(name, overrides: overrides)
    return try #require(optimizer as? any SpinOptimizer, "\(name) is not a discrete optimizer")
}

/// The continuous optimizer `name` from the one registry.
func makeContinuousOptimizer(_ name: String, overrides: [String: String] = [:]) throws -> any ContinuousOptimizer {
    let optimizer = try OptimizerCatalog.make(name, overrides: overrides)
    return try #require(optimizer as? any ContinuousOptimizer, "\(name) is not a continuous optimizer")
}
