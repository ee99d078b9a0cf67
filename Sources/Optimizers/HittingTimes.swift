/// The two first-hitting times of a trial (docs/DESIGN.md, "outcomes"), kept by both counting
/// objectives in one way: the budget spent when the incumbent first fell strictly below the
/// escape threshold f(m0) − δ, and when it first reached f* + ε. An objective calls `offer` with
/// each new incumbent value and the budget spent at it; the first crossing of each threshold is
/// kept, later ones change nothing.
public struct HittingTimes: Sendable {
    /// Escape means an incumbent strictly below this: f(m0) − δ.
    public let escapeThreshold: Double
    /// Success means an incumbent at or below this: f* + ε (`nil` when f* is unknown).
    public let successThreshold: Double?
    @usableFromInline var _escape: Double?
    @usableFromInline var _success: Double?

    public init(escapeThreshold: Double, successThreshold: Double?) {
        self.escapeThreshold = escapeThreshold
        self.successThreshold = successThreshold
    }

    /// Budget spent at the first escape, or `nil`.
    public var escape: Double? { _escape }
    /// Budget spent at the first success, or `nil`.
    public var success: Double? { _success }

    /// The start as the first incumbent, reached at no cost: a success when it is at or below
    /// f* + ε; never an escape, which takes an improvement on the start.
    public mutating func offerStart(_ value: Double) {
        if _success == nil, let s = successThreshold, value <= s { _success = 0 }
    }

    /// A new incumbent `value`, reached when `spent` had been spent.
    @inlinable
    public mutating func offer(_ value: Double, spent: Double) {
        if _escape == nil && value < escapeThreshold { _escape = spent }
        if _success == nil, let s = successThreshold, value <= s { _success = spent }
    }
}
