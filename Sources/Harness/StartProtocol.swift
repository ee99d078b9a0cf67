import Landscapes

/// A trial's trap and start point.
public struct TrialStart: Sendable {
    /// m0: where the reference quench stopped.
    public var trapPoint: [Double]
    /// f(m0).
    public var trapValue: Double
    /// Where the optimizer starts.
    public var point: [Double]
    /// Whether m0 is a non-global minimum (always true when f* is unknown).
    public var trapped: Bool
    /// How many quenches the protocol needed (redraws included).
    public var quenches: Int
}

extension ResolvedLandscape {
    /// How many uniform draws `local-min` and `basin` try before declaring that the landscape has
    /// no reachable non-global minimum.
    public static let maxStartAttempts = 1000
    /// The setup limit of one trial's start: its quenches together (redraws included) do at most
    /// 5·10⁸ units of `evaluationWork`, each at most its own `ReferenceQuench.workLimit` (10⁸).
    public static let startWorkLimit = 5e8

    /// Draws trial `trial`'s trap and start from `seed` alone (docs/DESIGN.md invariant 2: every
    /// optimizer faces the same start). Throws when the protocol cannot be satisfied.
    public func drawStart(seed: UInt64, quench: ReferenceQuench = ReferenceQuench(),
                          workLimit: Double = ResolvedLandscape.startWorkLimit) throws -> TrialStart {
        if let ising { return try drawIsingStart(ising, seed: seed) }
        return try drawStart(landscape, seed: seed, quench: quench, workLimit: workLimit)
    }

    private func drawStart<L: ContinuousLandscape>(_ landscape: L, seed: UInt64, quench: ReferenceQuench,
                                                   workLimit: Double) throws -> TrialStart {
        var rng = Xoshiro256(seed: seed)
        let box = landscape.domain
        switch start {
        case .initialization:
            guard let initialize = family.initialization else { throw ResolvedLandscape.noInitialization(spec.name, family.name) }
            var point = initialize(dimension, parameters, &rng)
            box.project(&point)
            let m0 = quench.run(landscape, from: point)
            return TrialStart(trapPoint: m0.point, trapValue: m0.value, point: point,
                              trapped: isTrap(value: m0.value), quenches: 1)
        case .uniform:
            let point = box.uniformPoint(using: &rng)
            let m0 = quench.run(landscape, from: point)
            return TrialStart(trapPoint: m0.point, trapValue: m0.value, point: point,
                              trapped: isTrap(value: m0.value), quenches: 1)
        case .localMin, .basin:
            // Every quench of this start, redraws included, shares one setup limit.
            var remaining = workLimit
            var quenches = 0
            func run(_ point: [Double]) throws -> ReferenceQuench.Result {
                guard remaining >= max(landscape.evaluationWork, 1) else {
                    throw HarnessError("\(spec.name): start '\(start.rawValue)' reached the setup limit of "
                        + "\(formatReal(workLimit)) work units after \(quenches) quenches (one evaluation is "
                        + "\(formatReal(landscape.evaluationWork)) units) without finding its start; use --start uniform or a smaller instance")
                }
                var limited = quench
                limited.workLimit = min(quench.workLimit, remaining)
                let result = limited.run(landscape, from: point)
                remaining -= result.work
                return result
            }
            for _ in 0..<ResolvedLandscape.maxStartAttempts {
                quenches += 1
                let m0 = try run(box.uniformPoint(using: &rng))
                guard m0.converged, isTrap(value: m0.value) else { continue }
                if start == .localMin {
                    return TrialStart(trapPoint: m0.point, trapValue: m0.value, point: m0.point, trapped: true, quenches: quenches)
                }
                // basin: jitter around m0 until the quench from the jittered point returns to m0.
                for _ in 0..<ResolvedLandscape.maxStartAttempts {
                    var point = m0.point
                    for i in 0..<point.count {
                        point[i] += jitter * (box.upper[i] - box.lower[i]) * rng.nextGaussian()
                    }
                    box.reflect(&point)
                    quenches += 1
                    let back = try run(point)
                    if back.converged && sameMinimum(back.point, m0.point, box: box) {
                        return TrialStart(trapPoint: m0.point, trapValue: m0.value, point: point, trapped: true, quenches: quenches)
                    }
                }
                throw HarnessError("\(spec.name): start 'basin' found no jittered point that quenches back to its trap "
                    + "in \(ResolvedLandscape.maxStartAttempts) draws (jitter \(jitter) is too large for this landscape's basins)")
            }
            throw HarnessError("\(spec.name): start '\(start.rawValue)' found no non-global local minimum in "
                + "\(ResolvedLandscape.maxStartAttempts) quenches from uniform points (the landscape may have none; use --start uniform)")
        }
    }

    private var jitter: Double { spec.jitter }

    /// The error for `--start init` on a family without an initialization, naming those with one.
    static func noInitialization(_ landscape: String, _ family: String) -> HarnessError {
        let families = LandscapeCatalog.families.filter { $0.initialization != nil }.map(\.name)
        return HarnessError("\(landscape): start 'init' needs a family with its own initialization; \(family) has none "
            + "(families with one: \(families.joined(separator: ", ")); use local-min, basin or uniform)")
    }

    /// Two quench end points are the same minimum when they agree to 1e-6 of the box diagonal
    /// (the quench stops at a gradient of 1e-7, far inside that).
    private func sameMinimum(_ a: [Double], _ b: [Double], box: Box) -> Bool {
        var s = 0.0
        for i in 0..<a.count { s += (a[i] - b[i]) * (a[i] - b[i]) }
        return s.squareRoot() <= 1e-6 * box.diagonal
    }
}
