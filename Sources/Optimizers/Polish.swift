import Landscapes

/// The annealers' optional local polish (`sa`, `pt`, `pt-adaptive`, `piqa`, `gsl-siman`): off by
/// default; with `polish=true` the annealing runs on budget × (1 − `polish-reserve`), its schedule
/// spread over that allowance exactly as at a smaller budget, and then L-BFGS-B on the box
/// (`BoundedLBFGS`, scipy's defaults) starts from the best point the trial has evaluated and runs
/// on what is left: the reserve and whatever the annealing did not spend. Its evaluations are
/// value-and-gradient calls (cost `gradCost`) and credit like any other, so the polish can only
/// lower the incumbent, and what it costs is in the trial's `spent`. When L-BFGS-B converges
/// before the budget ends the trial ends there (`converged`); the rest is not spent.
///
/// Why an end polish and why 1%: a Metropolis walk at its coldest temperature still moves by
/// random proposals, so it reaches the bottom of the basin it ends in only to within its step
/// and temperature; a gradient method finishes that in a few gradients on a smooth basin, which
/// is what scipy's `differential_evolution` (polish on by default) and `dual_annealing` (a local
/// search on improvements) do. The reserve of 1% of the budget is this benchmark's choice. After a
/// default `sa` run (20 trials each at the families' default d and budget: sphere, rosenbrock,
/// double-well, styblinski-tang, six-hump-camel, rastrigin) the polish spent 1.9 to 20.5 budget
/// units on average; 1% of the default budget 2000·d is 200 at d = 10, ten times the most. It is
/// a parameter, so `bench tune` can move it.
///
/// Each polished trial reports `polish` in trials.csv's `diagnostics`: the incumbent before and
/// after (before is ∞ when the annealing credited nothing), and the budget the polish spent.
public struct PolishSettings: Sendable, Equatable {
    public enum Key {
        public static let polish = Parameter<Bool>("polish", default: false,
            "end with an L-BFGS-B polish from the best point found, on the reserve; off by default",
            listedAtDefault: false)
        public static let reserve = Parameter<Double>("polish-reserve", default: 0.01, in: 0.0001...0.9,
            "fraction of the budget held back for the polish (used only with polish=true); 0.01, our choice",
            listedAtDefault: false)
    }

    public static let specs = [Key.polish.spec, Key.reserve.spec]

    public var enabled: Bool
    public var reserve: Double

    public init(_ parameters: ParameterValues) {
        enabled = parameters[Key.polish]
        reserve = parameters[Key.reserve]
    }

    /// Holds the polish's reserve back (nothing when the polish is off); call before annealing.
    public func begin<L: ContinuousLandscape>(_ objective: inout Objective<L>) {
        guard enabled else { return }
        objective.holdBack(reserve * objective.budget)
    }

    /// Releases the reserve and polishes the incumbent (the trial's `start` when the annealing
    /// credited no evaluation: at a budget near the method's minimum its calibration probes can
    /// take all of the allowance); returns the trial's stop reason (`annealing`, the annealer's
    /// own, when the polish is off or nothing is left to spend).
    public func finish<L: ContinuousLandscape>(_ objective: inout Objective<L>, annealing: StopReason,
                                               start: [Double]) -> StopReason {
        guard enabled else { return annealing }
        objective.releaseReserve()
        guard objective.failure == nil, !objective.isExhausted else { return annealing }
        let before = objective.bestValue, spentBefore = objective.spent
        var x = before.isFinite ? objective.bestPoint : start
        var lbfgs = BoundedLBFGS(box: objective.domain)
        _ = lbfgs.minimize(&objective, from: &x)
        objective.report("polish", [before, objective.bestValue, objective.spent - spentBefore])
        return objective.isExhausted ? .budget : .converged
    }
}
