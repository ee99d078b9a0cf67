import Landscapes

/// Why a trial's objective stopped accepting evaluations before the budget ran out.
public enum ObjectiveFailure: Sendable, Equatable {
    /// The landscape returned NaN or ±∞ at this point.
    case nonFinite(point: [Double], value: Double)
    /// An optimizer asked for a point outside the domain: a bug in that optimizer.
    case outOfDomain(point: [Double])

    public var description: String {
        switch self {
        case .nonFinite(let point, let value):
            return "landscape returned \(value) at x = \(point)"
        case .outOfDomain(let point):
            return "optimizer evaluated x = \(point) outside the domain box"
        }
    }
}

/// The counting view of a landscape that an optimizer receives (DESIGN.md, invariant 1).
///
/// It charges every call to the budget (a value costs 1, a gradient the landscape's `gradCost`),
/// keeps the incumbent (best full evaluation and its point), records the budget spent when escape
/// and success first happened, and says when the budget is spent. An optimizer loops
/// `while !objective.isExhausted`; the call that crosses the budget is still answered, so a run
/// may overshoot by less than one call's cost, and the record shows exactly what was spent.
///
/// A non-finite value or an out-of-box point ends the trial: `failure` is set and `isExhausted`
/// turns true, and the harness reports the trial as failed with its seeds.
public struct Objective<L: ContinuousLandscape> {
    public let landscape: L
    public let budget: Double
    public let gradCost: Double
    /// Escape means an incumbent strictly below this: f(m0) − δ.
    public let escapeThreshold: Double
    /// Success means an incumbent at or below this: f* + ε (`nil` when f* is unknown).
    public let successThreshold: Double?

    public private(set) var spent: Double = 0
    public private(set) var evaluations = 0
    public private(set) var gradientEvaluations = 0
    public private(set) var bestValue = Double.infinity
    public private(set) var bestPoint: [Double]
    public private(set) var spentAtEscape: Double?
    public private(set) var spentAtSuccess: Double?
    public private(set) var failure: ObjectiveFailure?

    public init(landscape: L, budget: Double, gradCost: Double? = nil,
                escapeThreshold: Double, successThreshold: Double?) {
        self.landscape = landscape
        self.budget = budget
        self.gradCost = gradCost ?? landscape.gradCost
        self.escapeThreshold = escapeThreshold
        self.successThreshold = successThreshold
        self.bestPoint = Array(repeating: .nan, count: landscape.dimension)
    }

    public var dimension: Int { landscape.dimension }
    public var domain: Box { landscape.domain }
    /// True once the budget is spent or the trial has failed: optimizers stop here.
    public var isExhausted: Bool { spent >= budget || failure != nil }
    public var remaining: Double { max(0, budget - spent) }

    /// f(x), cost 1.
    public mutating func value(at x: [Double]) -> Double {
        guard admit(x) else { return .nan }
        let f = landscape.value(at: x)
        spent += 1
        evaluations += 1
        record(x, f)
        return f
    }

    /// f(x) and ∇f(x), cost `gradCost`.
    public mutating func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        guard admit(x) else { return .nan }
        let f = landscape.valueAndGradient(at: x, gradient: &gradient)
        spent += gradCost
        gradientEvaluations += 1
        record(x, f)
        return f
    }

    mutating func admit(_ x: [Double]) -> Bool {
        if failure != nil { return false }
        let box = landscape.domain
        for i in 0..<x.count where !(x[i] >= box.lower[i] && x[i] <= box.upper[i]) {
            failure = .outOfDomain(point: x)
            return false
        }
        return true
    }

    mutating func record(_ x: [Double], _ f: Double) {
        guard f < bestValue else {
            if !f.isFinite { failure = .nonFinite(point: x, value: f) }
            return
        }
        if f.isNaN || f == -.infinity {
            failure = .nonFinite(point: x, value: f)
            return
        }
        bestValue = f
        for i in 0..<x.count { bestPoint[i] = x[i] }
        if spentAtEscape == nil && f < escapeThreshold { spentAtEscape = spent }
        if spentAtSuccess == nil, let s = successThreshold, f <= s { spentAtSuccess = spent }
    }
}
