import Landscapes
import Testing
@testable import Optimizers

@Suite struct DifferentialEvolutionTests {
    /// On f ≡ 0 every population has converged at once (std 0 ≤ 0.01·|0|): the run is the start,
    /// the M − 1 other members of the first Latin hypercube, one polish call, then whole fresh
    /// hypercubes of M members, each with every coordinate in each of the M segments once.
    @Test func populationsAreLatinHypercubesAndTheStartComesFirst() throws {
        let d = 3, m = 15 * d
        let box = Box(lower: [-1, 0, 10], upper: [3, 0.5, 1000])
        let landscape = Recording(base: Flat(domain: box))
        var objective = plainObjective(landscape, budget: Double(3 * m + 10))
        let start = [2.5, 0.1, 500]
        _ = run(try makeContinuousOptimizer("differential-evolution"), &objective, from: start, seed: 3)
        #expect(objective.failure == nil)
        let points = landscape.log.points
        #expect(points[0] == start)
        func segments(_ members: ArraySlice<[Double]>, _ j: Int) -> [Int] {
            members.map { Int(((($0[j] - box.lower[j]) / (box.upper[j] - box.lower[j])) * Double(m)).rounded(.down)) }.sorted()
        }
        // First population: members 1..<M fill M − 1 distinct segments (member 0 is the start).
        for j in 0..<d { #expect(Set(segments(points[1..<m], j)).count == m - 1) }
        // points[m] is the polish's one call, from the best member: with every value 0, the first
        // (the start); its gradient is 0, so it stops there. Then a full hypercube.
        #expect(points[m] == start && objective.gradientEvaluations >= 1)
        let second = points[(m + 1)..<(2 * m + 1)]
        for j in 0..<d { #expect(segments(second, j) == Array(0..<m), "coordinate \(j)") }
    }

    /// A bowl whose centre is off the start is found to L-BFGS-B's precision, within the budget
    /// (the last call may pass it by its own cost at most), and the same seed gives the same run.
    @Test func theBowlsMinimumIsFoundAndRunsRepeat() throws {
        let box = Box(cube: -5, 5, dimension: 4)
        let bowl = Bowl(domain: box, centre: [1.25, -3.5, 0.1, 4.75])
        func once() throws -> (Double, Double) {
            var objective = plainObjective(bowl, budget: 6000)
            _ = run(try makeContinuousOptimizer("differential-evolution"), &objective, from: [-4, 4, -4, 4], seed: 11)
            #expect(objective.failure == nil && objective.spent <= 6000 + 2)
            return (objective.bestValue, objective.spent)
        }
        let first = try once(), second = try once()
        #expect(first.0 <= 1e-10, "best \(first.0)")
        #expect(first == second)
    }

    @Test func aMutationRangeTheWrongWayRoundIsRefused() {
        #expect(throws: OptimizerError.self) {
            _ = try makeContinuousOptimizer("differential-evolution", overrides: ["mutation-low": "0.9", "mutation-high": "0.6"])
        }
    }
}
