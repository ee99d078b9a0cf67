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
