import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

@Suite struct TeacherStudentProtocolTests {
    /// Safran & Shamir's protocol: Xavier start, plain gradient descent with a fixed step until
    /// the gradient norm falls below a tolerance, then the end point is global (F < 1e-3: success)
    /// or spurious. k = n = 6; η = 0.1 is below 2/λ_max (λ_max of ∇²F at W = V is about n/2 + ½);
    /// the budget is far above the ≈ 2,500 gradient steps the run needs, so every trial stops as
    /// `converged` and gets a verdict.
    @Test func publishedProtocolConvergesAndClassifiesEveryTrial() throws {
        var spec = LandscapeSpec(name: "teacher-student", family: "teacher-student")
        spec.parameters = ["teacher-units": "6", "student-units": "6"]
        let landscape = try ResolvedLandscape(spec, overrides: SpecOverrides(trials: 8, budget: 1e6, start: .initialization))
        #expect(landscape.dimension == 36)
        let gd = try OptimizerEntry(name: "gd", overrides: ["learning-rate": "0.1", "gradient-tolerance": "1e-6"])
        let records = try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: [gd], masterSeed: 1, threads: 2))
        #expect(records.count == 8)
        for record in records {
            #expect(record.stopReason == StopReason.converged.rawValue, "trial \(record.trial): \(record.stopReason) \(record.failure)")
            #expect(record.success != nil)
            // The verdict agrees with the end point's value: global iff F < 1e-3.
            #expect(record.success == (record.bestValue <= 1e-3))
        }
    }

    /// `init` on a family without an initialization is refused, naming the families that have one.
    @Test func initStartOnFamilyWithoutInitializationNamesFamiliesWithOne() {
        let error = #expect(throws: HarnessError.self) {
            try ResolvedLandscape(LandscapeSpec(name: "rastrigin", family: "rastrigin"),
                                  overrides: SpecOverrides(start: .initialization))
        }
        #expect(error?.description.contains("teacher-student") == true)
    }

    /// The dimension follows from k and n when not given; a wrong --dimension names the right one.
    @Test func dimensionDefaultsToNTimesKAndAWrongOneNamesIt() throws {
        var spec = LandscapeSpec(name: "ts", family: "teacher-student")
        spec.parameters = ["teacher-units": "4", "student-units": "5"]
        #expect(try ResolvedLandscape(spec).dimension == 20)
        let error = #expect(throws: LandscapeError.self) { try ResolvedLandscape(spec, overrides: SpecOverrides(dimension: 10)) }
        #expect(error?.description.contains("= 20") == true)
    }
}
