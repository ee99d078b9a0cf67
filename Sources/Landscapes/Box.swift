/// An axis-aligned box [lower_i, upper_i] in R^d: every continuous landscape's domain.
public struct Box: Sendable, Equatable {
    public var lower: [Double]
    public var upper: [Double]

    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count, "box bounds differ in dimension")
        precondition(zip(lower, upper).allSatisfy { $0 < $1 }, "box must have lower < upper")
        self.lower = lower
        self.upper = upper
    }

    /// The cube [lower, upper]^d.
    public init(cube lower: Double, _ upper: Double, dimension: Int) {
        self.init(lower: Array(repeating: lower, count: dimension), upper: Array(repeating: upper, count: dimension))
    }

    public var dimension: Int { lower.count }

    /// Length of the box's main diagonal.
    public var diagonal: Double {
        var s = 0.0
        for i in 0..<dimension { s += (upper[i] - lower[i]) * (upper[i] - lower[i]) }
        return s.squareRoot()
    }

    public func contains(_ x: [Double]) -> Bool {
        guard x.count == dimension else { return false }
        for i in 0..<dimension where !(x[i] >= lower[i] && x[i] <= upper[i]) { return false }
        return true
    }

    /// Clamps each coordinate into its interval (Euclidean projection onto the box). Gradient
    /// methods use this.
    @inlinable
    public func project(_ x: inout [Double]) {
        for i in 0..<x.count {
            x[i] = Swift.min(Swift.max(x[i], lower[i]), upper[i])
        }
    }

    /// Folds each coordinate back into its interval by mirror reflection at the walls, which keeps
    /// a symmetric random-walk proposal symmetric. Random proposals use this.
    @inlinable
    public func reflect(_ x: inout [Double]) {
        for i in 0..<x.count {
            x[i] = Box.reflect(x[i], lower[i], upper[i])
        }
    }

    @inlinable
    static func reflect(_ v: Double, _ lo: Double, _ hi: Double) -> Double {
        if v >= lo && v <= hi { return v }
        let width = hi - lo
        // Reflection is periodic with period 2·width: fold into [0, 2w), then mirror the upper half.
        var t = (v - lo).truncatingRemainder(dividingBy: 2 * width)
        if t < 0 { t += 2 * width }
        return t <= width ? lo + t : hi - (t - width)
    }

    /// A point uniform in the box: coordinate i is lower_i + (upper_i − lower_i)·u_i with
    /// u_i = (w_i >> 11)·2⁻⁵³ from the generator's i-th word, clamped to upper_i against rounding.
    /// Written out here rather than taken from the standard library's `Double.random(in:using:)`,
    /// whose algorithm is not part of its contract, so a start is the same on every toolchain.
    public func uniformPoint(using rng: inout some RandomNumberGenerator) -> [Double] {
        (0..<dimension).map { i in
            Swift.min(lower[i] + (upper[i] - lower[i]) * rng.nextUnit(), upper[i])
        }
    }
}
