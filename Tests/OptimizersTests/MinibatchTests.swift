import Testing
import Landscapes
@testable import Optimizers

/// f(x) = (1/N) Σ_s ½‖x − c_s‖² on [−2, 2]^2: a training loss with N data. With `lyingMinibatches`
/// its minibatch value is −10⁹ (the gradient stays honest), which must never reach the incumbent.
struct MeanOfQuadratics: ContinuousLandscape {
    var centres: [[Double]]
    var lyingMinibatches = false
    var dimension: Int { 2 }
    var domain: Box { Box(cube: -2, 2, dimension: 2) }
    var optimum: KnownOptimum { .unknown }
    var gradCost: Double { 2 }
    var dataCount: Int { centres.count }

    func value(at x: [Double]) -> Double {
        var g = [0.0, 0.0]
        return minibatchValueAndGradient(at: x, batch: Array(0..<centres.count)[...], gradient: &g)
    }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        let f = minibatchValueAndGradient(at: x, batch: Array(0..<centres.count)[...], gradient: &gradient)
        return lyingMinibatches ? value(at: x) : f
    }
    func minibatchValueAndGradient(at x: [Double], batch: ArraySlice<Int>, gradient: inout [Double]) -> Double {
        var f = 0.0
        gradient[0] = 0; gradient[1] = 0
        for s in batch {
            for i in 0..<2 {
                let r = x[i] - centres[s][i]
                f += 0.5 * r * r
                gradient[i] += r / Double(batch.count)
            }
        }
        return lyingMinibatches && batch.count < centres.count ? -1e9 : f / Double(batch.count)
    }

    static func make(count: Int, lying: Bool = false) -> MeanOfQuadratics {
        var rng = Xoshiro256(seed: 5)
        return MeanOfQuadratics(centres: (0..<count).map { _ in [rng.nextGaussian(), rng.nextGaussian()] }, lyingMinibatches: lying)
    }
}

@Suite struct MinibatchTests {
    static let optimizers = ["sgd", "adam"]

    /// docs/DESIGN.md's cost table: a minibatch gradient of size b over N data costs (b/N)·gradCost, a
    /// full evaluation 1; minibatch gradients are counted apart from full gradients (none here).
    /// Budget 50: b/N·gradCost = 10/40·2 = 0.5 per step. Exact in binary: every cost is a
    /// multiple of 1/2.
    @Test(arguments: optimizers)
    func minibatchGradientsAreChargedBOverNTimesGradCost(name: String) throws {
        let optimizer = try makeContinuousOptimizer(name, overrides: ["batch-size": "10", "full-evaluation-interval": "4",
                                                                   "initial-temperature": name == "sgd" ? "0.01" : nil].compactMapValues { $0 })
        var objective = plainObjective(MeanOfQuadratics.make(count: 40), budget: 50)
        _ = run(optimizer, &objective, from: [1.5, -1.5], seed: 3)
        #expect(objective.gradientEvaluations == 0)
        #expect(objective.minibatchGradientEvaluations > 0)
        #expect(objective.spent == Double(objective.evaluations) + 0.5 * Double(objective.minibatchGradientEvaluations))
        // A full evaluation before every 4 steps: ⌈m/4⌉ of them, one more if the last one ended the run.
        let m = objective.minibatchGradientEvaluations
        #expect(objective.evaluations == (m + 3) / 4 || objective.evaluations == (m + 3) / 4 + 1)
    }

    /// Only full evaluations update the incumbent: a landscape whose minibatch values are −10⁹
    /// ends with an incumbent that is a true value f(x) at its point.
    @Test(arguments: optimizers)
    func minibatchLossNeverUpdatesTheIncumbent(name: String) throws {
        let landscape = MeanOfQuadratics.make(count: 40, lying: true)
        let optimizer = try makeContinuousOptimizer(name, overrides: ["batch-size": "8"])
        var objective = plainObjective(landscape, budget: 200)
        _ = run(optimizer, &objective, from: [1.5, -1.5], seed: 4)
        #expect(objective.bestValue > -1e9)
        #expect(objective.bestValue == landscape.value(at: objective.bestPoint))
        // And the minibatch steps did descend: the incumbent is below the start's value.
        #expect(objective.bestValue < landscape.value(at: [1.5, -1.5]))
    }

    /// Within an epoch the batches are drawn without replacement: N/b consecutive batches cover
    /// every datum exactly once.
    @Test func batchesOfAnEpochPartitionTheData() throws {
        let landscape = MeanOfQuadratics.make(count: 30)
        var batches = try #require(Minibatches(dataCount: 30, batchSize: 6, fullEvaluationInterval: 1000))
        var objective = plainObjective(landscape, budget: 1e9)
        var rng = Xoshiro256(seed: 8)
        var g = [0.0, 0.0]
        for _ in 0..<3 {
            var seen = [Int]()
            for _ in 0..<5 {
                batches.gradient(&objective, at: [0, 0], into: &g, using: &rng)
                seen += batches.order[(batches.position - 6)..<batches.position]
            }
            #expect(seen.sorted() == Array(0..<30))
        }
    }

    /// On landscapes without data `batch-size` changes nothing: same trajectory, same record.
    @Test(arguments: optimizers)
    func batchSizeIsIgnoredWithoutData(name: String) throws {
        func record(_ overrides: [String: String]) throws -> (Double, Double, Int) {
            var objective = plainObjective(DoubleWell1D(), budget: 500)
            _ = run(try makeContinuousOptimizer(name, overrides: overrides), &objective, from: [0.9], seed: 6)
            return (objective.bestValue, objective.spent, objective.gradientEvaluations)
        }
        let plain = try record([:]), batched = try record(["batch-size": "16"])
        #expect(plain == batched)
    }
}
