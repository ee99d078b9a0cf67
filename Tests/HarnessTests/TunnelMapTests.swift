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
            #expect(TunnelMap.bestClassical(selection, order: ["gd", "random-search"])?.optimizer == c.bestClassical)
        }
    }

    /// A synthetic selection result: `escaped` of 10 trapped trials, `successes` of 10 trials.
    func cell(_ optimizer: String, escaped: Int, successes: Int?, medianEvals: Double?, seconds: Double) -> TunnelCellResult {
        TunnelCellResult(height: 1, width: 1, optimizer: optimizer, phase: "selection",
                         escape: Proportion(successes: escaped, trials: 10), trapped: 10, escaped: escaped,
                         success: successes.flatMap { Proportion(successes: $0, trials: 10) }, escapeEvalsMedian: medianEvals,
                         secondsPerTrial: seconds)
    }

    /// The timings a tie could be broken by: every method fastest in turn, and all equal.
    static let timings: [[Double]] = [[0.1, 5, 9], [5, 0.1, 9], [9, 5, 0.1], [1, 1, 1]]

    /// Each rule of the documented order decides when the ones before it tie, whatever the wall
    /// times: escape rate first, then success rate, then median evaluations to escape, then the
    /// `--classical` order. The expected winner is written out by hand for each case.
    @Test(arguments: timings)
    func bestClassicalBreaksTiesByOutcomesThenListOrderNeverByTime(seconds: [Double]) {
        let order = ["sa", "pt", "adam"]
        // 1. A higher escape rate wins, even listed last.
        let byEscape = [cell("sa", escaped: 5, successes: 9, medianEvals: 10, seconds: seconds[0]),
                        cell("pt", escaped: 5, successes: 9, medianEvals: 10, seconds: seconds[1]),
                        cell("adam", escaped: 6, successes: 0, medianEvals: 900, seconds: seconds[2])]
        #expect(TunnelMap.bestClassical(byEscape, order: order)?.optimizer == "adam")
        // 2. Escape tied: the higher success rate.
        let bySuccess = [cell("sa", escaped: 5, successes: 3, medianEvals: 10, seconds: seconds[0]),
                         cell("pt", escaped: 5, successes: 4, medianEvals: 900, seconds: seconds[1]),
                         cell("adam", escaped: 5, successes: nil, medianEvals: 1, seconds: seconds[2])]
        #expect(TunnelMap.bestClassical(bySuccess, order: order)?.optimizer == "pt")
        // 3. Both tied: the lower median evaluations to escape (never escaping ranks last).
        let byEvals = [cell("sa", escaped: 5, successes: 4, medianEvals: 700, seconds: seconds[0]),
                       cell("pt", escaped: 5, successes: 4, medianEvals: 800, seconds: seconds[1]),
                       cell("adam", escaped: 5, successes: 4, medianEvals: 300, seconds: seconds[2])]
        #expect(TunnelMap.bestClassical(byEvals, order: order)?.optimizer == "adam")
        let neverEscaped = [cell("sa", escaped: 0, successes: 0, medianEvals: nil, seconds: seconds[0]),
                            cell("pt", escaped: 0, successes: 0, medianEvals: nil, seconds: seconds[1]),
                            cell("adam", escaped: 0, successes: 0, medianEvals: nil, seconds: seconds[2])]
        // 4. All tied: the first listed, in whatever order the results arrive.
        #expect(TunnelMap.bestClassical(neverEscaped, order: order)?.optimizer == "sa")
        #expect(TunnelMap.bestClassical(neverEscaped, order: ["adam", "sa", "pt"])?.optimizer == "adam")
        #expect(TunnelMap.bestClassical(neverEscaped.reversed(), order: ["pt", "adam", "sa"])?.optimizer == "pt")
        #expect(TunnelMap.bestClassical([], order: order) == nil)
    }

    /// End to end on a real tie: gd and momentum start at a quenched non-global minimum, where
    /// the gradient vanishes, so neither escapes nor succeeds in any trial. The map must then pick
    /// whichever is listed first in `classical`, in both orders (a rule that looked at wall time
    /// would pick the same, faster, method in both).
    @Test func tiedClassicalMethodsArePickedInListedOrder() throws {
        for classical in [["gd", "momentum"], ["momentum", "gd"]] {
            let result = try TunnelMap.run(TunnelMapPlan(heights: [4], widths: [1], dimension: 1, trials: 8, budget: 200,
                                                         candidate: "sa", classical: classical, seed: 2, threads: 2))
            let selection = result.cells.filter { $0.phase == "selection" && $0.optimizer != "sa" }
            // The tie is real: both rates are 0 over the same trials.
            #expect(selection.count == 2 && selection.allSatisfy { $0.trapped == 8 && $0.escaped == 0 && $0.success?.rate == 0 })
            #expect(result.comparisons.map(\.bestClassical) == [classical[0]])
        }
    }
}
