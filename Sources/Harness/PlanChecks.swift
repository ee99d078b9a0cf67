import Landscapes
import Optimizers

extension RunPlan {
    /// Refuses a plan in which some optimizer could not take a single step: a gradient method
    /// (`Optimizer.usesGradients`) on a landscape whose budget is below one gradient,
    /// `--grad-cost` or else the landscape's measured cost. Its trials would be one overspent call
    /// each, reported as if the method had been tried. Checked before anything runs.
    ///
    /// Likewise a method that spends part of the budget before its first credited call
    /// (`minimumBudget`: calibration probes for an automatic temperature, charged but never credited)
    /// is refused a budget below that, naming what the budget pays for; and a method whose memory
    /// grows faster than d (`sizeLimit`: cma-es's covariance, differential-evolution's population)
    /// is refused a dimension past its limit.
    public func checkBudgets() throws {
        for (landscape, entries) in zip(landscapes, optimizers) {
            // One gradient's cost: --grad-cost, or the landscape's own (spins take no gradients).
            var cost = gradCost ?? 1
            if gradCost == nil, case .continuous(let function) = landscape.landscape { cost = function.gradCost }
            for entry in entries {
                if landscape.budget < cost, entry.definition.usesGradients {
                    throw HarnessError("landscape \(landscape.spec.name): budget \(formatReal(landscape.budget)) is below one gradient "
                        + "(cost \(formatReal(cost)) evaluations), so \(entry.label) cannot take a step; give a budget of at least "
                        + "\(formatReal(cost))")
                }
                if let reason = entry.optimizer.sizeLimit(dimension: landscape.dimension) {
                    throw HarnessError("landscape \(landscape.spec.name): \(entry.label) \(reason)")
                }
                if let minimum = entry.optimizer.minimumBudget(gradCost: cost),
                   landscape.budget < minimum.evaluations {
                    throw HarnessError("landscape \(landscape.spec.name): budget \(formatReal(landscape.budget)) is below "
                        + "\(formatReal(minimum.evaluations)), the least with which \(entry.label) makes a call of its own "
                        + "(\(minimum.reason)); give a budget of at least \(formatReal(minimum.evaluations))")
                }
            }
        }
    }
}
