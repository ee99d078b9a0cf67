import Foundation
import Testing

/// `bench report` checks traces.csv against run.json's `traceTrials`: continuous landscapes record
/// a trajectory for each traced trial, spin landscapes none.
@Suite(.serialized) struct TracesCLITests {
    @Test func aTracedRunWhoseTracesAreEmptiedIsRefused() throws {
        let folder = temporaryDirectory() + "/run"
        let run = try BenchProcess.run(["run", "--landscape", "rastrigin", "--optimizer", "sa", "--trials", "3",
                                        "--budget", "300", "--trace", "2", "--output", folder, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let header = try String(contentsOfFile: folder + "/traces.csv", encoding: .utf8).split(separator: "\n")[0]
        try (header + "\n").write(toFile: folder + "/traces.csv", atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["report", folder, "--output", temporaryDirectory() + "/r.html"]),
                             containing: "traces.csv: no trace rows, but run.json traces the first 2 trials")
    }

    @Test func aTraceRowOfAnUntracedTrialIsRefused() throws {
        let folder = temporaryDirectory() + "/run"
        let run = try BenchProcess.run(["run", "--landscape", "rastrigin", "--optimizer", "sa", "--trials", "3",
                                        "--budget", "300", "--trace", "1", "--output", folder, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: folder + "/traces.csv", encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        // Trial 0's first row, renumbered as trial 2, which --trace 1 did not trace.
        lines.append(lines[1].replacingOccurrences(of: "rastrigin,sa,0,", with: "rastrigin,sa,2,"))
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/traces.csv", atomically: true, encoding: .utf8)
        expectOneLineRefusal(try BenchProcess.run(["report", folder, "--output", temporaryDirectory() + "/r.html"]),
                             containing: "traces.csv:\(lines.count): trial 2 was not traced")
    }

    @Test func aTracedSpinRunWithoutTracesReadsBack() throws {
        let folder = temporaryDirectory() + "/run"
        let run = try BenchProcess.run(["run", "--landscape", "weak-strong", "--optimizer", "sa-spin", "--trials", "3",
                                        "--budget", "300", "--trace", "2", "--output", folder, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/traces.csv"))
        let report = try BenchProcess.run(["report", folder, "--output", temporaryDirectory() + "/r.html"])
        #expect(report.status == 0, "\(report.stderr)")
    }
}
