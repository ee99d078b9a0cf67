import Foundation
import Testing
import Landscapes

@Suite struct MultilayerPerceptronTests {
    func make(_ overrides: [String: String] = [:], instance: Int = 1) throws -> MultilayerPerceptron {
        let family = LandscapeFamily.multilayerPerceptron
        let parameters = try ParameterValues(specs: family.parameters, overrides: overrides, owner: "mlp")
        let d = family.impliedDimension!(parameters).value
        return try #require(family.instance(dimension: d, instance: instance, parameters: parameters) as? MultilayerPerceptron)
    }

    static let variants: [[String: String]] = [
        [:],
        ["activation": "relu", "loss": "squared", "dataset": "gaussian-blobs", "hidden-layers": "2", "hidden-width": "5"],
        ["dataset": "two-spirals", "samples": "60"],
        ["dataset": "two-moons", "loss": "squared", "samples": "50"],
    ]

    /// Backpropagation against central differences, for both activations and losses, one and two
    /// hidden layers, at Glorot starts (where the network is not saturated). Step h = 1e-6 with
    /// O(1) third derivatives: truncation ≈ h² ≈ 1e-12, rounding ≈ 1e-16·Σ|ℓ_s|/h ≈ 1e-9; a ReLU kink
    /// crossed within ±h (probability ≈ N·h per coordinate, ≈ 1e-4 here) would break it, the fixed
    /// seeds avoid it. Tolerance 1e-6·(1 + |∂f|).
    @Test(arguments: variants)
    func gradientMatchesCentralDifferences(overrides: [String: String]) throws {
        let landscape = try make(overrides)
        let family = LandscapeFamily.multilayerPerceptron
        let parameters = try ParameterValues(specs: family.parameters, overrides: overrides, owner: "mlp")
        var rng = Xoshiro256(seed: 7)
        let x = family.initialization!(landscape.dimension, parameters, &rng).map { $0 + 0.3 * rng.nextGaussian() }
        var g = [Double](repeating: 0, count: landscape.dimension)
        let f = landscape.valueAndGradient(at: x, gradient: &g)
        #expect(f == landscape.value(at: x))
        let h = 1e-6
        for i in 0..<landscape.dimension {
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            let difference = (landscape.value(at: plus) - landscape.value(at: minus)) / (2 * h)
            #expect(abs(difference - g[i]) <= 1e-6 * (1 + abs(g[i])), "∂f/∂θ_\(i) = \(g[i]), central difference \(difference)")
        }
    }

    /// f is the mean of the per-sample losses, so the minibatch losses and gradients over the
    /// batches of a partition of the data (equal sizes b) average to f and ∇f exactly, up to the
    /// rounding of re-associated sums (1e-12 relative). A single-sample batch's gradient, too,
    /// matches central differences of that sample's loss.
    @Test(arguments: variants)
    func minibatchGradientsOverAPartitionAverageToTheFullGradient(overrides: [String: String]) throws {
        let landscape = try make(overrides)
        let n = landscape.dataCount
        let b = n % 10 == 0 ? 10 : 5
        try #require(n % b == 0)
        var rng = Xoshiro256(seed: 9)
        let x = (0..<landscape.dimension).map { _ in 0.5 * rng.nextGaussian() }
        var order = Array(0..<n)
        order.shuffle(using: &rng)
        var full = [Double](repeating: 0, count: landscape.dimension)
        let f = landscape.valueAndGradient(at: x, gradient: &full)
        var mean = [Double](repeating: 0, count: landscape.dimension), batchGradient = mean
        var meanLoss = 0.0
        for start in stride(from: 0, to: n, by: b) {
            meanLoss += landscape.minibatchValueAndGradient(at: x, batch: order[start..<(start + b)], gradient: &batchGradient)
            for i in 0..<mean.count { mean[i] += batchGradient[i] }
        }
        let batches = Double(n / b)
        #expect(abs(meanLoss / batches - f) <= 1e-12 * (1 + abs(f)))
        for i in 0..<mean.count {
            #expect(abs(mean[i] / batches - full[i]) <= 1e-12 * (1 + abs(full[i])), "coordinate \(i)")
        }
        // One sample: the minibatch loss is that sample's loss ℓ_s, and its gradient is ∇ℓ_s.
        let single = order[0..<1]
        var g = [Double](repeating: 0, count: landscape.dimension)
        _ = landscape.minibatchValueAndGradient(at: x, batch: single, gradient: &g)
        var scratch = g
        for i in stride(from: 0, to: landscape.dimension, by: 3) {
            var plus = x, minus = x
            plus[i] += 1e-6
            minus[i] -= 1e-6
            let difference = (landscape.minibatchValueAndGradient(at: plus, batch: single, gradient: &scratch)
                - landscape.minibatchValueAndGradient(at: minus, batch: single, gradient: &scratch)) / 2e-6
            #expect(abs(difference - g[i]) <= 1e-6 * (1 + abs(g[i])))
        }
    }

    /// Accuracy is the fraction of correct argmax predictions: at θ = 0 every output is 0, the
    /// argmax is class 0, so it equals the share of class-0 data; the cross-entropy there is log C.
    @Test func accuracyAndLossAtZeroWeightsAreTheClassShareAndLogC() throws {
        for dataset in ["xor", "gaussian-blobs"] {
            let landscape = try make(["dataset": dataset])
            let zero = [Double](repeating: 0, count: landscape.dimension)
            let share = Double(landscape.data.labels.filter { $0 == 0 }.count) / Double(landscape.dataCount)
            #expect(landscape.accuracy(at: zero) == share)
            #expect(abs(landscape.value(at: zero) - log(Double(landscape.data.classes))) <= 1e-14)
        }
    }

    /// Datasets are seeded: the same instance gives the same data, instances differ, classes are
    /// balanced (except xor, labelled by quadrant) and inputs have the requested count.
    @Test(arguments: Dataset.Kind.allCases)
    func datasetsAreSeededAndBalanced(kind: Dataset.Kind) throws {
        var a = Xoshiro256(seed: 3), b = Xoshiro256(seed: 3), c = Xoshiro256(seed: 4)
        let one = Dataset(kind: kind, count: 90, noise: 0.1, using: &a)
        #expect(one == Dataset(kind: kind, count: 90, noise: 0.1, using: &b))
        #expect(one != Dataset(kind: kind, count: 90, noise: 0.1, using: &c))
        #expect(one.inputs.count == 180 && one.labels.count == 90)
        if kind != .xor {
            for label in 0..<kind.classes { #expect(one.labels.filter { $0 == label }.count == 90 / kind.classes) }
        }
    }

    /// The dimension is the weight count: 2·8 + 8 + 8·2 + 2 = 42 by default.
    @Test func dimensionIsTheWeightCount() throws {
        #expect(try make().dimension == 42)
        #expect(try make(["hidden-layers": "2", "hidden-width": "5", "dataset": "gaussian-blobs"]).dimension == 2 * 5 + 5 + 5 * 5 + 5 + 5 * 3 + 3)
    }
}
