import Testing
@testable import Harness
import Landscapes

/// The quenches of one trial's start share one setup limit: a start protocol that cannot be
/// satisfied stops at the limit with one line naming it, instead of running a thousand quenches.
@Suite struct StartSetupLimitTests {
    /// A quench on rastrigin in d = 10 needs more than 2 evaluations to converge, so with a
    /// limit of 20 units (2 evaluations at d = 10) a `local-min` start stops at the limit.
    @Test func localMinStartStopsAtTheSetupLimitAndNamesIt() throws {
        let landscape = try ResolvedLandscape(LandscapeSpec(name: "rastrigin", family: "rastrigin"),
                                              overrides: SpecOverrides(dimension: 10, trials: 1, budget: 100, start: .localMin))
        #expect(throws: HarnessError.self) {
            try landscape.drawStart(seed: 1, workLimit: 20)
        }
        do {
            _ = try landscape.drawStart(seed: 1, workLimit: 20)
        } catch let error as HarnessError {
            #expect(error.description.hasPrefix("rastrigin: start 'local-min' reached the setup limit of 20 work units after "))
            #expect(!error.description.contains("\n"))
        }
    }

    /// Within the limit the start is the one drawn without any limit.
    @Test func startSetupLimitIsFiveHundredMillionUnits() {
        #expect(ResolvedLandscape.startWorkLimit == 5e8)
    }

    @Test func startWithinTheSetupLimitIsUnchanged() throws {
        let landscape = try ResolvedLandscape(LandscapeSpec(name: "rastrigin", family: "rastrigin"),
                                              overrides: SpecOverrides(dimension: 5, trials: 1, budget: 100, start: .basin))
        let free = try landscape.drawStart(seed: 3, quench: ReferenceQuench(workLimit: .infinity), workLimit: .infinity)
        let limited = try landscape.drawStart(seed: 3)
        #expect(free.point == limited.point && free.trapPoint == limited.trapPoint && free.quenches == limited.quenches)
    }
}
