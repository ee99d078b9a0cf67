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
    /// Runs every task of `plan` and returns the trial records ordered by landscape, optimizer,
    /// trial. Throws when a landscape's start protocol cannot be satisfied.
    public static func execute(_ plan: RunPlan, progress: ProgressHandler? = nil) throws -> [TrialRecord] {
        for (landscape, entries) in zip(plan.landscapes, plan.optimizers) {
            for entry in entries where entry.kind != landscape.kind {
                throw HarnessError("optimizer '\(entry.label)' was built for \(entry.kind.rawValue) landscapes and does not apply to "
                    + "\(landscape.kind.rawValue) landscape '\(landscape.spec.name)' (valid there: "
                    + "\(landscape.kind.optimizerNames.joined(separator: ", ")))")
            }
        }
        // Phase 1: every (landscape, trial) start, shared by all optimizers (paired comparisons).
        let startTasks = plan.landscapes.enumerated().flatMap { l, landscape in (0..<landscape.trials).map { (l, $0) } }
        let starts = parallelMap(startTasks.count, threads: plan.threads) { index -> Result<TrialStart, HarnessError> in
            let (l, trial) = startTasks[index]
            let landscape = plan.landscapes[l]
            let seed = TrialSeeds.start(master: plan.masterSeed, instanceKey: landscape.instanceKey, trial: trial)
            do { return .success(try landscape.drawStart(seed: seed)) } catch let error as HarnessError {
                return .failure(error)
            } catch { return .failure(HarnessError(String(describing: error))) }
        }
        var startIndex = [[TrialStart]]()
        var offset = 0
        for landscape in plan.landscapes {
            startIndex.append(try starts[offset..<offset + landscape.trials].map { try $0.get() })
            offset += landscape.trials
        }
        let startsByLandscape = startIndex

        // Phase 2: every (landscape, optimizer, trial) task.
        var tasks = [(landscape: Int, optimizer: Int, trial: Int)]()
        for (l, landscape) in plan.landscapes.enumerated() {
            for o in plan.optimizers[l].indices {
                for trial in 0..<landscape.trials { tasks.append((l, o, trial)) }
            }
        }
        let frozenTasks = tasks
        let done = ProgressCounter()
        return parallelMap(frozenTasks.count, threads: plan.threads) { index in
            let task = frozenTasks[index]
            let record = TrialRunner.run(
                plan.landscapes[task.landscape], plan.optimizers[task.landscape][task.optimizer], trial: task.trial,
                start: startsByLandscape[task.landscape][task.trial], masterSeed: plan.masterSeed,
                gradCost: plan.gradCost, trace: task.trial < plan.traceTrials)
            if let progress { progress(done.increment(), frozenTasks.count) }
            return record
        }
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
