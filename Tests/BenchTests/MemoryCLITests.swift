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
/// resident set size in kilobytes, read from wait4(2)'s resource usage of that one process.
private func peakResidentKilobytes(_ arguments: [String]) throws -> (status: Int32, kilobytes: Int) {
    let argv: [UnsafeMutablePointer<CChar>?] = ([BenchProcess.executable.path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid = pid_t()
    let spawned = posix_spawn(&pid, argv[0]!, &actions, nil, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    return ((status >> 8) & 0xff, usage.ru_maxrss)
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
