import Benchmark
import Landscapes

// value(at:) against valueAndGradient(at:gradient:) for every family in `LandscapeCatalog`,
// at the family's default dimension, instance 1. For family F the two benchmarks are
//
//     value-vs-gradient/F/value            callsPerIteration calls of value(at:)
//     value-vs-gradient/F/value+gradient   callsPerIteration calls of valueAndGradient(at:gradient:)
//
// over the same rotating points, and F's `gradCost` is the ratio of their median wall clock
// times, (value+gradient time) / (value time). For every family with a `rotate` flag the same two
// benchmarks run on its rotated instance (rotate=true, default dimension, instance 1) as
//
//     value-vs-gradient/F-rotated/value
//     value-vs-gradient/F-rotated/value+gradient
//
// and their ratio is F's `rotatedGradCost`, what `Rotated` charges a gradient.

/// Calls per benchmark iteration.
let callsPerIteration = 10_000

var configuration: Benchmark.Configuration {
    Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 3,
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 2_000)
}

/// A fixed set of points inside the box, cycled through so no call can be hoisted as a constant.
func rotatingPoints(in box: Box, count: Int) -> [[Double]] {
    var rng = Xoshiro256(seed: 0x5EED)
    return (0..<count).map { _ in
        (0..<box.dimension).map { i in box.lower[i] + (box.upper[i] - box.lower[i]) * rng.nextUnit() }
    }
}

/// Registers both benchmarks of one family; the landscape's concrete type is opened here once.
func register<L: ContinuousLandscape>(_ landscape: L, family: String) {
    let points = rotatingPoints(in: landscape.domain, count: 64)

    Benchmark("value-vs-gradient/\(family)/value", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            var sum = 0.0
            for k in 0..<callsPerIteration {
                sum += landscape.value(at: points[k & 63])
            }
            blackHole(sum)
        }
    }

    Benchmark("value-vs-gradient/\(family)/value+gradient", configuration: configuration) { benchmark in
        var gradient = [Double](repeating: 0, count: landscape.dimension)
        for _ in benchmark.scaledIterations {
            var sum = 0.0
            for k in 0..<callsPerIteration {
                sum += landscape.valueAndGradient(at: points[k & 63], gradient: &gradient)
                sum += gradient[k % gradient.count]
            }
            blackHole(sum)
        }
    }
}

/// Minibatch gradients of `batchSize` data over rotating batches of a fixed permutation: their
/// time, and their mallocs (0 per call after warm-up: the hot path allocates nothing).
func registerMinibatch<L: ContinuousLandscape>(_ landscape: L, name: String, batchSize: Int) {
    let points = rotatingPoints(in: landscape.domain, count: 64)
    var rng = Xoshiro256(seed: 0xBA7C)
    var order = Array(0..<landscape.dataCount)
    order.shuffle(using: &rng)
    let batches = landscape.dataCount / batchSize
    Benchmark("minibatch/\(name)/b=\(batchSize)", configuration: configuration) { benchmark in
        var gradient = [Double](repeating: 0, count: landscape.dimension)
        for _ in benchmark.scaledIterations {
            var sum = 0.0
            for k in 0..<callsPerIteration {
                let start = (k % batches) * batchSize
                sum += landscape.minibatchValueAndGradient(at: points[k & 63], batch: order[start..<(start + batchSize)],
                                                           gradient: &gradient)
                sum += gradient[k % gradient.count]
            }
            blackHole(sum)
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    func instance(_ family: LandscapeFamily, _ overrides: [String: String] = [:]) -> any ContinuousLandscape {
        do {
            let parameters = try ParameterValues(specs: family.parameters, overrides: overrides, owner: family.name)
            // Families whose dimension follows from their parameters (networks) use that one.
            let d = family.dimension(requested: nil, parameters: parameters) ?? 0
            return try family.continuousInstance(dimension: d, instance: 1, parameters: parameters)
        } catch {
            fatalError("cannot build \(family.name) instance 1: \(error)")
        }
    }
    for family in LandscapeCatalog.families(of: .continuous) {
        register(instance(family), family: family.name)
    }
    for family in LandscapeCatalog.families(of: .continuous)
    where family.parameters.contains(where: { $0.name == InstanceShift.rotate.name }) {
        register(instance(family, [InstanceShift.rotate.name: "true"]), family: "\(family.name)-rotated")
    }
    // The teacher–student cost O(n(n+k)d) at the size of Safran & Shamir's largest runs.
    register(instance(.teacherStudent, ["teacher-units": "20", "student-units": "20"]), family: "teacher-student-k20-n20")
    if let mlp = instance(.multilayerPerceptron) as? MultilayerPerceptron {
        registerMinibatch(mlp, name: "mlp", batchSize: 20)
    }
}
