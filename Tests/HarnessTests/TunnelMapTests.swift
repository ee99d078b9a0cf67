import Foundation
import Testing
@testable import Harness

@Suite struct TunnelMapTests {
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
        // Each p is the exact two-sided McNemar value of its own counts (exact integer sums), and
        // the adjustment is Holm's procedure across the cells (run literally, by brute force).
        for c in result.comparisons {
            #expect(c.p == PairedReference.mcNemarTwoSided(c.classicalOnly, c.candidateOnly))
        }
        #expect(result.comparisons.map(\.adjustedP) == PairedReference.bruteForceHolm(result.comparisons.map(\.p)))
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
