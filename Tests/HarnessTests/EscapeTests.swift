import Landscapes
import Optimizers
import Testing
@testable import Harness

/// V(x) = (x² − 1)² + 0.3x on [−2, 2]: a shallow well near x = +0.96 (the trap) and a deeper one
/// near x = −1.04, separated by a barrier near x = 0.075.
struct TiltedWell: ContinuousLandscape {
    var dimension: Int { 1 }
    var domain: Box { Box(cube: -2, 2, dimension: 1) }
    var optimum: KnownOptimum { KnownOptimum(value: nil, status: .unknown) }
    var gradCost: Double { 1 }
    func value(at x: [Double]) -> Double { (x[0] * x[0] - 1) * (x[0] * x[0] - 1) + 0.3 * x[0] }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        gradient[0] = 4 * x[0] * (x[0] * x[0] - 1) + 0.3
        return value(at: x)
    }
    func roundingScale(at x: [Double]) -> Double { 4 }
}

/// Evaluates a fixed list of points, in order, until the budget ends.
struct ScriptedOptimizer: ContinuousOptimizer {
    static let name = "scripted"
    static let summary = "evaluates a fixed list of points"
    static let parameterSpecs: [ParameterSpec] = []
    var points: [[Double]] = []
    init(parameters: ParameterValues) throws {}
    init(points: [[Double]]) { self.points = points }
    func minimize<L: ContinuousLandscape>(_ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256) -> StopReason {
        for p in points where !objective.isExhausted { _ = objective.value(at: p) }
        return .budget
    }
}

@Suite struct EscapeTests {
    let well = TiltedWell()

    func trap() -> TrialStart {
        let m0 = ReferenceQuench().run(well, from: [1.5])
        return TrialStart(trapPoint: m0.point, trapValue: m0.value, point: m0.point, trapped: true, quenches: 1)
    }

    func run(_ points: [[Double]], budget: Double = 1000) -> TrialRecord {
        TrialRunner.run(well, ScriptedOptimizer(points: points),
                        settings: .init(budget: budget, tolerances: Tolerances(success: 0.01), successThreshold: nil,
                                        start: .localMin, gradCost: nil),
                        start: trap(), seed: 1)
    }

    @Test func trapIsTheShallowWell() {
        let t = trap()
        #expect(t.trapPoint[0] > 0.9 && t.trapPoint[0] < 1)
    }

    /// Every point of the trap's basin (x between the barrier top and the wall) has f ≥ f(m0):
    /// however densely an optimizer searches it, no escape is recorded.
    @Test func escapeNeverReportedInsideTrapBasin() {
        // The barrier top solves 4x(x² − 1) + 0.3 = 0 near x = 0.0751; stay right of it.
        let points = (0..<1000).map { [0.08 + 1.92 * Double($0) / 999] }
        let record = run(points)
        #expect(!record.escaped)
        #expect(record.evalsToEscape == nil)
        #expect(record.bestValue >= record.trapValue)
        #expect(record.evaluations == 1000)
    }

    @Test func escapeRecordedAtTheFirstPointInADeeperBasin() {
        let record = run([[0.5], [0.2], [-1.0], [-0.9]])
        #expect(record.escaped)
        #expect(record.evalsToEscape == 3)
        #expect(record.bestValue < record.trapValue)
    }

    /// The quench stops at a small gradient, so the exact bottom of the trap lies a hair below
    /// f(m0). Reaching it is not an escape: escape needs f < f(m0) − δ, and δ covers that hair.
    @Test func reachingTheExactBottomOfTheTrapIsNoEscape() {
        var x = trap().trapPoint[0]
        for _ in 0..<50 { x -= (4 * x * (x * x - 1) + 0.3) / (12 * x * x - 4) }  // Newton on V' = 0
        let record = run([[x]])
        #expect(well.value(at: [x]) <= record.trapValue)
        #expect(!record.escaped)
    }

    @Test func nonFiniteValueFailsTheTrialWithItsPoint() {
        struct NaNAtZero: ContinuousLandscape {
            var dimension: Int { 1 }
            var domain: Box { Box(cube: -1, 1, dimension: 1) }
            var optimum: KnownOptimum { .unknown }
            var gradCost: Double { 1 }
            func value(at x: [Double]) -> Double { x[0] == 0 ? .nan : x[0] * x[0] }
            func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double { gradient[0] = 2 * x[0]; return value(at: x) }
            func roundingScale(at x: [Double]) -> Double { 1 }
        }
        let record = TrialRunner.run(NaNAtZero(), ScriptedOptimizer(points: [[0.5], [0], [0.1]]),
                                     settings: .init(budget: 10, tolerances: Tolerances(success: 0.01), successThreshold: nil,
                                                     start: .localMin, gradCost: nil),
                                     start: TrialStart(trapPoint: [0.5], trapValue: 0.25, point: [0.5], trapped: true, quenches: 1),
                                     seed: 1)
        #expect(record.stopReason == "failed")
        #expect(record.failure.contains("nan"))
        #expect(!record.escaped)
        #expect(record.evaluations == 2)  // the NaN evaluation was spent; the third point never ran
    }

    @Test func outOfDomainPointFailsTheTrial() {
        let record = run([[0.5], [2.5]])
        #expect(record.stopReason == "failed")
        #expect(record.failure.contains("outside the domain"))
    }
}
