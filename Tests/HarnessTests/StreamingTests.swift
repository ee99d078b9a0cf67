import Foundation
import Landscapes
import Optimizers
import Synchronization
import Testing
@testable import Harness

/// A run's trial records stream from the workers to trials.csv and into compact accumulators
/// (`RunWriter`, `RunTally`) instead of being held to the end. These tests check that what comes
/// out is what the whole list of records gave: the reference below is the computation over a
/// list of records as the harness did it before streaming, kept here verbatim.
@Suite struct StreamingTests {
    /// Small plans that between them have: several landscapes and optimizers, f* known and
    /// unknown, continuous and Ising, local-min, basin and uniform starts (untrapped trials),
    /// single- and multi-optimizer landscapes, and traced trials.
    static let plans = ["continuous", "ising", "uniform-and-basin", "single-optimizer", "traced"]

    static func plan(_ name: String, threads: Int = 2) throws -> RunPlan {
        func landscape(_ family: String, name: String? = nil, dimension: Int? = nil, trials: Int, budget: Double,
                       start: StartProtocolKind? = nil, parameters: [String: String] = [:]) throws -> ResolvedLandscape {
            var spec = LandscapeSpec(name: name ?? family, family: family)
            spec.parameters = parameters
            spec.jitter = 0.05
            return try ResolvedLandscape(spec, overrides: SpecOverrides(dimension: dimension, trials: trials, budget: budget, start: start))
        }
        func entries(_ names: [String], for l: ResolvedLandscape) throws -> [OptimizerEntry] {
            try OptimizerEntry.entries(for: l, names: names)
        }
        switch name {
        case "continuous":
            let a = try landscape("rastrigin", dimension: 2, trials: 24, budget: 400)
            let b = try landscape("double-well", trials: 16, budget: 300)
            return RunPlan(landscapes: [a, b], optimizersPerLandscape: [try entries(["random-search", "sa", "gd", "basin-hopping"], for: a),
                                                                        try entries(["random-search", "pt", "piqa"], for: b)],
                           masterSeed: 7, threads: threads)
        case "ising":
            // sk: f* unknown (every trial trapped, no success column); weak-strong: E* known.
            let a = try landscape("sk", trials: 12, budget: 3000, parameters: ["size": "12"])
            let b = try landscape("weak-strong", trials: 12, budget: 4000)
            return RunPlan(landscapes: [a, b], optimizersPerLandscape: [try entries(["sa-spin", "pt-spin", "greedy-restarts"], for: a),
                                                                        try entries(["sa-spin", "piqa-spin", "pt-spin"], for: b)],
                           masterSeed: 11, threads: threads)
        case "uniform-and-basin":
            let a = try landscape("six-hump-camel", trials: 30, budget: 200, start: .uniform)
            let b = try landscape("rastrigin", name: "rastrigin-basin", dimension: 2, trials: 20, budget: 300, start: .basin)
            return RunPlan(landscapes: [a, b], optimizersPerLandscape: [try entries(["random-search", "gd", "adam"], for: a),
                                                                        try entries(["random-search", "momentum"], for: b)],
                           masterSeed: 3, threads: threads)
        case "single-optimizer":
            let a = try landscape("ackley", dimension: 2, trials: 40, budget: 300)
            return RunPlan(landscapes: [a], optimizers: try entries(["sa"], for: a), masterSeed: 5, threads: threads)
        case "traced":
            let a = try landscape("six-hump-camel", trials: 6, budget: 200)
            var plan = RunPlan(landscapes: [a], optimizers: try entries(["random-search", "pt"], for: a), masterSeed: 9, threads: threads)
            plan.traceTrials = 2
            return plan
        default: fatalError("no plan \(name)")
        }
    }

    /// Records of `plan`, with some turned into failed trials (as `TrialRunner` writes them: no
    /// escape, no success, stop reason `failed`, a reason) and, on one row, training accuracies,
    /// so that every branch of the summary is taken.
    static func records(_ plan: RunPlan) throws -> [TrialRecord] {
        var records = try BenchmarkRun.execute(plan)
        for i in records.indices where i % 7 == 3 {
            records[i].failure = "value NaN at trial \(records[i].trial)"
            records[i].stopReason = "failed"
            records[i].escaped = false
            records[i].evalsToEscape = nil
            records[i].success = records[i].success.map { _ in false }
            records[i].evalsToSuccess = nil
        }
        for i in records.indices where records[i].optimizer == records[0].optimizer && records[i].landscape == records[0].landscape {
            records[i].trainingAccuracy = Double(i % 5) / 4
        }
        return records
    }

    @Test(arguments: plans)
    func streamedSummaryEqualsTheWholeListSummaryToTheBit(name: String) throws {
        let plan = try Self.plan(name)
        let records = try Self.records(plan)
        #expect(records.contains { $0.failed })
        var tally = RunTally(plan: plan)
        for record in records { tally.add(record) }
        let expected = Reference.summarize(records)
        // String(describing:) prints every stored field, each Double in its shortest round-trip
        // form, so equal text is equal bits (and NaN compares equal to NaN).
        #expect(tally.summary.map { String(describing: $0) } == expected.map { String(describing: $0) })
        #expect(SummaryRow.summarize(records).map { String(describing: $0) } == expected.map { String(describing: $0) })
    }

    @Test(arguments: plans)
    func streamedComparisonsAndBaselineRowsEqualTheWholeListOnes(name: String) throws {
        let plan = try Self.plan(name)
        let records = try Self.records(plan)
        var tally = RunTally(plan: plan)
        for record in records { tally.add(record) }
        // Every pair of optimizers on each landscape, in both orders.
        let labels = plan.optimizers.flatMap { $0.map(\.label) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let chosen = labels.flatMap { a in labels.filter { $0 != a }.map { [a, $0] } }
            .filter { pair in plan.optimizers.contains { list in pair.allSatisfy { n in list.contains { $0.label == n } } } }
        let metadata = RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil, comparisons: chosen)
        let planned = PairedComparisons.plan(metadata)
        #expect(planned.contains { $0.status == .ok } == plan.optimizers.contains { $0.count > 1 })
        let expected = Reference.evaluate(planned, records: records)
        #expect(PairedComparisons.evaluate(planned, outcomes: tally.outcomes).map { String(describing: $0) }
                == expected.map { String(describing: $0) })
        #expect(PairedComparisons.evaluate(planned, records: records).map { String(describing: $0) }
                == expected.map { String(describing: $0) })
        #expect(Baseline.rows(from: tally.outcomes, plan: plan) == Reference.baselineRows(from: records, plan: plan))
    }

    /// trials.csv and traces.csv are written row by row as the records arrive; the files are
    /// byte for byte the documents of the whole list, and so are summary.csv and comparisons.csv.
    @Test(arguments: plans)
    func streamedFilesEqualTheWholeListDocumentsByteForByte(name: String) throws {
        let plan = try Self.plan(name)
        let dir = temporaryFolder()
        let writer = try RunWriter(directory: dir, plan: plan)
        var records = [TrialRecord]()
        try BenchmarkRun.execute(plan) { record in
            records.append(record)
            try writer.add(record)
        }
        let metadata = RunMetadata(plan: plan, arguments: [], startedAt: Date(), gitCommit: nil)
        try writer.finish(metadata: metadata)
        func file(_ name: String) throws -> String { try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }
        #expect(try file("trials.csv") == CSV.document(header: TrialRecord.csvHeader, rows: records.map(\.csvFields)))
        #expect(try file("summary.csv") == CSV.document(header: SummaryRow.csvHeader, rows: Reference.summarize(records).map(\.csvFields)))
        #expect(try file("comparisons.csv")
                == PairedComparisons.csv(Reference.evaluate(PairedComparisons.plan(metadata), records: records)))
        #expect(try file("run.json") == (try metadata.json()))
        let traced = records.filter { $0.trace != nil }
        #expect(traced.isEmpty == (plan.traceTrials == 0))
        #expect(FileManager.default.fileExists(atPath: dir + "/traces.csv") == !traced.isEmpty)
        if !traced.isEmpty { #expect(try file("traces.csv") == TraceTable.document(traced)) }
        // surface.csv exactly when a traced plan has a 2-D continuous landscape.
        let surfaces = plan.traceTrials > 0 && plan.landscapes.contains { $0.kind == .continuous && $0.dimension == 2 }
        #expect(FileManager.default.fileExists(atPath: dir + "/surface.csv") == surfaces)
        // Nothing else: no temporary file is left behind.
        let expectedFiles = ["comparisons.csv", "run.json", "summary.csv", "trials.csv"] + (traced.isEmpty ? [] : ["traces.csv"])
            + (surfaces ? ["surface.csv"] : [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == expectedFiles.sorted())
    }

    /// The files do not depend on the thread count, timing columns aside (wall time in
    /// trials.csv, evaluations per second in summary.csv: each the last column).
    @Test(arguments: ["continuous", "ising", "traced"])
    func filesAreTheSameForOneAndTwoThreads(name: String) throws {
        func files(threads: Int) throws -> [String: String] {
            let plan = try Self.plan(name, threads: threads)
            let dir = temporaryFolder()
            let writer = try RunWriter(directory: dir, plan: plan)
            // A small window, so that two threads reorder often.
            try BenchmarkRun.execute(plan, window: 3) { try writer.add($0) }
            try writer.finish(metadata: RunMetadata(plan: plan, arguments: [], startedAt: Date(timeIntervalSince1970: 0), gitCommit: nil))
            var result = [String: String]()
            for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name != "run.json" {
                let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
                let timed = name == "trials.csv" || name == "summary.csv"
                // No field of these rows holds a comma inside quotes before the last column.
                result[name] = timed ? text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",") }
                    .joined(separator: "\n") : text
            }
            return result
        }
        let one = try files(threads: 1)
        let two = try files(threads: 2)
        #expect(one.keys.sorted() == two.keys.sorted())
        for (name, text) in one { #expect(text == two[name], "\(name) differs") }
    }

    /// A run whose writing fails part-way stops starting tasks, and its abandoned staging folder
    /// leaves nothing beside the target.
    @Test func aFailedDeliveryStopsTheRunAndWritesNothing() throws {
        let plan = try Self.plan("single-optimizer")
        let dir = temporaryFolder()
        struct Full: Error {}
        let delivered = Mutex(0)
        do {
            let staging = try RunOutput.stage(dir + "/out", defaultName: "unused", overwrite: false)
            defer { staging.abandon() }
            let writer = try RunWriter(directory: staging.path, plan: plan)
            try BenchmarkRun.execute(plan, window: 4) { record in
                if record.trial == 5 { throw Full() }
                try writer.add(record)
                delivered.withLock { $0 += 1 }
            }
            Issue.record("the error was not rethrown")
        } catch is Full {}
        #expect(delivered.withLock { $0 } == 5)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// A run keeps the first `listedFailures` failed trials to list and counts the rest, so a
    /// run where every trial fails keeps no more than that.
    @Test func failedTrialsPastTheListedOnesAreCountedNotKept() throws {
        let plan = try Self.plan("single-optimizer")
        var record = try BenchmarkRun.execute(plan)[0]
        record.failure = "value NaN"
        var tally = RunTally()
        let count = RunTally.listedFailures + 5
        for trial in 0..<count {
            record.trial = trial
            tally.add(record)
        }
        #expect(tally.failedCount == count && tally.failures.count == 1000)
        #expect(tally.failures.map(\.trial) == Array(0..<1000))
        let lines = RegressionCheck.failureLines(tally)
        #expect(lines.count == 1001 && lines.last == "... and 5 more failed trials, not listed")
        #expect(lines[999].hasPrefix("FAILED ackley/sa trial 999 (start seed "))
    }

    /// The reorder buffer: results come out in index order, and no task starts more than
    /// `window` tasks after the oldest unfinished one, even while one task is much slower than
    /// the rest (task 0 here), so at most `window` results exist at once.
    @Test(arguments: [(1, 1), (2, 1), (3, 4), (4, 8)])
    func workersStayWithinTheWindowAndResultsComeInOrder(threads: Int, window: Int) throws {
        let count = 300
        let state = Mutex((started: Set<Int>(), finished: Set<Int>(), delivered: 0, maxLead: 0, maxAlive: 0))
        var order = [Int]()
        try orderedParallelForEach(count, threads: threads, window: window, { i -> Int in
            state.withLock { s in
                s.started.insert(i)
                // The oldest task not finished (every task below it is done).
                let oldest = (0..<count).first { !s.finished.contains($0) }!
                s.maxLead = max(s.maxLead, i - oldest)
                s.maxAlive = max(s.maxAlive, s.started.count - s.delivered)
            }
            if i % 50 == 0 { Thread.sleep(forTimeInterval: 0.02) }
            state.withLock { _ = $0.finished.insert(i) }
            return i
        }, deliver: { i in
            order.append(i)
            state.withLock { $0.delivered += 1 }
        })
        #expect(order == Array(0..<count))
        let s = state.withLock { $0 }
        #expect(s.maxLead < window)
        #expect(s.maxAlive <= window)
    }
}

func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "tunnelbench-stream-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The summary, paired comparisons and baseline rows computed from the whole list of records,
/// as the harness computed them before records were streamed (verbatim), as the reference.
enum Reference {
    static func row(_ records: [TrialRecord]) -> SummaryRow {
        precondition(!records.isEmpty, "a summary row needs at least one trial")
        let first = records[0]
        let trials = records.count
        let failed = records.filter(\.failed).count
        let trappedRecords = records.filter(\.trapped)
        let trapped = trappedRecords.count
        let escaped = trappedRecords.filter(\.escaped).count
        let escape = Proportion(successes: escaped, trials: trapped)
        let hasOptimum = first.success != nil
        let declared = first.budgetDeclared
        let successes = records.filter { $0.success == true }.count
        let success = hasOptimum ? Proportion(successes: successes, trials: trials) : nil
        let escapeCosts = trappedRecords.compactMap(\.evalsToEscape)
        let totalSpent = records.reduce(0) { $0 + $1.spent }
        let meanSpent = totalSpent / Double(trials)
        let trappedMean = trapped > 0 ? trappedRecords.reduce(0) { $0 + $1.spent } / Double(trapped) : 0
        let completed = records.filter { !$0.failed }
        let wall = records.reduce(0) { $0 + $1.wallTime }
        return SummaryRow(
            landscape: first.landscape, dimension: first.dimension, optimizer: first.optimizer,
            optimizerParameters: first.optimizerParameters, budget: first.budget, trials: trials, failed: failed,
            trapped: trapped, escaped: escaped, escape: escape, success: success,
            escapeEvalsMedian: quantile(escapeCosts, 0.5), escapeEvalsQ1: quantile(escapeCosts, 0.25),
            escapeEvalsQ3: quantile(escapeCosts, 0.75),
            tts99Escape: TimeToSolution(meanCost: trappedMean, proportion: escape),
            tts99Success: TimeToSolution(meanCost: meanSpent, proportion: success),
            averageRuntimeEscape: declared ? nil : AverageRuntime(
                cost: trappedRecords.map { $0.escaped ? $0.evalsToEscape ?? $0.spent : $0.spent },
                succeeded: trappedRecords.map(\.escaped)),
            averageRuntimeSuccess: hasOptimum && !declared
                ? AverageRuntime(cost: records.map { $0.success == true ? $0.evalsToSuccess ?? $0.spent : $0.spent },
                                 succeeded: records.map { $0.success == true })
                : nil,
            medianGap: quantile(completed.compactMap(\.gap), 0.5), meanSpent: meanSpent,
            medianBestValue: quantile(completed.map(\.bestValue), 0.5),
            medianTrainingAccuracy: quantile(completed.compactMap(\.trainingAccuracy), 0.5),
            evaluationsPerSecond: wall.isNaN ? .nan : wall > 0 ? totalSpent / wall : 0,
            finalSuccess: first.finalSuccess == nil ? nil
                : Proportion(successes: records.filter { $0.finalSuccess == true }.count, trials: trials),
            medianFinalGap: quantile(completed.compactMap { r in r.finalValue.flatMap { f in r.gap.map { $0 + f - r.bestValue } } }, 0.5),
            budgetDeclared: declared, diagnostics: diagnostics(completed))
    }

    /// Per name, in order of first report: element i is the mean of the finite values at i.
    static func diagnostics(_ records: [TrialRecord]) -> [Diagnostic] {
        var names = [String]()
        for r in records { for d in r.diagnostics where !names.contains(d.name) { names.append(d.name) } }
        return names.map { name in
            let lists = records.compactMap { r in r.diagnostics.first { $0.name == name }?.values }
            let length = lists.map(\.count).max() ?? 0
            return Diagnostic(name: name, values: (0..<length).map { i in
                let finite = lists.compactMap { $0.count > i && $0[i].isFinite ? $0[i] : nil }
                return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
            })
        }
    }

    static func summarize(_ records: [TrialRecord]) -> [SummaryRow] {
        var rows = [SummaryRow]()
        var group = [TrialRecord]()
        for record in records {
            if let last = group.last, last.landscape != record.landscape || last.optimizer != record.optimizer
                || last.optimizerParameters != record.optimizerParameters || last.dimension != record.dimension {
                rows.append(row(group))
                group.removeAll()
            }
            group.append(record)
        }
        if !group.isEmpty { rows.append(row(group)) }
        return rows
    }

    static func evaluate(_ planned: [PlannedComparison], records: [TrialRecord]) -> [PairedComparison] {
        var byKey = [String: [Int: TrialRecord]]()
        for record in records { byKey[PairedComparisons.key(record.landscape, record.optimizer), default: [:]][record.trial] = record }
        var rows = [PairedComparison]()
        for pair in planned {
            let mine = byKey[PairedComparisons.key(pair.landscape, pair.optimizer)] ?? [:]
            let theirs = byKey[PairedComparisons.key(pair.landscape, pair.comparator)] ?? [:]
            let hasOptimum = (mine.values.first ?? theirs.values.first)?.success != nil
            let outcomes: [PairedComparison.Outcome] = hasOptimum ? [.escape, .success] : [.escape]
            for outcome in outcomes {
                var row = PairedComparison(landscape: pair.landscape, optimizer: pair.optimizer, comparator: pair.comparator,
                                           basis: pair.basis, outcome: outcome, status: pair.status, walkers: pair.walkers)
                if pair.status == .ok {
                    var pairs = [(Bool, Bool)]()
                    for trial in mine.keys.sorted() {
                        guard let a = mine[trial], let b = theirs[trial] else { continue }
                        if outcome == .escape && !(a.trapped && b.trapped) { continue }
                        if a.failed || b.failed { row.failedPairs += 1 }
                        func won(_ r: TrialRecord) -> Bool { !r.failed && (outcome == .escape ? r.escaped : r.success == true) }
                        pairs.append((won(a), won(b)))
                    }
                    let counts = PairedCounts(pairs)
                    row.counts = counts
                    row.p = counts.p
                }
                rows.append(row)
            }
        }
        let tested = rows.indices.filter { rows[$0].p != nil }
        let adjusted = PairedTests.holmAdjusted(tested.map { rows[$0].p! })
        for (k, index) in tested.enumerated() { rows[index].pHolm = adjusted[k] }
        return rows
    }

    static func baselineRows(from records: [TrialRecord], plan: RunPlan) -> [BaselineRow] {
        var rows = [BaselineRow]()
        var offset = 0
        for (l, landscape) in plan.landscapes.enumerated() {
            for entry in plan.optimizers[l] {
                let group = records[offset..<offset + landscape.trials]
                offset += landscape.trials
                let outcomes = group.map {
                    TrialOutcome(trial: $0.trial, trapped: $0.trapped, escaped: $0.escaped, success: $0.success, failed: $0.failed)
                }
                let hasOptimum = group.first?.success != nil
                rows.append(BaselineRow(
                    key: "\(landscape.spec.name)/\(entry.label)", landscape: landscape.spec.name,
                    instanceKey: landscape.instanceKey, seed: plan.masterSeed, budget: landscape.budget,
                    optimizer: entry.label, optimizerParameters: entry.parameters.canonicalText, trials: landscape.trials,
                    trapped: outcomes.filter(\.trapped).count, escaped: outcomes.filter(\.escaped).count,
                    successes: hasOptimum ? outcomes.filter { $0.success == true }.count : nil,
                    failed: outcomes.filter(\.failed).count, outcomes: outcomes))
            }
        }
        return rows
    }
}
