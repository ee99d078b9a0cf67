import Benchmark
import Harness
import Landscapes
import Optimizers

// `sa` against GSL's `gsl_siman_solve` (`gsl-siman`) on Rastrigin d = 10, instance 1, one whole
// trial each through `TrialRunner.run` (the path `bench run` takes), side by side in one run.
// Both use the same proposal distribution (Gaussian, per-coordinate scale s·w_i, reflected at the
// box) and the same auto temperatures; they differ in where the loop runs: Swift (`sa`, with step
// adaptation) or GSL's C loop calling back into Swift for every step and energy (`gsl-siman`).
//
// One iteration is one trial with budget 19 999. `sa` spends it all (100 of them calibration probes,
// plus the harness's incumbent re-check: 20 000 evaluations); `gsl-siman` spends 1 + 100 (auto T) + 1 + 100·198 = 19 902 (plus
// the re-check: 19 903), because gsl_siman's staircase cannot end mid-level. Evaluations per second
// = (evaluations per trial) / (median time per trial); the precondition below pins both counts.
func registerSimulatedAnnealingVsGSL(_ resolved: ResolvedLandscape) {
    for (name, evaluations) in [("sa", 20_000), ("gsl-siman", 19_903)] {
        registerHarnessTrial(resolved, optimizer: name, benchmarkName: "sa-vs-gsl-siman/\(name)", evaluations: evaluations)
    }
}

/// One whole trial of `optimizer` through `TrialRunner.run`, as `bench run` executes it (the
/// landscape and the optimizer are existentials there), from trial 0's start. `evaluations` is the
/// optimizer's evaluations plus the harness's one recomputation of the incumbent; the precondition
/// pins it, so evaluations per second = evaluations / time per iteration.
func registerHarnessTrial(_ resolved: ResolvedLandscape, optimizer name: String, benchmarkName: String, evaluations: Int) {
    let entry: OptimizerEntry
    let start: TrialStart
    do {
        entry = try OptimizerEntry(name: name)
        start = try resolved.drawStart(seed: TrialSeeds.start(master: 1, instanceKey: resolved.instanceKey, trial: 0))
    } catch {
        fatalError("cannot set up \(benchmarkName): \(error)")
    }
    Benchmark(benchmarkName, configuration: configuration) { benchmark in
        for iteration in benchmark.scaledIterations {
            let record = TrialRunner.run(resolved, entry, trial: iteration, start: start, masterSeed: 1)
            // The whole budget (evaluations − 1, the harness's re-check being the last) is spent:
            // value evaluations, the auto temperature's calibration probes, and gradients at
            // their cost (dual-annealing's local searches), so the figure is per budget unit.
            precondition(record.failure.isEmpty && record.spent >= Double(evaluations - 1),
                         "\(benchmarkName): trial spent \(record.spent) of \(evaluations - 1): \(record.failure)")
            blackHole(record)
        }
    }
}
