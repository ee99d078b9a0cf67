import Foundation
import Synchronization

/// Evaluates `body(0..<count)` on `threads` workers and returns the results in index order.
/// Workers take indices from a shared counter, so the assignment of tasks to threads varies from
/// run to run, but each result depends only on its index: the output is the same for any
/// thread count.
func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let slots = ResultSlots<T>(count: count)
    let next = Atomic<Int>(0)
    let workers = max(1, min(threads, count))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { break }
            slots.store(body(i), at: i)
        }
    }
    return slots.collect()
}

/// Write-once storage shared by the workers: each index is written by exactly one worker, and all
/// writes finish before `collect` (concurrentPerform returns only when every worker has).
private final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    func store(_ value: T, at index: Int) { buffer[index] = value }

    func collect() -> [T] { buffer.map { $0! } }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
}

/// Evaluates `body(0..<count)` on `threads` workers and hands the results to `deliver` one at a
/// time, in index order, as soon as each is next in line. A worker takes index i only while
/// i < d + `window`, d the number of results delivered so far, so at most `window` results exist
/// at any moment (computed but not yet delivered, or being computed): memory is bounded by the
/// window, not by `count`, even when one task is much slower than the others (the workers then
/// wait for it instead of running ahead). `deliver` runs on worker threads, never on two at once.
/// As with `parallelMap`, each result depends only on its index, so what `deliver` sees is the
/// same for any thread count.
///
/// When `deliver` throws, no further index is handed out, the tasks already running finish, and
/// the first error is rethrown once every worker has stopped.
///
/// - Precondition: `window` ≥ 1.
func orderedParallelForEach<T: Sendable>(_ count: Int, threads: Int, window: Int, _ body: @Sendable (Int) -> T,
                                         deliver: (T) throws -> Void) throws {
    precondition(window >= 1, "the reorder window holds at least one result")
    guard count > 0 else { return }
    try withoutActuallyEscaping(deliver) { deliver in
        let queue = ReorderWindow<T>(count: count, window: window, deliver: deliver)
        let workers = max(1, min(threads, count, window))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = queue.take() {
                queue.finish(i, body(i))
            }
        }
        if let error = queue.error { throw error }
    }
}

/// The shared state of `orderedParallelForEach`: the next index to hand out, how many results
/// have been delivered, and a ring of `window` slots for results that finished out of order.
/// Slot i % window is free when index i is handed out, because i − window < delivered.
private final class ReorderWindow<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let window: Int
    private let deliver: (T) throws -> Void
    private var slots: [T?]
    private var next = 0
    private var delivered = 0
    /// Set while one worker is delivering, so results are handed over by one thread at a time.
    private var delivering = false
    private(set) var error: (any Error)?

    init(count: Int, window: Int, deliver: @escaping (T) throws -> Void) {
        self.count = count
        self.window = window
        self.deliver = deliver
        slots = Array(repeating: nil, count: min(window, count))
    }

    /// The next index to compute, waiting while it would run more than `window` ahead of the
    /// oldest result not yet delivered; `nil` when every index is handed out or delivery failed.
    func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while next < count && error == nil && next >= delivered + window { condition.wait() }
        guard next < count && error == nil else { return nil }
        next += 1
        return next - 1
    }

    /// Stores result `i`; the worker that finds the oldest result ready delivers every ready one.
    func finish(_ i: Int, _ value: T) {
        condition.lock()
        slots[i % slots.count] = value
        guard !delivering else {
            condition.unlock()
            return
        }
        delivering = true
        while delivered < count, error == nil, let ready = slots[delivered % slots.count] {
            slots[delivered % slots.count] = nil
            condition.unlock()
            var failure: (any Error)?
            do { try deliver(ready) } catch { failure = error }
            condition.lock()
            if let failure { error = failure }
            delivered += 1
            condition.broadcast()
        }
        delivering = false
        condition.unlock()
    }
}
