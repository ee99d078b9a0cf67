import Landscapes

/// The minibatch schedule `sgd` and `adam` share on landscapes with data (`dataCount` N > 0):
/// each step's gradient is the minibatch gradient of b data drawn without replacement within an
/// epoch (a permutation of 0..<N, reshuffled by Fisher–Yates from the trial's stream when fewer
/// than b indices remain), charged (b/N)·gradCost. A minibatch loss is not f, so every K steps
/// (and before the first) the full training loss is evaluated at the current iterate (cost 1):
/// only those evaluations update the incumbent. K = 0 means once per epoch, ⌈N/b⌉ steps.
///
/// Allocates its permutation once per trial; a step allocates nothing.
struct Minibatches {
    var order: [Int]
    var position: Int
    let batchSize: Int
    let fullEvaluationInterval: Int
    var stepsSinceFullEvaluation: Int

    /// `nil` (use full gradients) when the landscape has no data or `batchSize` is 0.
    init?(dataCount: Int, batchSize: Int, fullEvaluationInterval: Int) {
        guard dataCount > 0, batchSize > 0 else { return nil }
        order = Array(0..<dataCount)
        self.batchSize = min(batchSize, dataCount)
        position = dataCount  // shuffle before the first batch
        self.fullEvaluationInterval = fullEvaluationInterval > 0
            ? fullEvaluationInterval : (dataCount + self.batchSize - 1) / self.batchSize
        stepsSinceFullEvaluation = self.fullEvaluationInterval
    }

    /// The minibatch gradient at x into `gradient`, preceded by a full evaluation when one is due.
    mutating func gradient<L: ContinuousLandscape>(
        _ objective: inout Objective<L>, at x: [Double], into gradient: inout [Double], using rng: inout Xoshiro256
    ) {
        if stepsSinceFullEvaluation >= fullEvaluationInterval {
            _ = objective.value(at: x)
            stepsSinceFullEvaluation = 0
            if objective.isExhausted { return }
        }
        stepsSinceFullEvaluation += 1
        if position + batchSize > order.count {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.nextIndex(below: UInt64(i + 1))))
            }
            position = 0
        }
        let batch = order[position..<(position + batchSize)]
        position += batchSize
        _ = objective.minibatchValueAndGradient(at: x, batch: batch, gradient: &gradient)
    }

    /// b, the minibatch size (0: full gradients).
    public static let batchSize = Parameter<Int>("batch-size", default: 0, in: 0...1_000_000_000,
        "b; 0 = full gradients. On landscapes with data (mlp): minibatches of b data, without replacement within an epoch, each charged (b/N)·gradCost")
            .tuning(.fixed(why: "0 = full gradients; a minibatch size changes what a step costs, so it is a method of its own"))
    /// K, minibatch steps between charged full-loss evaluations.
    public static let fullEvaluationInterval = Parameter<Int>("full-evaluation-interval", default: 0, in: 0...1_000_000_000,
        "K, minibatch steps between charged full-loss evaluations (only these update the incumbent); 0 = once per epoch, ⌈N/b⌉")
            .tuning(.fixed(why: "0 = once per epoch; used only with minibatches"))

    static let parameterSpecs = [batchSize.spec, fullEvaluationInterval.spec]
}
