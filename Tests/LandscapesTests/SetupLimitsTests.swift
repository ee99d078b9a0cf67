import Foundation
import Testing
@testable import Landscapes

// Setup work a run does outside its budget (building an instance, the reference quench) is bounded
// by documented limits: refused one past the limit, before anything is allocated, and accepted at
// it. Builds at the limit that take more than a moment in a debug build are tagged `.release`.

extension Tag {
    /// Tests too slow for a debug build; they run in a release build (`.ci/run`).
    @Tag static var release: Self
}

/// The family parameter `name` of `specs` accepts `accepted` and refuses `refused` (the range a
/// user sees in `bench list` and in the refusal).
func expectRange(_ specs: [ParameterSpec], _ name: String, accepts accepted: Int, refuses refused: Int) {
    let spec = specs.first { $0.name == name }!
    #expect(spec.parse(String(accepted)) == Double(accepted))
    #expect(spec.parse(String(refused)) == nil)
}

@Suite struct IsingSizeLimitTests {
    @Test func familySizeParametersStopAtTheirDocumentedLimits() {
        expectRange(LandscapeFamily.sk.parameters, "size", accepts: 1024, refuses: 1025)
        expectRange(LandscapeFamily.ea2d.parameters, "side", accepts: 512, refuses: 513)
        expectRange(LandscapeFamily.ea3d.parameters, "side", accepts: 64, refuses: 65)
        expectRange(LandscapeFamily.regular.parameters, "size", accepts: 262_144, refuses: 262_145)
        expectRange(LandscapeFamily.ferroRing.parameters, "size", accepts: 262_144, refuses: 262_145)
        expectRange(LandscapeFamily.planted.parameters, "side", accepts: 512, refuses: 513)
    }

    /// side 2^31 would need 2^62 spins: the refusal must come before any allocation.
    @Test func plantedSideAboveTheLimitIsRefusedBeforeAllocating() {
        #expect(throws: IsingModelError("planted side 2147483648 is above the limit of 512")) {
            try IsingModel.plantedLoops(side: 1 << 31, loopDensity: 0.5, maxCoupling: 3, seed: 1)
        }
    }

    /// round(α·512²) = 2¹⁸ + 1 loops is refused at once (building 2¹⁸ loops takes seconds).
    @Test func plantedLoopCountAboveTheLimitIsRefusedBeforeDrawing() {
        let density = 262_145.0 / 262_144.0
        #expect(Int((density * 262_144).rounded()) == 262_145)
        #expect(throws: IsingModelError("planted loop-density \(formatReal(density)) at side 512 asks for 262145 loops, "
            + "above the limit of 262144 (loop-density × side² ≤ 262144)")) {
            try IsingModel.plantedLoops(side: 512, loopDensity: density, maxCoupling: 3, seed: 1)
        }
    }

    /// 2¹⁸ loops exactly (α = 1 at side 512) is accepted and places every loop.
    @Test(.tags(.release)) func plantedLoopCountAtTheLimitIsAccepted() throws {
        let density = 1.0
        let model = try IsingModel.plantedLoops(side: 512, loopDensity: density, maxCoupling: 1000, seed: 1)
        #expect(model.size == 262_144)
        #expect(abs(model.energy(model.groundState!) - model.optimum.value!) <= 1e-9 * abs(model.optimum.value!))
    }

    /// N·k = 2^18·64 stubs would be 16 M points: refused before they are allocated.
    @Test func randomRegularAboveTheStubLimitIsRefusedBeforeAllocating() {
        #expect(throws: IsingModelError("regular size × degree = 1000002 is above the limit of 1000000")) {
            try IsingModel.randomRegular(size: 166_667, degree: 6, seed: 1)
        }
        #expect(throws: IsingModelError.self) { try IsingModel.randomRegular(size: 262_144, degree: 64, seed: 1) }
    }

    @Test(.tags(.release)) func randomRegularAtTheStubLimitIsAccepted() throws {
        let model = try IsingModel.randomRegular(size: 250_000, degree: 4, seed: 1)
        #expect(model.edgeCount == 500_000)
    }

    @Test(.tags(.release)) func largestLatticesAndSkAreBuilt() throws {
        #expect(try IsingModel.edwardsAnderson(side: 512, dimensions: 2, gaussian: false, seed: 1).edgeCount == 2 * 262_144)
        #expect(try IsingModel.edwardsAnderson(side: 64, dimensions: 3, gaussian: false, seed: 1).edgeCount == 3 * 262_144)
        #expect(try IsingModel.sherringtonKirkpatrick(size: 1024, gaussian: false, seed: 1).edgeCount == 1024 * 1023 / 2)
    }
}

@Suite struct NetworkWorkLimitTests {
    func mlp(_ overrides: [String: String]) throws -> any ContinuousLandscape {
        let family = LandscapeFamily.multilayerPerceptron
        let p = try ParameterValues(specs: family.parameters, overrides: overrides, owner: "mlp")
        return try family.continuousInstance(dimension: family.impliedDimension!(p).value, instance: 1, parameters: p)
    }

    /// 2 → 8 → 2 has 8·3 + 2·9 = 42 weights: 1190 samples are 49 980 ≤ 50 000, 1191 are 50 022.
    @Test func mlpSamplesTimesWeightsStopsAtTheLimit() throws {
        #expect(8 * 3 + 2 * 9 == 42 && 1190 * 42 <= 50_000 && 1191 * 42 > 50_000)
        let atLimit = try mlp(["samples": "1190"])
        #expect(atLimit.evaluationWork == 1190 * 42)
        #expect(throws: LandscapeError.invalidParameters(
            family: "mlp", reason: "samples × weights = 1191 × 42 is above the limit of 50000 (fewer samples, a narrower or shallower network)")) {
            try mlp(["samples": "1191"])
        }
    }

    /// 2 → 999 → 2 has 999·3 + 2·1000 = 4997 weights; 2 → 1000 → 2 has 5002.
    @Test func mlpWeightsStopAtTheLimit() throws {
        #expect(try mlp(["samples": "10", "hidden-width": "999"]).dimension == 4997)
        #expect(throws: LandscapeError.invalidParameters(
            family: "mlp", reason: "5002 weights is above the limit of 5000 (a narrower or shallower network)")) {
            try mlp(["samples": "10", "hidden-width": "1000"])
        }
    }

    /// 10⁶ samples through a 20-layer network of width 1000 (19 M weights) would allocate and
    /// evaluate for hours: refused before the dataset is drawn.
    @Test func mlpAtTheParameterMaximaIsRefusedBeforeDrawingTheData() throws {
        let family = LandscapeFamily.multilayerPerceptron
        let p = try ParameterValues(specs: family.parameters,
                                    overrides: ["samples": "1000000", "hidden-width": "1000", "hidden-layers": "20"], owner: "mlp")
        #expect(throws: LandscapeError.self) {
            try family.continuousInstance(dimension: family.impliedDimension!(p).value, instance: 1, parameters: p)
        }
    }

    func teacherStudent(k: Int, n: Int) throws -> any ContinuousLandscape {
        let family = LandscapeFamily.teacherStudent
        let p = try ParameterValues(specs: family.parameters,
                                    overrides: ["teacher-units": String(k), "student-units": String(n)], owner: "teacher-student")
        return try family.continuousInstance(dimension: n * k, instance: 1, parameters: p)
    }

    /// n·(n + k)·k: 61·81·20 = 98 820 is accepted, 62·82·20 = 101 680 refused.
    @Test func teacherStudentWorkStopsAtTheLimit() throws {
        #expect(try teacherStudent(k: 20, n: 61).evaluationWork == 61 * 81 * 20)
        #expect(throws: LandscapeError.invalidParameters(
            family: "teacher-student",
            reason: "student-units × (student-units + teacher-units) × teacher-units = 62 × 82 × 20 is above the limit of 100000")) {
            try teacherStudent(k: 20, n: 62)
        }
    }

    func gaussianMixture(wells: Int, dimension: Int) throws -> any ContinuousLandscape {
        let family = LandscapeFamily.gaussianMixture
        let p = try ParameterValues(specs: family.parameters, overrides: ["wells": String(wells)], owner: "gaussian-mixture")
        return try family.continuousInstance(dimension: dimension, instance: 1, parameters: p)
    }

    @Test func gaussianMixtureWellsTimesDimensionAboveTheLimitIsRefused() {
        #expect(throws: LandscapeError.invalidParameters(
            family: "gaussian-mixture", reason: "wells × dimension = 11 × 91 is above the limit of 1000")) {
            try gaussianMixture(wells: 11, dimension: 91)
        }
        #expect(throws: LandscapeError.self) { try gaussianMixture(wells: 100, dimension: 100) }
        expectRange(LandscapeFamily.gaussianMixture.parameters, "wells", accepts: 100, refuses: 101)
    }

    @Test(.tags(.release)) func gaussianMixtureAtTheLimitIsBuiltWithAConvergedOptimum() throws {
        for (wells, d) in [(100, 10), (10, 100)] {
            let landscape = try gaussianMixture(wells: wells, dimension: d)
            #expect(landscape.evaluationWork == 1000)
            let x = landscape.optimum.points[0]
            var g = [Double](repeating: 0, count: d)
            _ = landscape.valueAndGradient(at: x, gradient: &g)
            #expect(ReferenceQuench.projectedGradientNorm(x: x, gradient: g, box: landscape.domain) <= 1e-7)
        }
    }
}

/// Counts value-and-gradient calls, independently of the quench's own count.
final class CallCounter: @unchecked Sendable { var calls = 0 }

/// A landscape whose evaluations each count as `work` units: a quadratic bowl with its minimum at
/// the box centre.
struct CostlyBowl: ContinuousLandscape {
    var dimension: Int
    var work: Double
    var counter = CallCounter()
    var domain: Box { Box(cube: -1, 1, dimension: dimension) }
    var optimum: KnownOptimum { .unknown }
    var gradCost: Double { 1 }
    var evaluationWork: Double { work }
    func value(at x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 } }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        counter.calls += 1
        for i in x.indices { gradient[i] = 2 * x[i] }
        return value(at: x)
    }
}

@Suite struct QuenchWorkLimitTests {
    /// Evaluations are counted by the landscape itself, not by the quench under test.
    @Test func quenchStopsUnconvergedAtItsWorkLimitAndIsUnchangedWithinIt() {
        let bowl = CostlyBowl(dimension: 3, work: 1000)
        let start = [0.9, -0.7, 0.5]
        let free = ReferenceQuench(workLimit: .infinity).run(bowl, from: start)
        #expect(free.converged)
        let calls = bowl.counter.calls
        #expect(calls > 2 && free.evaluations == calls)
        let needed = Double(calls) * 1000
        // At exactly the work it needs: the same end point, bit for bit.
        let atLimit = ReferenceQuench(workLimit: needed).run(bowl, from: start)
        #expect(atLimit.converged && atLimit.point == free.point && atLimit.evaluations == free.evaluations)
        // One evaluation less: it stops short, unconverged, within the limit.
        bowl.counter.calls = 0
        let short = ReferenceQuench(workLimit: needed - 1000).run(bowl, from: start)
        #expect(!short.converged)
        #expect(Double(bowl.counter.calls) * 1000 <= needed - 1000)
    }

    @Test func defaultWorkLimitIsAHundredMillionUnits() {
        #expect(ReferenceQuench().workLimit == 1e8)
    }
}
