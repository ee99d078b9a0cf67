import Foundation
import Landscapes
import Testing

@Suite struct GaussianSamplerTests {
    /// Kolmogorov–Smirnov against Φ(x) = ½(1 + erf(x/√2)) on 200,000 draws. At level 0.001 the
    /// critical value of √n·D is 1.949 (the Kolmogorov distribution's 0.999 quantile), so the test
    /// has a 1-in-1000 false alarm rate and, with a fixed seed, is deterministic.
    @Test func zigguratDrawsPassKolmogorovSmirnovAgainstTheNormal() {
        var rng = Xoshiro256(seed: 20261125)
        let n = 200_000
        let draws = (0..<n).map { _ in rng.nextGaussian() }.sorted()
        var d = 0.0
        for (i, x) in draws.enumerated() {
            let cdf = 0.5 * (1 + erf(x / 2.0.squareRoot()))
            d = max(d, abs(cdf - Double(i) / Double(n)), abs(cdf - Double(i + 1) / Double(n)))
        }
        #expect(Double(n).squareRoot() * d < 1.949)
    }

    /// Moments up to the fourth: the sample mean, variance and kurtosis have standard errors
    /// 1/√n, √(2/n) and √(24/n); each must lie within 4 of them.
    @Test func zigguratMomentsMatchTheStandardNormal() {
        var rng = Xoshiro256(seed: 7)
        let n = 400_000
        var s1 = 0.0, s2 = 0.0, s4 = 0.0
        for _ in 0..<n {
            let x = rng.nextGaussian()
            s1 += x; s2 += x * x; s4 += x * x * x * x
        }
        let mean = s1 / Double(n), variance = s2 / Double(n), kurtosis = s4 / Double(n)
        let root = Double(n).squareRoot()
        #expect(abs(mean) < 4 / root)
        #expect(abs(variance - 1) < 4 * 2.0.squareRoot() / root)
        #expect(abs(kurtosis - 3) < 4 * 24.0.squareRoot() / root)
    }

    /// The tail beyond R = 3.4426 (probability 5.76e-4 on each side) is reached and has the right
    /// weight: on 10^6 draws the count beyond ±R is Poisson with mean 576, so within ±4σ = ±96.
    @Test func zigguratTailHasTheNormalWeight() {
        var rng = Xoshiro256(seed: 11)
        let n = 1_000_000
        var beyond = 0
        for _ in 0..<n where abs(rng.nextGaussian()) > Ziggurat.r { beyond += 1 }
        let expected = Double(n) * erfc(Ziggurat.r / 2.0.squareRoot())
        #expect(abs(Double(beyond) - expected) < 4 * expected.squareRoot())
    }

    /// The tables close: the top layer's right edge is 0 and every layer has area V.
    @Test func zigguratLayersHaveEqualArea() {
        let x = Ziggurat.tables.x
        #expect(x[1] == Ziggurat.r && x[128] == 0)
        for i in 1..<127 {
            let area = x[i] * (exp(-0.5 * x[i + 1] * x[i + 1]) - exp(-0.5 * x[i] * x[i]))
            #expect(abs(area - Ziggurat.v) < 1e-9)
        }
    }
}
