import Foundation
import Testing

extension Tag {
    /// Tests too slow for a debug build; they run in a release build (`.ci/run`).
    @Tag static var release: Self
}

/// Whether this test binary was built with optimizations. SwiftPM defines DEBUG in debug builds.
private let isOptimizedBenchBuild: Bool = {
    #if DEBUG
    return false
    #else
    return true
    #endif
}()

/// Runs `bench` with `arguments` (output discarded) and returns its exit status and its peak
/// resident set size in kilobytes, from wait4(2)'s resource usage of that one process.
///
/// bench is started by a small Python parent with fork(2), never straight from this process:
/// posix_spawn starts a child that shares this process's memory until it execs, and Linux then
/// keeps this process's high-water mark as the child's `ru_maxrss` — the size of the test runner,
/// which grows with whatever tests run beside this one, not of bench.
private func peakResidentKilobytes(_ arguments: [String]) throws -> (status: Int32, kilobytes: Int) {
    let parent = """
        import os, sys
        pid = os.fork()
        if pid == 0:
            null = os.open("/dev/null", os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.execv(sys.argv[1], sys.argv[1:])
        _, status, usage = os.wait4(pid, 0)
        print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", parent, BenchProcess.executable.path] + arguments
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let fields = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    guard fields.count == 2 else { throw POSIXError(.EIO) }
    return (Int32(fields[0]), fields[1])
}

@Suite(.serialized) struct MemoryCLITests {
    /// A run keeps no trial record: its peak memory grows with the number of trials only by the
    /// compact per-trial arrays of docs/DESIGN.md ("Memory"), about 41 bytes per trial for one
    /// optimizer on a landscape with f* known (none for the start: one optimizer draws each start
    /// inside its trial). Twenty times more trials (2·10⁵ against 10⁴) may therefore add about
    /// 190,000 × 41 B ≈ 8 MB; the bound allows 100 bytes per added trial plus 8 MB for the
    /// allocator. Holding the records, at about 2.3 KB each, adds over 400 MB.
    @Test(.tags(.release),
          .enabled(if: isOptimizedBenchBuild || ProcessInfo.processInfo.environment["TUNNELBENCH_SLOW_TESTS"] == "1",
                   "2·10⁵ trials: run in release"))
    func peakMemoryGrowsOnlyByTheCompactPerTrialArrays() throws {
        let dir = temporaryDirectory()
        func peak(trials: Int) throws -> Int {
            let run = try peakResidentKilobytes(["--landscape", "rastrigin", "--dimension", "2", "--optimizer", "random-search",
                                                 "--trials", String(trials), "--budget", "100", "--threads", "2",
                                                 "--output", dir + "/\(trials)", "--quiet"])
            #expect(run.status == 0)
            return run.kilobytes
        }
        let small = try peak(trials: 10_000)
        let large = try peak(trials: 200_000)
        let allowed = (190_000 * 100 + 8 * 1024 * 1024) / 1024
        #expect(large - small < allowed, "peak RSS \(small) KB at 10^4 trials, \(large) KB at 2·10^5")
        let lines = try String(contentsOfFile: dir + "/200000/trials.csv", encoding: .utf8).split(separator: "\n").count
        #expect(lines == 200_001)
    }
}
