import Foundation
import Landscapes
import Optimizers

/// Seeds of a run, derived as docs/DESIGN.md invariant 2 prescribes.
public enum TrialSeeds {
    /// Trial i's start: depends on (master seed, landscape instance, i) only.
    public static func start(master: UInt64, instanceKey: String, trial: Int) -> UInt64 {
        Seed.derive(master, "start", instanceKey, "trial=\(trial)")
    }

    /// The optimizer's stream: (master seed, instance, optimizer name, i).
    public static func optimizer(master: UInt64, instanceKey: String, optimizer: String, trial: Int) -> UInt64 {
        Seed.derive(master, "optimizer", instanceKey, optimizer, "trial=\(trial)")
    }
}

/// Runs one trial: builds the counting objective, runs the optimizer from the start, checks what
/// it spent (at most one value-and-gradient call past the budget for continuous methods, not one
/// flip attempt past it for discrete ones) and re-checks the incumbent, and turns the objective's
/// record into a `TrialRecord`. A trial that breaks either check fails with the reason.
public enum TrialRunner {
    public static func run(
        _ landscape: ResolvedLandscape, _ entry: OptimizerEntry, trial: Int, start: TrialStart,
        masterSeed: UInt64, gradCost: Double? = nil, trace: Bool = false
    ) -> TrialRecord {
        let seed = TrialSeeds.optimizer(master: masterSeed, instanceKey: landscape.instanceKey, optimizer: entry.seedKey, trial: trial)
        let clock = ContinuousClock.now
        // Both existentials are opened here, once per trial; the loop inside is specialized code.
        let settings = TrialSettings(budget: landscape.budget, tolerances: landscape.tolerances,
                                     successThreshold: landscape.successThreshold, start: landscape.start, gradCost: gradCost,
                                     trace: trace)
        var record: TrialRecord
        if let model = landscape.ising, let spin = entry.optimizer as? any SpinOptimizer {
            record = runIsing(model, spin, settings: settings, start: start, seed: seed)
        } else if landscape.ising == nil, let continuous = entry.optimizer as? any ContinuousOptimizer {
            record = run(landscape.landscape, continuous, settings: settings, start: start, seed: seed)
        } else {
            preconditionFailure("optimizer \(entry.name) does not apply to \(landscape.spec.name)")
        }
        record.wallTime = (ContinuousClock.now - clock).seconds
        record.landscape = landscape.spec.name
        record.family = landscape.family.name
        record.instance = landscape.instance
        record.dimension = landscape.dimension
        record.landscapeParameters = landscape.parameters.canonicalText
        record.optimizer = entry.label
        record.optimizerParameters = entry.parameters.canonicalText
        record.trial = trial
        record.startSeed = TrialSeeds.start(master: masterSeed, instanceKey: landscape.instanceKey, trial: trial)
        record.optimizerSeed = seed
        if record.failed {
            record.failure += " (reproduce: --seed \(masterSeed), landscape \(landscape.spec.name), optimizer \(entry.name), trial \(trial))"
        }
        return record
    }

    /// The per-trial settings the generic core needs.
    struct TrialSettings {
        var budget: Double
        var tolerances: Tolerances
        var successThreshold: Double?
        var start: StartProtocolKind
        var gradCost: Double?
        var trace = false
    }

    /// The specialized core: one concrete landscape type, one concrete optimizer type.
    static func run<L: ContinuousLandscape, O: ContinuousOptimizer>(
        _ function: L, _ optimizer: O, settings: TrialSettings, start: TrialStart, seed: UInt64
    ) -> TrialRecord {
        let delta = settings.tolerances.escapeMargin(trapValue: start.trapValue)
        var objective = Objective(landscape: function, budget: settings.budget, gradCost: settings.gradCost,
                                  escapeThreshold: start.trapValue - delta,
                                  successThreshold: settings.successThreshold)
        let recorder = settings.trace ? TraceRecorder(budget: settings.budget) : nil
        if let recorder { objective.attach(recorder) }
        var rng = Xoshiro256(seed: seed)
        var stop = optimizer.minimize(&objective, from: start.point, using: &rng)
        var failure = ""
        if let f = objective.failure {
            stop = .failed
            failure = f.description
        } else if !(objective.spent <= objective.spendingLimit) {
            // Invariant 1: only the call that crosses the budget may take spent past it.
            stop = .failed
            failure = "budget overspent: spent \(objective.spent) of budget \(objective.budget); a continuous optimizer "
                + "may exceed it by at most one value-and-gradient call (limit \(objective.spendingLimit))"
        } else if objective.bestValue.isFinite {
            // Invariant 1: the incumbent's value is recomputed from its stored point.
            let recomputed = function.value(at: objective.bestPoint)
            let tolerance = 1e-12 * (1 + function.roundingScale(at: objective.bestPoint))
            if !(abs(recomputed - objective.bestValue) <= tolerance) {
                stop = .failed
                failure = "incumbent mismatch: recorded \(objective.bestValue), recomputed \(recomputed) at x = \(objective.bestPoint)"
            }
        }
        let fStar = function.optimum.value
        let escaped = start.trapped && objective.spentAtEscape != nil && failure.isEmpty
        let success: Bool? = fStar == nil ? nil : (objective.spentAtSuccess != nil && failure.isEmpty)
        return TrialRecord(
            landscape: "", family: "", instance: 0, dimension: 0, landscapeParameters: "", optimizer: "",
            optimizerParameters: "", trial: 0, startSeed: 0, optimizerSeed: 0, start: settings.start,
            budget: settings.budget, trapValue: start.trapValue, trapped: start.trapped, escaped: escaped,
            evalsToEscape: escaped ? objective.spentAtEscape : nil,
            success: success, evalsToSuccess: success == true ? objective.spentAtSuccess : nil,
            bestValue: objective.bestValue, gap: fStar.map { objective.bestValue - $0 },
            evaluations: objective.evaluations, gradientEvaluations: objective.gradientEvaluations,
            spent: objective.spent, stopReason: stop.rawValue, failure: failure, wallTime: 0,
            minibatchGradientEvaluations: objective.minibatchGradientEvaluations,
            calibrationEvaluations: objective.calibrationEvaluations,
            // Reporting, not charged: the incumbent's training accuracy (classifiers only).
            trainingAccuracy: failure.isEmpty && objective.bestValue.isFinite ? function.accuracy(at: objective.bestPoint) : nil,
            trace: recorder?.samples)
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
