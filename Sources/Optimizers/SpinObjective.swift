import Landscapes

/// The counting view of an Ising model that discrete optimizers receive (docs/DESIGN.md, invariant 1).
///
/// The budget unit is one single-flip attempt (one ΔE); an SQA global move over P slices costs P.
/// Hot loops charge in bulk (`charge`, once per sweep), compare energies per flip against
/// `bestEnergy` and report each improvement with the exact budget spent at that flip
/// (`improve`), then store the incumbent configuration at most once per sweep (`storeIncumbent`).
/// Between `improve` and `storeIncumbent` the stored state lags; an optimizer must store before
/// it returns. A concrete type: no generic or existential dispatch in the sweep.
public struct SpinObjective {
    public let model: IsingModel
    /// Flip attempts allowed.
    public let budget: Int
    /// Escape means an incumbent strictly below this: E(m0) − δ.
    public let escapeThreshold: Double
    /// Success means an incumbent at or below this: E* + ε (`nil` when E* is unknown).
    public let successThreshold: Double?

    public private(set) var spent = 0
    public private(set) var bestEnergy: Double
    public private(set) var bestState: [Int8]
    public private(set) var spentAtEscape: Int?
    public private(set) var spentAtSuccess: Int?

    /// The incumbent starts as the start state at no cost (its energy is the trap's, known).
    public init(model: IsingModel, budget: Int, start: [Int8], escapeThreshold: Double, successThreshold: Double?) {
        precondition(start.count == model.size, "start has \(start.count) spins, the model \(model.size)")
        self.model = model
        self.budget = max(1, budget)
        self.escapeThreshold = escapeThreshold
        self.successThreshold = successThreshold
        bestState = start
        bestEnergy = model.energy(start)
        if let s = successThreshold, bestEnergy <= s { spentAtSuccess = 0 }
    }

    public var isExhausted: Bool { spent >= budget }
    public var remaining: Int { max(0, budget - spent) }

    /// Charges `attempts` flip attempts at once.
    public mutating func charge(_ attempts: Int) { spent += attempts }

    /// A new incumbent energy, seen when `spentAt` attempts had been spent. Callers only report
    /// energies below `bestEnergy`.
    public mutating func improve(_ energy: Double, spentAt: Int) {
        bestEnergy = energy
        if spentAtEscape == nil && energy < escapeThreshold { spentAtEscape = spentAt }
        if spentAtSuccess == nil, let s = successThreshold, energy <= s { spentAtSuccess = spentAt }
    }

    /// Stores the configuration whose energy `improve` last reported: `fill` writes it into the
    /// incumbent buffer.
    public mutating func storeIncumbent(_ fill: (UnsafeMutableBufferPointer<Int8>) -> Void) {
        bestState.withUnsafeMutableBufferPointer { fill($0) }
    }
}
