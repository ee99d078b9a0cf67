import Landscapes
import Testing

/// Every seed, start and trial stream comes from three small algorithms written out in the
/// project (FNV-1a, SplitMix64, xoshiro256**) plus two conversions (a word to [0, 1), a word to
/// 0..<n). Their outputs are checked against the values their authors publish, so a start drawn here
/// is the start drawn on any machine, toolchain or standard library.
@Suite struct ReferenceVectorTests {
    /// FNV-1a 64 reference values (Fowler, Noll & Vo's test suite): "", "a", "foobar".
    @Test func fnv1aMatchesThePublishedValues() {
        #expect(Seed.fnv1a([""]) == 0xCBF2_9CE4_8422_2325)
        #expect(Seed.fnv1a(["a"]) == 0xAF63_DC4C_8601_EC8C)
        #expect(Seed.fnv1a(["foobar"]) == 0x8594_4171_F739_67E8)
        // Parts are joined by the byte 0x1F: ["foo", "bar"] hashes the bytes "foo\u{1F}bar".
        #expect(Seed.fnv1a(["foo", "bar"]) == Seed.fnv1a(["foo\u{1F}bar"]))
        #expect(Seed.fnv1a(["foo", "bar"]) != Seed.fnv1a(["foobar"]))
    }

    /// SplitMix64's published outputs: seed 0 (Vigna's splitmix64.c) and seed 1234567.
    @Test func splitMix64MatchesThePublishedSequences() {
        var zero = SplitMix64(seed: 0)
        #expect((0..<5).map { _ in zero.next() }
            == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC, 0x1B39_896A_51A8_749B])
        var seeded = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in seeded.next() }
            == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
    }

    /// `Seed.derive(m, parts)` is SplitMix64's first output from m ⊕ FNV-1a(parts): choosing m so
    /// that the xor is 1234567 (or 0) must give the published first output.
    @Test func seedDerivationIsOneSplitMixStepFromTheFNVHash() {
        let hash = 0x8594_4171_F739_67E8 as UInt64  // FNV-1a("foobar"), published
        #expect(Seed.derive(1_234_567 ^ hash, "foobar") == 6_457_827_717_110_365_317)
        #expect(Seed.derive(0xCBF2_9CE4_8422_2325, []) == 0xE220_A839_7B1D_CDAF)
    }

    /// xoshiro256** from the state {1, 2, 3, 4}: the reference implementation's first ten outputs.
    @Test func xoshiro256MatchesTheReferenceImplementation() {
        var rng = Xoshiro256(state: (1, 2, 3, 4))
        #expect((0..<10).map { _ in rng.next() }
            == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
                607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832,
                10_595_114_339_597_558_777, 2_904_607_092_377_533_576])
    }

    /// A seeded generator's state is the first four SplitMix64 outputs of its seed: seed 0 gives
    /// the state of the published SplitMix64 seed-0 sequence, whose first xoshiro output is then
    /// rotl(s1·5, 7)·9 evaluated here by hand.
    @Test func xoshiroSeedingUsesFourSplitMixOutputs() {
        var seeded = Xoshiro256(seed: 0)
        var explicit = Xoshiro256(state: (0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F, 0xF88B_B8A8_724C_81EC))
        let s1 = 0x6E78_9E6A_A1B9_65F4 as UInt64
        let product = s1 &* 5
        let first = ((product << 7) | (product >> 57)) &* 9
        #expect(seeded.next() == first)
        #expect(explicit.next() == first)
        for _ in 0..<100 { #expect(seeded.next() == explicit.next()) }
    }

    /// A uniform start coordinate is lower + (upper − lower)·(w >> 11)·2⁻⁵³ for the generator's
    /// successive words w: computed here from the published xoshiro256** outputs.
    @Test func uniformPointIsTheDocumentedFunctionOfTheStream() {
        let words: [UInt64] = [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360]
        let lower = [-5.12, 0, -1, 3, -600], upper = [5.12, 1, 1, 3.5, 600]
        var rng = Xoshiro256(state: (1, 2, 3, 4))
        let point = Box(lower: lower, upper: upper).uniformPoint(using: &rng)
        let expected = (0..<5).map { lower[$0] + (upper[$0] - lower[$0]) * (Double(words[$0] >> 11) * 0x1.0p-53) }
        #expect(point == expected)
    }

    /// The integer draw behind minibatch shuffles: Lemire's method on the published stream. For
    /// bound n the draw is ⌊w·n / 2⁶⁴⌋ unless the low word of w·n falls below 2⁶⁴ mod n; with these
    /// words and bounds no redraw happens (checked in the test), so the expected value is the high
    /// word, computed here by splitting w into 32-bit halves.
    @Test func boundedIntegerDrawsAreLemiresMethodOnTheStream() {
        let words: [UInt64] = [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
                               607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832]
        let bounds: [UInt64] = [7, 1, 1000, 3, 60_000, 2, 97, 4_000_000_000]
        var rng = Xoshiro256(state: (1, 2, 3, 4))
        for (w, n) in zip(words, bounds) {
            // High and low 64-bit words of w·n from w's 32-bit halves (n < 2^32, so no piece overflows).
            let (wHigh, wLow) = (w >> 32, w & 0xFFFF_FFFF)
            let lowProduct = wLow * n
            let highProduct = wHigh * n
            let (lowSum, carry) = (highProduct << 32).addingReportingOverflow(lowProduct)
            let high = (highProduct >> 32) + (carry ? 1 : 0)
            let threshold = (0 &- n) % n
            #expect(!(lowSum < threshold), "this vector needs no redraw")
            #expect(rng.nextIndex(below: n) == high)
        }
    }
}
