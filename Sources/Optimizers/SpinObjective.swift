import Landscapes

/// The counting view of an Ising model that discrete optimizers receive (docs/DESIGN.md,
/// invariant 1).
///
/// The budget unit is one single-flip attempt (one ΔE); an SQA global move over P slices costs P;
/// the energy of a new configuration computed from scratch (a restart) costs N.
/// Hot loops charge in bulk (`charge`, once per sweep), compare energies per flip against
/// `bestEnergy` and report each improvement with the exact budget spent at that flip
/// (`improve`), then store the incumbent configuration at most once per sweep (`storeIncumbent`).
/// Between `improve` and `storeIncumbent` the stored state lags; an optimizer must store before
/// it returns. A concrete type: no generic or existential dispatch in the sweep.
///
/// The budget, exactly: a discrete optimizer stops at it (the harness fails a trial whose spent
/// exceeds the budget). An improvement reported at an attempt past the budget credits nothing:
/// neither the incumbent nor a hitting time changes.
public struct SpinObjective {
    public let model: IsingModel
    /// Flip attempts allowed.
    public let budget: Int

    public private(set) var spent = 0
    public private(set) var bestEnergy: Double
    public private(set) var bestState: [Int8]
    var hits: HittingTimes
    /// Attempts spent at the first escape (an incumbent below E(m0) − δ), or `nil`.
    public var spentAtEscape: Int? { hits.escape.map { Int($0) } }
    /// Attempts spent at the first success (an incumbent at or below E* + ε), or `nil`.
    public var spentAtSuccess: Int? { hits.success.map { Int($0) } }
    public var escapeThreshold: Double { hits.escapeThreshold }
    public var successThreshold: Double? { hits.successThreshold }
    /// What the optimizer reported about its run (`report(_:_:)`; pt-spin's swap acceptance).
    public private(set) var diagnostics: [Diagnostic] = []

    /// Records figures about the run under `name` (replacing an earlier report of that name).
    public mutating func report(_ name: String, _ values: [Double]) {
        diagnostics.removeAll { $0.name == name }
        diagnostics.append(Diagnostic(name: name, values: values))
    }

    /// Set by tests only: counts the moves where their ΔE is computed (`SpinAttemptTally`).
    public var tally: SpinAttemptTally?

    /// The incumbent starts as the start state at no cost (its energy is the trap's, known).
    public init(model: IsingModel, budget: Int, start: [Int8], escapeThreshold: Double, successThreshold: Double?) {
        precondition(start.count == model.size, "start has \(start.count) spins, the model \(model.size)")
        self.model = model
        self.budget = max(1, budget)
        hits = HittingTimes(escapeThreshold: escapeThreshold, successThreshold: successThreshold)
        bestState = start
        bestEnergy = model.energy(start)
        // The start is the first incumbent, at no cost: it can be a success (a start at E*), never
        // an escape, which takes an improvement.
        hits.offerStart(bestEnergy)
    }

    /// Set when the optimizer failed (an external sampler that broke the protocol) or the trial
    /// was aborted; the hot loops of the built-in methods never set it.
    public private(set) var failure: ObjectiveFailure?

    /// Fails the trial because the optimizer failed (`reason` says how).
    public mutating func fail(_ reason: String) {
        if failure == nil { failure = .optimizer(reason) }
    }

    /// Ends the trial without an outcome: the harness stops the run and names the trial.
    public mutating func abort(_ reason: String) { failure = .aborted(reason) }

    public var isExhausted: Bool { spent >= budget }
    public var remaining: Int { max(0, budget - spent) }

    /// Charges `attempts` flip attempts at once.
    public mutating func charge(_ attempts: Int) { spent += attempts }

    /// A new incumbent energy, seen when `spentAt` attempts had been spent. Callers only report
    /// energies below `bestEnergy`. Past the budget (`spentAt` > `budget`) it credits nothing.
    public mutating func improve(_ energy: Double, spentAt: Int) {
        guard spentAt <= budget else { return }
        credited = true
        bestEnergy = energy
        hits.offer(energy, spent: Double(spentAt))
    }

    /// Stores the configuration whose energy `improve` last reported: `fill` writes it into the
    /// incumbent buffer.
    public mutating func storeIncumbent(_ fill: (UnsafeMutableBufferPointer<Int8>) -> Void) {
        guard credited else { return }
        credited = false
        bestState.withUnsafeMutableBufferPointer { fill($0) }
    }

    /// Whether `improve` credited an energy that `storeIncumbent` has not stored yet.
    var credited = false

    /// The state the optimizer ends in (`recordFinal`): for a method that holds several states at
    /// its end (replicas, Trotter slices, independent reads), the lowest-energy one. Reported
    /// beside the incumbent, since samplers that return only final states are compared with
    /// native methods on it; `nil` until recorded.
    public private(set) var finalState: [Int8]?

    /// Records the state the optimizer ends in; called once, before `minimize` returns.
    public mutating func recordFinal(_ state: [Int8]) {
        precondition(state.count == model.size, "final state has \(state.count) spins, the model \(model.size)")
        finalState = state
    }
}

/// Counts moves where their energy change is computed, independently of the bulk charges that
/// make up `SpinObjective.spent`: a test attaches one (`SpinObjective.tally`) and checks that the
/// cost model applied to these counts equals what was charged. The sweeps count only in debug
/// builds (`isCounting`), so release hot loops carry nothing.
public final class SpinAttemptTally: @unchecked Sendable {
    /// Single-flip ΔE computations (cost 1 each).
    public var localMoves = 0
    /// SQA global moves, each a ΔE summed over the P slices (cost P each).
    public var globalMoves = 0
    /// Energies of new configurations computed from scratch (restarts; cost N each).
    public var energyEvaluations = 0

    public init() {}

    /// True when the sweeps count (debug builds).
    public static var isCounting: Bool {
        #if DEBUG
        return true
        #else
        return false
        #endif
    }
}
