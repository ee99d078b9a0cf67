import Foundation
import Testing
import Landscapes

@Suite struct MultilayerPerceptronTests {
    func make(_ overrides: [String: String] = [:], instance: Int = 1) throws -> MultilayerPerceptron {
        let family = LandscapeFamily.multilayerPerceptron
        let parameters = try ParameterValues(specs: family.parameters, overrides: overrides, owner: "mlp")
        let d = family.impliedDimension!(parameters).value
        return try #require(family.continuousInstance(dimension: d, instance: instance, parameters: parameters) as? MultilayerPerceptron)
    }

    static let variants: [[String: String]] = [
        [:],
        ["activation": "relu", "loss": "squared", "dataset": "gaussian-blobs", "hidden-layers": "2", "hidden-width": "5"],
        ["dataset": "two-spirals", "samples": "60"],
        ["dataset": "two-moons", "loss": "squared", "samples": "50"],
    ]

    /// Backpropagation against central differences (`centralDifferences`: tolerance from the
    /// truncation and rounding bounds), for both activations and losses, one and two hidden
    /// layers, at Glorot starts jittered by 0.3 (where the network is not saturated).
    ///
    /// ReLU kinks are kept out of every stencil by construction, not by luck of the seed: along
    /// θ_i the hidden pre-activations are affine in θ_i as long as no unit of an earlier layer
    /// changes sign, so if every hidden pre-activation of every sample has the same strict sign
    /// at x − 2h e_i, x and x + 2h e_i (checked layer by layer by `hiddenPreActivations`, written
    /// here from the documented layout, not from the code under test), no kink lies on the
    /// stencil and f is smooth there. Coordinates whose stencil crosses a kink are not checked at
    /// that point; points are drawn until every coordinate has been checked at one where its
    /// tolerance is below 1% of |∂f/∂θ_i| (so the check can fail).
    @Test(arguments: variants)
    func gradientMatchesCentralDifferences(overrides: [String: String]) throws {
        let landscape = try make(overrides)
        let family = LandscapeFamily.multilayerPerceptron
        let parameters = try ParameterValues(specs: family.parameters, overrides: overrides, owner: "mlp")
        let d = landscape.dimension, h = centralDifferenceStep()
        var rng = Xoshiro256(seed: 7)
        var checked = [Bool](repeating: false, count: d)
        var g = [Double](repeating: 0, count: d)
        var points = 0
        while checked.contains(false) && points < 20 {
            points += 1
            let x = family.initialization!(d, parameters, &rng).enumerated().map { i, w in
                snapped(w + 0.3 * rng.nextGaussian(), in: landscape.domain, coordinate: i)
            }
            let f = landscape.valueAndGradient(at: x, gradient: &g)
            #expect(f == landscape.value(at: x))
            // Sign with a dead band 1e-9 (≫ the ~1e-15 rounding of a pre-activation): a value
            // inside it counts as on the kink.
            func sign(_ z: Double) -> Int { z > 1e-9 ? 1 : (z < -1e-9 ? -1 : 0) }
            let signs = hiddenPreActivations(landscape, x, samples: 0..<landscape.dataCount).map(sign)
            let check = centralDifferences(at: x, magnitudes: magnitudes(landscape.domain),
                                           value: { landscape.value(at: $0) },
                                           roundingScale: { landscape.roundingScale(at: $0) })
            for i in 0..<d {
                if landscape.activation == .relu {
                    let smooth = [-2.0, 2.0].allSatisfy { k in
                        var y = x
                        y[i] += k * h
                        return hiddenPreActivations(landscape, y, samples: 0..<landscape.dataCount).map(sign) == signs
                    }
                    guard !signs.contains(0) && smooth else { continue }
                }
                #expect(abs(check.derivative[i] - g[i]) <= check.tolerance[i],
                        "∂f/∂θ_\(i) = \(g[i]), central difference \(check.derivative[i]) ± \(check.tolerance[i])")
                if check.tolerance[i] <= 0.01 * abs(g[i]) { checked[i] = true }
            }
        }
        #expect(!checked.contains(false), "coordinates never checked kink-free with a resolving tolerance: \((0..<d).filter { !checked[$0] })")
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
        // One sample: the minibatch loss is that sample's loss ℓ_s, and its gradient is ∇ℓ_s,
        // checked against central differences (`centralDifferences`; rounding scale |ℓ_s| + d as
        // for a full loss) on the coordinates whose stencil meets no ReLU kink of that sample
        // (as in `gradientMatchesCentralDifferences`).
        let single = order[0..<1]
        var g = [Double](repeating: 0, count: landscape.dimension)
        var scratch = g
        let snappedX = x.enumerated().map { snapped($1, in: landscape.domain, coordinate: $0) }
        _ = landscape.minibatchValueAndGradient(at: snappedX, batch: single, gradient: &g)
        func loss(_ y: [Double]) -> Double { landscape.minibatchValueAndGradient(at: y, batch: single, gradient: &scratch) }
        let check = centralDifferences(at: snappedX, magnitudes: magnitudes(landscape.domain), value: loss,
                                       roundingScale: { abs(loss($0)) + Double(landscape.dimension) })
        func sign(_ z: Double) -> Int { z > 1e-9 ? 1 : (z < -1e-9 ? -1 : 0) }
        let signs = hiddenPreActivations(landscape, snappedX, samples: single).map(sign)
        var compared = 0
        for i in 0..<landscape.dimension {
            if landscape.activation == .relu {
                let smooth = !signs.contains(0) && [-2.0, 2.0].allSatisfy { k in
                    var y = snappedX
                    y[i] += k * centralDifferenceStep()
                    return hiddenPreActivations(landscape, y, samples: single).map(sign) == signs
                }
                guard smooth else { continue }
            }
            compared += 1
            #expect(abs(check.derivative[i] - g[i]) <= check.tolerance[i],
                    "∂ℓ_s/∂θ_\(i) = \(g[i]), central difference \(check.derivative[i]) ± \(check.tolerance[i])")
        }
        #expect(compared >= landscape.dimension / 2, "only \(compared) of \(landscape.dimension) coordinates kink-free")
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

/// Every hidden pre-activation z = W_l a_{l−1} + b_l of every sample, layer by layer, from the
/// documented layout of θ (per layer W_l row by row, out × in, then b_l) and σ = tanh or ReLU.
func hiddenPreActivations(_ network: MultilayerPerceptron, _ theta: [Double],
                          samples: some Sequence<Int>) -> [Double] {
    var out = [Double]()
    let sizes = network.layerSizes
    for s in samples {
        var a = [network.data.inputs[2 * s], network.data.inputs[2 * s + 1]]
        var offset = 0
        for l in 1..<(sizes.count - 1) {
            let inCount = sizes[l - 1], outCount = sizes[l]
            let bias = offset + outCount * inCount
            let z = (0..<outCount).map { o in
                (0..<inCount).reduce(theta[bias + o]) { $0 + theta[offset + o * inCount + $1] * a[$1] }
            }
            out += z
            a = z.map { network.activation == .tanh ? tanh($0) : max(0, $0) }
            offset = bias + outCount
        }
    }
    return out
}
