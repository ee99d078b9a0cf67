import Testing
@testable import Harness
import Landscapes

/// The quenches of one trial's start share one setup limit: a start protocol that cannot be
/// satisfied stops at the limit with one line naming it, instead of running a thousand quenches.
@Suite struct StartSetupLimitTests {
    /// Sphere has no non-global minimum, so `local-min` can never succeed; with a limit of 2000
    /// units at d = 10 (200 evaluations) it gives up after the first quench or two.
    @Test func localMinStartStopsAtTheSetupLimitAndNamesIt() throws {
        let landscape = try ResolvedLandscape(LandscapeSpec(name: "sphere", family: "sphere"),
                                              overrides: SpecOverrides(dimension: 10, trials: 1, budget: 100, start: .localMin))
        #expect(throws: HarnessError.self) {
            try landscape.drawStart(seed: 1, workLimit: 2000)
        }
        do {
            _ = try landscape.drawStart(seed: 1, workLimit: 2000)
        } catch let error as HarnessError {
            #expect(error.description.hasPrefix("sphere: start 'local-min' reached the setup limit of 2000 work units after "))
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
