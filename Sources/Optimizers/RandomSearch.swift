import Landscapes

/// Pure random search: independent points uniform in the box, keeping the best (Brooks 1958;
/// Rastrigin 1963). The floor every method must beat (docs/DESIGN.md, invariant 4).
///
///     x_k ~ Uniform(box),  k = 1, 2, …
///
/// Every proposal is drawn inside the box, so neither projection nor reflection is needed. The
/// first evaluation is the start point itself (cost 1), so its incumbent, like every other
/// optimizer's, is never worse than f(start). It has no parameters.
public struct RandomSearch: ContinuousOptimizer {
    public static let name = "random-search"
    public static let summary = "uniform points in the box, keep the best: the floor every method must beat"
    public static let parameterSpecs: [ParameterSpec] = []

    public init(parameters: ParameterValues) throws {}

    public func minimize<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, from start: [Double], using rng: inout Xoshiro256
    ) -> StopReason {
        let box = objective.domain
        var x = start
        _ = objective.value(at: x)
        while !objective.isExhausted {
            for i in 0..<x.count {
                // nextUnit() ∈ [0, 1); the min guards against rounding past the upper face.
                x[i] = Swift.min(box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUnit(), box.upper[i])
            }
            _ = objective.value(at: x)
        }
        return .budget
    }
}
