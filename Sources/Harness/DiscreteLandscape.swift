import Foundation
import Landscapes
import Optimizers

extension LandscapeKind {
    /// The registry names of the optimizers that apply, in catalog order.
    public var optimizerNames: [String] { OptimizerCatalog.names(for: self) }

    /// The kind of the built-in family `family`, or `nil` for a name no family has.
    public init?(family: String) {
        if IsingCatalog.family(named: family) != nil { self = .ising } else if LandscapeCatalog.names.contains(family) { self = .continuous } else { return nil }
    }
}

/// The continuous-protocol face of an Ising instance, kept so that reporting code written for
/// `ContinuousLandscape` (optimum, dimension) reads a discrete instance unchanged. Its value is
/// H(sign x) on the box [−1, 1]^N, piecewise constant (gradient 0 almost everywhere). No
/// optimizer ever runs on it: the harness dispatches Ising instances to the discrete path.
struct IsingSignLandscape: ContinuousLandscape {
    let model: IsingModel
    var dimension: Int { model.size }
    var domain: Box { Box(lower: [Double](repeating: -1, count: model.size), upper: [Double](repeating: 1, count: model.size)) }
    var optimum: KnownOptimum { model.optimum }
    var gradCost: Double { 1 }
    func value(at x: [Double]) -> Double { model.energy(x.map { $0 < 0 ? -1 : 1 }) }
    func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        for i in gradient.indices { gradient[i] = 0 }
        return value(at: x)
    }
}

extension ResolvedLandscape {
    public var kind: LandscapeKind { ising == nil ? .continuous : .ising }

    /// Builds an Ising instance from a spec whose family is in `IsingCatalog`. The spec's
    /// `parameters` hold the family's numeric parameters and, for `ising-file`, its text
    /// parameters (paths relative to the spec's folder). N is the family's; `--dimension` does not
    /// apply.
    init(ising spec: LandscapeSpec, family: IsingFamily, overrides: SpecOverrides) throws {
        if overrides.dimension != nil || spec.dimension != nil {
            throw HarnessError("landscape \(spec.name) (\(spec.source)): 'dimension' does not apply to Ising family \(family.name); "
                + "its size is a family parameter (see 'bench list')")
        }
        var numeric = spec.parameters
        var text = [String: String]()
        for name in family.textParameters { text[name] = numeric.removeValue(forKey: name) }
        let owner = "landscape \(spec.family) (\(spec.source))"
        let parameters = try ParameterValues(specs: family.parameters, overrides: numeric, owner: owner)
        let directory = spec.source == "built-in" ? "." : (spec.source as NSString).deletingLastPathComponent
        let instance = overrides.instance ?? spec.instance
        try RunLimits.check(spec, dimension: nil, trials: overrides.trials ?? spec.trials, budget: overrides.budget ?? spec.budget)
        let model: IsingModel
        do {
            model = try family.instance(instance, parameters: parameters, text: text, directory: directory.isEmpty ? "." : directory)
        } catch let error as IsingModelError {
            throw HarnessError("\(owner): \(error.description)")
        }
        var tolerances = family.tolerances
        if let v = spec.escapeAbsolute { tolerances.escapeAbsolute = v }
        if let v = spec.escapeRelative { tolerances.escapeRelative = v }
        if let v = spec.success { tolerances.success = v }
        self.spec = spec
        self.family = LandscapeFamily(
            name: family.name, summary: family.summary, parameters: family.parameters, defaultDimension: model.size,
            dimensions: model.size...model.size, tolerances: family.tolerances, optimumStatus: family.optimumStatus
        ) { _ in throw HarnessError("\(family.name) is an Ising family: build it through IsingCatalog") }
        self.parameters = parameters
        dimension = model.size
        self.instance = instance
        landscape = IsingSignLandscape(model: model)
        ising = model
        self.tolerances = tolerances
        budget = overrides.budget ?? spec.budget ?? LandscapeSpec.defaultBudget(dimension: model.size)
        trials = overrides.trials ?? spec.trials ?? LandscapeSpec.defaultTrials
        start = overrides.start ?? spec.start
        if spec.escapeAbsolute != nil || spec.escapeRelative != nil || spec.success != nil {
            let scale = model.roundingScale  // −scale ≤ H ≤ scale
            try ToleranceCheck.check(tolerances, highest: scale, floor: model.optimum.value ?? -scale,
                                     successApplies: model.optimum.value != nil, owner: "landscape \(spec.name) (\(spec.source))")
        }
    }

    /// Trial `trial`'s trap and start for an Ising instance, from `seed` alone. Spins are stored
    /// as ±1.0 in `TrialStart`'s points.
    /// - local-min: m0 = quench(uniform state), redrawn until E(m0) is above E* + ε; start = m0.
    ///   Families whose traps are declared (ferro-ring) use a declared trap instead.
    /// - uniform: start uniform; m0 = quench(start), which may be the ground state.
    /// - basin: m0 as for local-min; start = m0 with each spin flipped with probability `jitter`,
    ///   redrawn until its quench returns to m0.
    func drawIsingStart(_ model: IsingModel, seed: UInt64) throws -> TrialStart {
        var rng = Xoshiro256(seed: seed)
        func point(_ s: [Int8]) -> [Double] { s.map(Double.init) }
        switch start {
        case .initialization:
            throw HarnessError("\(spec.name): start 'init' needs a family initialization; spin glasses have none (use local-min, basin or uniform)")
        case .uniform:
            let s = model.randomState(using: &rng)
            let m0 = model.quench(s)
            return TrialStart(trapPoint: point(m0.state), trapValue: m0.energy, point: point(s),
                              trapped: isTrap(value: m0.energy), quenches: 1)
        case .localMin, .basin:
            var quenches = 0
            for _ in 0..<ResolvedLandscape.maxStartAttempts {
                quenches += 1
                let m0: (state: [Int8], energy: Double)
                if model.declaredTraps.isEmpty {
                    m0 = model.quench(model.randomState(using: &rng))
                } else {
                    let trap = model.declaredTraps[Int(rng.next() % UInt64(model.declaredTraps.count))]
                    m0 = (trap, model.energy(trap))
                }
                guard isTrap(value: m0.energy) else { continue }
                if start == .localMin {
                    return TrialStart(trapPoint: point(m0.state), trapValue: m0.energy, point: point(m0.state), trapped: true, quenches: quenches)
                }
                for _ in 0..<ResolvedLandscape.maxStartAttempts {
                    var s = m0.state
                    for i in 0..<s.count where rng.nextUnit() < spec.jitter { s[i] = -s[i] }
                    quenches += 1
                    if model.quench(s).state == m0.state {
                        return TrialStart(trapPoint: point(m0.state), trapValue: m0.energy, point: point(s), trapped: true, quenches: quenches)
                    }
                }
                throw HarnessError("\(spec.name): start 'basin' found no perturbed state that quenches back to its trap "
                    + "in \(ResolvedLandscape.maxStartAttempts) draws (jitter \(spec.jitter) flips too many spins)")
            }
            throw HarnessError("\(spec.name): start '\(start.rawValue)' found no state above the ground state in "
                + "\(ResolvedLandscape.maxStartAttempts) quenches from uniform states (use --start uniform)")
        }
    }
}

extension TrialRunner {
    /// The discrete core: one Ising model, one discrete optimizer. The trial fails if the
    /// optimizer spent more than the budget, or if the incumbent's energy recomputed from its
    /// stored spins disagrees with the tracked one (docs/DESIGN.md, invariant 1).
    static func runIsing(_ model: IsingModel, _ optimizer: any SpinOptimizer, settings: TrialSettings,
                         start: TrialStart, seed: UInt64) -> TrialRecord {
        let spins = start.point.map { Int8($0) }
        let delta = settings.tolerances.escapeMargin(trapValue: start.trapValue)
        let budget = Int(settings.budget.rounded(.down))
        var objective = SpinObjective(model: model, budget: budget, start: spins, escapeThreshold: start.trapValue - delta,
                                      successThreshold: settings.successThreshold)
        var rng = Xoshiro256(seed: seed)
        var stop = optimizer.minimize(&objective, from: spins, using: &rng)
        var failure = ""
        let recomputed = model.energy(objective.bestState)
        if objective.spent > objective.budget {
            // Invariant 1: a discrete optimizer stops exactly at the budget (flip attempts are
            // charged one by one, so nothing forces an overshoot).
            stop = .failed
            failure = "budget overspent: spent \(objective.spent) flip attempts of budget \(objective.budget); "
                + "a discrete optimizer must stop exactly at the budget"
        } else if !(abs(recomputed - objective.bestEnergy) <= 1e-12 * (1 + model.roundingScale)) {
            stop = .failed
            failure = "incumbent mismatch: recorded \(objective.bestEnergy), recomputed \(recomputed)"
        }
        let fStar = model.optimum.value
        let escaped = start.trapped && objective.spentAtEscape != nil && failure.isEmpty
        let success: Bool? = fStar == nil ? nil : (objective.spentAtSuccess != nil && failure.isEmpty)
        return TrialRecord(
            landscape: "", family: "", instance: 0, dimension: 0, landscapeParameters: "", optimizer: "",
            optimizerParameters: "", trial: 0, startSeed: 0, optimizerSeed: 0, start: settings.start,
            budget: settings.budget, trapValue: start.trapValue, trapped: start.trapped, escaped: escaped,
            evalsToEscape: escaped ? objective.spentAtEscape.map(Double.init) : nil,
            success: success, evalsToSuccess: success == true ? objective.spentAtSuccess.map(Double.init) : nil,
            // The incumbent's energy as recomputed from its spins (it agreed with the tracked
            // value to the tolerance above), so a ground state shows a gap of exactly 0.
            bestValue: recomputed, gap: fStar.map { recomputed - $0 },
            evaluations: objective.spent, gradientEvaluations: 0,
            spent: Double(objective.spent), stopReason: stop.rawValue, failure: failure, wallTime: 0)
    }
}
