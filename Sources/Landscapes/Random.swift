import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny generator used to expand one 64-bit seed into
/// well-mixed state words, and as the mixing step of seed derivation.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman & Vigna 2018): the generator every trial uses. Fast, 256 bits of state,
/// fully determined by its seed on every platform (unlike `SystemRandomNumberGenerator`).
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    /// The state expanded from one seed by four SplitMix64 outputs, as the generator's authors
    /// recommend.
    public init(seed: UInt64) {
        var mix = SplitMix64(seed: seed)
        s0 = mix.next(); s1 = mix.next(); s2 = mix.next(); s3 = mix.next()
    }

    /// The generator with its four state words given (not all zero).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** needs a nonzero state")
        (s0, s1, s2, s3) = state
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension RandomNumberGenerator {
    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in 0..<bound (bound > 0) by Lemire's multiply-and-reject method
    /// (Lemire 2019, "Fast random integer generation in an interval"): the high word of w·bound,
    /// redrawing w while the low word falls below 2⁶⁴ mod bound. Exact, and written out here so that
    /// it does not depend on the standard library's `next(upperBound:)`.
    @inlinable
    public mutating func nextIndex(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "nextIndex(below:) needs a bound > 0")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }

    /// A standard normal deviate by the ziggurat method (Marsaglia & Tsang 2000, in the form of
    /// Doornik 2005, which draws the layer index and the uniform from separate bits of one 64-bit
    /// word). About 99% of draws cost one word, a table lookup and a multiply; the rest fall back to
    /// exact rejection from the layer's wedge or from the tail beyond R. Deterministic given the
    /// stream.
    @inlinable
    public mutating func nextGaussian() -> Double {
        while true {
            let bits = next()
            let layer = Int(bits & 0x7F)
            // u uniform in [−1, 1) from the top 53 bits; the layer from the low 7.
            let u = Double(bits >> 11) * 0x1.0p-52 - 1
            let z = Ziggurat.tables
            if abs(u) < z.ratio[layer] { return u * z.x[layer] }
            if layer == 0 { return Ziggurat.tail(negative: u < 0, using: &self) }
            let x = u * z.x[layer]
            let f0 = exp(-0.5 * (z.x[layer] * z.x[layer] - x * x))
            let f1 = exp(-0.5 * (z.x[layer + 1] * z.x[layer + 1] - x * x))
            if f1 + nextUnit() * (f0 - f1) < 1 { return x }
        }
    }
}

/// Tables of the 128-layer ziggurat for the standard normal (Marsaglia & Tsang 2000): R is the
/// start of the tail and V the common area of every layer; x[i] are the layers' right edges
/// (x[0] = V/f(R) for the base strip with the tail, x[1] = R, x[128] = 0) and ratio[i] = x[i+1]/x[i].
public enum Ziggurat {
    public static let r = 3.442619855899
    public static let v = 9.91256303526217e-3

    public struct Tables: Sendable {
        public let x: [Double]
        public let ratio: [Double]
    }

    public static let tables: Tables = {
        var x = [Double](repeating: 0, count: 129)
        var f = exp(-0.5 * r * r)
        x[0] = v / f
        x[1] = r
        for i in 2..<128 {
            x[i] = (-2 * log(v / x[i - 1] + f)).squareRoot()
            f = exp(-0.5 * x[i] * x[i])
        }
        x[128] = 0
        return Tables(x: x, ratio: (0..<128).map { x[$0 + 1] / x[$0] })
    }()

    /// A draw from the normal tail beyond R (Marsaglia 1964), signed.
    @inlinable
    public static func tail<G: RandomNumberGenerator>(negative: Bool, using rng: inout G) -> Double {
        while true {
            let x = log(1 - rng.nextUnit()) / r
            let y = log(1 - rng.nextUnit())
            if -2 * y >= x * x { return negative ? x - r : r - x }
        }
    }
}
