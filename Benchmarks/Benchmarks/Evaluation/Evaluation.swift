import Benchmark
import Harness
import Landscapes
import Optimizers

// Evaluations per second of Rastrigin d = 10, instance 1, along the paths a run can take:
//
// - `rastrigin-d10-bare`: `Shifted<Rastrigin>.value(at:)` on the concrete type, no counting.
// - `rastrigin-d10-objective`: the same points through `Objective<Shifted<Rastrigin>>.value(at:)`, called
//   where the compiler knows the landscape type.
// - `random-search-d10-bare-loop`: random search written out directly on `Shifted<Rastrigin>` (uniform point,
//   value, keep the best), the floor for the harness path below.
// - `sa-move-rastrigin-d10`, `piqa-bead-move-rastrigin-d10`: 20 000 Metropolis moves of an `sa`
//   walker and of a `piqa` ring polymer's single beads, on the concrete types.
// - `random-search-d10-harness`, `sa-rastrigin-d10`, `piqa-rastrigin-d10`,
//   `differential-evolution-rastrigin-d10`, `dual-annealing-rastrigin-d10`, `cma-es-rastrigin-d10`:
//   one whole trial through `TrialRunner.run`, which is what `bench run` executes: the landscape
//   and the optimizer are existentials there. A trial's time per budget unit minus the bare
//   evaluation's is the method's own time per evaluation.
//
// Every benchmark iteration performs `evaluationsPerIteration` value evaluations, so the wall
// clock time per iteration divided by that number is the time per evaluation, and throughput
// (iterations/s, scaled by 1000 in the table: `--scale` shows the raw figure) times
// `evaluationsPerIteration` is evaluations per second.

/// Value evaluations per benchmark iteration: a whole default-budget trial at d = 10 (2000·d).
let evaluationsPerIteration = 20_000
let dimension = 10

/// Rastrigin d = 10, instance 1 (a shifted instance), built the way `bench run` builds it.
func rastriginInstance() -> ResolvedLandscape {
    var spec = LandscapeSpec(name: "rastrigin", family: "rastrigin")
    spec.instance = 1
    // budget − 1: the harness re-evaluates the incumbent once after the optimizer returns.
    let overrides = SpecOverrides(dimension: dimension, budget: Double(evaluationsPerIteration - 1), instance: 1)
    do {
        return try ResolvedLandscape(spec, overrides: overrides)
    } catch {
        fatalError("cannot build rastrigin d=\(dimension): \(error)")
    }
}

/// A fixed set of points inside the box that the loops cycle through, so no call can be hoisted
/// out of a loop as a constant.
func rotatingPoints(in box: Box, count: Int) -> [[Double]] {
    var rng = Xoshiro256(seed: 0x5EED)
    return (0..<count).map { _ in
        (0..<box.dimension).map { i in box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUnit() }
    }
}

var configuration: Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 1_000)
}

let benchmarks: @Sendable () -> Void = {
    let resolved = rastriginInstance()
    guard case .continuous(let landscape) = resolved.landscape, let rastrigin = landscape as? Shifted<Rastrigin> else {
        fatalError("the rastrigin family did not build a Shifted<Rastrigin>")
    }
    let points = rotatingPoints(in: rastrigin.domain, count: 64)

    Benchmark("rastrigin-d10-bare", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var sum = 0.0
            for k in 0..<evaluationsPerIteration {
                sum += rastrigin.value(at: points[k & 63])
            }
            blackHole(sum)
        }
    }

    Benchmark("rastrigin-d10-objective", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var objective = Objective(landscape: rastrigin, budget: Double(evaluationsPerIteration),
                                      escapeThreshold: -.infinity, successThreshold: nil)
            var sum = 0.0
            for k in 0..<evaluationsPerIteration {
                sum += objective.value(at: points[k & 63])
            }
            blackHole(sum)
            blackHole(objective.bestValue)
        }
    }

    Benchmark("random-search-d10-bare-loop", configuration: configuration) { benchmark in
        let box = rastrigin.domain
        for iteration in benchmark.scaledIterations {
            var rng = Xoshiro256(seed: UInt64(iteration))
            var x = points[0]
            var best = Double.infinity
            for _ in 0..<evaluationsPerIteration {
                for i in 0..<x.count {
                    x[i] = Swift.min(box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUnit(), box.upper[i])
                }
                best = Swift.min(best, rastrigin.value(at: x))
            }
            blackHole(best)
        }
    }

    // One move of each Metropolis walker on the concrete types, side by side: an `sa` move
    // (MetropolisSampler.step) and a `piqa` single-bead move (RingPolymerSampler.beadMove, P = 8),
    // adaptation on, 20 000 moves (= evaluations) per iteration. A bead sees V/P, so it samples at
    // P·T: the polymer runs at T = 1/P so that each bead, like the sa walker at T = 1, visits the same
    // kind of region. That matters for the comparison: glibc's cos costs about half as much again
    // for the large arguments a walker at P·T = 8 reaches (measured: 147 against 98 ns per
    // Rastrigin evaluation), which would be charged to the move. Γ = 0.5/P keeps the link scale
    // √(2Γβ/P) at 0.35, a third of a Rastrigin basin.
    Benchmark("sa-move-rastrigin-d10", configuration: configuration) { benchmark in
        let start = points[0]
        for iteration in benchmark.scaledIterations {
            var rng = Xoshiro256(seed: UInt64(iteration))
            var objective = Objective(landscape: rastrigin, budget: .infinity,
                                      escapeThreshold: -.infinity, successThreshold: nil)
            var sampler = MetropolisSampler(start: start, value: rastrigin.value(at: start), box: rastrigin.domain,
                                            scale: 0.03, temperature: 1, targetAcceptance: 0.234, batchSize: 50)
            for _ in 0..<evaluationsPerIteration { sampler.step(&objective, using: &rng) }
            blackHole(objective.bestValue)
        }
    }
    Benchmark("piqa-bead-move-rastrigin-d10", configuration: configuration) { benchmark in
        let start = points[0]
        for iteration in benchmark.scaledIterations {
            var rng = Xoshiro256(seed: UInt64(iteration))
            var objective = Objective(landscape: rastrigin, budget: .infinity,
                                      escapeThreshold: -.infinity, successThreshold: nil)
            var sampler = RingPolymerSampler(start: start, value: rastrigin.value(at: start), beads: 8,
                                             box: rastrigin.domain, temperature: 1.0 / 8, gamma: 0.5 / 8,
                                             beadScale: 0.03, translationScale: 0.03)
            for _ in 0..<evaluationsPerIteration { sampler.beadMove(&objective, using: &rng) }
            blackHole(objective.bestValue)
        }
    }
    registerSimulatedAnnealingVsGSL(resolved)

    // The harness path: TrialRunner.run with the landscape and the optimizer as existentials.
    for name in ["random-search", "sa", "piqa", "differential-evolution", "dual-annealing", "cma-es"] {
        let benchmarkName = name == "random-search" ? "random-search-d10-harness" : "\(name)-rastrigin-d10"
        registerHarnessTrial(resolved, optimizer: name, benchmarkName: benchmarkName, evaluations: evaluationsPerIteration)
    }
}
