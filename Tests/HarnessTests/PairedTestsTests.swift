import Foundation
import Landscapes
import Testing
@testable import Harness

/// The exact McNemar test and Holm's adjustment, against hand-computed binomial sums, exact
/// integer arithmetic (`PairedReference`) and Holm's procedure run literally.
@Suite struct McNemarTests {
    /// b = 0, c = 5: P(X ≤ 0 | n = 5) = 1/32, so p = 2/32. Small counts are summed exactly
    /// (every partial binomial coefficient is an integer below 2^53), hence equality.
    @Test func fiveDiscordantAllOneWayGivesTwoOverThirtyTwo() {
        #expect(PairedTests.mcNemarTwoSided(0, 5) == 0.0625)
        #expect(PairedTests.mcNemarTwoSided(5, 0) == 0.0625)
    }

    /// b = 1, c = 9: P(X ≤ 1 | n = 10) = (C(10,0) + C(10,1))/1024 = 11/1024, p = 22/1024.
    /// b = 2, c = 8: (1 + 10 + 45)/1024 = 56/1024, p = 112/1024.
    /// b = 7, c = 13: (1 + 20 + 190 + 1140 + 4845 + 15504 + 38760 + 77520)/2^20 = 137980/2^20.
    @Test func handComputedBinomialSums() {
        #expect(PairedTests.mcNemarTwoSided(1, 9) == 22.0 / 1024)
        #expect(PairedTests.mcNemarTwoSided(2, 8) == 112.0 / 1024)
        #expect(PairedTests.mcNemarTwoSided(13, 7) == 2 * 137_980.0 / 1_048_576)
    }

    /// No discordant pair is no evidence: p = 1. A balanced split is capped at 1.
    @Test func noDiscordanceAndBalancedSplitsGivePOne() {
        #expect(PairedTests.mcNemarTwoSided(0, 0) == 1)
        #expect(PairedTests.mcNemarTwoSided(3, 3) == 1)
        #expect(PairedTests.mcNemarTwoSided(1500, 1500) == 1)
    }

    @Test func symmetricInTheTwoSidesAndAlwaysAProbability() {
        for b in 0...80 {
            for c in 0...80 {
                let p = PairedTests.mcNemarTwoSided(b, c)
                #expect(p == PairedTests.mcNemarTwoSided(c, b))
                #expect(p >= 0 && p <= 1, "p(\(b), \(c)) = \(p)")
            }
        }
    }

    /// Large discordant counts stay finite and agree with exact integer sums. The implementation
    /// rounds at most 3(k + 1) times on positive terms (relative error ≤ 3(k + 1)·2^−53, k =
    /// min(b, c)); the reference's conversion adds at most 2^−52: tolerance (3(k + 1) + 2)·2^−53.
    @Test(arguments: [(1400, 1600), (1450, 1550), (1499, 1501), (0, 3000), (1, 2999), (700, 2300), (40, 960), (250, 251),
                       (9_800, 10_200)])
    func largeCountsAreFiniteAndMatchExactIntegerSums(b: Int, c: Int) {
        let p = PairedTests.mcNemarTwoSided(b, c)
        let exact = PairedReference.mcNemarTwoSided(b, c)
        #expect(p.isFinite)
        let k = Double(min(b, c))
        #expect(abs(p - exact) <= (3 * (k + 1) + 2) * 0x1p-53 * exact, "p(\(b), \(c)) = \(p), exact \(exact)")
    }

    /// Counts far beyond what a Double binomial coefficient can hold (C(10^5, 5·10^4) ≈ 10^30100)
    /// still give a probability, never NaN; equal counts give exactly 1.
    @Test func hugeCountsNeverGiveNaN() {
        for (b, c) in [(49_000, 51_000), (50_000, 50_000), (0, 100_000), (49_800, 50_200)] {
            let p = PairedTests.mcNemarTwoSided(b, c)
            #expect(!p.isNaN && p >= 0 && p <= 1, "p(\(b), \(c)) = \(p)")
        }
        #expect(PairedTests.mcNemarTwoSided(50_000, 50_000) == 1)
    }

    /// One-sided P(B ≥ b) = P(X ≤ c); the two-sided value is twice the smaller one-sided tail.
    @Test func twoSidedIsTwiceTheSmallerOneSidedTail() {
        for b in 0...40 {
            for c in 0...40 where b + c > 0 {
                let one = min(PairedTests.mcNemarOneSided(against: b, favouring: c),
                              PairedTests.mcNemarOneSided(against: c, favouring: b))
                #expect(PairedTests.mcNemarTwoSided(b, c) == min(1, 2 * one))
                if b + c <= 50 {  // the range where the sum is exact (every step below 2^53)
                    #expect(PairedTests.mcNemarOneSided(against: b, favouring: c) == PairedReference.exactLowerTail(atMost: c, trials: b + c))
                }
            }
        }
    }
}

@Suite struct HolmTests {
    /// Holm (1979) on p = (40, 1, 30, 20, 500)/1024, m = 5. Sorted: 1·5 = 5, 20·4 = 80,
    /// 30·3 = 90, 40·2 = 80 → raised to the running maximum 90, 500·1 = 500 (all /1024). Dyadic
    /// values keep every product exact, hence equality.
    @Test func handComputedFromHolmsDefinition() {
        let p = [40.0, 1, 30, 20, 500].map { $0 / 1024 }
        #expect(PairedTests.holmAdjusted(p) == [90.0, 5, 90, 80, 500].map { $0 / 1024 })
    }

    /// Ties share their adjusted value; products above 1 are capped: (1, 1, 256, 768)/1024 →
    /// 4/1024, then 1·3 → 4 (running max), 256·2 = 512, 768·1 = 768; and (600, 700)/1024 → 1, 1.
    @Test func tiesShareAValueAndLargeProductsCapAtOne() {
        #expect(PairedTests.holmAdjusted([1.0, 1, 256, 768].map { $0 / 1024 }) == [4.0, 4, 512, 768].map { $0 / 1024 })
        #expect(PairedTests.holmAdjusted([600.0 / 1024, 700.0 / 1024]) == [1, 1])
        #expect(PairedTests.holmAdjusted([]) == [])
        #expect(PairedTests.holmAdjusted([0.3]) == [0.3])
    }

    /// Against Holm's procedure run literally for every α where a decision can change, on 2000
    /// random families (m = 1…9, p multiples of 1/1024 so that every product is exact).
    @Test func matchesTheRejectionProcedureByBruteForce() {
        var rng = Xoshiro256(seed: 11)
        for _ in 0..<2000 {
            let m = Int.random(in: 1...9, using: &rng)
            let p = (0..<m).map { _ in Double(Int.random(in: 0...1024, using: &rng)) / 1024 }
            let adjusted = PairedTests.holmAdjusted(p)
            #expect(adjusted == PairedReference.bruteForceHolm(p), "p = \(p)")
            // Rejecting where adjusted ≤ α is the procedure at α, also between the breakpoints.
            for alpha in [0.001, 0.01, 0.05, 0.1, 0.5] {
                #expect(adjusted.map { $0 <= alpha } == PairedReference.holmRejects(p, alpha: alpha))
            }
        }
    }
}
