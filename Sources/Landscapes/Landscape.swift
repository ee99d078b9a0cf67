/// The two kinds of landscape: continuous (a box in R^d, optimizers see values and gradients)
/// and Ising (N spins ±1, optimizers see single-flip energy changes). Every optimizer searches
/// one kind; a family builds one kind.
public enum LandscapeKind: String, Sendable, CaseIterable {
    case continuous
    case ising
}

/// How an instance's global minimum value f* is known.
public enum OptimumStatus: String, Sendable, CaseIterable {
    /// A closed form gives f* (and x*).
    case exact
    /// f* is known because the instance was built around it.
    case planted
    /// The lowest value found by a documented method; `KnownOptimum.source` names it.
    case bestKnown = "best-known"
    /// Nothing is known: success rates stay empty.
    case unknown
}

/// The global minimum an instance declares.
public struct KnownOptimum: Sendable, Equatable {
    /// f*, or `nil` when the status is `unknown`.
    public var value: Double?
    public var status: OptimumStatus
    /// Every known global minimizer x* (empty when unknown).
    public var points: [[Double]]
    /// Where a `best-known` value comes from.
    public var source: String?

    public init(value: Double?, status: OptimumStatus, points: [[Double]] = [], source: String? = nil) {
        self.value = value
        self.status = status
        self.points = points
        self.source = source
    }

    public static let unknown = KnownOptimum(value: nil, status: .unknown)
}

/// An objective over a box in R^d with an analytic gradient.
///
/// Conformers are small value types whose hot paths (`value`, `valueAndGradient`) allocate nothing.
/// Optimizers never call them directly: they see an `Objective`, which counts every call.
public protocol ContinuousLandscape: Sendable {
    /// d, the number of coordinates.
    var dimension: Int { get }
    /// The box every iterate must stay in.
    var domain: Box { get }
    /// f*, its status and x* where known.
    var optimum: KnownOptimum { get }
    /// Cost of one gradient evaluation (with or without the value) in units of one value
    /// evaluation; measured per family by the value+gradient benchmark.
    var gradCost: Double { get }
    /// The work of one value-and-gradient evaluation, in about one multiply-add per unit: what the
    /// setup limit of the reference quench (`ReferenceQuench.workLimit`) counts. Default: d.
    var evaluationWork: Double { get }

    /// f(x). `x.count == dimension`.
    func value(at x: [Double]) -> Double
    /// f(x), writing ∇f(x) into `gradient` (which has `dimension` elements).
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double

    /// Σ|terms| of f(x): the scale of its rounding error. The harness re-checks each trial's
    /// incumbent against 1e-12·(1 + roundingScale). Defaults to |f(x)| + d.
    func roundingScale(at x: [Double]) -> Double

    /// N, the number of data the loss averages over, for landscapes that are training losses
    /// f = (1/N) Σ_s ℓ_s; 0 (the default) when there are no minibatches.
    var dataCount: Int { get }
    /// The minibatch loss (1/b) Σ_{s ∈ batch} ℓ_s(x), writing its gradient into `gradient`.
    /// `batch` holds b distinct data indices in 0..<N. Over a uniformly drawn batch its mean is
    /// f(x) and ∇f(x). It is not f: optimizers obtain it through `Objective`, which charges
    /// (b/N)·gradCost and never lets it touch the incumbent. Default: the full value and gradient.
    func minibatchValueAndGradient(at x: [Double], batch: ArraySlice<Int>, gradient: inout [Double]) -> Double
    /// The fraction of training data classified correctly at x, for classifiers; `nil` (the
    /// default) otherwise. Reporting only: the harness evaluates it on the incumbent, uncharged.
    func accuracy(at x: [Double]) -> Double?

    /// The largest difference the harness accepts between a trial's recorded incumbent value and
    /// the value recomputed from its stored point (docs/DESIGN.md, invariant 1). Default:
    /// 1e-12·(1 + `roundingScale(at:)`); an external landscape's registry file declares its own.
    func recheckTolerance(at x: [Double]) -> Double
    /// `nil` while every value given can be trusted: always, for a landscape computed in this
    /// process (the default). A landscape that is an external program says here why it stopped
    /// answering; its values are then NaN and the run stops (exit 3), since a landscape that fails
    /// is not an outcome of the optimizer that was running on it.
    var programFailure: String? { get }
}

extension ContinuousLandscape {
    /// |f(x)| + d: generous for sums of d bounded terms; families with large cancelling terms
    /// override it.
    public func roundingScale(at x: [Double]) -> Double {
        abs(value(at: x)) + Double(dimension)
    }

    public var dataCount: Int { 0 }

    public var evaluationWork: Double { Double(dimension) }

    public func minibatchValueAndGradient(at x: [Double], batch: ArraySlice<Int>, gradient: inout [Double]) -> Double {
        valueAndGradient(at: x, gradient: &gradient)
    }

    public func accuracy(at x: [Double]) -> Double? { nil }

    public func recheckTolerance(at x: [Double]) -> Double { 1e-12 * (1 + roundingScale(at: x)) }

    public var programFailure: String? { nil }
}
