import Foundation

/// The training loss of a small multilayer perceptron on a seeded synthetic dataset (`Dataset`):
///
///     a_0 = x_s,  a_l = σ(W_l a_{l−1} + b_l) (hidden layers, σ = tanh or ReLU),
///     z = W_L a_{L−1} + b_L (one output per class),
///     f(θ) = (1/N) Σ_s ℓ(z(x_s), y_s),
///
/// with ℓ the cross-entropy of softmax(z) (ℓ = log Σ_c e^{z_c} − z_y) or the squared loss
/// ½‖z − onehot(y)‖². θ holds, layer by layer, W_l row by row (out × in) then b_l; the domain is
/// [−B, B]^d. The gradient is backpropagation's; at a ReLU kink (z = 0) it takes σ'(0) = 0.
///
/// Minibatches: f is a mean over N data, so `minibatchValueAndGradient` over b distinct indices
/// is an unbiased estimate of f and ∇f when the b indices are drawn uniformly; over the batches of
/// a partition of the data it averages to f and ∇f exactly. Every call processes one sample at a
/// time with scratch space on the stack: value, gradient and minibatch gradient allocate nothing.
///
/// f* is `unknown`: the training loss of a network that fits the data tends to 0 only as weights
/// grow, and the box keeps them finite; the harness reports the training loss reached (the
/// `best_value` column) and the training accuracy of the incumbent (`training_accuracy`).
/// Local minima: many, from the symmetries of hidden units (permutations; sign flips for tanh)
/// and from saturated or dead units; none is known in closed form.
public struct MultilayerPerceptron: ContinuousLandscape {
    public enum Activation: String, ParameterChoice { case tanh, relu }
    public enum Loss: String, ParameterChoice {
        case crossEntropy = "cross-entropy"
        case squared
    }

    public let data: Dataset
    /// Units per layer, input and output included: [2, h, …, h, C].
    public let layerSizes: [Int]
    public let activation: Activation
    public let loss: Loss
    public let domain: Box
    public let dimension: Int
    /// Where layer l's W_l (l ≥ 1) starts in θ; b_l follows W_l.
    @usableFromInline let weightOffsets: [Int]
    /// Where layer l's units start in the scratch buffer.
    @usableFromInline let unitOffsets: [Int]
    @usableFromInline let totalUnits: Int

    public var optimum: KnownOptimum { .unknown }
    public var dataCount: Int { data.count }

    public init(data: Dataset, hiddenSizes: [Int], activation: Activation, loss: Loss, bound: Double) {
        self.data = data
        layerSizes = [Dataset.inputDimension] + hiddenSizes + [data.classes]
        self.activation = activation
        self.loss = loss
        var weightOffsets = [0], unitOffsets = [0], d = 0, units = layerSizes[0]
        for l in 1..<layerSizes.count {
            weightOffsets.append(d)
            d += layerSizes[l] * (layerSizes[l - 1] + 1)
            unitOffsets.append(units)
            units += layerSizes[l]
        }
        self.weightOffsets = weightOffsets
        self.unitOffsets = unitOffsets
        totalUnits = units
        dimension = d
        domain = Box(cube: -bound, bound, dimension: d)
    }

    /// d = Σ_l out_l·(in_l + 1) for the given layer sizes.
    public static func parameterCount(layerSizes: [Int]) -> Int {
        (1..<layerSizes.count).reduce(0) { $0 + layerSizes[$1] * (layerSizes[$1 - 1] + 1) }
    }

    /// (value+gradient time)/(value time), measured by the benchmark `value-vs-gradient/mlp`
    /// (release, defaults, instance 1; median 521 ms / 414 ms per 10 000 calls on 2 shared cores: the
    /// forward pass's tanh dominates, backpropagation adds a quarter):
    /// `cd Benchmarks && swift package benchmark --target GradientCost --filter 'value-vs-gradient/mlp.*'`.
    public var gradCost: Double { 1.3 }

    /// N·d: every sample passes through every weight (forward and backward).
    public var evaluationWork: Double { Double(data.count) * Double(dimension) }

    public func value(at x: [Double]) -> Double {
        x.withUnsafeBufferPointer { evaluate($0, samples: 0..<data.count, gradient: nil).loss }
    }

    public func valueAndGradient(at x: [Double], gradient: inout [Double]) -> Double {
        x.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { evaluate(p, samples: 0..<data.count, gradient: $0).loss }
        }
    }

    public func minibatchValueAndGradient(at x: [Double], batch: ArraySlice<Int>, gradient: inout [Double]) -> Double {
        x.withUnsafeBufferPointer { p in
            gradient.withUnsafeMutableBufferPointer { evaluate(p, samples: batch, gradient: $0).loss }
        }
    }

    /// The fraction of the N data whose largest output is their class.
    public func accuracy(at x: [Double]) -> Double? {
        let correct = x.withUnsafeBufferPointer { evaluate($0, samples: 0..<data.count, gradient: nil).correct }
        return Double(correct) / Double(data.count)
    }

    /// Mean loss over `samples` (and its gradient, when asked for), and how many of them the
    /// network classifies correctly.
    func evaluate<S: Collection<Int>>(_ theta: UnsafeBufferPointer<Double>, samples: S,
                                      gradient: UnsafeMutableBufferPointer<Double>?) -> (loss: Double, correct: Int) {
        precondition(theta.count == dimension, "point has \(theta.count) coordinates, mlp \(dimension)")
        if let gradient { for i in 0..<gradient.count { gradient[i] = 0 } }
        let layers = layerSizes.count - 1, classes = data.classes
        var total = 0.0, correct = 0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * totalUnits) { scratch in
            let a = UnsafeMutableBufferPointer(rebasing: scratch[0..<totalUnits])
            let delta = UnsafeMutableBufferPointer(rebasing: scratch[totalUnits..<(2 * totalUnits)])
            data.inputs.withUnsafeBufferPointer { inputs in
                data.labels.withUnsafeBufferPointer { labels in
                    for s in samples {
                        a[0] = inputs[2 * s]
                        a[1] = inputs[2 * s + 1]
                        // Forward.
                        for l in 1...layers {
                            let inCount = layerSizes[l - 1], outCount = layerSizes[l]
                            let w = weightOffsets[l], bias = w + outCount * inCount
                            let previous = unitOffsets[l - 1], current = unitOffsets[l]
                            for o in 0..<outCount {
                                var z = theta[bias + o]
                                for i in 0..<inCount { z += theta[w + o * inCount + i] * a[previous + i] }
                                if l < layers {
                                    z = activation == .tanh ? Foundation.tanh(z) : Swift.max(0, z)
                                }
                                a[current + o] = z
                            }
                        }
                        // Loss and δ_L = ∂ℓ/∂z.
                        let out = unitOffsets[layers], y = labels[s]
                        var best = 0
                        for c in 1..<classes where a[out + c] > a[out + best] { best = c }
                        if best == y { correct += 1 }
                        switch loss {
                        case .crossEntropy:
                            let m = a[out + best]
                            var sum = 0.0
                            for c in 0..<classes { sum += exp(a[out + c] - m) }
                            let logSum = m + log(sum)
                            total += logSum - a[out + y]
                            for c in 0..<classes { delta[out + c] = exp(a[out + c] - logSum) - (c == y ? 1 : 0) }
                        case .squared:
                            for c in 0..<classes {
                                let r = a[out + c] - (c == y ? 1 : 0)
                                total += 0.5 * r * r
                                delta[out + c] = r
                            }
                        }
                        guard let gradient else { continue }
                        // Backward.
                        for l in stride(from: layers, through: 1, by: -1) {
                            let inCount = layerSizes[l - 1], outCount = layerSizes[l]
                            let w = weightOffsets[l], bias = w + outCount * inCount
                            let previous = unitOffsets[l - 1], current = unitOffsets[l]
                            for o in 0..<outCount {
                                let d = delta[current + o]
                                gradient[bias + o] += d
                                for i in 0..<inCount { gradient[w + o * inCount + i] += d * a[previous + i] }
                            }
                            guard l > 1 else { continue }
                            for i in 0..<inCount {
                                var back = 0.0
                                for o in 0..<outCount { back += theta[w + o * inCount + i] * delta[current + o] }
                                let h = a[previous + i]
                                delta[previous + i] = back * (activation == .tanh ? 1 - h * h : (h > 0 ? 1 : 0))
                            }
                        }
                    }
                }
            }
        }
        let scale = 1 / Double(samples.count)
        if let gradient { for i in 0..<gradient.count { gradient[i] *= scale } }
        return (total * scale, correct)
    }
}

private typealias Key = MultilayerPerceptron.Key

extension MultilayerPerceptron {
    /// The family's parameters, typed: `parameters[Key.name]` has the parameter's own type.
    public enum Key {
        public static let dataset = Parameter<Dataset.Kind>("dataset", default: .xor,
            "the data: xor (default; the classic non-separable problem), two-spirals, two-moons, gaussian-blobs (3 classes)")
        public static let samples = Parameter<Int>("samples", default: 200, in: 1...1_000_000,
            "N, training data (200: many minibatches of 10–20 per epoch, fast full evaluations)")
        public static let noise = Parameter<Double>("noise", default: 0.1, in: 0...10,
            "standard deviation of the Gaussian noise on each input coordinate (0.1: a tenth of the data's scale)")
        public static let hiddenWidth = Parameter<Int>("hidden-width", default: 8, in: 1...1000,
            "units per hidden layer (8: enough for xor and moons, tight for spirals)")
        public static let hiddenLayers = Parameter<Int>("hidden-layers", default: 1, in: 1...20, "hidden layers (1)")
        public static let activation = Parameter<Activation>("activation", default: .tanh,
            "hidden activation: tanh (default, smooth) or relu")
        public static let loss = Parameter<Loss>("loss", default: .crossEntropy,
            "cross-entropy of the softmax (default) or squared loss on one-hot targets")
        public static let bound = Parameter<Double>("bound", default: 5, in: 1e-3...1e3,
            "B, the box [−B, B] on every weight (5: tanh saturates well inside; keeps the loss bounded)")
    }
}

extension LandscapeFamily {
    public static let multilayerPerceptron: LandscapeFamily = {
        var family = LandscapeFamily(
            name: "mlp",
            summary: "training loss of a multilayer perceptron (2 → hidden → classes; tanh or ReLU; cross-entropy or squared) "
                + "on a seeded 2-D dataset; minibatches; f* unknown (reports training loss and accuracy); samples × weights ≤ 50000, weights ≤ 5000",
            parameters: [
                Key.dataset.spec,
                Key.samples.spec,
                Key.noise.spec,
                Key.hiddenWidth.spec,
                Key.hiddenLayers.spec,
                Key.activation.spec,
                Key.loss.spec,
                Key.bound.spec,
            ],
            defaultDimension: 42, dimensions: 1...1_000_000,  // the defaults' layers 2 → 8 → 2
            // f* is unknown, so success never applies; escape uses the default margins.
            tolerances: Tolerances(success: 1e-3), optimumStatus: .unknown
        ) { request in
            let p = request.parameters
            try MultilayerPerceptronRules.checkWork(p)
            let kind = p[Key.dataset]
            var rng = Xoshiro256(seed: request.seed)
            let data = Dataset(kind: kind, count: p[Key.samples], noise: p[Key.noise], using: &rng)
            return MultilayerPerceptron(
                data: data, hiddenSizes: Array(repeating: p[Key.hiddenWidth], count: p[Key.hiddenLayers]),
                activation: p[Key.activation],
                loss: p[Key.loss], bound: p[Key.bound])
        }
        family.impliedDimension = MultilayerPerceptronRules.dimension
        family.initialization = MultilayerPerceptronRules.glorot
        return family
    }()
}

enum MultilayerPerceptronRules {
    /// The most work one evaluation may cost: samples × weights ≤ 5·10⁴ (the defaults' 200 × 42
    /// is 8400). Every evaluation, the reference quench's and the optimizers', passes every sample
    /// through every weight; past this limit a run of a few hundred evaluations per optimizer no
    /// longer finishes in seconds.
    static let maximumWork = 50_000
    /// The most weights: 5000. An optimizer's own work per step grows with d (Nelder–Mead keeps
    /// d + 1 points of d coordinates), whatever the evaluation costs.
    static let maximumWeights = 5000

    /// Refuses, before the dataset is drawn, parameters whose evaluation would cost more than
    /// `maximumWork`.
    static func checkWork(_ p: ParameterValues) throws {
        let samples = p[Key.samples], weights = dimension(p).value
        guard weights <= maximumWeights else {
            throw LandscapeError.invalidParameters(
                family: "mlp", reason: "\(weights) weights is above the limit of \(maximumWeights) (a narrower or shallower network)")
        }
        guard samples * weights <= maximumWork else {
            throw LandscapeError.invalidParameters(
                family: "mlp", reason: "samples × weights = \(samples) × \(weights) is above the limit of \(maximumWork) "
                    + "(fewer samples, a narrower or shallower network)")
        }
    }

    static func layerSizes(_ p: ParameterValues) -> [Int] {
        let classes = p[Key.dataset].classes
        return [Dataset.inputDimension] + Array(repeating: p[Key.hiddenWidth], count: p[Key.hiddenLayers]) + [classes]
    }

    /// d = Σ_l out_l·(in_l + 1).
    @Sendable static func dimension(_ p: ParameterValues) -> (value: Int, rule: String) {
        let sizes = layerSizes(p)
        return (MultilayerPerceptron.parameterCount(layerSizes: sizes),
                "the weights and biases of layers " + sizes.map(String.init).joined(separator: " → "))
    }

    /// Glorot & Bengio 2010 ("Xavier") normal initialization: W_l entries N(0, 2/(in + out)),
    /// biases 0, kept in the box.
    @Sendable static func glorot(_ dimension: Int, _ p: ParameterValues, _ rng: inout Xoshiro256) -> [Double] {
        let sizes = layerSizes(p), bound = p[Key.bound]
        var theta = [Double]()
        theta.reserveCapacity(dimension)
        for l in 1..<sizes.count {
            let sigma = (2 / Double(sizes[l - 1] + sizes[l])).squareRoot()
            for _ in 0..<(sizes[l] * sizes[l - 1]) { theta.append(min(max(sigma * rng.nextGaussian(), -bound), bound)) }
            for _ in 0..<sizes[l] { theta.append(0) }
        }
        return theta
    }
}
