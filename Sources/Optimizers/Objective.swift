import Landscapes

/// Why a trial's objective stopped accepting evaluations before the budget ran out.
public enum ObjectiveFailure: Sendable, Equatable {
    /// The landscape returned NaN or ±∞ at this point.
    case nonFinite(point: [Double], value: Double)
    /// An optimizer asked for a point outside the domain: a bug in that optimizer.
    case outOfDomain(point: [Double])
    /// The optimizer itself failed (an external program that crashed or broke the protocol).
    case optimizer(String)
    /// The trial could not be completed for a reason that is not an outcome (an external
    /// program past its wall-clock timeout): the harness stops the run instead of counting it.
    case aborted(String)

    public var description: String {
        switch self {
        case .nonFinite(let point, let value):
            return "landscape returned \(value) at x = \(point)"
        case .outOfDomain(let point):
            return "optimizer evaluated x = \(point) outside the domain box"
        case .optimizer(let reason), .aborted(let reason):
            return reason
        }
    }

    /// The reason, when the failure stops the run rather than counting as the trial's outcome.
    public var abortReason: String? {
        if case .aborted(let reason) = self { reason } else { nil }
    }
}

/// The counting view of a landscape that an optimizer receives (docs/DESIGN.md, invariant 1).
///
/// It charges every call to the budget (a value costs 1, a gradient the landscape's `gradCost`),
/// keeps the incumbent (best full evaluation and its point), records the budget spent when escape
/// and success first happened, and says when the budget is spent. It is the optimizers' only way
/// to the landscape: the landscape itself is not visible outside this module, only what an
/// optimizer needs to know about it (`dimension`, `domain`, `dataCount`, `gradCost`).
///
/// The budget, exactly: an optimizer loops `while !objective.isExhausted`. A call made while
/// spent < budget is answered and credited, even when its cost takes spent past the budget (so a
/// run may end at most one call's cost, max(1, gradCost), above it). A call made once spent ≥
/// budget is still answered and charged, but credits nothing: no incumbent, no hitting time.
/// The harness checks spent ≤ budget + max(1, gradCost) at trial end and fails the trial
/// otherwise, so such calls show up as a failure, never as a figure.
///
/// Evaluations made only to set a parameter (the automatic temperature's probes) go through
/// `calibrationValue(at:)`: charged 1 each and counted in `calibrationEvaluations`, they never
/// credit, whatever they find.
///
/// A non-finite value or an out-of-box point ends the trial: `failure` is set and `isExhausted`
/// turns true, and the harness reports the trial as failed with its seeds.
/// Figures an optimizer reports about its own run under a name (`pt`'s swap acceptance per
/// neighbour pair): trials.csv's `diagnostics` column and, averaged over a row's trials, a note
/// below the summary. Reporting only: it costs nothing and decides no outcome.
public struct Diagnostic: Sendable, Equatable {
    public var name: String
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }

    /// The figures of one trial as trials.csv writes them: `name=v1 v2 …;name2=…`.
    public static func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { $0.name + "=" + $0.values.map(formatReal).joined(separator: " ") }.joined(separator: ";")
    }
}

public struct Objective<L: ContinuousLandscape> {
    /// Not public: an optimizer that could call the landscape would evaluate for free.
    @usableFromInline let landscape: L
    public let budget: Double
    public let gradCost: Double

    // The hot methods below are `@inlinable` so that a caller that knows L compiles them into its
    // own loop; their state is therefore `@usableFromInline` storage behind read-only accessors.
    @usableFromInline var _spent: Double = 0
    /// What the run may spend before `isExhausted`: the budget, less a held-back reserve.
    @usableFromInline var _allowance: Double
    @usableFromInline var _evaluations = 0
    @usableFromInline var _gradientEvaluations = 0
    @usableFromInline var _minibatchGradientEvaluations = 0
    @usableFromInline var _calibrationEvaluations = 0
    @usableFromInline var _bestValue = Double.infinity
    @usableFromInline var _bestPoint: [Double]
    @usableFromInline var hits: HittingTimes
    @usableFromInline var _failure: ObjectiveFailure?
    /// Set only for traced trials (`TraceRecorder`).
    @usableFromInline var _tracer: TraceRecorder?
    /// What the optimizer reported about its run (`report(_:_:)`).
    public private(set) var diagnostics: [Diagnostic] = []
    /// The domain's bounds, copied once at init: `admit` runs on every call and must not fetch
    /// `landscape.domain` (a protocol call returning two arrays) each time.
    @usableFromInline let lower: [Double]
    @usableFromInline let upper: [Double]

    public var spent: Double { _spent }
    public var evaluations: Int { _evaluations }
    public var gradientEvaluations: Int { _gradientEvaluations }
    /// Minibatch gradients taken (each charged (b/N)·gradCost; counted apart from full gradients).
    public var minibatchGradientEvaluations: Int { _minibatchGradientEvaluations }
    /// Calibration probes made (`calibrationValue(at:)`, each charged 1; counted apart from
    /// `evaluations`).
    public var calibrationEvaluations: Int { _calibrationEvaluations }
    public var bestValue: Double { _bestValue }
    public var bestPoint: [Double] { _bestPoint }
    public var spentAtEscape: Double? { hits.escape }
    public var spentAtSuccess: Double? { hits.success }
    /// Escape means an incumbent strictly below this: f(m0) − δ.
    public var escapeThreshold: Double { hits.escapeThreshold }
    /// Success means an incumbent at or below this: f* + ε (`nil` when f* is unknown).
    public var successThreshold: Double? { hits.successThreshold }
    public var failure: ObjectiveFailure? { _failure }

    public init(landscape: L, budget: Double, gradCost: Double? = nil,
                escapeThreshold: Double, successThreshold: Double?) {
        self.landscape = landscape
        self.budget = budget
        self._allowance = budget
        self.gradCost = gradCost ?? landscape.gradCost
        hits = HittingTimes(escapeThreshold: escapeThreshold, successThreshold: successThreshold)
        self._bestPoint = Array(repeating: .nan, count: landscape.dimension)
        let box = landscape.domain
        self.lower = box.lower
        self.upper = box.upper
    }

    public var dimension: Int { landscape.dimension }
    public var domain: Box { landscape.domain }
    /// N, the number of data the loss averages over (0 for landscapes without data): what a
    /// minibatch method needs to draw batches.
    public var dataCount: Int { landscape.dataCount }
    /// Records figures about the run under `name` (replacing an earlier report of that name).
    public mutating func report(_ name: String, _ values: [Double]) {
        diagnostics.removeAll { $0.name == name }
        diagnostics.append(Diagnostic(name: name, values: values))
    }

    /// True once the allowance is spent or the trial has failed: optimizers stop here.
    @inlinable
    public var isExhausted: Bool { _spent >= _allowance || _failure != nil }
    /// What is left of the allowance.
    public var remaining: Double { max(0, _allowance - _spent) }

    /// What the run may spend: the budget, or less while a reserve is held back
    /// (`holdBack(_:)`). A method that spreads a schedule over its run spreads it over this.
    public var allowance: Double { _allowance }

    /// Holds `reserve` of the budget back: `isExhausted` and `remaining` then treat
    /// budget − reserve as the budget, until `releaseReserve()`. A method that ends with a phase of
    /// its own (the annealers' polish) keeps that phase's budget this way, so the phase before it
    /// stops exactly where it would stop at a smaller budget. Crediting is unchanged: every
    /// evaluation below the budget still counts.
    public mutating func holdBack(_ reserve: Double) {
        _allowance = budget - Swift.min(Swift.max(reserve, 0), budget)
    }

    /// Gives the held-back reserve to the run again.
    public mutating func releaseReserve() {
        _allowance = budget
    }

    /// The most a run may spend: the budget plus one value-and-gradient call, the overshoot of
    /// the one call that crosses the budget (the harness checks it at trial end).
    public var spendingLimit: Double { budget + Swift.max(1, gradCost) }

    /// f(x), cost 1.
    @inlinable
    public mutating func value(at x: [Double]) -> Double {
        guard admit(x) else { return .nan }
        let f = landscape.value(at: x)
        let credits = _spent < budget
        _spent += 1
        _evaluations += 1
        if credits { record(x, f) } else { refuseNonFinite(x, f) }
        if let tracer = _tracer { tracer.offerEvaluated(x, value: f, spent: _spent) }
        return f
    }

    /// f(x), cost 1, for calibration only (setting a parameter such as a starting temperature):
    /// counted in `calibrationEvaluations`, never in `evaluations`, and it never credits (no
    /// incumbent, no hitting time), so a probe that lands in a lower basin is not an escape.
    /// A non-finite value still fails the trial.
    @inlinable
    public mutating func calibrationValue(at x: [Double]) -> Double {
        guard admit(x) else { return .nan }
        let f = landscape.value(at: x)
        _spent += 1
        _calibrationEvaluations += 1
        refuseNonFinite(x, f)
        return f
    }

    /// f(x) and ∇f(x), cost `gradCost`.
    @inlinable
    public mutating func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        guard admit(x) else { return .nan }
        let f = landscape.valueAndGradient(at: x, gradient: &gradient)
        let credits = _spent < budget
        _spent += gradCost
        _gradientEvaluations += 1
        if credits { record(x, f) } else { refuseNonFinite(x, f) }
        if let tracer = _tracer { tracer.offerEvaluated(x, value: f, spent: _spent) }
        return f
    }

    /// The minibatch loss and its gradient over `batch` (indices into the landscape's N data),
    /// cost (b/N)·gradCost (docs/DESIGN.md). A minibatch loss is not f: it never updates the incumbent
    /// or the first-hitting times. A non-finite value still fails the trial.
    @inlinable
    public mutating func minibatchValueAndGradient(at x: [Double], batch: ArraySlice<Int>, gradient: inout [Double]) -> Double {
        guard admit(x) else { return .nan }
        let f = landscape.minibatchValueAndGradient(at: x, batch: batch, gradient: &gradient)
        let count = landscape.dataCount
        _spent += count > 0 ? gradCost * Double(batch.count) / Double(count) : gradCost
        _minibatchGradientEvaluations += 1
        refuseNonFinite(x, f)
        return f
    }

    /// Fails the trial because the optimizer failed (`reason` says how); nothing more is answered.
    public mutating func fail(_ reason: String) {
        if _failure == nil { _failure = .optimizer(reason) }
    }

    /// Ends the trial without an outcome: the harness stops the run and names the trial.
    public mutating func abort(_ reason: String) {
        _failure = .aborted(reason)
    }

    @inlinable
    mutating func refuseNonFinite(_ x: [Double], _ f: Double) {
        if !f.isFinite { _failure = .nonFinite(point: x, value: f) }
    }

    @inlinable
    mutating func admit(_ x: [Double]) -> Bool {
        if _failure != nil { return false }
        if Box.encloses(x, lower: lower, upper: upper) { return true }
        _failure = .outOfDomain(point: x)
        return false
    }

    @inlinable
    mutating func record(_ x: [Double], _ f: Double) {
        guard f < _bestValue else {
            if !f.isFinite { _failure = .nonFinite(point: x, value: f) }
            return
        }
        if f.isNaN || f == -.infinity {
            _failure = .nonFinite(point: x, value: f)
            return
        }
        _bestValue = f
        for i in 0..<x.count { _bestPoint[i] = x[i] }
        hits.offer(f, spent: _spent)
    }
}

extension Box {
    /// Whether lower ≤ x ≤ upper in every coordinate (a NaN coordinate is outside). Not generic,
    /// so it is compiled optimized even when called from unspecialized generic code, and it has no
    /// branch or bounds check per coordinate: `outside` collects one bit.
    @inlinable
    static func encloses(_ x: [Double], lower: [Double], upper: [Double]) -> Bool {
        precondition(x.count == lower.count && x.count == upper.count,
                     "point has \(x.count) coordinates, the domain \(lower.count)")
        var outside: UInt8 = 0
        x.withUnsafeBufferPointer { xs in
            lower.withUnsafeBufferPointer { lo in
                upper.withUnsafeBufferPointer { hi in
                    for i in 0..<xs.count {
                        let inside = (xs[i] >= lo[i]) && (xs[i] <= hi[i])
                        outside |= inside ? 0 : 1
                    }
                }
            }
        }
        return outside == 0
    }
}
