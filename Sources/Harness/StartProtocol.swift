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
    /// optimizer faces the same start). Throws when the protocol cannot be satisfied. One
    /// algorithm for both kinds, over the kind's `StartSpace`:
    /// - init: start = the family's initialization; m0 = quench(start).
    /// - uniform: start uniform; m0 = quench(start), which may be the global minimum.
    /// - local-min: m0 = quench(uniform draw), redrawn until m0 is a converged trap (above
    ///   f* + ε); start = m0. Families whose traps are declared (ferro-ring) use a declared trap.
    /// - basin: m0 as for local-min; start = m0 jittered, redrawn until its quench returns to m0.
    public func drawStart(seed: UInt64, quench: ReferenceQuench = ReferenceQuench(),
                          workLimit: Double = ResolvedLandscape.startWorkLimit) throws -> TrialStart {
        switch landscape {
        case .continuous(let landscape):
            return try drawContinuousStart(landscape, quench: quench, seed: seed, workLimit: workLimit)
        case .ising(let model):
            return try drawStart(in: SpinStartSpace(model: model), seed: seed, workLimit: workLimit)
        }
    }

    /// Opens the landscape's existential once, so the quench runs specialized code.
    private func drawContinuousStart<L: ContinuousLandscape>(_ landscape: L, quench: ReferenceQuench, seed: UInt64,
                                                             workLimit: Double) throws -> TrialStart {
        try drawStart(in: ContinuousStartSpace(landscape: landscape, quench: quench), seed: seed, workLimit: workLimit)
    }

    private func drawStart<Space: StartSpace>(in space: Space, seed: UInt64, workLimit: Double) throws -> TrialStart {
        var rng = Xoshiro256(seed: seed)
        // Every quench of this start, redraws included, shares one setup limit.
        var remaining = workLimit
        var quenches = 0
        func run(_ point: Space.Point) throws -> (point: Space.Point, value: Double, converged: Bool) {
            guard remaining >= space.unitWork else {
                // A noisy external program's quench never stops: a smaller instance would not help.
                let advice = landscape.externalFile.map { $0.recheckTolerance > 0 } == true
                    ? "use --start uniform (values that differ by up to recheck-tolerance make the quench's gradients noisy)"
                    : "use --start uniform or a smaller instance"
                throw HarnessError("\(spec.name): start '\(start.rawValue)' reached the setup limit of "
                    + "\(formatReal(workLimit)) work units after \(quenches) quenches (one evaluation is "
                    + "\(formatReal(space.unitWork)) units) without finding its start; \(advice)")
            }
            let result = space.quench(point, workLimit: remaining)
            remaining -= result.work
            return (result.point, result.value, result.converged)
        }
        func trialStart(_ m0: (point: Space.Point, value: Double, converged: Bool), start: Space.Point) -> TrialStart {
            TrialStart(trapPoint: space.coordinates(m0.point), trapValue: m0.value, point: space.coordinates(start),
                       trapped: isTrap(value: m0.value), quenches: quenches)
        }
        switch start {
        case .initialization:
            guard let initialize = family.initialization else { throw ResolvedLandscape.noInitialization(spec.name, family.name) }
            let point = space.initialized(initialize(dimension, parameters, &rng))
            quenches = 1
            return trialStart(space.quench(point, workLimit: .infinity).asTuple, start: point)
        case .uniform:
            let point = space.uniform(using: &rng)
            quenches = 1
            return trialStart(space.quench(point, workLimit: .infinity).asTuple, start: point)
        case .localMin, .basin:
            for _ in 0..<ResolvedLandscape.maxStartAttempts {
                quenches += 1
                let m0 = try space.declaredTrap(using: &rng) ?? run(space.uniform(using: &rng))
                guard m0.converged, isTrap(value: m0.value) else { continue }
                if start == .localMin { return trialStart(m0, start: m0.point) }
                for _ in 0..<ResolvedLandscape.maxStartAttempts {
                    let point = space.jittered(m0.point, by: jitter, using: &rng)
                    quenches += 1
                    let back = try run(point)
                    if back.converged && space.sameMinimum(back.point, m0.point) { return trialStart(m0, start: point) }
                }
                throw HarnessError("\(spec.name): start 'basin' found no \(space.jitteredNoun) that quenches back to its trap "
                    + "in \(ResolvedLandscape.maxStartAttempts) draws (jitter \(jitter) \(space.jitterTooLarge))")
            }
            throw HarnessError("\(spec.name): start '\(start.rawValue)' found no \(space.trapNoun) in "
                + "\(ResolvedLandscape.maxStartAttempts) quenches from uniform \(space.pointsNoun) \(space.noTrapHint)")
        }
    }

    private var jitter: Double { spec.jitter }

    /// The error for `--start init` on a family without an initialization, naming those with one.
    static func noInitialization(_ landscape: String, _ family: String) -> HarnessError {
        let families = LandscapeCatalog.families.filter { $0.initialization != nil }.map(\.name)
        return HarnessError("\(landscape): start 'init' needs a family with its own initialization; \(family) has none "
            + "(families with one: \(families.joined(separator: ", ")); use local-min, basin or uniform)")
    }
}

/// What the start protocols need of one landscape kind: uniform draws, the reference quench
/// with its work, a jitter, the test that two quench ends are the same minimum, and the nouns of
/// its messages. `drawStart` runs the protocols once over this.
protocol StartSpace {
    associatedtype Point
    /// The work of one evaluation, in the units of `ResolvedLandscape.startWorkLimit`.
    var unitWork: Double { get }
    func uniform(using rng: inout Xoshiro256) -> Point
    func initialized(_ point: [Double]) -> Point
    /// The reference quench from `point`, stopping before its work would pass `workLimit`.
    func quench(_ point: Point, workLimit: Double) -> QuenchEnd<Point>
    /// A trap the family declares, drawn from `rng`; `nil` (drawing nothing) when it declares none.
    func declaredTrap(using rng: inout Xoshiro256) -> (point: Point, value: Double, converged: Bool)?
    func jittered(_ point: Point, by jitter: Double, using rng: inout Xoshiro256) -> Point
    func sameMinimum(_ a: Point, _ b: Point) -> Bool
    /// The point as `TrialStart` stores it (spins as ±1.0).
    func coordinates(_ point: Point) -> [Double]
    var jitteredNoun: String { get }
    var jitterTooLarge: String { get }
    var trapNoun: String { get }
    var pointsNoun: String { get }
    var noTrapHint: String { get }
}

struct QuenchEnd<Point> {
    var point: Point
    var value: Double
    var converged: Bool
    var work: Double
    var asTuple: (point: Point, value: Double, converged: Bool) { (point, value, converged) }
}

/// Continuous starts: points of the box, the reference quench (projected gradient descent), a
/// Gaussian jitter of `jitter` box widths reflected at the walls.
struct ContinuousStartSpace<L: ContinuousLandscape>: StartSpace {
    let landscape: L
    let quench: ReferenceQuench
    var box: Box { landscape.domain }

    var unitWork: Double { max(landscape.evaluationWork, 1) }
    func uniform(using rng: inout Xoshiro256) -> [Double] { box.uniformPoint(using: &rng) }
    func initialized(_ point: [Double]) -> [Double] {
        var point = point
        box.project(&point)
        return point
    }
    func quench(_ point: [Double], workLimit: Double) -> QuenchEnd<[Double]> {
        var limited = quench
        limited.workLimit = min(quench.workLimit, workLimit)
        let m = limited.run(landscape, from: point)
        return QuenchEnd(point: m.point, value: m.value, converged: m.converged, work: m.work)
    }
    func declaredTrap(using rng: inout Xoshiro256) -> (point: [Double], value: Double, converged: Bool)? { nil }
    func jittered(_ point: [Double], by jitter: Double, using rng: inout Xoshiro256) -> [Double] {
        let box = self.box
        var point = point
        for i in 0..<point.count {
            point[i] += jitter * (box.upper[i] - box.lower[i]) * rng.nextGaussian()
        }
        box.reflect(&point)
        return point
    }
    /// Two quench end points are the same minimum when they agree to 1e-6 of the box diagonal
    /// (the quench stops at a gradient of 1e-7, far inside that).
    func sameMinimum(_ a: [Double], _ b: [Double]) -> Bool {
        var s = 0.0
        for i in 0..<a.count { s += (a[i] - b[i]) * (a[i] - b[i]) }
        return s.squareRoot() <= 1e-6 * box.diagonal
    }
    func coordinates(_ point: [Double]) -> [Double] { point }
    var jitteredNoun: String { "jittered point" }
    var jitterTooLarge: String { "is too large for this landscape's basins" }
    var trapNoun: String { "non-global local minimum" }
    var pointsNoun: String { "points" }
    var noTrapHint: String { "(the landscape may have none; use --start uniform)" }
}

/// Ising starts: uniform spin states, the greedy single-flip quench, a jitter that flips each
/// spin with probability `jitter`. A quench always ends in a local minimum, and its work is not
/// counted against the start's limit: the family size limits bound it (each flip lowers the
/// energy by at least the smallest gap, so a quench makes at most a few sweeps of N flips).
struct SpinStartSpace: StartSpace {
    let model: IsingModel

    var unitWork: Double { 0 }
    func uniform(using rng: inout Xoshiro256) -> [Int8] { model.randomState(using: &rng) }
    func initialized(_ point: [Double]) -> [Int8] { point.map { $0 < 0 ? -1 : 1 } }
    func quench(_ point: [Int8], workLimit: Double) -> QuenchEnd<[Int8]> {
        let m = model.quench(point)
        return QuenchEnd(point: m.state, value: m.energy, converged: true, work: 0)
    }
    func declaredTrap(using rng: inout Xoshiro256) -> (point: [Int8], value: Double, converged: Bool)? {
        guard !model.declaredTraps.isEmpty else { return nil }
        let trap = model.declaredTraps[Int(rng.next() % UInt64(model.declaredTraps.count))]
        return (trap, model.energy(trap), true)
    }
    func jittered(_ point: [Int8], by jitter: Double, using rng: inout Xoshiro256) -> [Int8] {
        var s = point
        for i in 0..<s.count where rng.nextUnit() < jitter { s[i] = -s[i] }
        return s
    }
    func sameMinimum(_ a: [Int8], _ b: [Int8]) -> Bool { a == b }
    func coordinates(_ point: [Int8]) -> [Double] { point.map(Double.init) }
    var jitteredNoun: String { "perturbed state" }
    var jitterTooLarge: String { "flips too many spins" }
    var trapNoun: String { "state above the ground state" }
    var pointsNoun: String { "states" }
    var noTrapHint: String { "(use --start uniform)" }
}
