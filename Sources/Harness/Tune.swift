import Foundation
import Landscapes
import Optimizers

/// Equal-effort tuning (`bench tune`): every optimizer gets the same number of configurations,
/// the same rounds and the same trials per round, on instances no evaluation uses, and the same
/// rule chooses among them.
///
/// Configurations: number 0 is the optimizer's defaults; numbers 1 … K − 1 draw every tunable
/// parameter from its range (`ParameterSpec.tuningRange`), with a stream derived from the master
/// seed, "tune" and the optimizer's seed key (a draw the optimizer refuses, such as DE's
/// mutation-low above mutation-high, is drawn again, up to 1,000 times).
///
/// Successive halving (Jamieson & Talwalkar 2016) over trials, never over the per-trial budget:
/// round r runs each surviving configuration on trials 0 ..< T·η^r of every tuning instance (the
/// trials of earlier rounds are kept, and round r adds the rest, each with the seeds of its
/// number), ranks the survivors, and keeps the best ⌈n/η⌉, until one is left. Every optimizer's
/// rounds are run in one plan per round, so every configuration of every optimizer starts trial i
/// of an instance from the same point.
///
/// Ranking (`TuningScore`), when f* is known: more successes first, then lower aRT, then lower
/// median final gap; when it is not: more escapes, then lower median final value. Every survivor
/// of a round has the same number of trials, so counts compare as rates. Ties keep the lower
/// configuration number (the defaults win a tie).
public struct TuningPlan: Sendable {
    public var landscape: LandscapeSpec
    public var dimension: Int?
    public var budget: Double?
    public var start: StartProtocolKind?
    public var optimizers: [String]
    /// K, configurations per optimizer (the defaults and K − 1 draws).
    public var configurations: Int
    /// T, trials per instance and configuration in the first round.
    public var trials: Int
    /// η, the halving factor.
    public var halving: Int
    /// The instances tuned on; evaluation runs refuse them (`MethodParameterFile.tuning`).
    public var instances: [Int]
    public var masterSeed: UInt64
    public var threads: Int
    public var gradCost: Double?

    /// The first tuning instance without `--instances`: far above the instances runs use (1 by
    /// default, or a spec's own).
    public static let firstInstance = 1001

    public static let limits = (configurations: 2...1024, trials: 1...100_000, halving: 2...16, instances: 1...1000)

    public init(landscape: LandscapeSpec, dimension: Int? = nil, budget: Double? = nil, start: StartProtocolKind? = nil,
                optimizers: [String], configurations: Int = 16, trials: Int = 4, halving: Int = 2,
                instances: [Int] = [firstInstance, firstInstance + 1], masterSeed: UInt64 = 1,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, gradCost: Double? = nil) {
        self.landscape = landscape
        self.dimension = dimension
        self.budget = budget
        self.start = start
        self.optimizers = optimizers
        self.configurations = configurations
        self.trials = trials
        self.halving = halving
        self.instances = instances
        self.masterSeed = masterSeed
        self.threads = threads
        self.gradCost = gradCost
    }

    /// Trials per instance after round r (0-based): T·η^r.
    public func trials(afterRound r: Int) -> Int {
        var t = trials
        for _ in 0..<r { t *= halving }
        return t
    }

    /// Survivors entering round r: K, ⌈K/η⌉, … down to 1 (the last entry).
    public var survivors: [Int] {
        var counts = [configurations]
        while counts.last! > 1 { counts.append((counts.last! + halving - 1) / halving) }
        return counts
    }

    /// The rounds that run: one fewer than `survivors` (the last count, 1, is the choice).
    public var rounds: Int { survivors.count - 1 }

    /// Trials each optimizer runs in all: Σ_r survivors_r · (T·η^r − T·η^(r−1)) · instances.
    public var trialsPerOptimizer: Int {
        var total = 0, before = 0
        for (r, n) in survivors.dropLast().enumerated() {
            let after = trials(afterRound: r)
            total += n * (after - before) * instances.count
            before = after
        }
        return total
    }

    /// Refuses sizes beyond the documented limits before anything is allocated.
    public func check() throws {
        func within(_ value: Int, _ range: ClosedRange<Int>, _ flag: String) throws {
            guard range.contains(value) else {
                throw HarnessError("\(flag) \(value): expected \(range.lowerBound) to \(range.upperBound)")
            }
        }
        try within(configurations, Self.limits.configurations, "--configurations")
        try within(trials, Self.limits.trials, "--trials")
        try within(halving, Self.limits.halving, "--halving")
        try within(instances.count, Self.limits.instances, "--instances (their count)")
        guard Set(instances).count == instances.count, instances.allSatisfy({ $0 >= 1 }) else {
            throw HarnessError("--instances: expected distinct instance numbers of 1 or more")
        }
        let last = trials(afterRound: rounds - 1)
        guard last <= RunLimits.trials else {
            throw HarnessError("--trials \(trials) with --halving \(halving) and --configurations \(configurations): the last round "
                + "would run \(last) trials per configuration, above the limit of \(RunLimits.trials)")
        }
        guard !optimizers.isEmpty, Set(optimizers).count == optimizers.count else {
            throw HarnessError("--optimizer: expected distinct optimizers, at least one")
        }
        // Every trial's record is held until the choice: about 2.3 KB each.
        guard trialsPerOptimizer * optimizers.count <= Self.maximumTrials else {
            throw HarnessError("the tuning would run \(trialsPerOptimizer) trials for each of \(optimizers.count) optimizers, above the "
                + "limit of \(Self.maximumTrials) in all (fewer --configurations, --trials or --instances)")
        }
    }

    /// The most trials one tuning run holds (their records stay in memory until the choice).
    public static let maximumTrials = 200_000
}

/// One configuration of one optimizer: the parameters it sets (name → text; none for the
/// defaults).
public struct TuningConfiguration: Sendable, Equatable {
    public var optimizer: String
    public var number: Int
    public var parameters: [String: String]

    /// `a=1;b=2`, sorted by name.
    public var text: String { parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";") }
    /// The label its trials carry in a round's plan.
    var label: String { "\(optimizer)#\(number)" }
}

/// What one configuration's trials so far show, and how configurations are ranked.
public struct TuningScore: Sendable, Equatable {
    public var trials = 0
    public var failed = 0
    /// nil when f* is unknown.
    public var successes: Int?
    public var trapped = 0
    public var escapes = 0
    /// COCO's aRT for success: Σ cost / successes, a trial's cost its evaluations to success when
    /// it succeeded, else all it spent; ∞ with no success; nil when f* is unknown.
    public var averageRuntime: Double?
    public var medianGap: Double?
    public var medianBest: Double?
    public var spent = 0.0

    public init(_ records: [TrialRecord]) {
        trials = records.count
        failed = records.filter(\.failed).count
        let counted = records.filter { !$0.failed }
        trapped = records.filter(\.trapped).count
        escapes = counted.filter { $0.trapped && $0.escaped }.count
        spent = records.reduce(0) { $0 + $1.spent }
        medianBest = TunnelCalibrator.median(counted.map(\.bestValue))
        if records.contains(where: { $0.success != nil }) {
            let wins = counted.filter { $0.success == true }
            successes = wins.count
            let cost = records.reduce(0.0) { sum, r in sum + (r.success == true && !r.failed ? (r.evalsToSuccess ?? r.spent) : r.spent) }
            averageRuntime = wins.isEmpty ? .infinity : cost / Double(wins.count)
            medianGap = TunnelCalibrator.median(counted.compactMap(\.gap))
        }
    }

    public var successRate: Double? { successes.map { trials > 0 ? Double($0) / Double(trials) : 0 } }
    public var escapeRate: Double? { trapped > 0 ? Double(escapes) / Double(trapped) : nil }

    /// Values that differ by at most this fraction of the larger rank as equal: a median gap of
    /// 0.30000000000000016 against 0.29999999999999993 is rounding in f − f*, not a better method.
    public static let tieFraction = 1e-9

    /// Whether `self` ranks before `other` (both measured on the same trials).
    public func ranksBefore(_ other: TuningScore) -> Bool {
        func lower(_ a: Double?, _ b: Double?) -> Bool? {
            let x = a ?? .infinity, y = b ?? .infinity
            if x == y || (x.isFinite && y.isFinite && abs(x - y) <= Self.tieFraction * max(abs(x), abs(y))) { return nil }
            return x < y
        }
        if let s = successes, let o = other.successes {
            if s != o { return s > o }
            if let r = lower(averageRuntime, other.averageRuntime) { return r }
            return lower(medianGap, other.medianGap) ?? false
        }
        if escapes != other.escapes { return escapes > other.escapes }
        return lower(medianBest, other.medianBest) ?? false
    }

    /// The scalar the expected-best curve averages: the success rate, or the escape rate when f*
    /// is unknown (0 when nothing was trapped).
    public var curveValue: Double { successRate ?? escapeRate ?? 0 }
}

/// One configuration's standing after one round (a row of tuning.csv).
public struct TuningRow: Sendable, Equatable {
    public var configuration: TuningConfiguration
    public var round: Int
    public var score: TuningScore
    /// Its place among the round's survivors (1 = best).
    public var rank: Int
    /// Whether it goes on to the next round (or, in the last round, is the choice).
    public var kept: Bool
}

public struct TuningResult: Sendable {
    public var plan: TuningPlan
    public var configurations: [String: [TuningConfiguration]]
    public var rows: [TuningRow]
    public var chosen: [String: TuningConfiguration]
    /// Per optimizer: trials run and budget spent over all rounds.
    public var cost: [String: (trials: Int, spent: Double)]
    /// Per optimizer, k = 1 … K: the expected best first-round value (`TuningScore.curveValue`)
    /// among k configurations drawn without replacement from the K (Sivaprasad et al. 2020).
    public var expectedBest: [String: [Double]]
}

public enum Tuner {
    /// The K configurations of `optimizer`: its defaults, then K − 1 draws.
    public static func configurations(of optimizer: String, count: Int, masterSeed: UInt64) throws -> [TuningConfiguration] {
        let definition = try OptimizerCatalog.definition(named: optimizer)
        let ranges: [(ParameterSpec, TuningRange)] = definition.parameterSpecs.compactMap { spec in
            if case .success(let range) = spec.tuningRange { return (spec, range) }
            return nil
        }
        var rng = Xoshiro256(seed: Seed.derive(masterSeed, "tune", definition.seedKey))
        var result = [TuningConfiguration(optimizer: optimizer, number: 0, parameters: [:])]
        for number in 1..<count {
            var attempts = 0
            while true {
                attempts += 1
                var parameters = [String: String]()
                for (spec, range) in ranges { parameters[spec.name] = spec.format(range.draw { rng.nextUnit() }) }
                if (try? OptimizerEntry(name: optimizer, overrides: parameters)) != nil {
                    result.append(TuningConfiguration(optimizer: optimizer, number: number, parameters: parameters))
                    break
                }
                guard attempts < 1000 else {
                    throw HarnessError("optimizer \(optimizer): 1000 draws from its tuning ranges in a row were refused; its ranges "
                        + "admit too few consistent configurations")
                }
            }
        }
        return result
    }

    /// E[max of k of the K values, drawn without replacement], k = 1 … K: with the values sorted
    /// ascending, the i-th (1-based) is the maximum with probability C(i−1, k−1)/C(K, k).
    public static func expectedBest(_ values: [Double]) -> [Double] {
        let sorted = values.sorted(), n = sorted.count
        return (1...Swift.max(1, n)).map { k in
            guard n > 0 else { return .nan }
            // C(i−1, k−1)/C(n, k) as a running product, in logs for large n.
            var total = 0.0
            for i in k...n {
                total += sorted[i - 1] * Foundation.exp(logChoose(i - 1, k - 1) - logChoose(n, k))
            }
            return total
        }
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }

    /// Runs the plan: every round of every optimizer, then the choice.
    public static func run(_ plan: TuningPlan, progress: ((String) -> Void)? = nil) throws -> TuningResult {
        try plan.check()
        var configurations = [String: [TuningConfiguration]]()
        for name in plan.optimizers {
            configurations[name] = try Self.configurations(of: name, count: plan.configurations, masterSeed: plan.masterSeed)
        }
        var survivors = configurations
        var records = [String: [TrialRecord]]()
        var rows = [TuningRow]()
        var before = 0
        for round in 0..<plan.rounds {
            let after = plan.trials(afterRound: round)
            progress?("round \(round + 1) of \(plan.rounds): \(survivors.values.first!.count) configurations, trials \(before) ..< \(after) of each instance")
            let landscapes = try plan.instances.map { instance -> ResolvedLandscape in
                var landscape = try ResolvedLandscape(plan.landscape, overrides: SpecOverrides(
                    dimension: plan.dimension, trials: after - before, budget: plan.budget, start: plan.start, instance: instance))
                landscape.firstTrial = before
                return landscape
            }
            guard landscapes.allSatisfy({ $0.kind == .continuous }) else {
                throw HarnessError("--landscape \(plan.landscape.name): bench tune runs on continuous landscapes only")
            }
            let entries = try plan.optimizers.flatMap { name in
                try survivors[name]!.map { try OptimizerEntry(name: name, label: $0.label, overrides: $0.parameters) }
            }
            let roundPlan = RunPlan(landscapes: landscapes, optimizers: entries, masterSeed: plan.masterSeed,
                                    threads: plan.threads, gradCost: plan.gradCost)
            if round == 0 { try roundPlan.checkBudgets() }
            try BenchmarkRun.execute(roundPlan) { record in
                records[record.optimizer, default: []].append(record)
            }
            for name in plan.optimizers {
                let scored = survivors[name]!.map { ($0, TuningScore(records[$0.label] ?? [])) }
                // Stable: equal scores keep the lower configuration number first.
                let ranked = scored.enumerated().sorted { a, b in
                    if a.element.1.ranksBefore(b.element.1) { return true }
                    if b.element.1.ranksBefore(a.element.1) { return false }
                    return a.element.0.number < b.element.0.number
                }.map(\.element)
                let keep = plan.survivors[round + 1]
                for (place, (configuration, score)) in ranked.enumerated() {
                    rows.append(TuningRow(configuration: configuration, round: round + 1, score: score, rank: place + 1, kept: place < keep))
                }
                survivors[name] = Array(ranked.prefix(keep).map(\.0))
            }
            before = after
        }
        var chosen = [String: TuningConfiguration]()
        var cost = [String: (trials: Int, spent: Double)]()
        var expectedBest = [String: [Double]]()
        for name in plan.optimizers {
            chosen[name] = survivors[name]!.first!
            let own = configurations[name]!.flatMap { records[$0.label] ?? [] }
            cost[name] = (own.count, own.reduce(0) { $0 + $1.spent })
            let first = rows.filter { $0.round == 1 && $0.configuration.optimizer == name }.sorted { $0.configuration.number < $1.configuration.number }
            expectedBest[name] = Self.expectedBest(first.map(\.score.curveValue))
        }
        return TuningResult(plan: plan, configurations: configurations, rows: rows, chosen: chosen, cost: cost, expectedBest: expectedBest)
    }
}

/// What `bench tune` writes: tuning.csv (every configuration after every round), expected-best.csv
/// (the curve per optimizer), one `<optimizer>.yaml` per optimizer with the chosen parameters
/// (`MethodParameterFile`, with its `tuning:` provenance), and tune.json (the plan).
public enum TuneOutput {
    public static let tableFile = "tuning.csv"
    public static let curveFile = "expected-best.csv"
    public static let metadataFile = "tune.json"

    /// The selection rule, as the files state it.
    public static func metric(knownOptimum: Bool) -> String {
        knownOptimum
            ? "success rate, then aRT, then median final gap"
            : "escape rate, then median final value (f* unknown)"
    }

    public static let tableColumns = Columns<TuningRow>([
        .text("optimizer") { $0.configuration.optimizer },
        .whole("configuration") { $0.configuration.number },
        .whole("round") { $0.round },
        .whole("trials") { $0.score.trials },
        .whole("failed") { $0.score.failed },
        .whole("successes") { $0.score.successes },
        .number("success_rate") { $0.score.successRate },
        .number("aRT") { $0.score.averageRuntime },
        .number("median_gap") { $0.score.medianGap },
        .whole("trapped") { $0.score.trapped },
        .whole("escaped") { $0.score.escapes },
        .number("escape_rate") { $0.score.escapeRate },
        .number("median_best") { $0.score.medianBest },
        .number("spent") { $0.score.spent },
        .whole("rank") { $0.rank },
        .flag("kept") { $0.kept },
        .text("parameters") { $0.configuration.text },
    ])

    public struct CurvePoint: Sendable {
        public var optimizer: String
        public var k: Int
        public var value: Double
    }

    public static let curveColumns = Columns<CurvePoint>([
        .text("optimizer") { $0.optimizer },
        .whole("k") { $0.k },
        .number("expected_best") { $0.value },
    ])

    public static func provenance(_ result: TuningResult, landscape: ResolvedLandscape) -> TuningProvenance {
        let plan = result.plan
        return TuningProvenance(landscape: plan.landscape.name, family: landscape.family.name, dimension: landscape.dimension,
                                budget: landscape.budget, instances: plan.instances, seed: plan.masterSeed,
                                configurations: plan.configurations, trials: plan.trials, halving: plan.halving,
                                metric: metric(knownOptimum: landscape.successThreshold != nil))
    }

    /// Every file but tune.json, named, in the order they are written.
    public static func files(_ result: TuningResult, landscape: ResolvedLandscape) -> [(name: String, contents: String)] {
        let provenance = provenance(result, landscape: landscape)
        var files: [(name: String, contents: String)] = [(tableFile, tableColumns.document(result.rows))]
        let points = result.plan.optimizers.flatMap { name in
            result.expectedBest[name]!.enumerated().map { CurvePoint(optimizer: name, k: $0.offset + 1, value: $0.element) }
        }
        files.append((curveFile, curveColumns.document(points)))
        for name in result.plan.optimizers {
            let chosen = result.chosen[name]!
            files.append(("\(name).yaml", MethodParameterFile(optimizer: name, parameters: chosen.parameters, tuning: provenance).yaml))
        }
        return files
    }

    /// The printed table: per optimizer the chosen configuration, its last round's figures, and
    /// the cost of its tuning (equal trials for every optimizer).
    public static func table(_ result: TuningResult) -> String {
        var lines = ["| optimizer | chosen | rounds | trials in its last round | successes | escapes | aRT | median gap | tuning trials | tuning spend |",
                     "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for name in result.plan.optimizers {
            let chosen = result.chosen[name]!
            let last = result.rows.last { $0.configuration == chosen }!
            let score = last.score
            func number(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.4g", $0) : "∞" } ?? "" }
            let cost = result.cost[name]!
            lines.append("| \(name) | \(chosen.number == 0 ? "defaults" : "#\(chosen.number): " + chosen.text) | \(last.round) | "
                + "\(score.trials) | \(score.successes.map { "\($0)/\(score.trials)" } ?? "—") | \(score.escapes)/\(score.trapped) | "
                + "\(number(score.averageRuntime)) | \(number(score.medianGap)) | \(cost.trials) | \(number(cost.spent)) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// tune.json: what was run, to read the folder later.
public struct TuneMetadata: Codable, Sendable, Equatable {
    public var arguments: [String]
    public var startedAt: Date
    public var gitCommit: String?
    public var landscape: String
    public var family: String
    public var dimension: Int
    public var budget: Double
    public var optimizers: [String]
    public var configurations: Int
    public var trials: Int
    public var halving: Int
    public var instances: [Int]
    public var seed: UInt64
    public var metric: String
    public var trialsPerOptimizer: Int

    public init(_ result: TuningResult, landscape: ResolvedLandscape, arguments: [String], startedAt: Date, gitCommit: String?) {
        let plan = result.plan
        self.arguments = arguments
        self.startedAt = startedAt
        self.gitCommit = gitCommit
        self.landscape = plan.landscape.name
        family = landscape.family.name
        dimension = landscape.dimension
        budget = landscape.budget
        optimizers = plan.optimizers
        configurations = plan.configurations
        trials = plan.trials
        halving = plan.halving
        instances = plan.instances
        seed = plan.masterSeed
        metric = TuneOutput.metric(knownOptimum: landscape.successThreshold != nil)
        trialsPerOptimizer = plan.trialsPerOptimizer
    }

    public func json() throws -> String { try RecordedJSON.text(self) }
}
