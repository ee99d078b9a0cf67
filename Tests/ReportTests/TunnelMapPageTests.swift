import Foundation
import Testing
@testable import Harness
@testable import Report

@Suite struct TunnelMapPageTests {
    @Test func pageAndFigureAreWellFormed() throws {
        let result = try TunnelMap.run(TunnelMapPlan(heights: [1], widths: [1], dimension: 1, trials: 6, budget: 200,
                                                     candidate: "sa", classical: ["gd"], seed: 1, threads: 2))
        let figure = TunnelMapPage.figure(result)
        #expect(XMLCheck.parse(figure).ok)
        let html = TunnelMapPage.html(result, figure: figure)
        #expect(html.contains("All methods run with their documented defaults"))
        #expect(!html.contains("<script"))
    }
}
