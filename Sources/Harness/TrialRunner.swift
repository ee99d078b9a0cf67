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
        switch (landscape.landscape, entry.optimizer) {
        case (.continuous(let function), let optimizer as any ContinuousOptimizer):
            record = run(function, optimizer, settings: settings, start: start, seed: seed)
        case (.ising(let model), let optimizer as any SpinOptimizer):
            record = run(model, optimizer, settings: settings, start: start, seed: seed)
        default:
            // Plans pair each landscape with optimizers of its kind (`OptimizerEntry.entries`).
            preconditionFailure("optimizer \(entry.name) (\(entry.kind.rawValue)) does not apply to \(landscape.kind.rawValue) landscape \(landscape.spec.name)")
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
        if let reason = record.abortReason {
            record.abortReason = "\(reason); the run stops here (landscape \(landscape.spec.name), optimizer \(entry.label), trial \(trial), --seed \(masterSeed))"
        }
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
        var abortReason: String?
        if let f = objective.failure {
            stop = .failed
            failure = f.description
            abortReason = f.abortReason
        } else if !(objective.spent <= objective.spendingLimit) {
            // Invariant 1: only the call that crosses the budget may take spent past it.
            stop = .failed
            failure = "budget overspent: spent \(objective.spent) of budget \(objective.budget); a continuous optimizer "
                + "may exceed it by at most one value-and-gradient call (limit \(objective.spendingLimit))"
        } else if objective.bestValue.isFinite {
            // Invariant 1: the incumbent's value is recomputed from its stored point.
            let recomputed = function.value(at: objective.bestPoint)
            if !(abs(recomputed - objective.bestValue) <= function.recheckTolerance(at: objective.bestPoint)) {
                stop = .failed
                failure = "incumbent mismatch: recorded \(objective.bestValue), recomputed \(recomputed) at x = \(objective.bestPoint)"
            }
        }
        // An external landscape that stopped answering, in the run or at the recheck, outranks
        // every verdict above: its NaN values are not the optimizer's outcome, and the run stops.
        if let reason = function.programFailure {
            stop = .failed
            failure = reason
            abortReason = reason
        }
        var record = outcome(settings: settings, start: start, fStar: function.optimum.value, failure: failure, stop: stop,
                             spentAtEscape: objective.spentAtEscape, spentAtSuccess: objective.spentAtSuccess,
                             best: objective.bestValue, spent: objective.spent)
        record.evaluations = objective.evaluations
        record.gradientEvaluations = objective.gradientEvaluations
        record.minibatchGradientEvaluations = objective.minibatchGradientEvaluations
        record.calibrationEvaluations = objective.calibrationEvaluations
        record.diagnostics = objective.diagnostics
        // Reporting, not charged: the incumbent's training accuracy (classifiers only).
        record.trainingAccuracy = failure.isEmpty && objective.bestValue.isFinite ? function.accuracy(at: objective.bestPoint) : nil
        record.trace = recorder?.samples
        record.abortReason = abortReason
        return record
    }

    /// The discrete core: one Ising model, one discrete optimizer. The trial fails if the
    /// optimizer spent more than the budget, or if the incumbent's energy recomputed from its
    /// stored spins disagrees with the tracked one (docs/DESIGN.md, invariant 1).
    static func run(_ model: IsingModel, _ optimizer: any SpinOptimizer, settings: TrialSettings,
                    start: TrialStart, seed: UInt64) -> TrialRecord {
        let spins = start.point.map { Int8($0) }
        let delta = settings.tolerances.escapeMargin(trapValue: start.trapValue)
        let budget = Int(settings.budget.rounded(.down))
        var objective = SpinObjective(model: model, budget: budget, start: spins, escapeThreshold: start.trapValue - delta,
                                      successThreshold: settings.successThreshold)
        var rng = Xoshiro256(seed: seed)
        var stop = optimizer.minimize(&objective, from: spins, using: &rng)
        var failure = ""
        var abortReason: String?
        let recomputed = model.energy(objective.bestState)
        let tolerance = 1e-12 * (1 + model.roundingScale)
        let finalValue = objective.finalState.map(model.energy)
        if let f = objective.failure {
            stop = .failed
            failure = f.description
            abortReason = f.abortReason
        } else if objective.spent > objective.budget {
            // Invariant 1: a discrete optimizer stops exactly at the budget (flip attempts are
            // charged one by one, so nothing forces an overshoot).
            stop = .failed
            failure = "budget overspent: spent \(objective.spent) flip attempts of budget \(objective.budget); "
                + "a discrete optimizer must stop exactly at the budget"
        } else if !(abs(recomputed - objective.bestEnergy) <= tolerance) {
            stop = .failed
            failure = "incumbent mismatch: recorded \(objective.bestEnergy), recomputed \(recomputed)"
        } else if let finalValue, finalValue < recomputed - tolerance {
            // The final state was reached, so it was a state the incumbent should have kept.
            stop = .failed
            failure = "final state below the incumbent: final energy \(finalValue), incumbent \(recomputed)"
        }
        // The incumbent's energy as recomputed from its spins (it agreed with the tracked value to
        // the tolerance above), so a ground state shows a gap of exactly 0.
        var record = outcome(settings: settings, start: start, fStar: model.optimum.value, failure: failure, stop: stop,
                             spentAtEscape: objective.spentAtEscape.map(Double.init),
                             spentAtSuccess: objective.spentAtSuccess.map(Double.init),
                             best: recomputed, spent: Double(objective.spent))
        record.evaluations = objective.spent
        record.diagnostics = objective.diagnostics
        record.finalValue = finalValue
        if let threshold = settings.successThreshold, model.optimum.value != nil {
            record.finalSuccess = failure.isEmpty && finalValue.map { $0 <= threshold } == true
        }
        record.abortReason = abortReason
        if type(of: optimizer).declaresBudget {
            // The harness never saw when a state was reached: no hitting time, not even the budget.
            record.budgetDeclared = true
            record.evalsToEscape = nil
            record.evalsToSuccess = nil
        }
        return record
    }

    /// The record both cores share: escape only from a trap and only in a trial that did not
    /// fail, success only where f* is known, each with the budget spent when it first happened.
    static func outcome(settings: TrialSettings, start: TrialStart, fStar: Double?, failure: String, stop: StopReason,
                        spentAtEscape: Double?, spentAtSuccess: Double?, best: Double, spent: Double) -> TrialRecord {
        let escaped = start.trapped && spentAtEscape != nil && failure.isEmpty
        let success: Bool? = fStar == nil ? nil : (spentAtSuccess != nil && failure.isEmpty)
        return TrialRecord(
            landscape: "", family: "", instance: 0, dimension: 0, landscapeParameters: "", optimizer: "",
            optimizerParameters: "", trial: 0, startSeed: 0, optimizerSeed: 0, start: settings.start,
            budget: settings.budget, trapValue: start.trapValue, trapped: start.trapped, escaped: escaped,
            evalsToEscape: escaped ? spentAtEscape : nil,
            success: success, evalsToSuccess: success == true ? spentAtSuccess : nil,
            bestValue: best, gap: fStar.map { best - $0 },
            evaluations: 0, gradientEvaluations: 0,
            spent: spent, stopReason: stop.rawValue, failure: failure, wallTime: 0)
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
