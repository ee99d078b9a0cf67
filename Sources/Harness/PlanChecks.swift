import Landscapes
import Optimizers

extension RunPlan {
    /// Refuses a plan in which some optimizer could not take a single step: a gradient method
    /// (`ContinuousOptimizer.usesGradients`) on a landscape whose budget is below one gradient,
    /// `--grad-cost` or else the landscape's measured cost. Its trials would be one overspent call
    /// each, reported as if the method had been tried. Checked before anything runs.
    public func checkBudgets() throws {
        for (landscape, entries) in zip(landscapes, optimizers) where landscape.kind == .continuous {
            let cost = gradCost ?? landscape.landscape.gradCost
            guard landscape.budget < cost else { continue }
            for entry in entries where entry.kind == .continuous && type(of: entry.optimizer).usesGradients {
                throw HarnessError("landscape \(landscape.spec.name): budget \(formatReal(landscape.budget)) is below one gradient "
                    + "(cost \(formatReal(cost)) evaluations), so \(entry.label) cannot take a step; give a budget of at least "
                    + "\(formatReal(cost))")
            }
        }
    }
}
