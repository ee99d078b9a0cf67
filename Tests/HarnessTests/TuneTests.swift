import Foundation
import Landscapes
import Optimizers
import Testing
@testable import Harness

/// `bench tune`'s core: configurations, successive halving, the choice, the equal effort.
@Suite struct TuneTests {
    static func sphere() throws -> LandscapeSpec { try LandscapeResolver.spec(named: "sphere") }

    /// A case whose best configuration is known in closed form. gd on the sphere f = |x − c|²
    /// (Hessian 2I) contracts the distance to c by |1 − 2η| per step; every learning rate in gd's
    /// tuning range (1e-4 … 1e-2) is below 1/2, so a larger η reaches f* + ε in strictly fewer
    /// gradients from every start and ends every budget strictly nearer c. Ranked by successes,
    /// then aRT, then the median gap, the configuration with the largest η therefore wins every
    /// comparison, whichever trials a round runs: the choice must be that configuration.
    @Test func theLargestStableLearningRateIsChosen() throws {
        let plan = TuningPlan(landscape: try Self.sphere(), dimension: 10, budget: 2000, start: .uniform, optimizers: ["gd"],
                              configurations: 12, trials: 2, halving: 2, instances: [1001, 1002], masterSeed: 5, threads: 2)
        let result = try Tuner.run(plan)
        let configurations = result.configurations["gd"]!
        func rate(_ c: TuningConfiguration) -> Double { Double(c.parameters["learning-rate"] ?? "0.001")! }
        let largest = configurations.max { rate($0) < rate($1) }!
        #expect(result.chosen["gd"] == largest, "chose \(result.chosen["gd"]!.text), largest rate \(largest.text)")
        // The draws span the range, so the test is not decided by the defaults alone, and the
        // first round's scores differ: the ranking saw something to rank.
        #expect(rate(largest) > 0.002 && configurations.contains { rate($0) < 0.001 })
        let first = result.rows.filter { $0.round == 1 }
        #expect(first.contains { $0.score != first[0].score })
    }

    /// Every optimizer gets the same configurations count, rounds and trials: rounds keep
    /// ⌈n/η⌉, each round's survivors have T·η^r trials per instance, and the trials run per
    /// optimizer are the plan's count.
    @Test func everyOptimizerGetsTheSameEffort() throws {
        let plan = TuningPlan(landscape: try Self.sphere(), dimension: 4, budget: 400, start: .uniform, optimizers: ["gd", "adam", "sa"],
                              configurations: 5, trials: 1, halving: 2, instances: [1001, 1003], masterSeed: 2, threads: 2)
        #expect(plan.survivors == [5, 3, 2, 1])
        // Round 1: 5 × 1 × 2, round 2: 3 × (2 − 1) × 2, round 3: 2 × (4 − 2) × 2.
        #expect(plan.trialsPerOptimizer == 10 + 6 + 8)
        let result = try Tuner.run(plan)
        for name in plan.optimizers {
            #expect(result.cost[name]!.trials == plan.trialsPerOptimizer, "\(name)")
            let rows = result.rows.filter { $0.configuration.optimizer == name }
            for round in 1...plan.rounds {
                let here = rows.filter { $0.round == round }
                #expect(here.count == plan.survivors[round - 1])
                #expect(here.allSatisfy { $0.score.trials == plan.trials(afterRound: round - 1) * plan.instances.count })
                #expect(here.filter(\.kept).count == plan.survivors[round])
                #expect(here.map(\.rank).sorted() == Array(1...here.count))
            }
            // Only survivors go on.
            for round in 2...plan.rounds {
                let kept = Set(rows.filter { $0.round == round - 1 && $0.kept }.map(\.configuration.number))
                #expect(Set(rows.filter { $0.round == round }.map(\.configuration.number)) == kept)
            }
            #expect(result.expectedBest[name]!.count == plan.configurations)
        }
    }

    /// Tuning instances and the instance a run evaluates by default are disjoint, and rounds add
    /// trials with the numbers a longer run gives them: trials 0..<2 then 2..<4 are the trials
    /// 0..<4 of one run (same starts, same streams, same records).
    @Test func roundsAddTheTrialsALongerRunHas() throws {
        #expect(!TuningPlan(landscape: try Self.sphere(), optimizers: ["gd"]).instances.contains(try Self.sphere().instance))
        let spec = try LandscapeResolver.spec(named: "rastrigin")
        func records(first: Int, count: Int) throws -> [TrialRecord] {
            var landscape = try ResolvedLandscape(spec, overrides: SpecOverrides(dimension: 3, trials: count, budget: 300, instance: 1001))
            landscape.firstTrial = first
            return try BenchmarkRun.execute(RunPlan(landscapes: [landscape], optimizers: [try OptimizerEntry(name: "sa"), try OptimizerEntry(name: "gd")],
                                                    masterSeed: 9, threads: 2))
        }
        let whole = try records(first: 0, count: 4)
        let parts = try records(first: 0, count: 2) + records(first: 2, count: 2)
        func key(_ r: TrialRecord) -> String { "\(r.optimizer) \(r.trial) \(r.startSeed) \(r.optimizerSeed) \(r.bestValue) \(r.spent) \(r.trapValue)" }
        #expect(Set(whole.map(key)) == Set(parts.map(key)))
        #expect(Set(parts.map(\.trial)) == [0, 1, 2, 3])
    }

    /// The expected best of k configurations against enumerating every k-subset.
    /// Ranking: successes first, then aRT, then the median gap; values equal up to rounding tie
    /// (so the defaults, number 0, keep their place), a real difference does not.
    @Test func rankingTiesRoundingNotDifferences() {
        func score(successes: Int, aRT: Double, gap: Double) -> TuningScore {
            var s = TuningScore([])
            s.successes = successes
            s.averageRuntime = aRT
            s.medianGap = gap
            return s
        }
        let defaults = score(successes: 0, aRT: .infinity, gap: 0.30000000000000016)
        let drawn = score(successes: 0, aRT: .infinity, gap: 0.29999999999999993)  // adam's two medians on the double well
        #expect(!drawn.ranksBefore(defaults) && !defaults.ranksBefore(drawn))
        #expect(score(successes: 0, aRT: .infinity, gap: 0.2999).ranksBefore(defaults))
        #expect(score(successes: 1, aRT: 9000, gap: 1).ranksBefore(score(successes: 0, aRT: .infinity, gap: 0)))
        #expect(score(successes: 2, aRT: 900, gap: 1).ranksBefore(score(successes: 2, aRT: 901, gap: 0)))
        #expect(!score(successes: 2, aRT: 900 * (1 + 1e-12), gap: 0).ranksBefore(score(successes: 2, aRT: 900, gap: 0)) )
    }

    @Test func expectedBestMatchesEnumeration() {
        #expect(Tuner.expectedBest([0, 1]) == [0.5, 1])
        var rng = Xoshiro256(seed: 3)
        let values = (0..<7).map { _ in (rng.nextUnit() * 20).rounded() / 20 }  // with ties
        let curve = Tuner.expectedBest(values)
        for k in 1...7 {
            var total = 0.0, count = 0
            for mask in 0..<(1 << 7) where mask.nonzeroBitCount == k {
                total += (0..<7).filter { mask & (1 << $0) != 0 }.map { values[$0] }.max()!
                count += 1
            }
            #expect(abs(curve[k - 1] - total / Double(count)) <= 1e-12, "k = \(k)")
        }
    }

    /// Configurations: number 0 is the defaults; the draws vary only tunable parameters, stay in
    /// their ranges, build, and are the same for the same seed.
    @Test func configurationsAreTheDefaultsThenDrawsInTheRanges() throws {
        let a = try Tuner.configurations(of: "differential-evolution", count: 20, masterSeed: 4)
        #expect(a == (try Tuner.configurations(of: "differential-evolution", count: 20, masterSeed: 4)))
        #expect(a[0].parameters.isEmpty && a.map(\.number) == Array(0..<20))
        let specs = try OptimizerCatalog.definition(named: "differential-evolution").parameterSpecs
        for configuration in a.dropFirst() {
            #expect(configuration.parameters["atol"] == nil, "atol is held")
            for (name, text) in configuration.parameters {
                let spec = specs.first { $0.name == name }!
                guard case .success(let range) = spec.tuningRange, case .log(let r) = range.values else { continue }
                #expect(r.contains(spec.parse(text)!))
            }
            // mutation-low ≤ mutation-high: refused draws were drawn again.
            #expect(Double(configuration.parameters["mutation-low"]!)! <= Double(configuration.parameters["mutation-high"]!)!)
        }
    }

    /// Sizes beyond the limits are refused before anything runs.
    @Test func limitsAreChecked() throws {
        let sphere = try Self.sphere()
        for plan in [TuningPlan(landscape: sphere, optimizers: ["gd"], configurations: 1),
                     TuningPlan(landscape: sphere, optimizers: ["gd"], halving: 1),
                     TuningPlan(landscape: sphere, optimizers: ["gd"], instances: [5, 5]),
                     TuningPlan(landscape: sphere, optimizers: ["gd", "gd"]),
                     TuningPlan(landscape: sphere, optimizers: ["gd"], configurations: 1024, trials: 100_000)] {
            #expect(throws: HarnessError.self) { try plan.check() }
        }
    }

    /// A written parameter file reads back to the same value, provenance included.
    @Test func parameterFilesRoundTrip() throws {
        let provenance = TuningProvenance(landscape: "levy-10", family: "levy", dimension: 10, budget: 20000, instances: [1001, 1002],
                                          seed: 18_446_744_073_709_551_615, configurations: 16, trials: 4, halving: 2,
                                          metric: TuneOutput.metric(knownOptimum: true))
        let file = MethodParameterFile(optimizer: "cma-es", parameters: ["sigma0": "0.031", "restarts": "bipop", "tolx": "1e-12"],
                                       tuning: provenance)
        #expect(try MethodParameterFile.parse(yaml: file.yaml, file: "x.yaml") == file)
        let bare = MethodParameterFile(optimizer: "sa", parameters: [:])
        #expect(try MethodParameterFile.parse(yaml: bare.yaml, file: "y.yaml") == bare)
    }
}
