import Foundation

/// A seeded synthetic classification dataset in the plane: N inputs x_s ∈ R² with class labels
/// y_s ∈ 0..<C, balanced (sample s has class s mod C; xor labels by quadrant instead). Inputs carry Gaussian noise of standard
/// deviation `noise` on each coordinate.
public struct Dataset: Sendable, Equatable {
    public enum Kind: String, ParameterChoice {
        /// x uniform in [−1, 1]², class 1 where x₀x₁ > 0 (the quadrants of XOR): not linearly separable.
        case xor
        /// Two interleaved spirals of 1.5 turns, radius growing from 0 to 1 (Lang & Witbrock 1988).
        case twoSpirals = "two-spirals"
        /// Two interleaved half circles of radius 1 (scikit-learn's `make_moons` geometry).
        case twoMoons = "two-moons"
        /// Three Gaussian blobs centred on the unit circle at angles 0, 2π/3, 4π/3.
        case gaussianBlobs = "gaussian-blobs"

        public var classes: Int { self == .gaussianBlobs ? 3 : 2 }
    }

    public static let inputDimension = 2
    public let kind: Kind
    /// x_s row by row (N × 2).
    public let inputs: [Double]
    public let labels: [Int]
    public var count: Int { labels.count }
    public var classes: Int { kind.classes }

    public init(kind: Kind, inputs: [Double], labels: [Int]) {
        precondition(inputs.count == 2 * labels.count && labels.allSatisfy { (0..<kind.classes).contains($0) })
        self.kind = kind
        self.inputs = inputs
        self.labels = labels
    }

    /// Draws `count` samples from `rng`: per sample, the class is s mod C, then the clean point's
    /// random parameter(s), then the two noise deviates.
    public init(kind: Kind, count: Int, noise: Double, using rng: inout Xoshiro256) {
        var inputs = [Double](), labels = [Int]()
        inputs.reserveCapacity(2 * count)
        for s in 0..<count {
            var label = s % kind.classes
            var x0: Double, x1: Double
            switch kind {
            case .xor:
                x0 = 2 * rng.nextUnit() - 1
                x1 = 2 * rng.nextUnit() - 1
                label = x0 * x1 > 0 ? 1 : 0
            case .twoSpirals:
                let t = rng.nextUnit()
                let angle = 3 * Double.pi * t
                let sign = label == 0 ? 1.0 : -1.0
                x0 = sign * t * cos(angle)
                x1 = sign * t * sin(angle)
            case .twoMoons:
                let angle = Double.pi * rng.nextUnit()
                if label == 0 {
                    x0 = cos(angle); x1 = sin(angle)
                } else {
                    x0 = 1 - cos(angle); x1 = 0.5 - sin(angle)
                }
            case .gaussianBlobs:
                let angle = 2 * Double.pi * Double(label) / 3
                x0 = cos(angle)
                x1 = sin(angle)
            }
            inputs.append(x0 + noise * rng.nextGaussian())
            inputs.append(x1 + noise * rng.nextGaussian())
            labels.append(label)
        }
        self.init(kind: kind, inputs: inputs, labels: labels)
    }
}
