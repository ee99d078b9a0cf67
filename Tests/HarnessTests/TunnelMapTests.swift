import Foundation
import Testing
@testable import Harness

@Suite struct TunnelMapTests {
    /// Two-sided exact McNemar: b = 0, c = 6 gives 2·2^−6; a balanced split gives 1 (capped).
    @Test func twoSidedMcNemarMatchesHandValues() {
        #expect(abs(TunnelMap.mcNemarTwoSided(0, 6) - 2 * pow(2, -6)) < 1e-15)
        #expect(abs(TunnelMap.mcNemarTwoSided(9, 1) - 2 * 11.0 / 1024) < 1e-14)
        #expect(TunnelMap.mcNemarTwoSided(3, 3) == 1)
        #expect(TunnelMap.mcNemarTwoSided(0, 0) == 1)
    }

    func smallPlan() -> TunnelMapPlan {
        TunnelMapPlan(heights: [1, 4], widths: [0.5, 1], dimension: 1, trials: 12, budget: 400, candidate: "sa",
                      classical: ["gd", "random-search"], seed: 3, threads: 2)
    }

    @Test func everyCellHasASelectionAComparisonAndAHolmAdjustedTest() throws {
        let result = try TunnelMap.run(smallPlan())
        #expect(result.comparisons.count == 4)
        // Selection: 3 methods per cell; comparison: the chosen classical method and the candidate.
        #expect(result.cells.filter { $0.phase == "selection" }.count == 4 * 3)
        #expect(result.cells.filter { $0.phase == "comparison" }.count == 4 * 2)
        // Holm's adjusted p-values are defined by his step-down procedure: adjusted p_i ≤ α exactly
        // when the procedure at level α rejects hypothesis i. Checked on a grid of levels against
        // the procedure written out here (not against the adjustment the code computes).
        let p = result.comparisons.map(\.p)
        for step in 0..<400 {
            let alpha = pow(10, -6 + 6 * (Double(step) + 0.5) / 400)
            let rejected = holmStepDownRejects(p, alpha: alpha)
            for (i, c) in result.comparisons.enumerated() {
                #expect((c.adjustedP <= alpha) == rejected[i], "α = \(alpha): p = \(p), adjusted \(c.adjustedP)")
            }
        }
        for c in result.comparisons {
            #expect(["gd", "random-search"].contains(c.bestClassical))
            #expect(c.significant == (c.adjustedP <= 0.05))
        }
        #expect(TunnelMap.cellsCSV(result).split(separator: "\n").count == 1 + 12 + 8)
    }

    /// The chosen classical method is the selection run's best, and the comparison reruns it on
    /// other seeds (its comparison counts may differ from its selection counts).
    @Test func bestClassicalIsChosenOnTheSelectionRun() throws {
        let result = try TunnelMap.run(smallPlan())
        for c in result.comparisons {
            let selection = result.cells.filter { $0.height == c.height && $0.width == c.width && $0.phase == "selection"
                && $0.optimizer != "sa" }
            let bestRate = selection.compactMap { $0.escape?.rate }.max()
            #expect(selection.first { $0.optimizer == c.bestClassical }?.escape?.rate == bestRate)
        }
    }

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

/// Holm (1979): order the m p-values ascending; reject while p_(j) ≤ α/(m − j) (j = 0, 1, …) and stop
/// at the first that is not.
func holmStepDownRejects(_ p: [Double], alpha: Double) -> [Bool] {
    let order = p.indices.sorted { p[$0] < p[$1] }
    var rejected = [Bool](repeating: false, count: p.count)
    for (j, index) in order.enumerated() {
        guard p[index] <= alpha / Double(p.count - j) else { break }
        rejected[index] = true
    }
    return rejected
}
