import Landscapes

/// Opt-in recording of where a trial went, for the report's pictures: a thinned path (the points
/// an optimizer evaluated, or the states it reports through `Objective.traceState`), and for
/// population methods snapshots of the whole population at fixed fractions of the budget.
///
/// One recorder belongs to one trial (one thread). When tracing is off the `Objective` holds
/// `nil` and each call pays one nil check.
public final class TraceRecorder: @unchecked Sendable {
    public struct Sample: Sendable, Equatable {
        /// Budget spent when the point was recorded.
        public var spent: Double
        public var value: Double
        public var point: [Double]
        /// −1 for the path; k ≥ 0 for the k-th population snapshot.
        public var snapshot: Int
    }

    public private(set) var samples: [Sample] = []
    /// Budget fractions at which population snapshots are taken.
    public static let snapshotFractions = [0.0, 0.25, 0.5, 0.75, 1.0]

    let budget: Double
    let pathStride: Double
    var nextPathAt = 0.0
    var nextSnapshot = 0
    /// Set once the optimizer reports its own states: evaluated points are then not recorded.
    var explicitStates = false

    /// Records at most about `maxPathPoints` path points over `budget`.
    public init(budget: Double, maxPathPoints: Int = 400) {
        self.budget = budget
        pathStride = budget / Double(max(maxPathPoints, 1))
    }

    @usableFromInline func offerEvaluated(_ x: [Double], value: Double, spent: Double) {
        guard !explicitStates else { return }
        offerPath(x, value: value, spent: spent)
    }

    @usableFromInline func offerState(_ x: [Double], value: Double, spent: Double) {
        if !explicitStates {
            explicitStates = true
            samples.removeAll { $0.snapshot < 0 }
            nextPathAt = 0
        }
        offerPath(x, value: value, spent: spent)
    }

    private func offerPath(_ x: [Double], value: Double, spent: Double) {
        guard spent >= nextPathAt else { return }
        samples.append(Sample(spent: spent, value: value, point: x, snapshot: -1))
        nextPathAt = spent + pathStride
    }

    @usableFromInline func wantsSnapshot(at spent: Double) -> Bool {
        nextSnapshot < Self.snapshotFractions.count && spent >= Self.snapshotFractions[nextSnapshot] * budget * 0.999
    }

    func snapshot(_ points: [[Double]], values: [Double], spent: Double) {
        for (p, v) in zip(points, values) { samples.append(Sample(spent: spent, value: v, point: p, snapshot: nextSnapshot)) }
        nextSnapshot += 1
    }
}

extension Objective {
    /// Attaches a recorder (the harness does this for the first `--trace N` trials).
    public mutating func attach(_ recorder: TraceRecorder) { _tracer = recorder }

    /// Reports the optimizer's current state (a Markov chain's position, say) for the trace; a
    /// no-op unless tracing. Once called, evaluated points are no longer recorded for the path.
    @inlinable
    public mutating func traceState(_ x: [Double], value: Double) {
        _tracer?.offerState(x, value: value, spent: _spent)
    }

    /// Whether this trial is traced (for work that is only worth doing then, like a centroid).
    public var isTracing: Bool { _tracer != nil }

    /// Whether a population snapshot is due (true at 0, ¼, ½, ¾ and all of the budget while tracing).
    @inlinable
    public var wantsSnapshot: Bool { _tracer?.wantsSnapshot(at: _spent) ?? false }

    /// Records the whole population (replicas, beads) with their values.
    public mutating func traceSnapshot(_ points: [[Double]], values: [Double]) {
        _tracer?.snapshot(points, values: values, spent: _spent)
    }
}
