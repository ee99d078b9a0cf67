import Foundation
import Landscapes
import Optimizers

/// Everything a run needs: the landscapes (each with its budget, trials and start protocol), the
/// optimizers to run on each, the master seed and the thread count. A run is a list of tasks
/// (landscape × optimizer × trial), each fully determined by its seeds.
public struct RunPlan: Sendable {
    public var landscapes: [ResolvedLandscape]
    /// `optimizers[l]` run on `landscapes[l]`.
    public var optimizers: [[OptimizerEntry]]
    public var masterSeed: UInt64
    public var threads: Int
    /// Overrides every landscape's gradient cost (`--grad-cost`).
    public var gradCost: Double?
    /// Trials 0..<traceTrials of every (landscape, optimizer) record their trajectory (`--trace N`).
    public var traceTrials = 0

    /// The same optimizers on every landscape.
    public init(landscapes: [ResolvedLandscape], optimizers: [OptimizerEntry], masterSeed: UInt64,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, gradCost: Double? = nil) {
        self.init(landscapes: landscapes, optimizersPerLandscape: landscapes.map { _ in optimizers },
                  masterSeed: masterSeed, threads: threads, gradCost: gradCost)
    }

    public init(landscapes: [ResolvedLandscape], optimizersPerLandscape: [[OptimizerEntry]], masterSeed: UInt64,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, gradCost: Double? = nil) {
        precondition(landscapes.count == optimizersPerLandscape.count, "one optimizer list per landscape")
        self.landscapes = landscapes
        self.optimizers = optimizersPerLandscape
        self.masterSeed = masterSeed
        self.threads = threads
        self.gradCost = gradCost
    }

    public var taskCount: Int { zip(landscapes, optimizers).reduce(0) { $0 + $1.0.trials * $1.1.count } }
}

/// Progress as tasks complete (called from worker threads).
public typealias ProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

public enum BenchmarkRun {
    /// How many tasks the workers may run ahead of the oldest unfinished one: the most trial
    /// records (finished out of order, or running) that exist at once, whatever the number of
    /// trials. Enough to keep every worker busy past a trial 16 times slower than the others.
    public static func window(threads: Int) -> Int { max(1024, 16 * threads) }

    /// Runs every task of `plan` and hands each trial record to `deliver` as it finishes, in
    /// task order (landscape, optimizer, trial), one at a time; the record is not kept. Workers run
    /// at most `window` tasks ahead of the oldest unfinished one, so a run holds a bounded number
    /// of records however many trials it has (see `window(threads:)`). What `deliver` receives does
    /// not depend on the thread count.
    ///
    /// Landscapes run one after the other. A landscape with several optimizers first draws every
    /// trial's start (in parallel) into a `StartTable` that its optimizers share; one with a single
    /// optimizer draws each start inside its trial, keeping nothing per trial.
    ///
    /// Throws when a landscape's start protocol cannot be satisfied (the error of the first start,
    /// in landscape and trial order, that cannot be drawn), or what `deliver` throws; no further
    /// task is started then.
    public static func execute(_ plan: RunPlan, progress: ProgressHandler? = nil, window: Int? = nil,
                               deliver: (TrialRecord) throws -> Void) throws {
        for (landscape, entries) in zip(plan.landscapes, plan.optimizers) {
            for entry in entries where entry.kind != landscape.kind {
                throw HarnessError("optimizer '\(entry.label)' was built for \(entry.kind.rawValue) landscapes and does not apply to "
                    + "\(landscape.kind.rawValue) landscape '\(landscape.spec.name)' (valid there: "
                    + "\(landscape.kind.optimizerNames.joined(separator: ", ")))")
            }
            if plan.gradCost != nil, let file = landscape.landscape.externalFile, !file.providesGradient {
                throw HarnessError("--grad-cost does not apply to external landscape '\(landscape.spec.name)': its gradients are "
                    + "central differences, charged as the 2d + 1 evaluations they make (\(file.path) has no gradient: true)")
            }
        }
        let window = window ?? Self.window(threads: plan.threads)
        let total = plan.taskCount
        let done = ProgressCounter()
        for (landscape, entries) in zip(plan.landscapes, plan.optimizers) where !entries.isEmpty {
            let trials = landscape.trials, first = landscape.firstTrial
            let starts = entries.count > 1
                ? try drawStarts(landscape, masterSeed: plan.masterSeed, threads: plan.threads, window: window) : nil
            // The landscape's tasks, numbered (optimizer, trial).
            try orderedParallelForEach(entries.count * trials, threads: plan.threads, window: window, {
                index -> Result<TrialRecord, any Error> in
                let trial = first + index % trials
                let start: TrialStart
                if let starts {
                    start = starts[trial - first]
                } else {
                    let seed = TrialSeeds.start(master: plan.masterSeed, instanceKey: landscape.instanceKey, trial: trial)
                    switch drawStart(landscape, seed: seed) {
                    case .success(let drawn): start = drawn
                    case .failure(let error): return .failure(error)
                    }
                }
                let record = TrialRunner.run(landscape, entries[index / trials], trial: trial, start: start,
                                             masterSeed: plan.masterSeed, gradCost: plan.gradCost, trace: trial < plan.traceTrials)
                if let reason = record.abortReason { return .failure(RunAborted(reason)) }
                if let progress { progress(done.increment(), total) }
                return .success(record)
            }, deliver: { try deliver($0.get()) })
        }
    }

    /// Every trial's start on `landscape`, drawn in parallel and stored compactly as they arrive in
    /// trial order. Throws the error of the first trial whose start cannot be drawn.
    static func drawStarts(_ landscape: ResolvedLandscape, masterSeed: UInt64, threads: Int, window: Int) throws -> StartTable {
        var table = StartTable(landscape)
        try orderedParallelForEach(landscape.trials, threads: threads, window: window, { index in
            drawStart(landscape, seed: TrialSeeds.start(master: masterSeed, instanceKey: landscape.instanceKey,
                                                        trial: landscape.firstTrial + index))
        }, deliver: { table.append(try $0.get()) })
        return table
    }

    /// One trial's start; a `RunAborted` when an external landscape's program failed while it was
    /// drawn (its values are NaN from then on, so the start means nothing).
    static func drawStart(_ landscape: ResolvedLandscape, seed: UInt64) -> Result<TrialStart, any Error> {
        do {
            let start = try landscape.drawStart(seed: seed)
            if let failure = landscape.landscape.programFailure { return .failure(RunAborted(failure)) }
            return .success(start)
        } catch let error as HarnessError {
            // A quench that found no minimum because the program stopped answering says why.
            if let failure = landscape.landscape.programFailure { return .failure(RunAborted(failure)) }
            return .failure(error)
        } catch let error as RunAborted {
            return .failure(error)
        } catch { return .failure(HarnessError(String(describing: error))) }
    }

    /// Runs every task of `plan` and returns the trial records ordered by landscape, optimizer,
    /// trial: `execute(_:progress:deliver:)` collecting what it delivers, so it holds every record
    /// (about 2.3 KB each); for tests and small runs.
    public static func execute(_ plan: RunPlan, progress: ProgressHandler? = nil) throws -> [TrialRecord] {
        var records = [TrialRecord]()
        records.reserveCapacity(plan.taskCount)
        try execute(plan, progress: progress) { records.append($0) }
        return records
    }
}

private final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
