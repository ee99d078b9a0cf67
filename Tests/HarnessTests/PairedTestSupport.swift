import Landscapes
@testable import Harness
import Foundation

/// Independent references for the paired tests: binomial tails from exact integer arithmetic, and
/// Holm's procedure run literally as a sequence of rejections.
enum PairedReference {
    /// A non-negative integer in base 2^32, least significant limb first: just enough arithmetic
    /// to add binomial coefficients exactly.
    struct BigUInt {
        var limbs: [UInt32]

        init(_ value: UInt32) { limbs = [value] }

        mutating func add(_ other: BigUInt) {
            var carry: UInt64 = 0
            for i in 0..<max(limbs.count, other.limbs.count) {
                if i == limbs.count { limbs.append(0) }
                let sum = UInt64(limbs[i]) + UInt64(i < other.limbs.count ? other.limbs[i] : 0) + carry
                limbs[i] = UInt32(truncatingIfNeeded: sum)
                carry = sum >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }

        mutating func multiply(by factor: UInt32) {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let product = UInt64(limbs[i]) * UInt64(factor) + carry
                limbs[i] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }

        /// Exact division; precondition: `divisor` divides the value.
        mutating func divide(exactlyBy divisor: UInt32) {
            var remainder: UInt64 = 0
            for i in limbs.indices.reversed() {
                let current = (remainder << 32) | UInt64(limbs[i])
                limbs[i] = UInt32(current / UInt64(divisor))
                remainder = current % UInt64(divisor)
            }
            precondition(remainder == 0, "inexact division")
            while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() }
        }

        /// value · 2^exponent as a Double, from the top three limbs: two roundings (at most one
        /// ulp, 2^−52 relative) plus under 2^−64 relative from the dropped limbs. Underflows to 0
        /// like any Double.
        func scaled(byPowerOfTwo exponent: Int) -> Double {
            let top = limbs.count - 1
            var mantissa = 0.0
            for i in stride(from: top, through: max(0, top - 2), by: -1) { mantissa = mantissa * 0x1p32 + Double(limbs[i]) }
            return scalbn(mantissa, exponent + 32 * max(0, top - 2))
        }
    }

    /// P(X ≤ k), X ~ Binomial(n, ½), as Σ_{i ≤ k} C(n, i) summed exactly in integers, then
    /// divided by 2^n once.
    static func exactLowerTail(atMost k: Int, trials n: Int) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        var coefficient = BigUInt(1)
        var sum = BigUInt(1)
        for i in 0..<k {
            coefficient.multiply(by: UInt32(n - i))
            coefficient.divide(exactlyBy: UInt32(i + 1))
            sum.add(coefficient)
        }
        return sum.scaled(byPowerOfTwo: -n)
    }

    /// The exact two-sided McNemar p-value from the definition: min(1, 2·P(X ≤ min(b, c))).
    static func mcNemarTwoSided(_ b: Int, _ c: Int) -> Double {
        b + c == 0 ? 1 : min(1, 2 * exactLowerTail(atMost: min(b, c), trials: b + c))
    }

    /// Holm's sequentially rejective procedure at level α, as Holm (1979) states it: order the
    /// p-values, reject H_(1), H_(2), … while p_(i) ≤ α/(m − i + 1), stop at the first that is
    /// not. (Compared as (m − i + 1)·p_(i) ≤ α, which is the same inequality.) Returns which
    /// hypotheses, in input order, are rejected.
    static func holmRejects(_ p: [Double], alpha: Double) -> [Bool] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var rejected = [Bool](repeating: false, count: m)
        for (i, index) in order.enumerated() {
            guard Double(m - i) * p[index] <= alpha else { break }
            rejected[index] = true
        }
        return rejected
    }

    /// Holm-adjusted p-values by brute force: for each hypothesis, the smallest α in (0, 1] at
    /// which the procedure rejects it, or 1. The rejections change only at the values
    /// (m − j + 1)·p_(j), so trying those (and 1) finds the infimum exactly.
    static func bruteForceHolm(_ p: [Double]) -> [Double] {
        let m = p.count
        let sorted = p.sorted()
        let candidates = (sorted.indices.map { Double(m - $0) * sorted[$0] }.filter { $0 <= 1 } + [1]).sorted()
        var adjusted = [Double](repeating: 1, count: m)
        var decided = [Bool](repeating: false, count: m)
        for alpha in candidates {
            for (index, rejected) in holmRejects(p, alpha: alpha).enumerated() where rejected && !decided[index] {
                adjusted[index] = alpha
                decided[index] = true
            }
        }
        return adjusted
    }
}

extension ResolvedLandscape {
    /// The Ising model of an Ising landscape (`nil` for a continuous one), for tests.
    var ising: IsingModel? {
        if case .ising(let model) = landscape { return model }
        return nil
    }

    /// The continuous landscape of a continuous spec; a test that calls it on spins is wrong.
    var continuous: any ContinuousLandscape {
        guard case .continuous(let function) = landscape else { preconditionFailure("\(spec.name) is an Ising landscape") }
        return function
    }
}
